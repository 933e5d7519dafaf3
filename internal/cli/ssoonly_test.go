package cli

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/fakes/sp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/reports"
)

// readmeSP is the reference SP (fakes/sp) alone, at the paths the
// README's SSO-only example names. Like many real SPs it reads the IdP's
// metadata from its URL when the first request arrives: the harness's IdP
// starts with the run.
type readmeSP struct {
	base, idpMetadataURL string
	once                 sync.Once
	sp                   *sp.SP
	err                  error
}

var readmePaths = map[string]string{
	"/saml/metadata": sp.SAMLMetadataPath, "/login/saml": sp.SAMLLoginPath, "/api/me": sp.WhoAmIPath, "/logout": sp.LogoutPath,
}

func (a *readmeSP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.idpMetadataURL, nil)
		resp, err := browser.LoopbackClient().Do(req)
		if err != nil {
			a.err = err
			return
		}
		defer resp.Body.Close()
		md, err := io.ReadAll(resp.Body)
		if err != nil {
			a.err = err
			return
		}
		a.sp, a.err = sp.New(sp.Options{BaseURL: a.base, IdPMetadata: md, JIT: true})
	})
	if a.err != nil {
		http.Error(w, a.err.Error(), http.StatusBadGateway)
		return
	}
	if p, ok := readmePaths[r.URL.Path]; ok {
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

// TestREADMESSOOnlyProfileRuns runs the README's SSO-only example as
// written (its addresses moved to free ports) with `run --target` against
// the reference SP: the SAML scenarios pass, nothing fails, and everything
// that needs SCIM is skipped with the reason.
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
	l, spAddr := freeAddr(t)
	idpListener, idpAddr := freeAddr(t)
	idpListener.Close() // the run's IdP listens there
	app := &readmeSP{base: "http://" + spAddr, idpMetadataURL: "http://" + idpAddr + samlidp.MetadataPath}
	hs := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() { _ = hs.Close() })

	block = strings.NewReplacer("127.0.0.1:8080", spAddr, "127.0.0.1:7001", idpAddr).Replace(block)
	prof := filepath.Join(t.TempDir(), "sso-only.yaml")
	if err := os.WriteFile(prof, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, text := runCLI(t, "run", "--target", prof, "--out", out)
	if code != ExitPassed || !strings.Contains(text, "testing an SSO-only target (the profile has no scim section)") || !strings.Contains(text, " 0 violations, 0 warnings, 0 could not check, ") {
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
	if passed < 30 || noSCIM < 200 {
		t.Errorf("%d passed, %d skipped for want of SCIM", passed, noSCIM)
	}
}
