// Package scim is the harness's SCIM 2.0 client: one resty client per
// scenario, every exchange recorded in that scenario's transcript.
package scim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/oauth2"

	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
)

// MediaType is the SCIM media type (RFC 7644 §8.1).
const MediaType = "application/scim+json"

// maxResponse bounds what a hostile target can make the harness read.
const maxResponse = 8 << 20

// Config is how to reach a target. HTTP carries authentication (see
// NewHTTPClient) and is shared between scenarios; the client adds nothing.
type Config struct {
	BaseURL string
	// Auth is sent on every request but Anonymous ones; bearer and basic are
	// set here (so transcripts show the header, redacted), oauth2 by HTTP.
	Auth    Auth
	HTTP    *http.Client
	Timeout time.Duration // per request
	// Anonymous is HTTP without credentials, for checks that a target refuses them.
	Anonymous *http.Client
	// Marker is carried by the name of everything the run creates (its
	// random token): the guard lets the client change only resources it
	// created or that carry it. "" turns the guard off, for unit tests.
	Marker string
	// Retry retries rate-limited answers (nil: none); Breaker notices a
	// target that stopped answering (nil: none). Both are shared by a run.
	Retry   *Retry
	Breaker *Breaker
}

// ConfigFor is how a client reaches baseURL with auth: an HTTP client that
// presents it (and tells learn each OAuth2 token it is issued), another
// without credentials, and the per-request timeout. Marker, Retry and
// Breaker stay for the caller to set.
func ConfigFor(baseURL string, auth Auth, timeout time.Duration, learn func(secrets ...string)) Config {
	return Config{BaseURL: baseURL, Auth: auth, HTTP: NewHTTPClient(auth, timeout, learn), Anonymous: NewAnonymousClient(), Timeout: timeout}
}

// Client sends SCIM requests for one scenario.
type Client struct {
	cfg    Config
	rc     *resty.Client
	anon   *resty.Client
	log    *transcript.Log
	guard  *guard
	ledger *ledger
	// noRetry hands rate-limited answers to the caller (WithoutRetry).
	noRetry bool
	// cleanup may draw on the retry reserve (ForCleanup).
	cleanup bool
}

// New returns a client recording into log.
func New(cfg Config, log *transcript.Log) *Client {
	rc := newResty(cfg.HTTP, cfg.Timeout)
	switch cfg.Auth.Type {
	case "bearer", "":
		if cfg.Auth.Token != "" {
			rc.SetAuthToken(cfg.Auth.Token)
		}
	case "basic":
		rc.SetBasicAuth(cfg.Auth.Username, cfg.Auth.Password)
	}
	return &Client{cfg: cfg, rc: rc, anon: newResty(cfg.Anonymous, cfg.Timeout), log: log,
		guard: newGuard(cfg.Marker), ledger: &ledger{}}
}

// ForCleanup is c quiet, for removing what the run created: its retries
// may draw on the reserve the run's retry budget keeps for cleanup.
func (c *Client) ForCleanup() *Client {
	cp := c.Quiet()
	cp.cleanup = true
	return cp
}

// Quiet is c without a transcript, for traffic that is no check's (cleanup,
// the guard's read-backs); it shares c's guard and ledger.
func (c *Client) Quiet() *Client {
	cp := *c
	cp.log = nil
	return &cp
}

// newResty wraps a copy of hc: resty sets the timeout and redirect policy
// on the client it is given, and scenarios run concurrently.
func newResty(hc *http.Client, timeout time.Duration) *resty.Client {
	own := &http.Client{}
	if hc != nil {
		own.Transport = hc.Transport
	}
	rc := resty.NewWithClient(own).
		SetTimeout(timeout).
		SetResponseBodyLimit(maxResponse).
		SetDisableWarn(true).
		SetLogger(quiet{}).
		SetRedirectPolicy(resty.NoRedirectPolicy())
	rc.SetHeader("Accept", MediaType+", application/json")
	rc.SetHeader("User-Agent", "idpconform")
	return rc
}

// WithToken returns a client that presents token instead of the configured
// credentials, recording into the same transcript.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.rc = newResty(c.cfg.Anonymous, c.cfg.Timeout).SetAuthToken(token)
	cp.cfg.Auth = Auth{Type: "bearer", Token: token}
	return &cp
}

// Config is how c reaches its target, with the credentials it presents.
func (c *Client) Config() Config { return c.cfg }

// Record adds exchanges sent on c's behalf by someone else (a fake IdP in
// a container) to c's transcript, so reports show them as c's own, and to
// its ledger and guard, so cleanup knows what they created.
func (c *Client) Record(xs ...reports.Exchange) {
	c.log.Append(xs...)
	base := strings.TrimRight(c.cfg.BaseURL, "/")
	for _, x := range xs {
		path := strings.TrimPrefix(x.URL, base)
		if x.Method == http.MethodPost {
			if kind := collection(path); kind != "" {
				c.settle(c.ledger.intend(kind, []byte(x.RequestBody)), x.Status, []byte(x.ResponseBody), x.Err)
			}
		}
		c.guard.learn(kindOf(path), []byte(x.ResponseBody))
	}
}

// Request is one SCIM call. Path is relative to the base URL and may carry a
// raw query ("/Users?filter=userName eq \"x\"") that Do encodes.
type Request struct {
	Method string
	Path   string
	Body   []byte
	Header http.Header
	// Credentials: Anonymous sends none; Token replaces the configured ones.
	Anonymous bool
	Token     string
	// SpaceAsPlus encodes spaces in the query as '+' (form encoding), as
	// Entra does (shared/idp-behaviour.md E2); the default is %20.
	SpaceAsPlus bool
}

// Do sends req. A non-nil error means there was no usable HTTP answer
// (none at all, or rate-limited past retrying, see retry.go), whose message
// says why in words a reader of a report understands, or that the guard
// refused a write (a *Refused). Every create is recorded in the ledger
// before it is sent.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	switch req.Method {
	case http.MethodPut, http.MethodPatch, http.MethodDelete:
		if key := resourceKey(req.Path); key != "" {
			if err := c.check(ctx, req.Method, req.Path, key); err != nil {
				return nil, err
			}
		}
	case http.MethodPost:
		if kind := collection(req.Path); kind != "" {
			in := c.ledger.intend(kind, req.Body)
			resp, err := c.retrying(ctx, req)
			if err != nil {
				// A 429 is a refusal (RFC 6585 §4): nothing was made. A
				// 503 may have been half-done, so it stays unknown.
				var t *Throttled
				if errors.As(err, &t) && t.Status == http.StatusTooManyRequests {
					c.settle(in, t.Status, nil, "")
				} else {
					c.settle(in, 0, nil, err.Error())
				}
				return nil, err
			}
			c.settle(in, resp.Status, resp.Body, "")
			c.guard.learn(kind, resp.Body)
			return resp, nil
		}
	}
	resp, err := c.retrying(ctx, req)
	if err == nil {
		c.guard.learn(kindOf(req.Path), resp.Body)
	}
	return resp, err
}

// kindOf is the resource type a path names ("/Users?filter=…" → Users).
func kindOf(path string) string {
	p, _, _ := strings.Cut(strings.TrimLeft(path, "/"), "?")
	kind, _, _ := strings.Cut(p, "/")
	if !isResourceType(kind) {
		return ""
	}
	return kind
}

// send sends req once.
func (c *Client) send(ctx context.Context, req Request) (*Response, error) {
	target, err := c.url(req.Path, req.SpaceAsPlus)
	if err != nil {
		return nil, err
	}
	rc := c.rc
	if req.Anonymous || req.Token != "" {
		rc = c.anon
	}
	r := rc.R().SetContext(ctx)
	if req.Token != "" {
		r.SetAuthToken(req.Token)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	if req.Body != nil {
		if req.Header.Get("Content-Type") == "" {
			r.SetHeader("Content-Type", MediaType)
		}
		r.SetBody(req.Body)
	}
	start := time.Now()
	resp, err := r.Execute(req.Method, target)
	took := time.Since(start)
	var raw *http.Request
	if resp != nil && resp.Request != nil && resp.Request.RawRequest != nil {
		raw = resp.Request.RawRequest
	} else {
		raw, _ = http.NewRequestWithContext(ctx, req.Method, target, nil)
	}
	if err != nil {
		err = describe(err, c.cfg.Timeout)
		c.log.Add(raw, req.Body, nil, nil, took, err)
		return nil, err
	}
	out := &Response{Status: resp.StatusCode(), Header: resp.Header(), Body: resp.Body()}
	c.log.Add(raw, req.Body, resp.RawResponse, out.Body, took, nil)
	return out, nil
}

// URL resolves a path with a raw query against the base URL, encoding the
// query values.
func (c *Client) URL(path string) (string, error) { return c.url(path, false) }

func (c *Client) url(path string, plus bool) (string, error) {
	p, rawQuery, _ := strings.Cut(path, "?")
	u, err := url.Parse(strings.TrimRight(c.cfg.BaseURL, "/") + "/" + strings.TrimLeft(p, "/"))
	if err != nil {
		return "", fmt.Errorf("scim: bad path %q: %w", path, err)
	}
	if rawQuery != "" {
		// The parameters go out in the order given: IdPs have their own
		// order (Okta's filter, startIndex, count), and a fake sends it.
		var q []string
		for _, kv := range splitQuery(rawQuery) {
			k, v, _ := strings.Cut(kv, "=")
			q = append(q, escapeQuery(k, plus)+"="+escapeQuery(v, plus))
		}
		u.RawQuery = strings.Join(q, "&")
	}
	return u.String(), nil
}

// escapeQuery encodes a query name or value, a space as %20, or as '+'
// when plus is set.
func escapeQuery(s string, plus bool) string {
	if plus {
		return url.QueryEscape(s)
	}
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// splitQuery splits at each '&' that starts a new "name=" pair, so a filter
// value may itself contain '&'.
func splitQuery(q string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '&' && startsPair(q[i+1:]) {
			parts = append(parts, q[start:i])
			start = i + 1
		}
	}
	return append(parts, q[start:])
}

func startsPair(s string) bool {
	for i, r := range s {
		switch {
		case r == '=':
			return i > 0
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		default:
			return false
		}
	}
	return false
}

// NoAnswer is a request that got no HTTP answer: a timeout, a refused
// connection, an interrupted run. Callers tell it from a target's wrong
// answer with errors.As.
type NoAnswer struct{ msg string }

func (e *NoAnswer) Error() string { return e.msg }

// NewNoAnswer is a NoAnswer that says msg, for one reported from elsewhere
// (a fake IdP in a container that got no answer from the target).
func NewNoAnswer(msg string) *NoAnswer { return &NoAnswer{msg} }

// describe turns transport errors into one readable sentence. Go's
// messages quote what a target sent ("malformed HTTP response \"…\"") and
// oauth2's quote the token endpoint's body: neither reaches a report.
func describe(err error, timeout time.Duration) error {
	var ne net.Error
	var re *oauth2.RetrieveError
	switch {
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return &NoAnswer{fmt.Sprintf("the target answered more than %d MiB", maxResponse>>20)}
	case errors.Is(err, context.Canceled):
		return &NoAnswer{"the run was interrupted"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &NoAnswer{fmt.Sprintf("the target did not answer within %s", timeout)}
	case errors.As(err, &re):
		return &NoAnswer{"the token endpoint refused to issue a token: " + tokenRefusal(re)}
	case strings.Contains(err.Error(), "connection refused"):
		return &NoAnswer{"the target refused the connection: " + transportWords(err)}
	}
	return &NoAnswer{"no answer from the target: " + transportWords(err)}
}

type quiet struct{}

func (quiet) Errorf(string, ...any) {}
func (quiet) Warnf(string, ...any)  {}
func (quiet) Debugf(string, ...any) {}

// Response is a target's answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// MediaType is the response's Content-Type without parameters.
func (r *Response) MediaType() string {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// Brief describes the response in a few words for a failure message.
func (r *Response) Brief() string {
	s := fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
	body := bytes.TrimSpace(r.Body)
	if len(body) > 160 {
		body = append(body[:160:160], "…"...)
	}
	if len(body) > 0 {
		s += " " + string(body)
	}
	return s
}
