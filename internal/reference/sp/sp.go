// Package sp is the SSO half of the reference target: a SAML service
// provider and an OpenID Connect relying party that are correct by default,
// with one fault per check (see Faults) so the suite can prove it catches
// each broken check.
package sp

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/idpconform/idpconform/internal/browser"
)

// Paths served by Handler, relative to Options.BaseURL.
const (
	SAMLMetadataPath = "/sso/saml/metadata"
	SAMLLoginPath    = "/sso/saml/login"
	SAMLACSPath      = "/sso/saml/acs"
	OIDCLoginPath    = "/sso/oidc/login"
	OIDCCallbackPath = "/sso/oidc/callback"
	WhoAmIPath       = "/sso/whoami"
	WelcomePath      = "/sso/welcome" // a page a RelayState may name
	LogoutPath       = "/sso/logout"
	// TestClockPath moves the SP's clock (Options.TestClock): POST
	// advance=<duration> moves it forward, reset=1 puts it back.
	TestClockPath = "/sso/test/clock"
)

// OIDCOptions configures the relying party.
type OIDCOptions struct {
	Issuer       string // the OP's issuer; discovery is at Issuer+"/.well-known/openid-configuration"
	ClientID     string
	ClientSecret string
}

// SAMLPolicy is how strict the SAML SP is about signatures and encryption.
// The zero value signs nothing and takes a signature on the response or
// on the assertion; its metadata says what it does.
type SAMLPolicy struct {
	// SignAuthnRequests signs AuthnRequests (HTTP-Redirect binding, SAML
	// bindings §3.4.4.1) and says AuthnRequestsSigned="true".
	SignAuthnRequests bool
	// RequireSignedAssertions refuses an assertion without a signature of
	// its own and says WantAssertionsSigned="true".
	RequireSignedAssertions bool
	// RequireEncryptedAssertions publishes a KeyDescriptor use="encryption"
	// and refuses plaintext assertions.
	RequireEncryptedAssertions bool
}

// Strict is the SAML policy of an SP that signs its AuthnRequests and
// requires signed assertions.
var Strict = SAMLPolicy{SignAuthnRequests: true, RequireSignedAssertions: true}

// Options configures an SP.
type Options struct {
	// BaseURL is where the SP is served, e.g. "http://127.0.0.1:4002".
	BaseURL string
	// EntityID defaults to BaseURL+SAMLMetadataPath.
	EntityID string
	// Faults are names from Faults(); none means every check is on.
	Faults []string
	// IdPMetadata is the SAML IdP's metadata XML; nil disables SAML.
	IdPMetadata []byte
	// SAML is the SAML SP's policy on signatures and encryption.
	SAML SAMLPolicy
	// OIDC configures the relying party; a zero Issuer disables OIDC.
	OIDC OIDCOptions
	// JIT creates unknown users at login and updates known ones.
	JIT bool
	// AllowIdPInitiated accepts unsolicited SAML responses (no InResponseTo).
	AllowIdPInitiated bool
	// Directory holds the users; default: a fresh MemoryDirectory.
	Directory Directory
	// Clock and Rand make runs reproducible; defaults are the real ones.
	Clock func() time.Time
	Rand  io.Reader
	// Skew is the clock skew allowed on SAML time conditions (default 3
	// minutes, as crewjam/saml's MaxClockSkew and Shibboleth's clockSkew).
	Skew time.Duration
	// IDTokenLeeway is the leeway allowed on ID token exp and iat (default
	// 60s; OIDC Core §2 allows "some small leeway").
	IDTokenLeeway time.Duration
	// TestClock serves TestClockPath, so a harness can let time pass (a
	// SessionNotOnOrAfter) without waiting. For test targets only.
	TestClock bool
	// HTTPClient makes the back-channel calls (OIDC discovery, JWKS, token,
	// userinfo); default: a client that dials loopback only.
	HTTPClient *http.Client
}

// SP is the service provider / relying party. It is an http.Handler.
type SP struct {
	opts   Options
	faults faultSet
	mux    *http.ServeMux
	idp    *idpTrust // nil when SAML is off
	keys   spKeys    // the SP's own keys, where its policy needs them

	sessions *store[string] // session token -> userName
	pending  *store[string] // AuthnRequest ID -> RelayState
	replay   *store[bool]   // assertion ID seen
	oidc     *rp            // nil when OIDC is off
	ahead    atomic.Int64   // how far TestClockPath moved the clock, in ns
}

// New returns an SP serving at opts.BaseURL.
func New(opts Options) (*SP, error) {
	if opts.BaseURL == "" {
		return nil, fmt.Errorf("sp: new: BaseURL is required")
	}
	opts.BaseURL = strings.TrimSuffix(opts.BaseURL, "/")
	if opts.EntityID == "" {
		opts.EntityID = opts.BaseURL + SAMLMetadataPath
	}
	if opts.Directory == nil {
		opts.Directory = &MemoryDirectory{}
	}
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return time.Now().UTC() }
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Skew == 0 {
		opts.Skew = 3 * time.Minute
	}
	if opts.IDTokenLeeway == 0 {
		opts.IDTokenLeeway = 60 * time.Second
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = browser.LoopbackClient()
	}
	fs, err := newFaultSet(opts.Faults)
	if err != nil {
		return nil, err
	}
	s := &SP{opts: opts, faults: fs, mux: http.NewServeMux()}
	s.sessions, s.pending, s.replay = newStore[string](s.now), newStore[string](s.now), newStore[bool](s.now)
	if opts.IdPMetadata != nil {
		if s.idp, err = parseIdPMetadata(opts.IdPMetadata); err != nil {
			return nil, err
		}
		if s.keys, err = newSPKeys(opts); err != nil {
			return nil, err
		}
		s.mux.HandleFunc("GET "+SAMLMetadataPath, s.serveMetadata)
		s.mux.HandleFunc("GET "+SAMLLoginPath, s.serveSAMLLogin)
		s.mux.HandleFunc("POST "+SAMLACSPath, s.serveACS)
	}
	if opts.OIDC.Issuer != "" {
		s.oidc = newRP(s)
		s.mux.HandleFunc("GET "+OIDCLoginPath, s.serveOIDCLogin)
		s.mux.HandleFunc("GET "+OIDCCallbackPath, s.serveOIDCCallback)
	}
	s.mux.HandleFunc("GET "+WhoAmIPath, s.serveWhoAmI)
	s.mux.HandleFunc("GET "+WelcomePath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html><title>Welcome</title><p>Welcome.</p>\n"))
	})
	s.mux.HandleFunc(LogoutPath, s.serveLogout)
	if opts.TestClock {
		s.mux.HandleFunc("POST "+TestClockPath, s.serveTestClock)
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *SP) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// EntityID is the SP's SAML entityID.
func (s *SP) EntityID() string { return s.opts.EntityID }

// ACSURL is the SP's assertion consumer service URL.
func (s *SP) ACSURL() string { return s.opts.BaseURL + SAMLACSPath }

// Directory returns the user store.
func (s *SP) Directory() Directory { return s.opts.Directory }

func (s *SP) has(fault string) bool { return s.faults[fault] }

// now is the SP's clock: Options.Clock, moved by TestClockPath.
func (s *SP) now() time.Time {
	return s.opts.Clock().UTC().Add(time.Duration(s.ahead.Load()))
}

// samlSkew is the clock skew allowed on SAML time conditions.
func (s *SP) samlSkew() time.Duration {
	switch {
	case s.has(WideClockSkew):
		return 10 * time.Minute
	case s.has(NoClockSkew):
		return 0
	}
	return s.opts.Skew
}

// maxTestClockAdvance bounds one move of the test clock.
const maxTestClockAdvance = 24 * time.Hour

// serveTestClock moves the clock forward (advance=<duration>, at most a
// day) or back to the real time (reset=1), and answers how far ahead it is.
func (s *SP) serveTestClock(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "sp: test clock: bad form", http.StatusBadRequest)
		return
	}
	switch {
	case r.PostForm.Get("reset") != "":
		s.ahead.Store(0)
	case r.PostForm.Get("advance") != "":
		d, err := time.ParseDuration(r.PostForm.Get("advance"))
		if err != nil || d < 0 || d > maxTestClockAdvance {
			http.Error(w, "sp: test clock: advance must be a duration between 0 and 24h", http.StatusBadRequest)
			return
		}
		s.ahead.Add(int64(d))
	default:
		http.Error(w, "sp: test clock: give advance=<duration> or reset=1", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintf(w, "ahead %s\n", time.Duration(s.ahead.Load()))
}

// deny ends a login attempt without a session. The body names the check
// for humans; scenarios judge by side effects, not by this text.
func (s *SP) deny(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusForbidden)
}
