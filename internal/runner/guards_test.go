package runner

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/reports"
)

// inFront serves a reference target (SCIM only) through front, which may
// answer a request itself; it returns the target and the profile that
// reaches it through front.
func inFront(t *testing.T, timeout time.Duration, front func(w http.ResponseWriter, r *http.Request, next http.Handler)) (*target.Server, profile.Profile) {
	t.Helper()
	ref, err := target.New(target.Options{Token: "tok-guards"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { front(w, r, ref) }))
	t.Cleanup(srv.Close)
	prof, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: srv.URL + "/scim/v2", Timeout: timeout, Auth: profile.Auth{Token: "tok-guards"}}})
	if err != nil {
		t.Fatal(err)
	}
	return ref, prof
}

// TestRateLimitingTargetGivesNoViolations: a target that answers 30 % of
// requests with 429 (Retry-After 0 or 1) gets every scenario checked or,
// where the rate limiting kept a check from being made, "could not
// check", never a violation (Entra's 25 requests a second, asked of
// gallery apps, may warn); and the run leaves nothing in it.
func TestRateLimitingTargetGivesNoViolations(t *testing.T) {
	var mu sync.Mutex
	rnd := rand.New(rand.NewPCG(12, 3)) // seeded: the same 429s each run, as far as concurrency allows
	var limited atomic.Int64
	ref, prof := inFront(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		mu.Lock()
		throttle, after := rnd.Float64() < 0.3, rnd.IntN(2)
		mu.Unlock()
		if throttle {
			limited.Add(1)
			w.Header().Set("Retry-After", []string{"0", "1"}[after])
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
	retry := scim.NewRetry()
	var waited atomic.Int64
	retry.Sleep = func(_ context.Context, d time.Duration) error { waited.Add(int64(d)); return nil } // kept, not slept
	run, err := Run(context.Background(), Config{Profile: prof, OutDir: t.TempDir(), Output: io.Discard, Concurrency: 4, Retry: retry})
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, s := range run.Scenarios {
		switch s.Status {
		case reports.Passed:
			passed++
		case reports.Skipped:
		case reports.Errored:
			if !strings.Contains(s.Failure.Message, "rate-limited") {
				t.Errorf("%s %q could not be checked for another reason than the rate limiting: %s", s.ID, s.Name, s.Failure.Message)
			}
		case reports.Warned:
			// Entra's load scenario: a gallery app must sustain 25
			// requests a second (E34), which only Entra's view demands.
			if s.Failure == nil || s.Failure.IdP != "entra" || !strings.Contains(s.Failure.Message, "429") {
				t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
			}
		default:
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	n, _ := retry.Spent()
	t.Logf("%d scenarios, %d passed; the target limited %d requests, the harness retried %d", len(run.Scenarios), passed, limited.Load(), n)
	if passed < 30 {
		t.Errorf("only %d scenarios passed", passed)
	}
	if n == 0 || limited.Load() == 0 || waited.Load() == 0 {
		t.Errorf("the target limited %d requests, the harness retried %d times: the test proves nothing", limited.Load(), n)
	}
	if !hasNote(run, "the harness retried") {
		t.Errorf("no note on the rate limiting: %q", run.Notes)
	}
	if st := ref.Stats(); st != (target.Stats{}) || len(run.Cleanup.Leftovers) > 0 {
		t.Errorf("the run left %+v in the target; cleanup says %+v", st, run.Cleanup)
	}
}

// TestDeadTargetEndsTheRun: a target that stops answering mid-run trips the
// breaker; the scenarios left are not run but reported as could not check,
// and the run sends the dead target only what its running scenarios and
// their cleanup need.
func TestDeadTargetEndsTheRun(t *testing.T) {
	const liveRequests = 120
	var seen, afterDeath atomic.Int64
	stop := make(chan struct{})
	_, prof := inFront(t, 300*time.Millisecond, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if seen.Add(1) <= liveRequests {
			next.ServeHTTP(w, r)
			return
		}
		afterDeath.Add(1)
		select { // hangs, as a dead process behind a load balancer does
		case <-r.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) }) // before the server's Close, which waits for handlers
	out := t.TempDir()
	run, err := Run(context.Background(), Config{Profile: prof, Tags: "~@okta-rate", OutDir: out, Output: io.Discard, Concurrency: 2,
		Breaker: &scim.Breaker{Limit: 5, Short: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	notRun := 0
	for _, s := range run.Scenarios {
		if s.Status == reports.Failed {
			t.Errorf("%s %q: a dead target is not a violation: %s", s.ID, s.Name, describe(s.Failure))
		}
		if s.Status == reports.Errored && strings.HasPrefix(s.Failure.Message, "could not check: the target stopped answering") {
			notRun++
		}
	}
	t.Logf("%d scenarios, %d not run; %d requests after the target died", len(run.Scenarios), notRun, afterDeath.Load())
	if notRun < len(run.Scenarios)/2 {
		t.Errorf("%d of %d scenarios were not run after the target died", notRun, len(run.Scenarios))
	}
	if !hasNote(run, "the target stopped answering") {
		t.Errorf("notes %q do not say why the run stopped", run.Notes)
	}
	// Without the breaker each scenario left would send at least one request.
	if n := afterDeath.Load(); n >= int64(notRun) {
		t.Errorf("the dead target got %d requests, for %d scenarios not run", n, notRun)
	}
	assertReports(t, out)
}

// TestRateLimitChecksKeepTheirViolations: where the rate limiting is what
// a scenario checks (@okta-rate), its 429s do not turn a violation into
// "could not check".
func TestRateLimitChecksKeepTheirViolations(t *testing.T) {
	run, _, _ := runAgainst(t, "@okta-rate", "rate-limit-no-retry-after")
	if len(run.Scenarios) == 0 {
		t.Fatal("no @okta-rate scenario ran")
	}
	for _, s := range run.Scenarios {
		if s.Status != reports.Failed || s.Failure == nil || !strings.Contains(s.Failure.Message, "Retry-After") {
			t.Errorf("%s: %s %s, want the violation: 429 without Retry-After", s.ID, s.Status, describe(s.Failure))
		}
	}
}

func hasNote(run reports.Run, s string) bool {
	for _, n := range run.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
