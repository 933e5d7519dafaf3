package sp_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

const (
	attacker = "mallory@example.com"
	victim   = "victim@example.com"
)

// serve starts h (built from its own base URL) on a loopback port.
func serve(t *testing.T, build func(base string) http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: build(base), ReadHeaderTimeout: 5 * time.Second}}
	srv.Start()
	t.Cleanup(srv.Close)
	return base
}

// samlEnv is an IdP and an SP that trust each other, a canary URL, and a
// directory where the victim already exists.
type samlEnv struct {
	idp     *samlidp.IdP
	sp      *sp.SP
	dir     *sp.MemoryDirectory
	spURL   string
	canary  atomic.Int32
	browser *browser.Browser
}

func newSAMLEnv(t *testing.T, profile samlidp.Profile, edit func(*sp.Options)) *samlEnv {
	t.Helper()
	e := &samlEnv{dir: &sp.MemoryDirectory{}, browser: browser.New()}
	canaryURL := serve(t, func(string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { e.canary.Add(1) })
	})
	serve(t, func(base string) http.Handler {
		var err error
		e.idp, err = samlidp.New(samlidp.Options{BaseURL: base, Profile: profile, Victim: victim, CanaryURL: canaryURL + "/xxe"})
		if err != nil {
			t.Fatal(err)
		}
		return e.idp
	})
	md, err := e.idp.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	e.spURL = serve(t, func(base string) http.Handler {
		opts := sp.Options{BaseURL: base, IdPMetadata: md, JIT: true, Directory: e.dir}
		if edit != nil {
			edit(&opts)
		}
		if e.sp, err = sp.New(opts); err != nil {
			t.Fatal(err)
		}
		return e.sp
	})
	spMD, err := e.sp.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AddServiceProvider(spMD); err != nil {
		t.Fatal(err)
	}
	e.dir.Put(sp.User{UserName: victim, Email: victim, GivenName: "Vic", Active: true})
	e.idp.LoginAs(samlidp.User{UserName: attacker, Email: attacker, GivenName: "Mal", Groups: []string{"staff"}})
	return e
}

// login drives an SP-initiated (or IdP-initiated) login in e's browser.
func (e *samlEnv) login(t *testing.T, idpInitiated bool) (*browser.Page, error) {
	t.Helper()
	start := e.spURL + sp.SAMLLoginPath
	if idpInitiated {
		start = e.idp.EntityID()[:len(e.idp.EntityID())-len(samlidp.MetadataPath)] +
			samlidp.IdPInitiatedPath + "?sp=" + url.QueryEscape(e.sp.EntityID())
	}
	return e.browser.Get(context.Background(), start)
}

// whoami asks the SP who e's browser is logged in as ("" for nobody).
func whoami(t *testing.T, b *browser.Browser, spURL string) string {
	t.Helper()
	page, err := b.Get(context.Background(), spURL+sp.WhoAmIPath)
	if err != nil {
		t.Fatal(err)
	}
	if page.Status == http.StatusUnauthorized {
		return ""
	}
	var w sp.WhoAmI
	if err := json.Unmarshal(page.Body, &w); err != nil {
		t.Fatalf("whoami: %v (%s)", err, page.Body)
	}
	return w.UserName
}

// userNames lists the directory, for "nothing created or changed" checks.
func snapshot(d *sp.MemoryDirectory) string {
	b, _ := json.Marshal(d.Users())
	return string(b)
}
