package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/reports"
)

// Retry is how the harness retries a rate-limited answer: a 429, or a 503
// with Retry-After. One Retry is shared by every client of a run, so its
// budget bounds the whole run, not each scenario.
type Retry struct {
	// Attempts is the most retries of one request (default 5).
	Attempts int
	// MaxWait caps one wait: a Retry-After beyond it is not waited for
	// and the request gives up (default 30s).
	MaxWait time.Duration
	// Budget bounds the run: the most retries, and the most time spent
	// waiting, summed over every request (defaults 500 and 10 minutes).
	BudgetRetries int
	BudgetWait    time.Duration
	// Reserve is kept for cleanup, once the budget is spent: what the run
	// created must still be removed (defaults 200 retries, 2 minutes).
	ReserveRetries int
	ReserveWait    time.Duration
	// Sleep waits between attempts; tests replace it.
	Sleep func(context.Context, time.Duration) error

	mu               sync.Mutex
	retries, kept    int
	waited, keptWait time.Duration
}

// NewRetry is the policy a run uses.
func NewRetry() *Retry {
	return &Retry{Attempts: 5, MaxWait: 30 * time.Second, BudgetRetries: 500, BudgetWait: 10 * time.Minute,
		ReserveRetries: 200, ReserveWait: 2 * time.Minute, Sleep: Sleep}
}

// Spent is what the run has used of the budget so far.
func (r *Retry) Spent() (retries int, waited time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.retries, r.waited
}

// Throttled is a request the target kept rate-limiting: the harness could
// not check, the target did nothing wrong that it knows of.
type Throttled struct {
	msg    string
	Status int // the last answer's status: 429 or 503
}

func (e *Throttled) Error() string { return e.msg }

// WithoutRetry returns a client that hands every answer to its caller,
// 429s included: for a fake IdP that retries by its own policy, and for
// checks of the rate limiting itself.
func (c *Client) WithoutRetry() *Client {
	cp := *c
	cp.noRetry = true
	return &cp
}

// retrying sends req until the answer is not rate-limited, within the
// policy and the run's budget. Each attempt is in the transcript.
func (c *Client) retrying(ctx context.Context, req Request) (*Response, error) {
	p := c.cfg.Retry
	for n := 1; ; n++ {
		resp, err := c.attempt(ctx, req)
		if err != nil || !throttled(resp) {
			return resp, err
		}
		if p == nil || c.noRetry {
			scenarioOf(ctx).throttled(1)
			return resp, nil
		}
		wait, why := p.next(n, resp.Header.Get("Retry-After"), time.Now(), c.cleanup)
		if why != "" {
			return nil, &Throttled{fmt.Sprintf("the target rate-limited %s %s (%s) and %s", req.Method, pathOnly(req.Path), brief(resp), why), resp.Status}
		}
		if c.cfg.Breaker.isOpen() {
			return nil, &Throttled{fmt.Sprintf("the target rate-limited %s %s (%s) after the run stopped retrying", req.Method, pathOnly(req.Path), brief(resp)), resp.Status}
		}
		if err := p.Sleep(ctx, wait); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return nil, &Throttled{fmt.Sprintf("the target rate-limited %s %s (%s) and its deadline passed while waiting to retry", req.Method, pathOnly(req.Path), brief(resp)), resp.Status}
			}
			return nil, &NoAnswer{"the run was interrupted while waiting to retry a rate-limited request"}
		}
	}
}

// next is the wait before retry n of a request, or why there is none.
// It takes the wait from the run's budget.
func (r *Retry) next(n int, retryAfter string, now time.Time, cleanup bool) (time.Duration, string) {
	wait, asked := parseRetryAfter(retryAfter, now)
	if !asked {
		wait = min(time.Second<<(n-1), r.MaxWait) // exponential back-off: 1s, 2s, 4s…
	}
	if wait > r.MaxWait {
		return 0, fmt.Sprintf("asked to wait %s, more than the %s the harness waits", wait.Round(time.Second), r.MaxWait)
	}
	if n > r.Attempts {
		return 0, fmt.Sprintf("still did after %d retries", r.Attempts)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.retries >= r.BudgetRetries || r.waited+wait > r.BudgetWait {
		if !cleanup || r.kept >= r.ReserveRetries || r.keptWait+wait > r.ReserveWait {
			return 0, fmt.Sprintf("the run's retry budget (%d retries, %s of waiting) is spent", r.BudgetRetries, r.BudgetWait)
		}
		r.kept++
		r.keptWait += wait
		return wait, ""
	}
	r.retries++
	r.waited += wait
	return wait, ""
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date (RFC 9110
// §10.2.3); asked is false when there is none or it cannot be read.
func parseRetryAfter(v string, now time.Time) (wait time.Duration, asked bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, 1<<31)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// throttled is an answer that asks the client to come back later.
func throttled(r *Response) bool {
	return r.Status == http.StatusTooManyRequests ||
		r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") != ""
}

func throttledStatus(status int, h map[string][]string) bool {
	return throttled(&Response{Status: status, Header: http.Header(h)})
}

func brief(r *Response) string {
	s := fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
	if ra := r.Header.Get("Retry-After"); ra != "" {
		s += ", Retry-After " + strconv.Quote(ra)
	}
	return s
}

func pathOnly(p string) string {
	p, _, _ = strings.Cut(p, "?")
	return p
}

// Sleep waits d, or less if ctx ends first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// NoteExchanges counts the rate-limited answers among exchanges a fake IdP
// made elsewhere (in a container) on ctx's behalf.
func NoteExchanges(ctx context.Context, xs []reports.Exchange) {
	n := 0
	for _, x := range xs {
		if throttledStatus(x.Status, x.ResponseHeaders) {
			n++
		}
	}
	scenarioOf(ctx).throttled(n)
}
