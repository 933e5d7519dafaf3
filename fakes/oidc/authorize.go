package oidc

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// serveAuthorize handles the authorization-code request (OIDC Core
// §3.1.2). PKCE with S256 is required (RFC 7636; "plain" is refused).
func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, ok := p.client(q.Get("client_id"))
	if !ok {
		http.Error(w, "oidc: authorize: unknown client_id", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(c.RedirectURIs, redirect) {
		// Never redirect to an unregistered URI (RFC 6749 §4.1.2.1).
		http.Error(w, "oidc: authorize: redirect_uri not registered", http.StatusBadRequest)
		return
	}
	fail := func(code, desc string) {
		u, _ := url.Parse(redirect)
		v := u.Query()
		v.Set("error", code)
		v.Set("error_description", desc)
		v.Set("state", q.Get("state"))
		u.RawQuery = v.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only code is supported")
		return
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		fail("invalid_scope", "scope must include openid")
		return
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "PKCE with code_challenge_method=S256 is required")
		return
	}
	g := &grant{
		client: c, redirect: redirect, challenge: q.Get("code_challenge"), nonce: q.Get("nonce"),
		expires: p.opts.Clock().Add(p.opts.TokenTTL),
	}
	if !p.sessionOf(r).takeTurn(g) {
		fail("login_required", "no user logged in at the provider")
		return
	}
	code, err := p.random(24)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p.mu.Lock()
	p.codes[code] = g
	p.mu.Unlock()
	u, _ := url.Parse(redirect)
	v := u.Query()
	v.Set("code", code)
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}
