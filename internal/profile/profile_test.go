package profile

import (
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
	if p.Features.Groups == nil || *p.Features.Groups || p.Features.Patch != nil {
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
		{"bad scheme", "scim:\n  url: ftp://x\n  auth:\n    token: t\n", "must start with http"},
		{"unknown key", "scim:\n  url: http://x\n  tokn: t\n", "field tokn not found"},
		{"bad auth type", "scim:\n  url: http://x\n  auth:\n    type: magic\n", `"magic" is not one of`},
		{"oauth2 incomplete", "scim:\n  url: http://x\n  auth:\n    type: oauth2\n    clientId: c\n", "tokenUrl, clientId and clientSecret"},
		{"bad range", "scim:\n  url: http://x\n  auth:\n    token: t\nusernames:\n  minLength: 5\n  maxLength: 2\n", "do not make a range"},
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
