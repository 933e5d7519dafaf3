// Package okta replays what Okta's SCIM provisioning sends to an app,
// request for request, quirks included. Every behaviour names its entry in
// the IdP quirk catalogue (shared/quirks.md, ids okta-*).
package okta

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
)

// Update is how Okta pushes profile changes (okta-aiw-vs-oin).
type Update string

// Apps built with the App Integration Wizard PUT the whole user; apps from
// the OIN SCIM template PATCH the changed attributes.
const (
	UpdatePut   Update = "put"
	UpdatePatch Update = "patch"
)

// Options shape one Okta org's provisioning settings.
type Options struct {
	Update     Update // default UpdatePut
	PageSize   int    // okta-lookup and okta-paging use 100
	MaxRetries int    // okta-rate: retries on 429 and 5xx; the schedule is not documented
	// Sleep waits between retries; tests inject one that costs no wall time.
	Sleep func(context.Context, time.Duration) error
}

// Client is one Okta app integration provisioning to a target.
type Client struct {
	scim *scim.Client
	opts Options
}

// New returns an Okta provisioning client sending through c.
func New(c *scim.Client, opts Options) *Client {
	if opts.Update == "" {
		opts.Update = UpdatePut
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	} else if opts.MaxRetries == 0 {
		opts.MaxRetries = 3
	}
	if opts.Sleep == nil {
		opts.Sleep = scim.Sleep
	}
	return &Client{scim: c, opts: opts}
}

// StatusError is an answer Okta does not accept for an operation.
type StatusError struct {
	Op     string
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("okta: %s: the target answered %d %s", e.Op, e.Status, http.StatusText(e.Status))
}

// maxRetryAfter caps a target's Retry-After so that a hostile value cannot
// stall a run.
const maxRetryAfter = 30 * time.Second

// send performs one request with Okta's retry behaviour (okta-rate): a 429
// waits for Retry-After (or backs off), a 5xx backs off, both at most
// MaxRetries times; the last answer is returned either way.
func (c *Client) send(ctx context.Context, req scim.Request) (*scim.Response, error) {
	req.Header = okHeaders(req.Header)
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		resp, err := c.scim.Do(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("okta: %s %s: %w", req.Method, req.Path, err)
		}
		retryable := resp.Status == http.StatusTooManyRequests || resp.Status >= 500
		if !retryable || attempt >= c.opts.MaxRetries {
			return resp, nil
		}
		wait := backoff
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			wait = min(time.Duration(s)*time.Second, maxRetryAfter)
		}
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("okta: waiting to retry: %w", err)
		}
		backoff *= 2
	}
}

// okHeaders adds what Okta sends on every call (okta-headers).
func okHeaders(h http.Header) http.Header {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept", "application/scim+json, application/json")
	return h
}

// expect turns an unexpected status into a StatusError.
func expect(op string, resp *scim.Response, ok ...int) error {
	for _, s := range ok {
		if resp.Status == s {
			return nil
		}
	}
	return &StatusError{Op: op, Status: resp.Status, Body: string(resp.Body)}
}
