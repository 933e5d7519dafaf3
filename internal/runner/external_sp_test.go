package runner

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml/samlsp"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// samlspApp is a SAML SP we did not write: crewjam/saml's samlsp
// middleware in front of a page, with a session probe and a logout. Like
// many real SPs it reads the IdP's metadata from a URL, here when the
// first request arrives (the harness's IdP starts with the run).
type samlspApp struct {
	base, idpMetadataURL string
	once                 sync.Once
	mw                   *samlsp.Middleware
	err                  error
}

func (a *samlspApp) middleware(ctx context.Context) (*samlsp.Middleware, error) {
	a.once.Do(func() {
		u, _ := url.Parse(a.idpMetadataURL)
		md, err := samlsp.FetchMetadata(ctx, browser.LoopbackClient(), *u)
		if err != nil {
			a.err = err
			return
		}
		kp, err := samlidp.NewKeyPair("", nil, time.Now(), "samlsp")
		if err != nil {
			a.err = err
			return
		}
		root, _ := url.Parse(a.base)
		a.mw, a.err = samlsp.New(samlsp.Options{URL: *root, Key: kp.Key, Certificate: kp.Cert, IDPMetadata: md})
	})
	return a.mw, a.err
}

func (a *samlspApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mw, err := a.middleware(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch r.URL.Path {
	case "/whoami":
		s, err := mw.Session.GetSession(r)
		claims, ok := s.(samlsp.JWTSessionClaims)
		if err != nil || !ok {
			http.Error(w, `{"error":"no session"}`, http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"sub": claims.Subject})
	case "/logout":
		_ = mw.Session.DeleteSession(w, r)
		w.WriteHeader(http.StatusNoContent)
	case "/saml/metadata":
		b, _ := xml.Marshal(mw.ServiceProvider.Metadata())
		w.Header().Set("Content-Type", "application/samlmetadata+xml")
		_, _ = w.Write(b)
	case "/app":
		mw.RequireAccount(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "the app")
		})).ServeHTTP(w, r)
	default:
		mw.ServeHTTP(w, r)
	}
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	// Below Linux's ephemeral range (32768–60999): a port the kernel hands
	// out for 127.0.0.1:0 is soon someone's outgoing connection or
	// listener again, before the IdP binds it.
	for range 50 {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(20000+rand.IntN(12000)))
		if l, err := net.Listen("tcp", addr); err == nil {
			_ = l.Close()
			return addr
		}
	}
	t.Fatal("no free loopback port between 20000 and 32000")
	return ""
}

// TestSSOAgainstAnSPWeDidNotWrite runs the SAML scenarios against crewjam's
// samlsp: the SCIM half is the reference target without SSO, the SSO half
// is samlsp, described by a profile as a vendor would. Good logins must
// pass for every IdP shape, and every scenario must end in a verdict (pass,
// warning or a target violation), never a harness error, which shows the driver
// needs none of the reference target's shortcuts.
func TestSSOAgainstAnSPWeDidNotWrite(t *testing.T) {
	log.SetOutput(io.Discard) // samlsp logs every refused response through the log package
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	_, scimTarget := listenTarget(t, target.Options{Token: "ext-token"})

	idpAddr := freeLoopbackAddr(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := &samlspApp{base: "http://" + l.Addr().String(), idpMetadataURL: "http://" + idpAddr + samlidp.MetadataPath}
	hs := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() { _ = hs.Close() })

	prof, err := profile.Complete(profile.Profile{
		Name: "crewjam samlsp",
		SCIM: profile.SCIM{URL: scimTarget.URL(), Auth: profile.Auth{Token: "ext-token"}},
		SSO: &profile.SSO{
			SAML: &profile.SAML{
				SPMetadataURL: app.base + "/saml/metadata", LoginURL: app.base + "/app",
				IdP: profile.IdPEndpoint{Listen: idpAddr},
			},
			Session:   profile.Session{URL: app.base + "/whoami", UserNameField: "sub"},
			LogoutURL: app.base + "/logout",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// samlsp does not read SCIM: scenarios about SCIM-deactivated users and
	// JIT do not apply to it. It has no clock hook, so @waits would wait in
	// real time for minutes (it ignores SessionNotOnOrAfter: a warning).
	run, err := Run(context.Background(), withEnv(t, Config{
		Profile: prof, Tags: "@saml && ~@jit && ~@J-08 && ~@waits", Concurrency: 2, OutDir: t.TempDir(), Output: io.Discard, Version: "test",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Scenarios) < 30 {
		t.Fatalf("only %d scenarios ran", len(run.Scenarios))
	}
	failed, warned := map[string]bool{}, map[string]bool{}
	for _, s := range run.Scenarios {
		switch {
		case s.Status == reports.Errored:
			t.Errorf("%s %q: harness error: %s", s.ID, s.Name, describe(s.Failure))
		case strings.Contains(s.ID, "saml-login.feature") && s.Status != reports.Passed && !strings.Contains(s.Name, "IdP-initiated") &&
			!strings.Contains(s.Name, "RelayState"):
			t.Errorf("%s %q: a good login failed: %s", s.ID, s.Name, describe(s.Failure))
		case s.Status == reports.Failed:
			failed[s.Name] = true
		case s.Status == reports.Warned:
			warned[s.Name] = true
		}
	}
	// What crewjam/saml v0.6.3's samlsp lets through, as the catalogue
	// (shared/sso-negative.md) judges it: from a response with an XSW7
	// Extensions copy, or with a DOCTYPE it does not fetch, it logs the
	// attacker in as themselves from the signed assertion. It never logs
	// in the victim, so both are warnings (the response should be refused),
	// as in every wrapping scenario alike; no scenario is a violation.
	// v0.5.1 instead accepted a missing AudienceRestriction (P-08).
	if len(failed) > 0 {
		t.Errorf("violations against samlsp: %v; want none", slices.Sorted(maps.Keys(failed)))
	}
	for _, id := range []string{"XSW7", "PD-06"} {
		if !slices.ContainsFunc(slices.Collect(maps.Keys(warned)), func(n string) bool { return strings.HasPrefix(n, id+":") }) {
			t.Errorf("%s was not a warning against samlsp; warnings: %v", id, slices.Sorted(maps.Keys(warned)))
		}
	}
	if len(warned) != 2 {
		t.Errorf("warnings against samlsp: %v; want XSW7 and PD-06 only", slices.Sorted(maps.Keys(warned)))
	}
}
