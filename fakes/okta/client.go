// Package okta replays what Okta's SCIM provisioning sends to an app,
// request for request, quirks included. Every behaviour names its row in
// shared/idp-behaviour.md (O1–O29); testdata/<row>.golden holds the
// requests it sends for that row, checked by golden_test.go.
package okta

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
)

// Integration is the kind of Okta app integration, which decides the
// HTTP methods Okta uses (idp-behaviour.md O10; okta-aiw-vs-oin).
type Integration string

// Okta's SCIM 2.0 reference: apps from the OIN catalogue send profile
// updates as PUT and activate, deactivate and sync passwords with PATCH;
// apps made with the App Integration Wizard use PUT for everything, and
// "can't be reconfigured to use PATCH" (Okta's SCIM FAQ).
const (
	OIN Integration = "oin"
	AIW Integration = "aiw"
)

// ParseIntegration reads an integration kind; "" is OIN, the kind Okta
// documents for apps published in its catalogue.
func ParseIntegration(s string) (Integration, error) {
	switch Integration(strings.ToLower(s)) {
	case "", OIN:
		return OIN, nil
	case AIW:
		return AIW, nil
	}
	return "", fmt.Errorf("okta: unknown integration %q: oin or aiw", s)
}

// Options shape one Okta org's provisioning settings.
type Options struct {
	Integration Integration // default OIN
	PageSize    int         // O2 and O16: Okta asks for 100
	MaxRetries  int         // O27: retries on 429 and 5xx; the schedule is not documented
	// Sleep waits between retries; tests inject one that costs no wall time.
	Sleep func(context.Context, time.Duration) error
	// Usernames is the target's userName character rule (internal/username):
	// HF tells Okta admins to edit each app username to it (HF-OKTA, HX2),
	// so every user's Login is sent edited.
	Usernames string
}

// Client is one Okta app integration provisioning to a target.
type Client struct {
	scim *scim.Client
	opts Options
}

// New returns an Okta provisioning client sending through c.
func New(c *scim.Client, opts Options) *Client {
	if opts.Integration == "" {
		opts.Integration = OIN
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
	req.Header = okHeaders(req.Header, req.Body != nil)
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

// Okta's request headers (O24): the user agent from Okta's SCIM 2.0
// reference, the others from an Okta engineer's captured requests.
// Accept-Encoding (gzip,deflate there) is left to Go's transport, which
// then decompresses a gzip answer itself.
const (
	UserAgent   = "Okta SCIM Client 1.0.0"
	accept      = "application/scim+json"
	contentType = "application/scim+json; charset=utf-8"
)

// okHeaders adds what Okta sends on every call.
func okHeaders(h http.Header, body bool) http.Header {
	if h == nil {
		h = http.Header{}
	}
	h.Set("User-Agent", UserAgent)
	h.Set("Accept", accept)
	h.Set("Accept-Charset", "utf-8")
	if body {
		h.Set("Content-Type", contentType)
	}
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
