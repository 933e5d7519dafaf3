// Package samlidp is a SAML 2.0 identity provider for tests, built on
// github.com/crewjam/saml. Every response goes through a step-by-step
// pipeline (see Draft) with tamper points before signing, after the assertion
// is signed, and after the response is signed, so a scenario can send any of
// the attacks in the SSO catalogue (see Attacks).
package samlidp

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Paths served by Handler, relative to Options.BaseURL.
const (
	MetadataPath     = "/saml/metadata"
	SSOPath          = "/saml/sso"
	IdPInitiatedPath = "/saml/idp-initiated"
)

// Options configures an IdP.
type Options struct {
	// BaseURL is where the IdP is served, e.g. "http://127.0.0.1:4001".
	// The entityID is BaseURL+MetadataPath.
	BaseURL string
	Profile Profile // zero value: Okta
	// Clock and Rand make runs reproducible; defaults are the real ones.
	Clock func() time.Time
	Rand  io.Reader
	// ValidFor is how long an assertion is valid (default 5 minutes).
	ValidFor time.Duration
	// Victim is the identity an attack tries to log in as (default
	// "victim@example.com").
	Victim string
	// CanaryURL is a loopback URL the harness watches: PD-06 points its
	// external entity at it (with ?session=<id> for a named session), and
	// a safe SP never fetches it.
	CanaryURL string
	// Session names the session a browser request belongs to (see
	// Session); nil or "" is the default session.
	Session func(*http.Request) string
}

// IdP is a SAML identity provider. It is safe for concurrent use; attacks are
// armed for the next response of one session only.
type IdP struct {
	opts     Options
	keys     KeyPair
	attacker KeyPair // an untrusted key for re-signing attacks
	base     *url.URL
	mux      *http.ServeMux

	mu       sync.Mutex
	sps      map[string]*trustedSP
	sessions map[string]*session
}

// New generates a fresh signing key and certificate (and an attacker key)
// and returns an IdP that serves at opts.BaseURL.
func New(opts Options) (*IdP, error) {
	if opts.BaseURL == "" {
		return nil, fmt.Errorf("samlidp: new: BaseURL is required")
	}
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("samlidp: new: parse BaseURL: %w", err)
	}
	if opts.Profile.Name == "" {
		opts.Profile = Okta
	}
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return time.Now().UTC() }
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.ValidFor == 0 {
		opts.ValidFor = 5 * time.Minute
	}
	if opts.Victim == "" {
		opts.Victim = "victim@example.com"
	}
	idp := &IdP{opts: opts, base: base, sps: map[string]*trustedSP{}, sessions: map[string]*session{}, mux: http.NewServeMux()}
	idp.mux.HandleFunc("GET "+MetadataPath, idp.serveMetadata)
	idp.mux.HandleFunc(SSOPath, idp.serveSSO)
	idp.mux.HandleFunc("GET "+IdPInitiatedPath, idp.serveIdPInitiated)
	// Two RSA keys, kept between runs (keycache); on a machine's first run
	// they are most of its start-up, so with the system's random source
	// (safe to share) they are made side by side.
	var attackerErr error
	done := make(chan struct{})
	attacker := func() {
		defer close(done)
		idp.attacker, attackerErr = NewKeyPair("samlidp-attacker", opts.Rand, opts.Clock(), base.Host+" idp")
	}
	if opts.Rand == rand.Reader {
		go attacker()
	} else {
		attacker() // a seeded source: the same keys in the same order
	}
	idp.keys, err = NewKeyPair("samlidp", opts.Rand, opts.Clock(), base.Host+" idp")
	<-done
	if err = errors.Join(err, attackerErr); err != nil {
		return nil, err
	}
	return idp, nil
}

// EntityID is the IdP's entityID (its metadata URL).
func (idp *IdP) EntityID() string { return idp.url(MetadataPath) }

// SSOURL is the IdP's single sign-on endpoint.
func (idp *IdP) SSOURL() string { return idp.url(SSOPath) }

// KeyPair returns the IdP's trusted signing key and certificate.
func (idp *IdP) KeyPair() KeyPair { return idp.keys }

// Profile returns the profile the default session imitates.
func (idp *IdP) Profile() Profile { return idp.Session("").Profile() }

// SetProfile switches the default session's profile for later responses.
func (idp *IdP) SetProfile(p Profile) { idp.Session("").SetProfile(p) }

// LoginAs signs the default session in as u; there is no login page.
func (idp *IdP) LoginAs(u User) { idp.Session("").LoginAs(u) }

// SetVictim sets whom the default session's later attacks impersonate.
func (idp *IdP) SetVictim(name string) { idp.Session("").SetVictim(name) }

// Arm makes the default session's next response go through t (an Attack,
// usually). Passing nil disarms.
func (idp *IdP) Arm(t Tamper) { idp.Session("").Arm(t) }

// Last returns the default session's last response (nil before the
// first), so a scenario can replay it.
func (idp *IdP) Last() *Draft { return idp.Session("").Last() }

// ServeHTTP serves the metadata, SSO and IdP-initiated endpoints.
func (idp *IdP) ServeHTTP(w http.ResponseWriter, r *http.Request) { idp.mux.ServeHTTP(w, r) }

func (idp *IdP) url(path string) string { return idp.base.String() + path }

// sessionOf is the session a browser request belongs to.
func (idp *IdP) sessionOf(r *http.Request) Session {
	if idp.opts.Session == nil {
		return idp.Session("")
	}
	return idp.Session(idp.opts.Session(r))
}

var errNoUser = errors.New("samlidp: sso: no user logged in (call LoginAs)")
