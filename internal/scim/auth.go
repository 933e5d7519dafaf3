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

// NewHTTPClient returns the client every scenario shares, so connections
// are reused. For oauth2 it fetches and refreshes tokens itself; bearer and
// basic credentials are set per request by the Client (see Config.Auth).
func NewHTTPClient(a Auth, timeout time.Duration) *http.Client {
	base := &http.Transport{
		Proxy:               nil, // a conformance run talks to the target, never through a proxy
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     30 * time.Second,
	}
	if a.Type == "oauth2" {
		cc := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: a.TokenURL, Scopes: a.Scopes}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: base, Timeout: timeout})
		return cc.Client(ctx)
	}
	return &http.Client{Transport: base}
}

// NewAnonymousClient returns a client that sends no credentials.
func NewAnonymousClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}}
}
