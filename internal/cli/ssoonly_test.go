package cli

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/reports"
)

// profileSP is the reference SP (internal/reference/sp) alone, also at the SAML paths
// the README's SSO-only profile names (an OIDC redirect URI is the SP's own). Like many real SPs it
// reads the IdP's metadata (or the OP's discovery) when the first request
// arrives: the harness's IdPs start with the run.
type profileSP struct {
	base, idpMetadataURL, issuer string
	idpInitiated                 bool // as the profile claims
	users                        []sp.User
	once                         sync.Once
	sp                           *sp.SP
	err                          error
}

var profilePaths = map[string]string{
	"/saml/metadata": sp.SAMLMetadataPath, "/login/saml": sp.SAMLLoginPath, "/api/me": sp.WhoAmIPath, "/logout": sp.LogoutPath,
	"/dashboard": sp.WelcomePath,
}

func (a *profileSP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.once.Do(func() {
		opts := sp.Options{BaseURL: a.base, JIT: len(a.users) == 0, AllowIdPInitiated: a.idpInitiated, Directory: &sp.MemoryDirectory{}}
		for _, u := range a.users {
			opts.Directory.(*sp.MemoryDirectory).Put(u)
		}
		if a.issuer != "" {
			opts.OIDC = sp.OIDCOptions{Issuer: a.issuer, ClientID: "my-saas", ClientSecret: "fixture-secret"}
		}
		if a.idpMetadataURL != "" {
			opts.IdPMetadata, a.err = browser.Fetch(context.Background(), a.idpMetadataURL)
		}
		if a.err == nil {
			a.sp, a.err = sp.New(opts)
		}
	})
	if a.err != nil {
		http.Error(w, a.err.Error(), http.StatusBadGateway)
		return
	}
	if p, ok := profilePaths[r.URL.Path]; ok {
		r.URL.Path = p
	}
	a.sp.ServeHTTP(w, r)
}

func freeAddr(t *testing.T) (net.Listener, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l, l.Addr().String()
}

// runSSOOnlyProfile runs an SSO-only profile as written (its loopback
// addresses moved to free ports) with `run --target` against the reference
// SP: nothing fails, at least minPassed scenarios pass, and everything that
// needs SCIM is skipped with the reason.
func runSSOOnlyProfile(t *testing.T, doc string, users []sp.User, minPassed int) {
	t.Helper()
	l, spAddr := freeAddr(t)
	idp, idpAddr := freeAddr(t)
	op, opAddr := freeAddr(t)
	idp.Close() // the run's IdPs listen there
	op.Close()
	app := &profileSP{base: "http://" + spAddr, users: users, idpInitiated: strings.Contains(doc, "idpInitiated: true")}
	if strings.Contains(doc, "saml:") {
		app.idpMetadataURL = "http://" + idpAddr + samlidp.MetadataPath
	}
	if strings.Contains(doc, "oidc:") {
		app.issuer = "http://" + opAddr
	}
	hs := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() { _ = hs.Close() })

	doc = strings.NewReplacer("127.0.0.1:8080", spAddr, "127.0.0.1:7001", idpAddr, "127.0.0.1:7002", opAddr).Replace(doc)
	prof := filepath.Join(t.TempDir(), "sso-only.yaml")
	if err := os.WriteFile(prof, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OIDC_CLIENT_SECRET", "fixture-secret")
	out := t.TempDir()
	code, text := runCLI(t, "run", "--target", prof, "--out", out)
	if code != ExitPassed || !strings.Contains(text, "SSO only (the profile has no scim section)") ||
		!strings.Contains(text, " 0 violations, 0 warnings, 0 could not check, ") || strings.Contains(text, "fixture-secret") {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var run reports.Run
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	passed, noSCIM := 0, 0
	for _, s := range run.Scenarios {
		last := s.Steps[len(s.Steps)-1].Text
		switch {
		case s.Status == reports.Passed:
			passed++
		case strings.Contains(last, "the profile has no scim: section"):
			noSCIM++
		}
	}
	if passed < minPassed || noSCIM < 200 {
		t.Errorf("%d passed, %d skipped for want of SCIM", passed, noSCIM)
	}
}

// TestREADMESSOOnlyProfileRuns: the README's five lines, as written.
func TestREADMESSOOnlyProfileRuns(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "\n### An SSO-only target\n")
	_, block, ok := strings.Cut(section, "```yaml\n")
	block, _, closed := strings.Cut(block, "\n```")
	if !ok || !closed {
		t.Fatal("README.md has no SSO-only example")
	}
	runSSOOnlyProfile(t, "name: My SaaS (SSO only)\n"+block, nil, 30)
}

// TestSSOOnlyFixturesRun: fixtures/targets/sso-only.yaml (SAML, users
// created at login) and oidc-only.yaml (OIDC, the SP's own accounts).
func TestSSOOnlyFixturesRun(t *testing.T) {
	for _, tc := range []struct {
		file      string
		users     []sp.User
		minPassed int
	}{
		{"sso-only.yaml", nil, 34},
		{"oidc-only.yaml", []sp.User{{UserName: "ada@corp.example", Email: "ada@corp.example", Active: true},
			{UserName: "bob@corp.example", Email: "bob@corp.example", Active: true}}, 11},
	} {
		t.Run(tc.file, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join("../../fixtures/targets", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			runSSOOnlyProfile(t, string(doc), tc.users, tc.minPassed)
		})
	}
}
