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

// window counts the requests of the last second for the
// rate-limit-under-25rps fault.
type window struct {
	mu   sync.Mutex
	seen []time.Time
}

// slowLimit is what the rate-limit-under-25rps fault serves a second: less
// than the 25 Entra's gallery asks for (shared/idp-behaviour.md E34).
const slowLimit = 10

// overSlowLimit records a request and says whether it is over slowLimit
// in the last second.
func (wd *window) overSlowLimit(now time.Time) bool {
	wd.mu.Lock()
	defer wd.mu.Unlock()
	keep := wd.seen[:0]
	for _, t := range wd.seen {
		if now.Sub(t) < time.Second {
			keep = append(keep, t)
		}
	}
	keep = append(keep, now)
	wd.seen = keep
	return len(wd.seen) > slowLimit
}

// limited answers 429 without Retry-After when more than maxInFlight
// requests are in flight, if the rate-limit-no-retry-after fault is on.
// done must be called when the request is finished.
func (s *Server) limited(w http.ResponseWriter) (over bool, done func()) {
	if s.has(RateLimitUnder25rps) && s.window.overSlowLimit(time.Now()) {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, errorf(http.StatusTooManyRequests, "", "too many requests"))
		return true, func() {}
	}
	if !s.has(RateLimitNoRetryAfter) {
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
