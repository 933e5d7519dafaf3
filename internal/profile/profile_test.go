package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseExpandsEnvironment(t *testing.T) {
	t.Setenv("IDPC_TEST_TOKEN", "tok-123")
	p, err := Parse([]byte("name: hub\nscim:\n  url: http://127.0.0.1:9/scim/v2/\n  auth:\n    token: ${IDPC_TEST_TOKEN}\nfeatures:\n  groups: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.SCIM.Auth.Token != "tok-123" || p.SCIM.Auth.Type != "bearer" || p.SCIM.URL != "http://127.0.0.1:9/scim/v2" {
		t.Errorf("got %+v", p.SCIM)
	}
	if groups, ok := p.Features["groups"]; !ok || groups || len(p.Features) != 1 {
		t.Errorf("features = %+v", p.Features)
	}
	if p.Prefix != DefaultPrefix || p.SCIM.Timeout != DefaultTimeout {
		t.Errorf("defaults not set: %+v", p)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"unset env", "scim:\n  url: http://x\n  auth:\n    token: ${IDPC_SURELY_UNSET}\n", "IDPC_SURELY_UNSET is not set"},
		{"no url", "scim:\n  auth:\n    token: t\n", "scim.url is required"},
		{"unknown feature", "scim:\n  url: http://x\n  auth:\n    token: t\nfeatures:\n  filters: true\n", "line 6: features.filters is not an optional feature"},
		{"bad scheme", "scim:\n  url: ftp://x\n  auth:\n    token: t\n", "must start with http"},
		{"unknown key", "scim:\n  url: http://x\n  tokn: t\n", "field tokn not found"},
		{"bad auth type", "scim:\n  url: http://x\n  auth:\n    type: magic\n", `"magic" is not one of`},
		{"oauth2 incomplete", "scim:\n  url: http://x\n  auth:\n    type: oauth2\n    clientId: c\n", "tokenUrl, clientId and clientSecret"},
		{"bad range", "scim:\n  url: http://x\n  auth:\n    token: t\nusernames:\n  minLength: 5\n  maxLength: 2\n", "do not make a range"},
		{"unknown rule", "scim:\n  url: http://x\n  auth:\n    token: t\nusernames:\n  rule: github\n", `usernames.rule "github" is not one of hub`},
		{"prefix breaks the rule", "scim:\n  url: http://x\n  auth:\n    token: t\nprefix: idpc_\nusernames:\n  rule: hub\n", `prefix "idpc_" cannot start a userName under usernames.rule hub`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestExampleProfilesLoad keeps fixtures/targets/*.yaml valid.
func TestExampleProfilesLoad(t *testing.T) {
	for _, env := range []string{"SCIM_TOKEN", "SCIM_CLIENT_ID", "SCIM_CLIENT_SECRET", "OIDC_CLIENT_SECRET"} {
		t.Setenv(env, "x")
	}
	files, err := filepath.Glob("../../fixtures/targets/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("example profiles: %v %v", files, err)
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	p, err := Load("../../fixtures/targets/sso.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.SSO.SAML.IdP.Listen != "127.0.0.1:7001" || p.SSO.Session.UserNameField != "email" || !p.SSO.JIT {
		t.Errorf("sso: %+v", p.SSO)
	}
}

func TestSSOErrors(t *testing.T) {
	base := "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth:\n    token: t\n"
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", "sso: {}\n", "give saml, oidc or both"},
		{"no session", "sso:\n  saml:\n    spMetadataUrl: http://127.0.0.1:1/md\n    loginUrl: http://127.0.0.1:1/login\n", "sso.session.url is required"},
		{"no SP", "sso:\n  session:\n    url: http://127.0.0.1:1/me\n  saml:\n    loginUrl: http://127.0.0.1:1/login\n", "give spMetadataUrl, or entityId and acsUrl"},
		{"public listen", "sso:\n  session:\n    url: http://127.0.0.1:1/me\n  saml:\n    spMetadataUrl: http://127.0.0.1:1/md\n    loginUrl: http://127.0.0.1:1/login\n    idp:\n      listen: 0.0.0.0:7001\n", "must be a loopback address"},
		{"oidc incomplete", "sso:\n  session:\n    url: http://127.0.0.1:1/me\n  oidc:\n    loginUrl: http://127.0.0.1:1/login\n", "clientId and redirectUri are required"},
		{"bad sign", "sso:\n  session:\n    url: http://127.0.0.1:1/me\n  saml:\n    spMetadataUrl: http://127.0.0.1:1/md\n    loginUrl: http://127.0.0.1:1/login\n    sign: everything\n", "sso.saml.sign \"everything\" must be response, assertion or both"},
		{"bad encrypt", "sso:\n  session:\n    url: http://127.0.0.1:1/me\n  saml:\n    spMetadataUrl: http://127.0.0.1:1/md\n    loginUrl: http://127.0.0.1:1/login\n    encrypt: maybe\n", "sso.saml.encrypt \"maybe\" must be auto, true or false"},
		{"relative landing", "sso:\n  session:\n    url: http://127.0.0.1:1/me\n  landingPath: dashboard\n  oidc:\n    clientId: c\n    redirectUri: http://127.0.0.1:1/cb\n    loginUrl: http://127.0.0.1:1/login\n", "must be a path starting with /"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(base + tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestSAMLSignAndEncrypt: encrypt takes YAML's true and false as written.
func TestSAMLSignAndEncrypt(t *testing.T) {
	doc := "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth:\n    token: t\nsso:\n  session:\n    url: http://127.0.0.1:1/me\n" +
		"  saml:\n    spMetadataUrl: http://127.0.0.1:1/md\n    loginUrl: http://127.0.0.1:1/login\n    sign: both\n    encrypt: true\n"
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if p.SSO.SAML.Sign != "both" || p.SSO.SAML.Encrypt != "true" {
		t.Errorf("saml: %+v", p.SSO.SAML)
	}
}

// TestSecretsAreTakenAsTheyAre: ${VAR} is expanded after YAML parsing, so a
// value YAML would read as an alias, an anchor, a comment or a mapping is
// taken as it is.
func TestSecretsAreTakenAsTheyAre(t *testing.T) {
	for _, secret := range []string{"*starts-with-star", "&starts-with-amp", "before #after", "key: value", `quo"te\back`, "!tag", "- dash", "123456", "true", "null"} {
		t.Run(secret, func(t *testing.T) {
			t.Setenv("IDPC_TEST_SECRET", secret)
			for _, doc := range []string{
				"scim:\n  url: http://127.0.0.1:9\n  auth:\n    token: ${IDPC_TEST_SECRET}\n",
				"scim:\n  url: http://127.0.0.1:9\n  auth:\n    token: \"${IDPC_TEST_SECRET}\"\n",
				"scim: {url: 'http://127.0.0.1:9', auth: {token: '${IDPC_TEST_SECRET}'}}\n",
			} {
				p, err := Parse([]byte(doc))
				if err != nil {
					t.Fatalf("%q: %v", doc, err)
				}
				if p.SCIM.Auth.Token != secret {
					t.Errorf("%q: token = %q", doc, p.SCIM.Auth.Token)
				}
			}
		})
	}
}

func TestExpansionSkipsCommentsAndKeys(t *testing.T) {
	t.Setenv("IDPC_TEST_TOKEN", "tok-123")
	doc := "# token: ${IDPC_SURELY_UNSET}\nscim:\n  url: http://127.0.0.1:9 # ${IDPC_SURELY_UNSET}\n  auth:\n    token: ${IDPC_TEST_TOKEN}\n"
	if p, err := Parse([]byte(doc)); err != nil || p.SCIM.Auth.Token != "tok-123" {
		t.Fatalf("token %q, err %v", p.SCIM.Auth.Token, err)
	}
	t.Setenv("IDPC_TEST_KEY", "name")
	if _, err := Parse([]byte("${IDPC_TEST_KEY}: x\n" + doc)); err == nil || !strings.Contains(err.Error(), "field ${IDPC_TEST_KEY} not found") {
		t.Errorf("a key was expanded: %v", err)
	}
}

// TestPlainReferencesTakeTheirFieldsType: minLength: ${N} is a number,
// jit: ${J} a boolean, as if the value stood there.
func TestPlainReferencesTakeTheirFieldsType(t *testing.T) {
	t.Setenv("IDPC_TEST_MIN", "3")
	t.Setenv("IDPC_TEST_TIMEOUT", "2s")
	p, err := Parse([]byte("scim:\n  url: http://127.0.0.1:9\n  auth: {token: t}\n  timeout: ${IDPC_TEST_TIMEOUT}\nusernames:\n  minLength: ${IDPC_TEST_MIN}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Usernames.MinLength != 3 || p.SCIM.Timeout.String() != "2s" {
		t.Errorf("minLength %d, timeout %v", p.Usernames.MinLength, p.SCIM.Timeout)
	}
}

// TestErrorsKeepSecretsOut: no error message prints a value that came from
// the environment or a secret the profile holds, and each is one line.
func TestErrorsKeepSecretsOut(t *testing.T) {
	const secret = "s3cr3t-7f3c9a41"
	t.Setenv("IDPC_TEST_SECRET", secret)
	for _, tc := range []struct{ name, doc, want string }{
		{"duration", "scim:\n  url: http://127.0.0.1:9\n  auth: {token: t}\n  timeout: ${IDPC_TEST_SECRET}\n", "line 4: cannot unmarshal !!str into time.Duration"},
		{"int", "scim:\n  url: http://127.0.0.1:9\n  auth: {token: t}\nusernames:\n  minLength: ${IDPC_TEST_SECRET}\n", "line 5: cannot unmarshal !!str into int"},
		{"url", "scim:\n  url: ftp://${IDPC_TEST_SECRET}\n  auth: {token: t}\n", "must start with http"},
		{"literal secret elsewhere", "scim:\n  url: " + secret + "\n  auth: {token: " + secret + "}\n", "must start with http"},
		{"accept", "scim:\n  url: http://127.0.0.1:9\n  auth: {token: t}\nlifecycle:\n  mode: managed\n  accept: ${IDPC_TEST_SECRET}\n", "give automatic or an HTTP call"},
		{"alias", "scim:\n  url: http://127.0.0.1:9\n  auth: {token: *" + secret + "}\n", "quote it"},
		{"several", "scim:\n  url: ftp://x\n  auth: {type: basic, password: " + secret + "}\nusernames: {minLength: 5, maxLength: 2}\n", "do not make a range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:7]) {
				t.Errorf("the error prints the secret: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error is not one line: %q", err)
			}
		})
	}
}

// TestUnknownKeysNameTheirLine: the line is the file's own, blank lines and
// comments included, also inside lifecycle.accept.
func TestUnknownKeysNameTheirLine(t *testing.T) {
	doc := "scim:\n\n  # the endpoint\n  url: http://127.0.0.1:9\n\n  auth:\n    tokn: t\nlifecycle:\n  mode: managed\n\n  accept:\n    urll: http://127.0.0.1:9/a\n"
	_, err := Parse([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), "line 7: field tokn not found in type profile.Auth") {
		t.Fatalf("err = %v", err)
	}
	doc = strings.Replace(doc, "tokn", "token", 1)
	_, err = Parse([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), "line 12: field urll not found in type profile.Call") {
		t.Fatalf("err = %v", err)
	}
}

func TestEmptyProfileSaysWhatIsMissing(t *testing.T) {
	for _, doc := range []string{"", "# nothing yet\n", "---\n"} {
		if _, err := Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), "scim.url is required") {
			t.Errorf("%q: err = %v", doc, err)
		}
	}
}

// TestREADMEProfileLoads keeps the README's profile example working as
// written once its variables are set.
func TestREADMEProfileLoads(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## The target profile\n")
	if !ok {
		t.Fatal("README.md has no section \"The target profile\"")
	}
	// The full example follows the smallest one (which a CLI test runs).
	_, section, _ = strings.Cut(section, "Every key, with what it is for:")
	_, block, ok := strings.Cut(section, "```yaml\n")
	block, _, closed := strings.Cut(block, "\n```")
	if !ok || !closed {
		t.Fatal("the section has no yaml block")
	}
	for _, env := range []string{"SCIM_TOKEN", "OIDC_CLIENT_SECRET"} {
		t.Setenv(env, "readme-"+strings.ToLower(env))
	}
	// The variables of the commented-out alternatives need not be set.
	for _, env := range []string{"SCIM_PASSWORD", "SCIM_CLIENT_SECRET"} {
		t.Setenv(env, "")
		_ = os.Unsetenv(env)
	}
	path := filepath.Join(t.TempDir(), "readme.yaml")
	if err := os.WriteFile(path, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatalf("the README's example does not load: %v", err)
	}
	if p.SCIM.Auth.Token != "readme-scim_token" || p.SSO == nil || p.SSO.OIDC.ClientSecret != "readme-oidc_client_secret" || p.Name != "My SaaS (staging)" {
		t.Errorf("loaded %+v", p)
	}
}

// TestREADMESSOOnlyProfileLoads keeps the README's SSO-only example at
// five lines or fewer, loading as an SSO-only profile.
func TestREADMESSOOnlyProfileLoads(t *testing.T) {
	block := readmeBlock(t, "### An SSO-only target", 0)
	if n := strings.Count(block, "\n") + 1; n > 5 {
		t.Errorf("the README's SSO-only profile has %d lines; it promises five or fewer", n)
	}
	p, err := Parse([]byte(block))
	if err != nil {
		t.Fatalf("the README's SSO-only example does not load: %v", err)
	}
	if p.HasSCIM() || p.SSO == nil || p.SSO.SAML == nil || p.SSO.Users != UsersJIT || !p.SSO.JIT {
		t.Errorf("loaded %+v", p)
	}
	p, err = Parse([]byte(readmeBlock(t, "### An SSO-only target", 1)))
	if err != nil {
		t.Fatalf("the README's sso.users example does not load: %v", err)
	}
	if u := p.SSO.TestUsers; p.SSO.Users != UsersPreexisting || len(u) != 3 || u[1].Email != u[1].NameID || u[0].GivenName != "Ada" {
		t.Errorf("loaded %+v", p.SSO)
	}
}

// readmeBlock is the n-th yaml block of a README section; a fragment
// (indented under sso) is completed with the rest of the SSO-only example.
func readmeBlock(t *testing.T, heading string, n int) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	var blocks []string
	for {
		_, rest, ok := strings.Cut(section, "```yaml\n")
		if !ok {
			break
		}
		block, after, closed := strings.Cut(rest, "\n```")
		if !closed {
			t.Fatal("an unclosed yaml block")
		}
		blocks, section = append(blocks, block), after
	}
	if len(blocks) <= n {
		t.Fatalf("the section has %d yaml blocks, not %d", len(blocks), n+1)
	}
	if n > 0 { // the users example: complete it with the first block's login
		first := blocks[0]
		_, login, _ := strings.Cut(first, "\n  saml:")
		return blocks[n] + "\n  saml:" + login
	}
	return blocks[n]
}

func TestSSOOnlyProfiles(t *testing.T) {
	const login = "  saml: {spMetadataUrl: http://127.0.0.1:8080/md, loginUrl: http://127.0.0.1:8080/login}\n  session: {url: http://127.0.0.1:8080/me}\n"
	for _, tc := range []struct{ name, doc, says string }{
		{"jit", "sso:\n  users: jit\n" + login, ""},
		{"jit claimed", "sso:\n  jit: true\n" + login, ""},
		{"preexisting", "sso:\n  users: preexisting\n  testUsers: [{nameId: a@x.example}, {nameId: b@x.example}]\n" + login, ""},
		{"no source", "sso:\n" + login, "sso.users is required without a scim section"},
		{"scim source without scim", "sso:\n  users: scim\n" + login, "sso.users scim needs a scim section"},
		{"unknown source", "sso:\n  users: ldap\n" + login, `sso.users "ldap" is not one of jit, scim, preexisting`},
		{"preexisting without users", "sso:\n  users: preexisting\n" + login, "needs sso.testUsers"},
		{"test users without preexisting", "sso:\n  users: jit\n  testUsers: [{nameId: a@x.example}]\n" + login, "apply only with sso.users preexisting"},
		{"a test user twice", "sso:\n  users: preexisting\n  testUsers: [{nameId: a@x.example}, {nameId: A@x.example}]\n" + login, "listed twice"},
		{"a test user without nameId", "sso:\n  users: preexisting\n  testUsers: [{email: a@x.example}]\n" + login, "sso.testUsers[0].nameId is required"},
		{"lifecycle without scim", "sso:\n  users: jit\n" + login + "lifecycle: {mode: managed}\n", "lifecycle needs a scim section"},
		{"a scim section without url", "scim: {auth: {token: t}}\nsso:\n  users: jit\n" + login, "scim.url is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.doc))
			switch {
			case tc.says == "" && err != nil:
				t.Fatal(err)
			case tc.says == "" && (p.HasSCIM() || p.SCIM.Auth.Type != "" || p.SSO.Users == ""):
				t.Errorf("loaded %+v", p)
			case tc.says != "" && (err == nil || !strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), "\n")):
				t.Errorf("err = %v, want one line saying %q", err, tc.says)
			}
		})
	}
	// Completing twice changes nothing: the CLI completes a loaded profile again.
	p, err := Parse([]byte("sso:\n  users: jit\n" + login))
	if err != nil {
		t.Fatal(err)
	}
	if q, err := Complete(p); err != nil || q.HasSCIM() {
		t.Errorf("completed again: %v, %+v", err, q.SCIM)
	}
}

// With a scim section, users come from SCIM unless the profile says otherwise.
func TestSSOUsersDefaultToSCIM(t *testing.T) {
	p, err := Parse([]byte("scim: {url: http://127.0.0.1:1/scim, auth: {token: t}}\nsso:\n  saml: {entityId: e, acsUrl: http://127.0.0.1:1/acs, loginUrl: http://127.0.0.1:1/l}\n  session: {url: http://127.0.0.1:1/me}\n"))
	if err != nil || p.SSO.Users != UsersSCIM {
		t.Errorf("users = %q, %v", p.SSO.Users, err)
	}
}
