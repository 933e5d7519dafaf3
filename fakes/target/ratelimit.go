package target

import (
	"net/http"
	"sync"
	"time"
)

// burst counts requests in flight for the rate-limit-no-retry-after fault;
// the clean target does not limit.
type burst struct {
	mu       sync.Mutex
	inFlight int
}

// maxInFlight is generous for a suite run (one request per scenario at a
// time) and small for a burst.
const maxInFlight = 8

// limited answers 429 without Retry-After when more than maxInFlight
// requests are in flight, if the rate-limit-no-retry-after fault is on.
// done must be called when the request is finished.
func (s *Server) limited(w http.ResponseWriter) (over bool, done func()) {
	if !s.has("rate-limit-no-retry-after") {
		return false, func() {}
	}
	b := &s.burst
	b.mu.Lock()
	b.inFlight++
	over = b.inFlight > maxInFlight
	b.mu.Unlock()
	done = func() {
		b.mu.Lock()
		b.inFlight--
		b.mu.Unlock()
	}
	if over {
		s.writeError(w, errorf(http.StatusTooManyRequests, "", "too many requests"))
	} else {
		time.Sleep(5 * time.Millisecond) // a loaded service: bursts overlap
	}
	return over, done
}
