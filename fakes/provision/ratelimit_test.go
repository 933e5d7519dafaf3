package provision

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// TestFakesSeeTheTargetsRateLimits: the scenario's client retries 429s,
// but the fakes keep their own policies, so they must see every 429
// themselves, in process and in a container alike; the scenario counts
// the 429s they saw.
func TestFakesSeeTheTargetsRateLimits(t *testing.T) {
	tgt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(tgt.Close)
	serve := func(kind string) string {
		h, err := Handler(kind)
		if err != nil {
			t.Fatal(err)
		}
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL
	}
	modes := map[string]Fakes{"in-process": InProcess{}, "control-api": Dial(serve(KindOkta), serve(KindEntra))}
	for mode, f := range modes {
		t.Run(mode, func(t *testing.T) {
			retry := scim.NewRetry()
			retry.Sleep = func(context.Context, time.Duration) error { return nil }
			c := scim.New(scim.Config{BaseURL: tgt.URL, Timeout: 5 * time.Second, Retry: retry}, transcript.New(transcript.NewRedactor()))
			var th scim.Scenario
			ctx := scim.WithScenario(context.Background(), &th)
			noWait := func(context.Context, time.Duration) error { return nil }
			_, err := f.Okta(c, okta.Options{MaxRetries: 2, Sleep: noWait}).Do(ctx, okta.Op{Name: okta.OpLookup, Login: "ada@example.com"})
			var se *okta.StatusError
			if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
				t.Fatalf("Okta's lookup: %v, want the target's 429 after Okta's own retries", err)
			}
			if th.Throttled() != 3 {
				t.Errorf("the scenario counted %d 429s, want Okta's 3 (one try, two retries)", th.Throttled())
			}
			tenant := entra.NewTenant()
			tenant.PutUser(entra.User{ObjectID: "o1", UPN: "ada@example.com", GivenName: "Ada", Surname: "L", Enabled: true, InScope: true})
			job := f.Entra(c, tenant, entra.Options{})
			cycle, err := job.RunCycle(ctx)
			if err != nil || cycle.Failed == 0 {
				t.Errorf("Entra's cycle: %+v, %v; want its operations to fail on the 429", cycle, err)
			}
			if th.Throttled() <= 3 {
				t.Errorf("the scenario counted %d 429s, want Entra's too", th.Throttled())
			}
			if n, _ := retry.Spent(); n != 0 {
				t.Errorf("the harness retried %d times underneath the fakes", n)
			}
			_ = job.Close(ctx)
		})
	}
}
