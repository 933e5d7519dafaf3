package scim

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Breaker notices a target that stopped answering: after Limit requests in
// a row got no answer (a timeout, a refused or cut connection), it opens
// for the rest of the run. One Breaker is shared by every client of a run.
// While it is open, requests are still sent (cleanup must try) but each
// gets only Short to answer, and rate-limited ones are not retried. The
// run also opens it itself (Trip) when it is interrupted.
type Breaker struct {
	Limit int           // default 5
	Short time.Duration // default 2s

	mu     sync.Mutex
	inARow int
	reason string // why it opened; "" while closed
}

// NewBreaker is the breaker a run uses.
func NewBreaker() *Breaker { return &Breaker{Limit: 5, Short: 2 * time.Second} }

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
	if b.reason == "" && b.inARow >= max(b.Limit, 1) {
		b.reason = fmt.Sprintf("the target stopped answering (%d requests in a row got no answer)", b.inARow)
	}
}

// silent is an error that means the target did not answer at all.
func silent(err error) bool {
	na, ok := err.(*NoAnswer)
	return ok && !strings.HasPrefix(na.msg, "the target answered more than")
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
	hurried := *c // so the transcript says how long this request had
	hurried.cfg.Timeout = min(b.Short, c.cfg.Timeout)
	short, cancel := context.WithTimeout(context.WithoutCancel(ctx), hurried.cfg.Timeout)
	defer cancel()
	resp, err := hurried.send(short, req)
	if err != nil && ctx.Err() == nil {
		err = &NoAnswer{fmt.Sprintf("%s; this request got %s and no answer", b.Open(), hurried.cfg.Timeout)}
	}
	return resp, err
}
