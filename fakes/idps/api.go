package idps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
)

// ControlPath prefixes the control API that `idpconform fake saml|oidc
// --serve` exposes beside the IdP's own endpoints: the same operations as
// Control, as JSON over HTTP, for IdPs that run in a container.
const ControlPath = "/control/"

// armRequest is the body of POST /control/arm: one of its fields.
type armRequest struct {
	Attack         string          `json:"attack,omitempty"`
	Twin           bool            `json:"twin,omitempty"`
	NotBeforeAhead string          `json:"notBeforeAhead,omitempty"` // a time.Duration
	Timing         *samlidp.Timing `json:"timing,omitempty"`
	Breakage       string          `json:"breakage,omitempty"`
}

// control serves the control API over i.
func (i *IdPs) control() http.Handler {
	mux := http.NewServeMux()
	route(mux, "POST /control/trust", func(ctx context.Context, sp SP) (any, error) {
		if sp.SAML != nil {
			sp.SAML.MetadataFile = "" // the harness writes its own copy
		}
		id, err := i.Trust(ctx, sp)
		return map[string]string{"entityId": id}, err
	})
	route(mux, "POST /control/reset", func(ctx context.Context, b struct{ Victim string }) (any, error) {
		return nil, i.Reset(ctx, b.Victim)
	})
	route(mux, "POST /control/profile", func(ctx context.Context, b struct{ Name string }) (any, error) {
		return nil, i.SetSAMLProfile(ctx, b.Name)
	})
	route(mux, "POST /control/login", func(ctx context.Context, u samlidp.User) (any, error) {
		return nil, i.LoginAs(ctx, u)
	})
	route(mux, "POST /control/arm", func(ctx context.Context, arm armRequest) (any, error) {
		switch {
		case arm.Attack != "":
			return nil, i.ArmAttack(ctx, arm.Attack, arm.Twin)
		case arm.Breakage != "":
			return nil, i.ArmBreakage(ctx, arm.Breakage)
		case arm.Timing != nil:
			return nil, i.ArmTiming(ctx, *arm.Timing)
		}
		d, err := time.ParseDuration(arm.NotBeforeAhead)
		if err != nil {
			return nil, fmt.Errorf("notBeforeAhead: %w", err)
		}
		return nil, i.ArmNotBefore(ctx, d)
	})
	route(mux, "GET /control/canary", func(ctx context.Context, _ struct{}) (any, error) {
		n, err := i.CanaryHits(ctx)
		return map[string]int{"hits": n}, err
	})
	return mux
}

// route serves one control operation: a JSON body decoded into a fresh T,
// the answer as JSON, an error as 400 with {"error": ...}.
func route[T any](mux *http.ServeMux, pattern string, f func(context.Context, T) (any, error)) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		var body T
		if r.Method == http.MethodPost {
			if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad body: " + err.Error()})
				return
			}
		}
		out, err := f(r.Context(), body)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Client drives IdPs through their control API: a SAML IdP at samlURL
// and an OpenID Provider at oidcURL, either of which may be absent ("").
type Client struct {
	samlURL, oidcURL string
	http             *http.Client
	turn             sync.Mutex
}

var _ Control = (*Client)(nil)

// Dial returns a Client for IdPs served by `idpconform fake saml|oidc --serve`.
func Dial(samlURL, oidcURL string) *Client {
	return &Client{samlURL: strings.TrimSuffix(samlURL, "/"), oidcURL: strings.TrimSuffix(oidcURL, "/"), http: browser.LoopbackClient()}
}

// Lock implements Control.
func (c *Client) Lock() { c.turn.Lock() }

// Unlock implements Control.
func (c *Client) Unlock() { c.turn.Unlock() }

// HasSAML implements Control.
func (c *Client) HasSAML() bool { return c.samlURL != "" }

// HasOIDC implements Control.
func (c *Client) HasOIDC() bool { return c.oidcURL != "" }

// call posts body to path on every IdP that wants it (saml, oidc or both).
func (c *Client) call(ctx context.Context, method, path string, body, out any, bases ...string) error {
	var errs []error
	for _, base := range bases {
		if base == "" {
			continue
		}
		var rd io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				return err
			}
			rd = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			errs = append(errs, fmt.Errorf("idps: %s %s: %w", method, base+path, err))
			continue
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			var e struct{ Error string }
			_ = json.Unmarshal(raw, &e)
			errs = append(errs, fmt.Errorf("idps: %s %s: %s: %s", method, base+path, resp.Status, e.Error))
			continue
		}
		if out != nil {
			if err := json.Unmarshal(raw, out); err != nil {
				errs = append(errs, fmt.Errorf("idps: %s %s: %w", method, base+path, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Trust implements Control; the metadata file is written here, where the
// target reads it, not inside the container.
func (c *Client) Trust(ctx context.Context, sp SP) (string, error) {
	var out struct {
		EntityID string `json:"entityId"`
	}
	if err := c.call(ctx, http.MethodPost, "/control/trust", sp, nil, c.oidcURL); err != nil {
		return "", err
	}
	if c.samlURL == "" || sp.SAML == nil {
		return "", nil
	}
	if err := c.call(ctx, http.MethodPost, "/control/trust", sp, &out, c.samlURL); err != nil {
		return "", err
	}
	if f := sp.SAML.MetadataFile; f != "" {
		md, err := browser.Fetch(ctx, c.samlURL+samlidp.MetadataPath)
		if err != nil {
			return "", fmt.Errorf("idps: read the IdP metadata: %w", err)
		}
		if err := os.WriteFile(f, md, 0o600); err != nil {
			return "", fmt.Errorf("idps: write the IdP metadata: %w", err)
		}
	}
	return out.EntityID, nil
}

// Reset implements Control.
func (c *Client) Reset(ctx context.Context, victim string) error {
	return c.call(ctx, http.MethodPost, "/control/reset", map[string]string{"victim": victim}, nil, c.samlURL, c.oidcURL)
}

// SetSAMLProfile implements Control.
func (c *Client) SetSAMLProfile(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodPost, "/control/profile", map[string]string{"name": name}, nil, c.samlURL)
}

// LoginAs implements Control.
func (c *Client) LoginAs(ctx context.Context, u samlidp.User) error {
	return c.call(ctx, http.MethodPost, "/control/login", u, nil, c.samlURL, c.oidcURL)
}

// ArmAttack implements Control.
func (c *Client) ArmAttack(ctx context.Context, id string, twin bool) error {
	return c.call(ctx, http.MethodPost, "/control/arm", armRequest{Attack: id, Twin: twin}, nil, c.samlURL)
}

// ArmNotBefore implements Control.
func (c *Client) ArmNotBefore(ctx context.Context, ahead time.Duration) error {
	return c.call(ctx, http.MethodPost, "/control/arm", armRequest{NotBeforeAhead: ahead.String()}, nil, c.samlURL)
}

// ArmTiming implements Control.
func (c *Client) ArmTiming(ctx context.Context, t samlidp.Timing) error {
	return c.call(ctx, http.MethodPost, "/control/arm", armRequest{Timing: &t}, nil, c.samlURL)
}

// ArmBreakage implements Control.
func (c *Client) ArmBreakage(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodPost, "/control/arm", armRequest{Breakage: id}, nil, c.oidcURL)
}

// CanaryHits implements Control.
func (c *Client) CanaryHits(ctx context.Context) (int, error) {
	var out struct{ Hits int }
	err := c.call(ctx, http.MethodGet, "/control/canary", nil, &out, c.samlURL)
	return out.Hits, err
}

// IdPInitiatedURL implements Control.
func (c *Client) IdPInitiatedURL(spEntityID, relay string) string {
	return idpInitiatedURL(c.samlURL, spEntityID, relay)
}

func idpInitiatedURL(base, spEntityID, relay string) string {
	q := url.Values{"sp": {spEntityID}}
	if relay != "" {
		q.Set("relay", relay)
	}
	return base + samlidp.IdPInitiatedPath + "?" + q.Encode()
}
