package browser_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/idpconform/idpconform/internal/browser"
)

func TestRefusesNonLoopback(t *testing.T) {
	b := browser.New()
	for _, u := range []string{"http://example.com/", "http://10.0.0.1/", "https://192.168.1.1/x", "ftp://127.0.0.1/", "http://127.0.0.1.nip.io/"} {
		_, err := b.Get(context.Background(), u)
		var nl *browser.NotLoopbackError
		if !errors.As(err, &nl) {
			t.Errorf("%s: want NotLoopbackError, got %v", u, err)
		}
	}
	for _, h := range []string{"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST."} {
		if !browser.IsLoopback(h) {
			t.Errorf("%s: not loopback?", h)
		}
	}
}

func TestRedirectOffLoopbackIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://evil.example/landing", http.StatusSeeOther)
	}))
	defer srv.Close()
	page, err := browser.New().Get(context.Background(), srv.URL)
	var nl *browser.NotLoopbackError
	if !errors.As(err, &nl) || nl.URL != "https://evil.example/landing" {
		t.Fatalf("got %v", err)
	}
	if len(page.Hops) != 1 || page.Hops[0].Location != "https://evil.example/landing" {
		t.Fatalf("hops %+v", page.Hops)
	}
}

func TestHopsAreBounded(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer srv.Close()
	b := browser.New()
	b.MaxHops = 5
	if _, err := b.Get(context.Background(), srv.URL); !errors.Is(err, browser.ErrTooManyHops) {
		t.Fatalf("got %v", err)
	}
	if n.Load() != 5 {
		t.Fatalf("%d requests", n.Load())
	}
}

// TestAutoSubmitsPostBindingAndKeepsCookies: a page with a SAMLResponse form
// is posted on, the cookie set on the way is sent back, and 303 turns the
// POST into a GET.
func TestAutoSubmitsPostBindingAndKeepsCookies(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /start", func(w http.ResponseWriter, _ *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "c", Value: "v", Path: "/"})
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body onload="document.forms[0].submit()"><form method="post" action="/acs">
<input type="hidden" name="SAMLResponse" value="PHg+"><input type="hidden" name="RelayState" value="/done"></form></body></html>`)
	})
	mux.HandleFunc("POST /acs", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("c")
		if err != nil || c.Value != "v" || r.FormValue("SAMLResponse") != "PHg+" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, r.FormValue("RelayState"), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	b := browser.New()
	page, err := b.Get(context.Background(), srv.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	if string(page.Body) != "ok" || len(page.Hops) != 3 || b.LastForm == nil {
		t.Fatalf("body %q hops %+v", page.Body, page.Hops)
	}
}

// TestSecondLoginInOneNavigationIsALoop: a target that starts SSO again
// after its ACS took a response gets the first response only; the second
// is never delivered, so it cannot overwrite the first login's session.
func TestSecondLoginInOneNavigationIsALoop(t *testing.T) {
	var delivered atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<form method="post" action="/acs"><input type="hidden" name="SAMLResponse" value="PHg+"></form>`)
	})
	mux.HandleFunc("POST /acs", func(w http.ResponseWriter, r *http.Request) {
		delivered.Add(1)
		http.Redirect(w, r, "/login", http.StatusSeeOther) // the loginUrl again
	})
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		delivered.Add(1)
		http.Redirect(w, r, "/callback?code=c&state=s", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, start := range []string{"/login", "/callback?code=c&state=s"} {
		delivered.Store(0)
		_, err := browser.New().Get(context.Background(), srv.URL+start)
		if !errors.Is(err, browser.ErrLoginLoop) || strings.Contains(err.Error(), "code=") {
			t.Errorf("%s: got %v, want ErrLoginLoop without the query", start, err)
		}
		if delivered.Load() != 1 {
			t.Errorf("%s: %d login responses delivered, want 1", start, delivered.Load())
		}
	}
}

// TestBrowsersDoNotEachKeepAConnection: a run opens a browser per SSO
// scenario; with a transport each, every one left an idle connection (and
// its goroutines) open until the run ended. They share one pool, and each
// keeps its own cookies.
func TestBrowsersDoNotEachKeepAConnection(t *testing.T) {
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("session"); err != nil {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: r.URL.Query().Get("who")})
		}
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch s {
		case http.StateNew:
			open[c] = true
		case http.StateClosed, http.StateHijacked:
			delete(open, c)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	const browsers = 40
	for i := range browsers {
		b := browser.New()
		if _, err := b.Get(context.Background(), fmt.Sprintf("%s/?who=%d", srv.URL, i)); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(srv.URL)
		if c := b.Jar().Cookies(u); len(c) != 1 || c[0].Value != strconv.Itoa(i) {
			t.Fatalf("browser %d has cookies %v, want its own session only", i, c)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(open) > 1 {
		t.Errorf("%d browsers, one after another, left %d connections open; want them reused", browsers, len(open))
	}
}
