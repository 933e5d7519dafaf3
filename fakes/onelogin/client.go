// Package onelogin replays what OneLogin's "SCIM Provisioner with SAML"
// sends to an app: user bodies rendered from the admin's SCIM JSON
// template, vendor templates' quirks included. Every behaviour names its
// row in shared/idp-behaviour.md (L1–L7); testdata/<row>.golden holds the
// requests it sends for that row, checked by golden_test.go.
package onelogin

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/username"
)

// DefaultContentType is what the fake sends without a custom header. OneLogin
// does not document it; vendors telling admins to add "Content-Type:
// application/scim+json" (L5) implies that the default is plain JSON.
const DefaultContentType = "application/json"

// Options shape one OneLogin app's configuration.
type Options struct {
	Template Template // default Enterprise
	// Headers are the app's Custom Headers (L5), set on every request
	// over the fake's own.
	Headers http.Header
	// Usernames is the target's userName character rule (internal/username):
	// the admin sets the app's SCIM username parameter to fit it, as HF
	// tells Okta and Entra admins to (HX2).
	Usernames string
}

// ParseHeader reads one Custom Headers line, "Name: value".
func ParseHeader(line string) (name, value string, err error) {
	name, value, ok := strings.Cut(line, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return "", "", fmt.Errorf("onelogin: custom header %q: want \"Name: value\"", line)
	}
	return name, value, nil
}

// Client is one OneLogin SCIM app provisioning to a target.
type Client struct {
	scim *scim.Client
	opts Options
}

// New returns a OneLogin app sending through c.
func New(c *scim.Client, opts Options) *Client {
	if opts.Template == "" {
		opts.Template = Enterprise
	}
	return &Client{scim: c, opts: opts}
}

// StatusError is an answer OneLogin counts as a failed provisioning task.
type StatusError struct {
	Op          string
	Status      int
	Body        string
	ContentType string // the Content-Type the refused request carried
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("onelogin: %s: the target answered %d %s", e.Op, e.Status, http.StatusText(e.Status))
}

// send performs one request with the app's headers. User-Agent and Accept
// are not documented for OneLogin: the harness's own go out.
func (c *Client) send(ctx context.Context, req scim.Request) (*scim.Response, error) {
	req.Header = http.Header{}
	if req.Body != nil {
		req.Header.Set("Content-Type", DefaultContentType)
	}
	for k, vs := range c.opts.Headers {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	resp, err := c.scim.Do(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("onelogin: %s %s: %w", req.Method, req.Path, err)
	}
	return resp, nil
}

// Enable is the initial connection attempt OneLogin makes when provisioning
// is enabled (L6). Its request is not documented; the fake reads one page
// of users, the least a provisioner needs to work, and wants a ListResponse.
func (c *Client) Enable(ctx context.Context) error {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: "/Users?startIndex=1&count=1"})
	if err != nil {
		return err
	}
	if resp.Status != http.StatusOK {
		return &StatusError{Op: "connection attempt", Status: resp.Status, Body: string(resp.Body)}
	}
	o, err := resp.Object()
	if err != nil {
		return fmt.Errorf("onelogin: connection attempt: %w", err)
	}
	if _, ok := o["totalResults"].(float64); !ok {
		return fmt.Errorf("onelogin: connection attempt: the answer is not a ListResponse (no totalResults)")
	}
	return nil
}

// Create sends the template rendered for u as POST /Users (L1, L2) and
// wants 201 with the id the target issued.
func (c *Client) Create(ctx context.Context, u User) (string, error) {
	u.Username = username.Edit(c.opts.Usernames, u.Username)
	body, err := c.opts.Template.Render(u)
	if err != nil {
		return "", err
	}
	req := scim.Request{Method: http.MethodPost, Path: "/Users", Body: body}
	resp, err := c.send(ctx, req)
	if err != nil {
		return "", err
	}
	if resp.Status != http.StatusCreated {
		return "", &StatusError{Op: "create " + u.Username, Status: resp.Status, Body: string(resp.Body), ContentType: c.contentType()}
	}
	o, err := resp.Object()
	if err != nil {
		return "", fmt.Errorf("onelogin: create %s: %w", u.Username, err)
	}
	id := scim.Text(o["id"])
	if id == "" {
		return "", fmt.Errorf("onelogin: create %s: 201 without an id", u.Username)
	}
	return id, nil
}

// contentType is the Content-Type the app sends with a body.
func (c *Client) contentType() string {
	if ct := c.opts.Headers.Get("Content-Type"); ct != "" {
		return ct
	}
	return DefaultContentType
}

// Template is the app's template.
func (c *Client) Template() Template { return c.opts.Template }
