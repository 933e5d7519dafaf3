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

// Secrets lists every secret value of a so that transcripts can redact them:
// basic's "user:password" too, whose base64 form a target may echo.
func (a Auth) Secrets() []string {
	s := []string{a.Token, a.Password, a.ClientSecret}
	if a.Password != "" {
		s = append(s, a.Username+":"+a.Password)
	}
	return s
}

// NewHTTPClient returns the client every scenario shares, so connections
// are reused. For oauth2 it fetches and refreshes tokens itself, and hands
// each token it is issued (access, refresh, id) to learn before using it,
// so that transcripts redact it; learn may be nil. Bearer and basic
// credentials are set per request by the Client (see Config.Auth).
func NewHTTPClient(a Auth, timeout time.Duration, learn func(secrets ...string)) *http.Client {
	base := &http.Transport{
		Proxy:               nil, // a conformance run talks to the target, never through a proxy
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     30 * time.Second,
	}
	if a.Type == "oauth2" {
		cc := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: a.TokenURL, Scopes: a.Scopes}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: base, Timeout: timeout})
		return oauth2.NewClient(ctx, learning{cc.TokenSource(ctx), learn})
	}
	return &http.Client{Transport: base}
}

// NewAnonymousClient returns a client that sends no credentials.
func NewAnonymousClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}}
}

// learning passes on src's tokens after telling learn about them.
type learning struct {
	src   oauth2.TokenSource
	learn func(secrets ...string)
}

func (l learning) Token() (*oauth2.Token, error) {
	t, err := l.src.Token()
	if err == nil && l.learn != nil {
		id, _ := t.Extra("id_token").(string)
		l.learn(t.AccessToken, t.RefreshToken, id)
	}
	return t, err
}
