package runner

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/reports"
)

// spOnly is an SSO-only target: the reference target's SSO half
// (internal/reference/sp) alone, with no SCIM endpoint, its users in a directory of
// its own.
type spOnly struct {
	saml, oidc bool
	jit        bool
	faults     []string
	users      []sp.User // accounts the SP holds before the run
}

// start serves the SP on loopback, trusting in-process IdPs, and returns
// the IdPs and the SP's base URL.
func (o spOnly) start(t *testing.T) (idps.Control, string) {
	t.Helper()
	ip, err := idps.Start(idps.Options{SAML: o.saml, OIDC: o.oidc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ip.Close() })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	dir := &sp.MemoryDirectory{}
	for _, u := range o.users {
		dir.Put(u)
	}
	opts := sp.Options{BaseURL: base, JIT: o.jit, AllowIdPInitiated: true, Directory: dir, Faults: o.faults}
	if o.saml {
		if opts.IdPMetadata, err = env.IdPMetadata(ip.SAMLURL()); err != nil {
			t.Fatal(err)
		}
	}
	if o.oidc {
		opts.OIDC = sp.OIDCOptions{Issuer: ip.OIDCURL(), ClientID: "sso-only", ClientSecret: "sso-only-secret"}
	}
	s, err := sp.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() { _ = hs.Close() })
	return ip, base
}

// ssoOnlyProfile is the profile a vendor would write for the SP at base:
// no scim section. users is the sso.users block.
func ssoOnlyProfile(t *testing.T, base string, saml, oidc bool, users string) profile.Profile {
	t.Helper()
	doc := "name: SSO only\nsso:\n" + users
	if saml {
		doc += fmt.Sprintf("  saml: {spMetadataUrl: %s, loginUrl: %s, idpInitiated: true}\n", base+sp.SAMLMetadataPath, base+sp.SAMLLoginPath)
	}
	if oidc {
		t.Setenv("SSO_ONLY_SECRET", "sso-only-secret")
		doc += fmt.Sprintf("  oidc: {clientId: sso-only, clientSecret: '${SSO_ONLY_SECRET}', redirectUri: %s, loginUrl: %s}\n", base+sp.OIDCCallbackPath, base+sp.OIDCLoginPath)
	}
	doc += fmt.Sprintf("  session: {url: %s}\n  logoutUrl: %s\n  landingPath: %s\n", base+sp.WhoAmIPath, base+sp.LogoutPath, sp.WelcomePath)
	p, err := profile.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	if p.HasSCIM() {
		t.Fatal("the profile has SCIM")
	}
	return p
}

func runSSOOnly(t *testing.T, o spOnly, users, tags string) reports.Run {
	t.Helper()
	ip, base := o.start(t)
	p := ssoOnlyProfile(t, base, o.saml, o.oidc, users)
	out := t.TempDir()
	spID, serr := env.Trust(context.Background(), ip, p)
	run, err := Run(context.Background(), Config{Profile: p, IdPs: ip, SP: spID, SSOErr: serr, Tags: tags, Concurrency: 4, OutDir: out, Output: io.Discard, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	// The client secret came through ${VAR}; no report holds it.
	files, _ := os.ReadDir(out)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(out, f.Name()))
		if err != nil || bytes.Contains(b, []byte("sso-only-secret")) {
			t.Errorf("%s: %v, or it holds the OIDC client secret", f.Name(), err)
		}
	}
	return run
}

// checkSSOOnly: nothing fails; the SSO scenarios of the kinds the profile
// has ran and passed; the SCIM ones were skipped with the reason.
func checkSSOOnly(t *testing.T, run reports.Run, kinds ...string) {
	t.Helper()
	ran, skipped := 0, 0
	for _, s := range run.Scenarios {
		reason := ""
		if n := len(s.Steps); n > 0 {
			reason = s.Steps[n-1].Text
		}
		switch {
		case s.Status == reports.Failed || s.Status == reports.Errored || s.Status == reports.Warned || s.Status == reports.Undefined:
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		case !slices.Contains(s.Tags, "sso") || slices.Contains(s.Tags, "scim"):
			skipped++
			if s.Status != reports.Skipped || !strings.Contains(reason, "the profile has no scim: section") {
				t.Errorf("%s %q needs SCIM but is %s (%q)", s.ID, s.Name, s.Status, reason)
			}
		case slices.ContainsFunc(kinds, func(k string) bool { return slices.Contains(s.Tags, k) }):
			if s.Status == reports.Passed {
				ran++
			} else if !strings.Contains(reason, "the target profile does not claim") && !strings.Contains(reason, "the target profile claims") {
				t.Errorf("%s %q: %s (%q)", s.ID, s.Name, s.Status, reason)
			}
		default: // the other login kind
			if s.Status != reports.Skipped || !strings.Contains(reason, "declares no") {
				t.Errorf("%s %q: %s (%q), want skipped: the profile declares no such login", s.ID, s.Name, s.Status, reason)
			}
		}
	}
	t.Logf("%d SSO scenarios passed, %d skipped for want of SCIM, %d in all", ran, skipped, len(run.Scenarios))
	if ran < 10 || skipped < 50 {
		t.Errorf("%d SSO scenarios passed and %d were skipped for want of SCIM", ran, skipped)
	}
}

// TestSSOOnlySAML: a profile with sso.saml and no scim section runs the
// SAML scenarios against the reference SP alone, users created at login.
func TestSSOOnlySAML(t *testing.T) {
	run := runSSOOnly(t, spOnly{saml: true, jit: true}, "  users: jit\n", "")
	checkSSOOnly(t, run, "saml")
	if !slices.ContainsFunc(run.Notes, func(n string) bool { return strings.Contains(n, "cannot remove them") }) {
		t.Errorf("no note on the users JIT left: %q", run.Notes)
	}
}

// TestSSOOnlyOIDC: the same with sso.oidc only; the SAML scenarios skip.
func TestSSOOnlyOIDC(t *testing.T) {
	run := runSSOOnly(t, spOnly{oidc: true, jit: true}, "  users: jit\n", "")
	checkSSOOnly(t, run, "oidc")
}

// TestSSOOnlyPreexistingUsers: with JIT off, the SP knows only its own
// accounts, listed in the profile; the scenarios log in as them (a
// made-up name would be refused and fail the good logins).
func TestSSOOnlyPreexistingUsers(t *testing.T) {
	accounts := []sp.User{
		{UserName: "ada@corp.example", Email: "ada@corp.example", Active: true},
		{UserName: "bob@corp.example", Email: "bob.b@corp.example", Active: true},
		{UserName: "ada@corp.example.evil.com", Email: "ada-evil@corp.example", Active: true},
	}
	users := "  users: preexisting\n  testUsers:\n"
	for _, u := range accounts {
		users += fmt.Sprintf("    - {nameId: %s, email: %s}\n", u.UserName, u.Email)
	}
	run := runSSOOnly(t, spOnly{saml: true, oidc: true, users: accounts}, users, "")
	checkSSOOnly(t, run, "saml", "oidc")
	for _, s := range run.Scenarios {
		if strings.HasPrefix(s.Name, "PD-01") && s.Status != reports.Passed {
			t.Errorf("PD-01 did not run with the listed ada@corp.example.evil.com: %s", s.Status)
		}
	}
}

// TestSSOOnlyTooFewUsers: a scenario that needs more accounts than the
// profile lists skips, saying so.
func TestSSOOnlyTooFewUsers(t *testing.T) {
	accounts := []sp.User{{UserName: "ada@corp.example", Email: "ada@corp.example", Active: true}}
	run := runSSOOnly(t, spOnly{saml: true, users: accounts}, "  users: preexisting\n  testUsers: [{nameId: ada@corp.example}]\n", "@SIG-01,@saml-prof-4.1.3")
	var login, attack bool
	for _, s := range run.Scenarios {
		last := s.Steps[len(s.Steps)-1].Text
		switch {
		case strings.HasPrefix(s.Name, "SIG-01"):
			attack = s.Status == reports.Skipped && strings.Contains(last, "this scenario needs more accounts than the 1 in sso.testUsers")
		case strings.Contains(s.Name, "Okta's response shape"):
			login = s.Status == reports.Passed
		}
	}
	if !login || !attack {
		t.Errorf("a login as the one account passed: %v; the attack needing two skipped with the reason: %v", login, attack)
	}
}

// TestSSOOnlyCatchesFaults: SSO-only mode still catches a broken SP, one
// fault per protocol, and one with the SP's own accounts.
func TestSSOOnlyCatchesFaults(t *testing.T) {
	accounts := []sp.User{
		{UserName: "ada@corp.example", Email: "ada@corp.example", Active: true},
		{UserName: "bob@corp.example", Email: "bob@corp.example", Active: true},
		{UserName: "ada@corp.example.evil.com", Email: "ada-evil@corp.example", Active: true},
	}
	const listed = "  users: preexisting\n  testUsers: [{nameId: ada@corp.example}, {nameId: bob@corp.example}, {nameId: ada@corp.example.evil.com}]\n"
	for _, tc := range []struct {
		fault, scenario, tags string
		sp                    spOnly
		users                 string
	}{
		{sp.AcceptsUnsigned, "SIG-01", "@SIG-01", spOnly{saml: true, jit: true}, "  users: jit\n"},
		{sp.SkipsNonce, "rp-nonce-invalid", "@rp-nonce-invalid", spOnly{oidc: true, jit: true}, "  users: jit\n"},
		{sp.ReadsFirstTextNode, "PD-01", "@PD-01", spOnly{saml: true, users: accounts}, listed},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			tc.sp.faults = []string{tc.fault}
			run := runSSOOnly(t, tc.sp, tc.users, tc.tags)
			found := false
			for _, s := range run.Scenarios {
				if strings.HasPrefix(s.Name, tc.scenario) {
					found = s.Status == reports.Failed && s.Failure != nil && s.Failure.Kind == reports.Violation
					if !found {
						t.Errorf("%s against %s: %s %s", s.Name, tc.fault, s.Status, describe(s.Failure))
					}
				}
			}
			if !found {
				t.Errorf("%s was not caught", tc.fault)
			}
		})
	}
}
