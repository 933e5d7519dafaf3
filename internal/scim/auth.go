package scim

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Auth is how the harness authenticates to a target.
type Auth struct {
	Type         string // bearer, basic or oauth2
	Token        string
	Username     string
	Password     string
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
}

// Secrets lists every secret value of a so that transcripts can redact them.
func (a Auth) Secrets() []string {
	return []string{a.Token, a.Password, a.ClientSecret}
}

// NewHTTPClient returns a client that authenticates every request as a says.
// One client is shared by all scenarios so connections are reused.
func NewHTTPClient(a Auth, timeout time.Duration) *http.Client {
	base := &http.Transport{
		Proxy:               nil, // a conformance run talks to the target, never through a proxy
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     30 * time.Second,
	}
	switch a.Type {
	case "oauth2":
		cc := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: a.TokenURL, Scopes: a.Scopes}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: base, Timeout: timeout})
		return cc.Client(ctx)
	case "basic":
		return &http.Client{Transport: basicAuth{a.Username, a.Password, base}}
	default:
		return &http.Client{Transport: bearer{a.Token, base}}
	}
}

// NewAnonymousClient returns a client that sends no credentials.
func NewAnonymousClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}}
}

type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Authorization") == "" && b.token != "" {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+b.token)
	}
	return b.next.RoundTrip(r)
}

type basicAuth struct {
	user, pass string
	next       http.RoundTripper
}

func (b basicAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Authorization") == "" {
		r = r.Clone(r.Context())
		r.SetBasicAuth(b.user, b.pass)
	}
	return b.next.RoundTrip(r)
}
