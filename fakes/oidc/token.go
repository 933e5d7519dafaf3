package oidc

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// serveToken exchanges a code (OIDC Core §3.1.3): one use, same
// redirect_uri, client authenticated, PKCE verifier matching.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	c, known := p.client(id)
	if !known || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only authorization_code")
		return
	}
	p.mu.Lock()
	g := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code")) // single use, even when the rest fails
	p.mu.Unlock()
	switch {
	case g == nil || g.client.ID != c.ID || !p.opts.Clock().Before(g.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown, used or expired code")
		return
	case g.redirect != r.PostForm.Get("redirect_uri"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
		return
	case !pkceMatches(g.challenge, r.PostForm.Get("code_verifier")):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match code_challenge")
		return
	}
	idToken, err := p.mintIDToken(g)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	access, err := p.random(24)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	p.mu.Lock()
	p.tokens[access] = g
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "Bearer",
		"expires_in": int(p.opts.TokenTTL.Seconds()), "id_token": idToken,
	})
}

// pkceMatches checks RFC 7636 §4.6 for S256.
func pkceMatches(challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

// serveUserinfo answers OIDC Core §5.3 for a bearer access token.
func (p *Provider) serveUserinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	g := p.tokens[tok]
	p.mu.Unlock()
	if !ok || g == nil || !p.opts.Clock().Before(g.expires.Add(p.opts.TokenTTL)) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		oauthError(w, http.StatusUnauthorized, "invalid_token", "unknown or expired access token")
		return
	}
	claims := userClaims(g.user)
	claims["sub"] = g.user.Subject
	if g.breakage != nil && g.breakage.Userinfo != nil {
		g.breakage.Userinfo(claims, g.victim)
	}
	writeJSON(w, http.StatusOK, claims)
}

func userClaims(u User) map[string]any {
	c := map[string]any{"preferred_username": u.UserName}
	if u.Email != "" {
		c["email"], c["email_verified"] = u.Email, true
	}
	if u.GivenName != "" {
		c["given_name"] = u.GivenName
	}
	if u.FamilyName != "" {
		c["family_name"] = u.FamilyName
	}
	if u.Groups != nil {
		c["groups"] = u.Groups
	}
	return c
}
