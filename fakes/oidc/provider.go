// Package oidc is an OpenID Provider for tests: discovery, JWKS, authorize
// (authorization-code flow, PKCE S256 required), token and userinfo. Every
// ID token is built with go-jose/v4, and a Breakage (see Breakages) armed
// with Arm breaks the next login's token and userinfo on purpose. Each
// Session has its own user and breakage.
package oidc

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/internal/keycache"
)

// Paths served by the provider, relative to Options.Issuer.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	JWKSPath      = "/jwks"
	AuthorizePath = "/authorize"
	TokenPath     = "/token"
	UserinfoPath  = "/userinfo"
)

// Client is a registered relying party.
type Client struct {
	ID           string
	Secret       string
	RedirectURIs []string
}

// User is the person logged in at the provider.
type User struct {
	Subject    string // sub; stable, never reassigned
	UserName   string // preferred_username
	Email      string
	GivenName  string
	FamilyName string
	Groups     []string
}

// Options configures a Provider.
type Options struct {
	Issuer  string // e.g. "http://127.0.0.1:4003"; also the base URL
	Clients []Client
	// Clock and Rand make runs reproducible; defaults are the real ones.
	Clock func() time.Time
	Rand  io.Reader
	// TokenTTL is the ID and access token lifetime (default 5 minutes).
	TokenTTL time.Duration
	// Victim is whom a breakage impersonates (default victim@example.com).
	Victim string
	// Session names the session a browser request belongs to (see
	// Session); nil or "" is the default session.
	Session func(*http.Request) string
}

// Provider is the OpenID Provider. It is safe for concurrent use.
type Provider struct {
	opts Options
	key  *rsa.PrivateKey
	kid  string
	mux  *http.ServeMux

	mu       sync.Mutex
	sessions map[string]*session
	codes    map[string]*grant // authorization code -> grant
	tokens   map[string]*grant // access token -> grant
}

// grant is one authorization, from /authorize to /userinfo.
type grant struct {
	client    Client
	redirect  string
	challenge string
	nonce     string
	user      User
	breakage  *Breakage
	victim    string // whom the breakage impersonates
	expires   time.Time
}

// New generates a signing key and returns a provider.
func New(opts Options) (*Provider, error) {
	if opts.Issuer == "" {
		return nil, fmt.Errorf("oidc: new: Issuer is required")
	}
	opts.Issuer = strings.TrimSuffix(opts.Issuer, "/")
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return time.Now().UTC() }
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = 5 * time.Minute
	}
	if opts.Victim == "" {
		opts.Victim = "victim@example.com"
	}
	key, err := keycache.RSA("oidc", opts.Rand) // kept between runs: finding one is most of a start-up
	if err != nil {
		return nil, fmt.Errorf("oidc: new: generate key: %w", err)
	}
	p := &Provider{opts: opts, key: key, sessions: map[string]*session{}, codes: map[string]*grant{}, tokens: map[string]*grant{}}
	if p.kid, err = p.random(8); err != nil {
		return nil, err
	}
	p.mux = http.NewServeMux()
	p.mux.HandleFunc("GET "+DiscoveryPath, p.serveDiscovery)
	p.mux.HandleFunc("GET "+JWKSPath, p.serveJWKS)
	p.mux.HandleFunc("GET "+AuthorizePath, p.serveAuthorize)
	p.mux.HandleFunc("POST "+TokenPath, p.serveToken)
	p.mux.HandleFunc(UserinfoPath, p.serveUserinfo)
	return p, nil
}

// ServeHTTP implements http.Handler.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.mux.ServeHTTP(w, r) }

// Issuer returns the issuer identifier.
func (p *Provider) Issuer() string { return p.opts.Issuer }

// LoginAs signs the default session in as u; there is no login page.
func (p *Provider) LoginAs(u User) { p.Session("").LoginAs(u) }

// SetVictim sets whom the default session's later breakages impersonate.
func (p *Provider) SetVictim(name string) { p.Session("").SetVictim(name) }

// AddClient registers (or replaces) a relying party.
func (p *Provider) AddClient(c Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.opts.Clients {
		if p.opts.Clients[i].ID == c.ID {
			p.opts.Clients[i] = c
			return
		}
	}
	p.opts.Clients = append(p.opts.Clients, c)
}

// Arm makes the default session's next login apply b (see Session.Arm).
func (p *Provider) Arm(b Breakage) { p.Session("").Arm(b) }

// Disarm drops a breakage the default session armed but did not use.
func (p *Provider) Disarm() { p.Session("").Disarm() }

func (p *Provider) client(id string) (Client, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.opts.Clients {
		if c.ID == id {
			return c, true
		}
	}
	return Client{}, false
}

func (p *Provider) url(path string) string { return p.opts.Issuer + path }
