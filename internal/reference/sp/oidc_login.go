package sp

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

const (
	stateCookie = "idpc_sp_oidc_state"
	stateTTL    = 10 * time.Minute
)

// serveOIDCLogin starts the authorization-code flow with PKCE S256, a
// fresh state bound to this browser by a cookie, and a fresh nonce.
// ?return= is where to go afterwards.
func (s *SP) serveOIDCLogin(w http.ResponseWriter, r *http.Request) {
	d, err := s.oidc.discover(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	var vals [3]string // state, nonce, verifier
	for i := range vals {
		if vals[i], err = token(s.opts.Rand, 32); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	state, nonce, verifier := vals[0], vals[1], vals[2]
	sum := sha256.Sum256([]byte(verifier))
	u, err := url.Parse(d.AuthorizationEndpoint)
	if err != nil {
		http.Error(w, fmt.Sprintf("sp: oidc: authorization endpoint: %v", err), http.StatusBadGateway)
		return
	}
	q := u.Query()
	for k, v := range map[string]string{
		"response_type": "code", "client_id": s.opts.OIDC.ClientID, "redirect_uri": s.redirectURI(),
		"scope": "openid email profile groups", "state": state, "nonce": nonce,
		"code_challenge": base64.RawURLEncoding.EncodeToString(sum[:]), "code_challenge_method": "S256",
	} {
		q.Set(k, v)
	}
	if s.has(OmitsPKCE) {
		q.Del("code_challenge")
		q.Del("code_challenge_method")
	}
	u.RawQuery = q.Encode()
	s.oidc.pending.put(state, oidcPending{nonce: nonce, verifier: verifier, relay: r.URL.Query().Get("return")}, stateTTL)
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: state, Path: OIDCCallbackPath, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: int(stateTTL.Seconds())})
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (s *SP) redirectURI() string { return s.opts.BaseURL + OIDCCallbackPath }

// RedirectURI is the OIDC callback URL to register at the provider.
func (s *SP) RedirectURI() string { return s.redirectURI() }

// serveOIDCCallback finishes the flow: state, code exchange, ID token
// checks, userinfo with a matching sub, then login.
func (s *SP) serveOIDCCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, err := r.Cookie(stateCookie)
	if err != nil || q.Get("state") == "" || c.Value != q.Get("state") {
		s.deny(w, fmt.Errorf("sp: oidc: state does not match this browser"))
		return
	}
	p, ok := s.oidc.pending.take(q.Get("state"))
	if !ok {
		s.deny(w, fmt.Errorf("sp: oidc: state is not outstanding"))
		return
	}
	if e := q.Get("error"); e != "" {
		s.deny(w, fmt.Errorf("sp: oidc: provider said %s: %s", e, q.Get("error_description")))
		return
	}
	id, err := s.oidcIdentity(r, q.Get("code"), p)
	if err != nil {
		s.deny(w, err)
		return
	}
	s.login(w, r, id, p.relay)
}

// oidcIdentity exchanges the code and returns who logged in.
func (s *SP) oidcIdentity(r *http.Request, code string, p oidcPending) (Identity, error) {
	ctx := r.Context()
	d, err := s.oidc.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		IDToken     string `json:"id_token"`
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {s.redirectURI()}, "code_verifier": {p.verifier}}
	if err := s.oidc.postForm(ctx, d.TokenEndpoint, form, &tok); err != nil {
		return Identity{}, fmt.Errorf("sp: oidc: token: %w", err)
	}
	claims, err := s.verifyIDToken(ctx, tok.IDToken, p.nonce)
	if err != nil {
		return Identity{}, err
	}
	var info map[string]any
	if err := s.oidc.getJSON(ctx, d.UserinfoEndpoint, tok.AccessToken, &info); err != nil {
		return Identity{}, fmt.Errorf("sp: oidc: userinfo: %w", err)
	}
	// OIDC Core §5.3.2: the userinfo sub MUST match the ID token's, or the
	// answer must not be used.
	// The SkipsIDTokenSub fault compares only when the ID token has a sub.
	compare := !s.has(SkipsUserinfoSub) && (str(claims["sub"]) != "" || !s.has(SkipsIDTokenSub))
	if compare && str(info["sub"]) != str(claims["sub"]) {
		return Identity{}, fmt.Errorf("sp: oidc: userinfo sub %q is not the ID token sub %q", str(info["sub"]), str(claims["sub"]))
	}
	id := Identity{
		UserName: str(info["preferred_username"]), Email: str(info["email"]),
		GivenName: str(info["given_name"]), FamilyName: str(info["family_name"]),
	}
	if id.UserName == "" {
		id.UserName = id.Email
	}
	if gs, ok := info["groups"].([]any); ok {
		id.HasGroups = true
		for _, g := range gs {
			id.Groups = append(id.Groups, str(g))
		}
	}
	return id, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
