package scim

import (
	"context"
	"sync"
)

// Scenario is what the clients note about one scenario's requests, through
// the scenario's context (WithScenario).
type Scenario struct {
	mu sync.Mutex
	// n counts rate-limited answers that reached a caller which does not
	// retry through the harness (a fake IdP with its own policy): a check
	// that then fails may have failed because of the rate limiting.
	n int
}

// Throttled is how many such answers there were.
func (s *Scenario) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *Scenario) throttled(n int) {
	if s != nil && n > 0 {
		s.mu.Lock()
		s.n += n
		s.mu.Unlock()
	}
}

type scenarioKey struct{}

// WithScenario returns ctx for the requests of the scenario s. While the
// breaker is open because the target stopped answering, such requests are
// not sent at all; cleanup, on a context without a scenario, still tries.
func WithScenario(ctx context.Context, s *Scenario) context.Context {
	return context.WithValue(ctx, scenarioKey{}, s)
}

// scenarioOf is ctx's scenario, or nil.
func scenarioOf(ctx context.Context) *Scenario {
	s, _ := ctx.Value(scenarioKey{}).(*Scenario)
	return s
}
