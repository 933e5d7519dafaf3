package scim

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestAuthSchemes checks each profile auth type reaches a target that
// takes exactly that credential.
func TestAuthSchemes(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, secret, ok := r.BasicAuth(); !ok || id != "client" || secret != "s3cret" || r.FormValue("grant_type") != "client_credentials" {
			http.Error(w, "bad client", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"minted-token","token_type":"bearer","expires_in":3600}`)
	}))
	defer tokens.Close()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, basic := r.BasicAuth()
		switch {
		case r.Header.Get("Authorization") == "Bearer minted-token", r.Header.Get("Authorization") == "Bearer static-token",
			basic && user == "scim" && pass == "pw":
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer target.Close()
	for _, a := range []Auth{
		{Type: "bearer", Token: "static-token"},
		{Type: "basic", Username: "scim", Password: "pw"},
		{Type: "oauth2", TokenURL: tokens.URL, ClientID: "client", ClientSecret: "s3cret"},
	} {
		t.Run(a.Type, func(t *testing.T) {
			c := New(Config{BaseURL: target.URL, Auth: a, HTTP: NewHTTPClient(a, time.Second, nil), Anonymous: NewAnonymousClient(), Timeout: time.Second}, nil)
			resp, err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/ServiceProviderConfig"})
			if err != nil || resp.Status != http.StatusOK {
				t.Fatalf("got %v, %v", resp, err)
			}
			anon, err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/Users", Anonymous: true})
			if err != nil || anon.Status != http.StatusUnauthorized {
				t.Fatalf("an anonymous request was not anonymous: %v, %v", anon, err)
			}
		})
	}
}
