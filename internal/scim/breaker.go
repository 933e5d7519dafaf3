package scim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Breaker notices a target that stopped answering: after Limit requests in
// a row got no answer (a timeout or a refused connection), it opens
// for the rest of the run. One Breaker is shared by every client of a run.
// While it is open, a scenario's requests (WithScenario) are not sent;
// others (cleanup) are, but each gets only Short to answer; rate-limited
// ones are not retried. The run also opens it itself (Trip) when it is
// interrupted: then the requests of scenarios still running are sent too,
// with Short, since the target is alive and they may be cleaning up.
type Breaker struct {
	// Limit is 4 by default: one timeout of each of the default 4
	// scenarios at once, and at most 4 timeouts (40s at the default 10s)
	// one after another at --concurrency 1.
	Limit int
	Short time.Duration // default 2s

	mu     sync.Mutex
	inARow int
	reason string // why it opened; "" while closed
	dead   bool   // it opened because the target stopped answering
}

// NewBreaker is the breaker a run uses.
func NewBreaker() *Breaker { return &Breaker{Limit: 4, Short: 2 * time.Second} }

// Trip opens the breaker with reason, unless it is open already.
func (b *Breaker) Trip(reason string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reason == "" {
		b.reason = reason
	}
}

// Open says why the breaker opened, or "" if it has not.
func (b *Breaker) Open() string {
	if b == nil {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.reason
}

func (b *Breaker) isOpen() bool { return b.Open() != "" }

// observe counts one request's outcome. ctx is the caller's: a request it
// cancelled says nothing about the target.
func (b *Breaker) observe(ctx context.Context, err error) {
	if b == nil || ctx.Err() != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !silent(err) {
		b.inARow = 0
		return
	}
	b.inARow++
	if b.inARow >= max(b.Limit, 1) {
		b.dead = true
		if b.reason == "" {
			b.reason = fmt.Sprintf("the target stopped answering (%d requests in a row got no answer)", b.inARow)
		}
	}
}

// hopeless says whether a request is not worth sending: a scenario's,
// once the target stopped answering; any, once Limit more requests in a
// row went unanswered after that (an answer makes cleanup try again).
func (b *Breaker) hopeless(scenario bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dead && (scenario || b.inARow >= 2*max(b.Limit, 1))
}

// silent is a request that timed out or whose connection was refused (see
// describe): a target that cuts connections or answers too much is alive.
func silent(err error) bool {
	var na *NoAnswer
	return errors.As(err, &na) && (strings.HasPrefix(na.msg, "the target did not answer within") || strings.HasPrefix(na.msg, "the target refused the connection"))
}

// attempt sends req once, with a short deadline while the breaker is open.
// A request is not cut off when its caller is interrupted: its answer (the
// id of what it created) must not be lost; a new one is not sent.
func (c *Client) attempt(ctx context.Context, req Request) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, describe(err, c.cfg.Timeout)
	}
	b := c.cfg.Breaker
	if !b.isOpen() {
		resp, err := c.send(context.WithoutCancel(ctx), req)
		b.observe(ctx, err)
		return resp, err
	}
	if b.hopeless(scenarioOf(ctx) != nil) {
		return nil, &NoAnswer{b.Open() + "; the request was not sent"}
	}
	hurried := *c // so the transcript says how long this request had
	hurried.cfg.Timeout = min(b.Short, c.cfg.Timeout)
	short, cancel := context.WithTimeout(context.WithoutCancel(ctx), hurried.cfg.Timeout)
	defer cancel()
	resp, err := hurried.send(short, req)
	b.observe(ctx, err)
	if err != nil && ctx.Err() == nil {
		err = &NoAnswer{fmt.Sprintf("%s; this request got %s and no answer", b.Open(), hurried.cfg.Timeout)}
	}
	return resp, err
}
