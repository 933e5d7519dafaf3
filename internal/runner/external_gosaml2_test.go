package runner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	saml2 "github.com/russellhaering/gosaml2"
	"github.com/russellhaering/gosaml2/types"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/reports"
)

// gosaml2App is a SAML SP we did not write: russellhaering/gosaml2, wired
// up as its README and s2example do (RetrieveAssertionInfo, then refuse
// on WarningInfo.InvalidTime or NotInAudience). gosaml2 leaves request
// tracking to the application; strict adds what a careful application
// does with it: signed AuthnRequests (HTTP-Redirect binding), and only
// responses whose signed SubjectConfirmationData answers an AuthnRequest
// this browser has outstanding, each request answered once.
type gosaml2App struct {
	base, idpMetadataURL string
	strict               bool

	once sync.Once
	sp   *saml2.SAMLServiceProvider
	err  error

	mu       sync.Mutex
	requests map[string]bool // outstanding AuthnRequest IDs (strict)
	sessions *cookieSessions
}

const (
	gosaml2RequestCookie = "saml_request"
	gosaml2SessionCookie = "saml_session"
)

func newGosaml2App(base, idpMetadataURL string, strict bool) *gosaml2App {
	return &gosaml2App{base: base, idpMetadataURL: idpMetadataURL, strict: strict,
		requests: map[string]bool{}, sessions: newCookieSessions(gosaml2SessionCookie)}
}

// serviceProvider reads the IdP's metadata as s2example does, on the first
// request (the harness's IdP starts with the run).
func (a *gosaml2App) serviceProvider(ctx context.Context) (*saml2.SAMLServiceProvider, error) {
	a.once.Do(func() { a.sp, a.err = a.build(ctx) })
	return a.sp, a.err
}

func (a *gosaml2App) build(ctx context.Context) (*saml2.SAMLServiceProvider, error) {
	raw, err := browser.Fetch(ctx, a.idpMetadataURL)
	if err != nil {
		return nil, err
	}
	var md types.EntityDescriptor
	if err := xml.Unmarshal(raw, &md); err != nil {
		return nil, fmt.Errorf("idp metadata: %w", err)
	}
	if md.IDPSSODescriptor == nil {
		return nil, fmt.Errorf("idp metadata: no IDPSSODescriptor")
	}
	certs := &dsig.MemoryX509CertificateStore{}
	for _, kd := range md.IDPSSODescriptor.KeyDescriptors {
		for _, xc := range kd.KeyInfo.X509Data.X509Certificates {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Data), ""))
			if err != nil {
				return nil, err
			}
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, err
			}
			certs.Roots = append(certs.Roots, c)
		}
	}
	ssoURL := ""
	for _, s := range md.IDPSSODescriptor.SingleSignOnServices {
		if s.Binding == saml2.BindingHttpRedirect {
			ssoURL = s.Location
		}
	}
	kp, err := samlidp.NewKeyPair("", nil, time.Now(), "gosaml2")
	if err != nil {
		return nil, err
	}
	sp := &saml2.SAMLServiceProvider{
		IdentityProviderSSOURL:      ssoURL,
		IdentityProviderSSOBinding:  saml2.BindingHttpRedirect,
		IdentityProviderIssuer:      md.EntityID,
		ServiceProviderIssuer:       a.base + "/saml/metadata",
		AssertionConsumerServiceURL: a.base + "/saml/acs",
		AudienceURI:                 a.base + "/saml/metadata",
		IDPCertificateStore:         certs,
		SignAuthnRequests:           a.strict,
		AllowMissingAttributes:      !a.strict,
		// The SPKeyStore field, as s2example sets it: with the newer
		// SetSPKeyStore, Metadata() (which reads the deprecated
		// GetSigningKey) leaves the signing key out of the SP's metadata,
		// and no IdP could verify its signed AuthnRequests.
		SPKeyStore: dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{kp.Cert.Raw}, PrivateKey: kp.Key}),
	}
	return sp, nil
}

func (a *gosaml2App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sp, err := a.serviceProvider(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch r.URL.Path {
	case "/login":
		a.login(w, r, sp)
	case "/saml/acs":
		a.acs(w, r, sp)
	case "/saml/metadata":
		md, err := sp.Metadata()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		b, _ := xml.Marshal(md)
		w.Header().Set("Content-Type", "application/samlmetadata+xml")
		_, _ = w.Write(b)
	case "/whoami":
		w.Header().Set("Content-Type", "application/json")
		if name, ok := a.sessions.get(r); ok {
			_ = json.NewEncoder(w).Encode(map[string]string{"userName": name})
			return
		}
		http.Error(w, `{"error":"no session"}`, http.StatusUnauthorized)
	case "/welcome":
		_, _ = io.WriteString(w, "welcome")
	case "/logout":
		a.sessions.end(w, r)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// login sends an AuthnRequest with the HTTP-Redirect binding (signed on
// the query string when strict) and remembers its ID for this browser.
func (a *gosaml2App) login(w http.ResponseWriter, r *http.Request, sp *saml2.SAMLServiceProvider) {
	doc, err := sp.BuildAuthRequestDocumentNoSig()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	u, err := sp.BuildAuthURLRedirect("", doc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	id := doc.Root().SelectAttrValue("ID", "")
	a.mu.Lock()
	a.requests[id] = true
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: gosaml2RequestCookie, Value: id, Path: "/saml/acs", HttpOnly: true, MaxAge: 600})
	http.Redirect(w, r, u, http.StatusFound)
}

func (a *gosaml2App) acs(w http.ResponseWriter, r *http.Request, sp *saml2.SAMLServiceProvider) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	info, err := sp.RetrieveAssertionInfo(r.PostForm.Get("SAMLResponse"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	if info.WarningInfo.InvalidTime || info.WarningInfo.NotInAudience {
		http.Error(w, "assertion not valid now or not for this SP", http.StatusForbidden)
		return
	}
	if a.strict && !a.answersOutstandingRequest(r, info) {
		http.Error(w, "response answers no request of this browser", http.StatusForbidden)
		return
	}
	a.sessions.start(w, info.NameID)
	next := "/whoami"
	if rs := r.PostForm.Get("RelayState"); strings.HasPrefix(rs, "/") && !strings.HasPrefix(rs, "//") && !strings.Contains(rs, `\`) {
		next = rs // same-origin paths only
	}
	http.Redirect(w, r, next, http.StatusFound)
}

// answersOutstandingRequest consumes this browser's outstanding request if
// the signed SubjectConfirmationData names it (SAML profiles §4.1.4.3).
func (a *gosaml2App) answersOutstandingRequest(r *http.Request, info *saml2.AssertionInfo) bool {
	c, err := r.Cookie(gosaml2RequestCookie)
	if err != nil || len(info.Assertions) == 0 {
		return false
	}
	s := info.Assertions[0].Subject
	if s == nil || s.SubjectConfirmation == nil || s.SubjectConfirmation.SubjectConfirmationData == nil ||
		s.SubjectConfirmation.SubjectConfirmationData.InResponseTo != c.Value {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.requests[c.Value] {
		return false
	}
	delete(a.requests, c.Value)
	return true
}

// TestSSOAgainstGosaml2 runs the SAML scenarios against gosaml2 in a strict
// and a permissive configuration. Each outcome below is something gosaml2
// really gets wrong, or leaves to the application, which then gets it
// wrong as the library's README and s2example show it:
//
//   - P-08 (violation): an assertion without an AudienceRestriction is
//     accepted. VerifyAssertionConditions sets WarningInfo.NotInAudience
//     only for a restriction that does not name the SP; with none it flags
//     nothing, though profiles §4.1.4.2 requires one naming the SP.
//   - PD-06 (warning: the attacker logged in as themselves): a response
//     with a DOCTYPE is accepted. parseResponse reads it with etree, which
//     skips the DTD (the external entity is never fetched) but nothing in
//     gosaml2 refuses it, as the catalogue asks.
//   - 90 seconds of IdP clock skew (warning): the login is refused, since
//     VerifyAssertionConditions compares NotBefore with now with no
//     allowance and gosaml2 has no setting for one.
//   - L-01 (warning): an assertion whose SessionNotOnOrAfter has passed
//     opens a session: gosaml2 returns AssertionInfo.SessionNotOnOrAfter
//     but never checks it, and its example ignores it.
//   - P-04, P-16 and P-16-SP (violations, permissive only): an InResponseTo
//     naming no request is accepted, and an accepted response (unsolicited
//     or SP-initiated) is accepted again from another browser. gosaml2
//     never compares InResponseTo with anything and keeps no record of
//     request or assertion IDs (OneTimeUse is only a warning flag); strict
//     refuses all three because its application binds each AuthnRequest ID
//     to the browser and consumes it once.
//
// @waits is left out: its real-time wait (3 minutes a run) shows only
// what the L-01 scenario at login shows.
func TestSSOAgainstGosaml2(t *testing.T) {
	const skew = "A login from an IdP whose clock runs 90 seconds ahead of the target's is accepted"
	for _, c := range []struct {
		name   string
		strict bool
		want   map[string]reports.Status
	}{
		{"strict", true, map[string]reports.Status{
			"P-08": reports.Failed, "PD-06": reports.Warned, skew: reports.Warned, "L-01": reports.Warned}},
		{"permissive", false, map[string]reports.Status{
			"P-04": reports.Failed, "P-08": reports.Failed, "P-16": reports.Failed, "P-16-SP": reports.Failed,
			"PD-06": reports.Warned, skew: reports.Warned, "L-01": reports.Warned}},
	} {
		t.Run(c.name, func(t *testing.T) {
			prof := startGosaml2(t, c.strict)
			expectOutcomes(t, runExternal(t, prof, "@saml && ~@waits", 25), c.want)
		})
	}
}

// startGosaml2 serves one gosaml2 app on loopback and returns the profile
// a vendor would write for it.
func startGosaml2(t *testing.T, strict bool) profile.Profile {
	t.Helper()
	idpAddr := freeLoopbackAddr(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := newGosaml2App("http://"+l.Addr().String(), "http://"+idpAddr+samlidp.MetadataPath, strict)
	hs := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() { _ = hs.Close() })
	// The app publishes an encryption key: strict takes encrypted
	// assertions (encrypt: auto), permissive plaintext ones.
	encrypt := "auto"
	if !strict {
		encrypt = "false"
	}
	prof, err := profile.Complete(profile.Profile{
		Name: "gosaml2",
		SSO: &profile.SSO{
			Users: profile.UsersJIT, // the app logs in whoever the IdP vouches for
			SAML: &profile.SAML{
				SPMetadataURL: app.base + "/saml/metadata", LoginURL: app.base + "/login",
				IdPInitiated: !strict, IdP: profile.IdPEndpoint{Listen: idpAddr}, Encrypt: encrypt,
			},
			Session:     profile.Session{URL: app.base + "/whoami"},
			LogoutURL:   app.base + "/logout",
			LandingPath: "/welcome",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return prof
}

// runExternal runs the scenarios tags selects against prof and checks at
// least atLeast of them passed, so a run that skips everything cannot pass.
func runExternal(t *testing.T, prof profile.Profile, tags string, atLeast int) reports.Run {
	t.Helper()
	run, err := Run(context.Background(), withEnv(t, Config{
		Profile: prof, Tags: tags, Concurrency: 2, OutDir: t.TempDir(), Output: io.Discard, Version: "test",
	}))
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, s := range run.Scenarios {
		if s.Status == reports.Passed {
			passed++
		}
	}
	if passed < atLeast {
		t.Errorf("only %d of %d scenarios passed, want at least %d", passed, len(run.Scenarios), atLeast)
	}
	return run
}

// expectOutcomes checks every scenario passed or was skipped, except
// exactly those in want (by the ID before the name's colon, or the whole
// name), which must end as want says: a finding, a warning, or "could not
// check" named in advance, never a surprise.
func expectOutcomes(t *testing.T, run reports.Run, want map[string]reports.Status) {
	t.Helper()
	got := map[string]reports.Status{}
	for _, s := range run.Scenarios {
		t.Logf("%s: %s", s.Status, s.Name)
		if s.Status == reports.Passed || s.Status == reports.Skipped {
			continue
		}
		id, _, ok := strings.Cut(s.Name, ":")
		if !ok {
			id = s.Name
		}
		got[id] = s.Status
		if want[id] != s.Status {
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if got[id] != want[id] {
			t.Errorf("%s: want %s, got %q", id, want[id], got[id])
		}
	}
}
