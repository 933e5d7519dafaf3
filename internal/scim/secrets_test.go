package scim

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestIssuedTokensAreLearned: every token the token endpoint issues is
// handed to learn before the request that uses it is sent.
func TestIssuedTokensAreLearned(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"issued-access-1","refresh_token":"issued-refresh-1","id_token":"issued-id-1","token_type":"bearer","expires_in":3600}`)
	}))
	defer tokens.Close()
	var mu sync.Mutex
	var learned []string
	learn := func(s ...string) {
		mu.Lock()
		defer mu.Unlock()
		learned = append(learned, s...)
	}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !slices.Contains(learned, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			w.WriteHeader(http.StatusTeapot) // the token was used before it was learned
		}
	}))
	defer target.Close()
	a := Auth{Type: "oauth2", TokenURL: tokens.URL, ClientID: "c", ClientSecret: "s"}
	c := New(Config{BaseURL: target.URL, Auth: a, HTTP: NewHTTPClient(a, time.Second, learn), Timeout: time.Second}, nil)
	resp, err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/Users"})
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("got %v, %v", resp, err)
	}
	for _, want := range []string{"issued-access-1", "issued-refresh-1", "issued-id-1"} {
		if !slices.Contains(learned, want) {
			t.Errorf("%s not learned: %q", want, learned)
		}
	}
	if got := (Auth{Username: "u", Password: "pw12"}).Secrets(); !slices.Contains(got, "u:pw12") {
		t.Errorf("basic secrets %q lack user:password", got)
	}
}

// rawTarget answers every connection with answer, whatever was asked.
func rawTarget(t *testing.T, answer string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for range 10 {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = http.ReadRequest(bufio.NewReader(conn))
			_, _ = io.WriteString(conn, answer)
			conn.Close()
		}
	}()
	return "http://" + l.Addr().String()
}

// TestTransportErrorsQuoteNoTargetBytes: what a broken target or token
// endpoint sent never reaches the error a report shows.
func TestTransportErrorsQuoteNoTargetBytes(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"leaked-bytes-5"}`)
	}))
	defer refusing.Close()
	for _, tc := range []struct {
		name, url string
		auth      Auth
		says      string
	}{
		{"not HTTP", rawTarget(t, "leaked-bytes-1\r\n\r\n"), Auth{Token: "tok1"}, "malformed HTTP response"},
		{"bad status", rawTarget(t, "HTTP/1.1 leaked-bytes-2 OK\r\n\r\n"), Auth{Token: "tok1"}, "malformed HTTP status code"},
		{"bad header", rawTarget(t, "HTTP/1.1 200 OK\r\nleaked-bytes-3\r\n\r\n"), Auth{Token: "tok1"}, "malformed MIME header"},
		{"token refused", rawTarget(t, ""), Auth{Type: "oauth2", TokenURL: refusing.URL, ClientID: "c", ClientSecret: "s"}, "401 Unauthorized (invalid_client)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Config{BaseURL: tc.url, Auth: tc.auth, HTTP: NewHTTPClient(tc.auth, time.Second, nil), Timeout: 5 * time.Second}, nil)
			_, err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/Users"})
			if err == nil || strings.Contains(err.Error(), "leaked-bytes") || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v: want it to say %q without the target's bytes", err, tc.says)
			}
		})
	}
}
