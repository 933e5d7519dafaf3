package okta

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
		case 3:
			if r.URL.Query().Get("filter") != `userName eq "jane@example.com"` || r.URL.Query().Get("count") != "100" {
				t.Errorf("lookup query = %s", r.URL.RawQuery)
			}
			_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
		default:
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			if body["active"] != true || body["externalId"] != "00u1" {
				t.Errorf("create body = %v", body)
			}
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
