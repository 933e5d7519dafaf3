package okta

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// flaky answers 429 with Retry-After, then 503, then serves the lookup and
// the create, so one Assign meets every retry rule.
func flaky(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", scim.MediaType)
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 3: // what the lookup and the create send: testdata/O2.golden, O5.golden
			_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
		default:
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"id":"42","userName":"jane@example.com"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestAssignRetriesAsOktaDoes(t *testing.T) {
	srv, calls := flaky(t)
	var waits []time.Duration
	c := New(scim.New(scim.Config{BaseURL: srv.URL, Timeout: time.Second}, transcript.New(nil)), Options{
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
	})
	id, created, err := c.Assign(context.Background(), User{Login: "jane@example.com", Email: "jane@example.com", OktaID: "00u1"})
	if err != nil || id != "42" || !created {
		t.Fatalf("Assign = %q, %v, %v", id, created, err)
	}
	if calls.Load() != 4 {
		t.Errorf("%d calls, want 4", calls.Load())
	}
	if len(waits) != 2 || waits[0] != 7*time.Second || waits[1] != 2*time.Second {
		t.Errorf("waits = %v, want [7s (Retry-After) 2s (back-off)]", waits)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "99999")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	var waits []time.Duration
	c := New(scim.New(scim.Config{BaseURL: srv.URL, Timeout: time.Second}, nil), Options{
		MaxRetries: 2,
		Sleep:      func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
	})
	_, err := c.Lookup(context.Background(), "x")
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want a 429 StatusError", err)
	}
	if len(waits) != 2 || waits[0] != maxRetryAfter {
		t.Errorf("waits = %v, want 2 waits capped at %s", waits, maxRetryAfter)
	}
}

// answering serves every request with status and body.
func answering(t *testing.T, status int, body string) *Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", scim.MediaType)
		if r.Method == http.MethodGet && r.URL.Path == "/Users" {
			_, _ = io.WriteString(w, `{"totalResults":0,"Resources":[]}`)
			return
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return New(scim.New(scim.Config{BaseURL: srv.URL, Timeout: time.Second}, nil), Options{MaxRetries: -1})
}

// O6: a 201 without a body is Okta's "Create new user returned empty user".
func TestEmptyCreateAnswer(t *testing.T) {
	_, err := answering(t, http.StatusCreated, "").Create(context.Background(), User{Login: "a@example.com"})
	if err == nil || !strings.Contains(err.Error(), "Create new user returned empty user") {
		t.Errorf("Create = %v, want Okta's empty-user failure", err)
	}
}

// O1: /Users answers but /Groups does not: a GroupsProbeError, which the
// steps report as a warning (Okta does not document the consequence).
func TestGroupsProbeFailureIsApart(t *testing.T) {
	err := answering(t, http.StatusNotFound, `{"status":"404"}`).TestConnection(context.Background())
	var gp *GroupsProbeError
	var se *StatusError
	if !errors.As(err, &gp) || !errors.As(err, &se) || se.Status != http.StatusNotFound {
		t.Errorf("TestConnection = %v, want a GroupsProbeError around the 404", err)
	}
}
