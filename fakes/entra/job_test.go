package entra

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// newTarget serves the reference target behind wrap on loopback and
// returns a client for it that records into log.
func newTarget(t *testing.T, token string, wrap func(http.Handler) http.Handler) (*scim.Client, *transcript.Log) {
	t.Helper()
	srv, err := reftarget.New(reftarget.Options{Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	auth := scim.Auth{Type: "bearer", Token: token}
	log := transcript.New(transcript.NewRedactor(token))
	return scim.New(scim.Config{BaseURL: ts.URL + "/scim/v2", Auth: auth, HTTP: scim.NewHTTPClient(auth, 5*time.Second, nil),
		Anonymous: scim.NewAnonymousClient(), Timeout: 5 * time.Second}, log), log
}

func tenantOf(users ...string) *Tenant {
	tn := NewTenant()
	for _, u := range users {
		tn.PutUser(User{ObjectID: "oid-" + u, UPN: u + "@example.com", GivenName: u, Surname: "T", DisplayName: u,
			Mail: u + "@example.com", Enabled: true, InScope: true})
	}
	return tn
}

// E33: a 429 with Retry-After pauses the job for that long, and only the
// refused request is sent again.
func TestRetryAfterPausesAndRetriesOnlyTheRefused(t *testing.T) {
	var mu sync.Mutex
	refused := 0
	c, log := newTarget(t, "t0ken", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			throttle := r.Method == http.MethodPost && refused < 2
			if throttle {
				refused++
			}
			mu.Unlock()
			if throttle {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	clock := NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	job := NewJob(c, tenantOf("ada", "bob"), Options{Clock: clock})
	cy := job.RunCycle(context.Background())
	if cy.Failed != 0 || cy.Paused != 4*time.Minute {
		t.Fatalf("cycle: %d failed, paused %s; want 0 failed, paused 4m: %+v", cy.Failed, cy.Paused, cy.Ops)
	}
	posts, gets := 0, 0
	for _, x := range log.Exchanges() {
		switch x.Method {
		case http.MethodPost:
			posts++
		case http.MethodGet:
			gets++
		}
	}
	if posts != 4 || gets != 3 { // ada's POST thrice, bob's once; the probe and two lookups once each
		t.Errorf("sent %d POSTs and %d GETs, want 4 and 3", posts, gets)
	}
	if want := cy.At.Add(4*time.Minute + Interval); !clock.Now().Equal(want) {
		t.Errorf("clock at %s, want %s", clock.Now(), want)
	}
}

// E31: a job whose every call fails is quarantined, its cycles 6, 12, then
// 24 hours apart, and disabled after four weeks.
func TestQuarantineScheduleAndDisable(t *testing.T) {
	c, _ := newTarget(t, "revoked", nil)
	job := NewJob(c, tenantOf("ada"), Options{})
	var nexts []time.Duration
	for range 40 {
		cy := job.RunCycle(context.Background())
		if cy.Disabled {
			break
		}
		nexts = append(nexts, cy.Next)
	}
	if len(nexts) < 3 || nexts[0] != 6*time.Hour || nexts[1] != 12*time.Hour || nexts[2] != 24*time.Hour {
		t.Fatalf("quarantine intervals %v, want 6h, 12h, 24h, …", nexts)
	}
	var total time.Duration
	for _, n := range nexts {
		total += n
	}
	if total > quarantineLimit || total < quarantineLimit-24*time.Hour {
		t.Errorf("disabled after %s in quarantine, want four weeks", total)
	}
	if cy := job.RunCycle(context.Background()); !cy.Disabled || len(cy.Ops) != 0 {
		t.Errorf("a disabled job ran %d operations", len(cy.Ops))
	}
}

// E2: queries go out with '+' for spaces, as Entra sends them.
func TestQueriesUsePlusForSpaces(t *testing.T) {
	c, log := newTarget(t, "t0ken", nil)
	job := NewJob(c, tenantOf("ada"), Options{NewGUID: func() string { return "00000000-0000-0000-0000-000000000000" }})
	job.RunCycle(context.Background())
	first := log.Exchanges()[0].URL
	if !strings.HasSuffix(first, `/Users?filter=userName+eq+%2200000000-0000-0000-0000-000000000000%22`) {
		t.Errorf("probe URL %s", first)
	}
}
