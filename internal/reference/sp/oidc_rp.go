package sp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
)

// rp is the OpenID Connect relying party's state: the provider's
// configuration and keys, and the logins in flight.
type rp struct {
	s       *SP
	mu      sync.Mutex
	disc    *discovery
	keys    []jose.JSONWebKey
	pending *store[oidcPending] // state -> what the callback must match
}

type discovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	UserinfoEndpoint      string `json:"userinfo_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
}

type oidcPending struct {
	nonce, verifier, relay string
}

func newRP(s *SP) *rp { return &rp{s: s, pending: newStore[oidcPending](s.now)} }

// discover fetches and caches the provider configuration (Discovery §4.3:
// its issuer must be exactly the configured one).
func (o *rp) discover(ctx context.Context) (*discovery, error) {
	o.mu.Lock()
	d := o.disc
	o.mu.Unlock()
	if d != nil {
		return d, nil
	}
	d = &discovery{}
	if err := o.getJSON(ctx, o.s.opts.OIDC.Issuer+"/.well-known/openid-configuration", "", d); err != nil {
		return nil, fmt.Errorf("sp: oidc: discovery: %w", err)
	}
	if d.Issuer != o.s.opts.OIDC.Issuer {
		return nil, fmt.Errorf("sp: oidc: discovery issuer %q is not %q", d.Issuer, o.s.opts.OIDC.Issuer)
	}
	o.mu.Lock()
	o.disc = d
	o.mu.Unlock()
	return d, nil
}

// keysFor returns the keys to verify a token with kid: the key with that
// kid, refreshing the JWKS once if it is unknown (key rotation); with no
// kid, the only key. The IgnoresKid fault falls back to every key.
func (o *rp) keysFor(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	for attempt := 0; attempt < 2; attempt++ {
		o.mu.Lock()
		keys := o.keys
		o.mu.Unlock()
		if keys == nil || attempt == 1 {
			var err error
			if keys, err = o.fetchKeys(ctx); err != nil {
				return nil, err
			}
		}
		if kid == "" && len(keys) == 1 {
			return keys, nil
		}
		for _, k := range keys {
			if k.KeyID == kid && kid != "" {
				return []jose.JSONWebKey{k}, nil
			}
		}
		if o.s.has(IgnoresKid) {
			return keys, nil
		}
	}
	return nil, fmt.Errorf("sp: oidc: no key with kid %q", kid)
}

func (o *rp) fetchKeys(ctx context.Context) ([]jose.JSONWebKey, error) {
	d, err := o.discover(ctx)
	if err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := o.getJSON(ctx, d.JWKSURI, "", &set); err != nil {
		return nil, fmt.Errorf("sp: oidc: jwks: %w", err)
	}
	o.mu.Lock()
	o.keys = set.Keys
	o.mu.Unlock()
	return set.Keys, nil
}

// getJSON GETs u (with a bearer token if given) into v.
func (o *rp) getJSON(ctx context.Context, u, bearer string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return o.do(req, v)
}

// postForm POSTs form to u with client_secret_basic authentication.
func (o *rp) postForm(ctx context.Context, u string, form url.Values, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(o.s.opts.OIDC.ClientID), url.QueryEscape(o.s.opts.OIDC.ClientSecret))
	return o.do(req, v)
}

func (o *rp) do(req *http.Request, v any) error {
	resp, err := o.s.opts.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s %s: decode: %w", req.Method, req.URL, err)
	}
	return nil
}
