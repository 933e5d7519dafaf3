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

// control serves the control API over i. Every operation but trust acts on
// the session the request names in SessionHeader (none: the default one).
func (i *IdPs) control() http.Handler {
	mux := http.NewServeMux()
	session := func(r *http.Request) local { return local{i: i, id: sessionID(r)} }
	route(mux, "POST /control/trust", func(r *http.Request, sp SP) (any, error) {
		if sp.SAML != nil {
			sp.SAML.MetadataFile = "" // the harness writes its own copy
		}
		id, err := i.Trust(r.Context(), sp)
		return map[string]string{"entityId": id}, err
	})
	route(mux, "POST /control/reset", func(r *http.Request, b struct{ Victim string }) (any, error) {
		return nil, session(r).Reset(r.Context(), b.Victim)
	})
	route(mux, "POST /control/end", func(r *http.Request, _ struct{}) (any, error) {
		return nil, session(r).End(r.Context())
	})
	route(mux, "POST /control/profile", func(r *http.Request, b struct{ Name string }) (any, error) {
		return nil, session(r).SetSAMLProfile(r.Context(), b.Name)
	})
	route(mux, "POST /control/login", func(r *http.Request, u samlidp.User) (any, error) {
		return nil, session(r).LoginAs(r.Context(), u)
	})
	route(mux, "POST /control/arm", func(r *http.Request, arm armRequest) (any, error) {
		s, ctx := session(r), r.Context()
		switch {
		case arm.Attack != "":
			return nil, s.ArmAttack(ctx, arm.Attack, arm.Twin)
		case arm.Breakage != "":
			return nil, s.ArmBreakage(ctx, arm.Breakage)
		case arm.Timing != nil:
			return nil, s.ArmTiming(ctx, *arm.Timing)
		}
		d, err := time.ParseDuration(arm.NotBeforeAhead)
		if err != nil {
			return nil, fmt.Errorf("notBeforeAhead: %w", err)
		}
		return nil, s.ArmNotBefore(ctx, d)
	})
	route(mux, "GET /control/canary", func(r *http.Request, _ struct{}) (any, error) {
		n, err := session(r).CanaryHits(r.Context())
		return map[string]int{"hits": n}, err
	})
	return mux
}

// route serves one control operation: a JSON body decoded into a fresh T,
// the answer as JSON, an error as 400 with {"error": ...}.
func route[T any](mux *http.ServeMux, pattern string, f func(*http.Request, T) (any, error)) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		var body T
		if r.Method == http.MethodPost {
			if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad body: " + err.Error()})
				return
			}
		}
		out, err := f(r, body)
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
}

var (
	_ Control = (*Client)(nil)
	_ Session = remote{}
)

// Dial returns a Client for IdPs served by `idpconform fake saml|oidc --serve`.
func Dial(samlURL, oidcURL string) *Client {
	return &Client{samlURL: strings.TrimSuffix(samlURL, "/"), oidcURL: strings.TrimSuffix(oidcURL, "/"), http: browser.LoopbackClient()}
}

// HasSAML implements Control.
func (c *Client) HasSAML() bool { return c.samlURL != "" }

// HasOIDC implements Control.
func (c *Client) HasOIDC() bool { return c.oidcURL != "" }

// call sends body to path on every IdP that wants it (saml, oidc or both),
// in session (none: "").
func (c *Client) call(ctx context.Context, session, method, path string, body, out any, bases ...string) error {
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
		if session != "" {
			req.Header.Set(SessionHeader, session)
		}
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
	if err := c.call(ctx, "", http.MethodPost, "/control/trust", sp, nil, c.oidcURL); err != nil {
		return "", err
	}
	if c.samlURL == "" || sp.SAML == nil {
		return "", nil
	}
	if err := c.call(ctx, "", http.MethodPost, "/control/trust", sp, &out, c.samlURL); err != nil {
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

// Session implements Control.
func (c *Client) Session(ctx context.Context, victim string) (Session, error) {
	s := remote{c: c, id: newSessionID()}
	return s, s.Reset(ctx, victim)
}

// remote is a session of IdPs driven through their control API.
type remote struct {
	c  *Client
	id string
}

func (s remote) post(ctx context.Context, path string, body any, bases ...string) error {
	return s.c.call(ctx, s.id, http.MethodPost, path, body, nil, bases...)
}

// Identify implements Session.
func (s remote) Identify(req *http.Request) { identify(req, s.id, s.c.samlURL, s.c.oidcURL) }

// Reset implements Session.
func (s remote) Reset(ctx context.Context, victim string) error {
	return s.post(ctx, "/control/reset", map[string]string{"victim": victim}, s.c.samlURL, s.c.oidcURL)
}

// End implements Session.
func (s remote) End(ctx context.Context) error {
	return s.post(ctx, "/control/end", struct{}{}, s.c.samlURL, s.c.oidcURL)
}

// SetSAMLProfile implements Session.
func (s remote) SetSAMLProfile(ctx context.Context, name string) error {
	return s.post(ctx, "/control/profile", map[string]string{"name": name}, s.c.samlURL)
}

// LoginAs implements Session.
func (s remote) LoginAs(ctx context.Context, u samlidp.User) error {
	return s.post(ctx, "/control/login", u, s.c.samlURL, s.c.oidcURL)
}

// ArmAttack implements Session.
func (s remote) ArmAttack(ctx context.Context, id string, twin bool) error {
	return s.post(ctx, "/control/arm", armRequest{Attack: id, Twin: twin}, s.c.samlURL)
}

// ArmNotBefore implements Session.
func (s remote) ArmNotBefore(ctx context.Context, ahead time.Duration) error {
	return s.post(ctx, "/control/arm", armRequest{NotBeforeAhead: ahead.String()}, s.c.samlURL)
}

// ArmTiming implements Session.
func (s remote) ArmTiming(ctx context.Context, t samlidp.Timing) error {
	return s.post(ctx, "/control/arm", armRequest{Timing: &t}, s.c.samlURL)
}

// ArmBreakage implements Session.
func (s remote) ArmBreakage(ctx context.Context, id string) error {
	return s.post(ctx, "/control/arm", armRequest{Breakage: id}, s.c.oidcURL)
}

// CanaryHits implements Session.
func (s remote) CanaryHits(ctx context.Context) (int, error) {
	var out struct{ Hits int }
	err := s.c.call(ctx, s.id, http.MethodGet, "/control/canary", nil, &out, s.c.samlURL)
	return out.Hits, err
}

// IdPInitiatedURL implements Session.
func (s remote) IdPInitiatedURL(spEntityID, relay string) string {
	return idpInitiatedURL(s.c.samlURL, spEntityID, relay)
}

func idpInitiatedURL(base, spEntityID, relay string) string {
	q := url.Values{"sp": {spEntityID}}
	if relay != "" {
		q.Set("relay", relay)
	}
	return base + samlidp.IdPInitiatedPath + "?" + q.Encode()
}
