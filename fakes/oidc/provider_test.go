package oidc_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/idpconform/idpconform/fakes/oidc"
)

const redirect = "http://127.0.0.1:1/cb"

func newOP(t *testing.T) (*oidc.Provider, *httptest.Server) {
	t.Helper()
	var p *oidc.Provider
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	p, err := oidc.New(oidc.Options{Issuer: base, Clients: []oidc.Client{{ID: "c", Secret: "s", RedirectURIs: []string{redirect}}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p
	srv.Start()
	t.Cleanup(srv.Close)
	p.LoginAs(oidc.User{Subject: "s1", UserName: "ada", Email: "ada@example.com"})
	return p, srv
}

// authorize returns the Location the provider redirects to.
func authorize(t *testing.T, srv *httptest.Server, q url.Values) *url.URL {
	t.Helper()
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(srv.URL + oidc.AuthorizePath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d %v", resp.StatusCode, err)
	}
	return loc
}

func params(challenge string) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {"c"}, "redirect_uri": {redirect},
		"scope": {"openid"}, "state": {"st"}, "nonce": {"n1"}}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	return q
}

func exchange(t *testing.T, srv *httptest.Server, code, verifier string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+oidc.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("c", "s")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestPKCE(t *testing.T) {
	p, srv := newOP(t)
	if loc := authorize(t, srv, params("")); loc.Query().Get("error") != "invalid_request" {
		t.Fatalf("no PKCE: %v", loc)
	}
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	code := authorize(t, srv, params(base64.RawURLEncoding.EncodeToString(sum[:]))).Query().Get("code")
	if status, _ := exchange(t, srv, code, strings.Repeat("w", 50)); status != http.StatusBadRequest {
		t.Fatalf("wrong verifier: %d", status)
	}
	// The failed attempt used the code up.
	if status, _ := exchange(t, srv, code, verifier); status != http.StatusBadRequest {
		t.Fatalf("reused code: %d", status)
	}
	code = authorize(t, srv, params(base64.RawURLEncoding.EncodeToString(sum[:]))).Query().Get("code")
	status, body := exchange(t, srv, code, verifier)
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, body)
	}
	tok, err := jwt.ParseSigned(body["id_token"].(string), []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var claims jwt.Claims
	var extra struct {
		Nonce string `json:"nonce"`
	}
	if err := tok.Claims(p.JWKS().Keys[0].Key, &claims, &extra); err != nil {
		t.Fatal(err)
	}
	if claims.Issuer != p.Issuer() || claims.Subject != "s1" || extra.Nonce != "n1" || !claims.Audience.Contains("c") {
		t.Fatalf("claims %+v nonce %q", claims, extra.Nonce)
	}
}

func TestBreakageIDsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range oidc.Breakages() {
		if seen[b.ID] || b.Description == "" {
			t.Errorf("breakage %q duplicated or undescribed", b.ID)
		}
		seen[b.ID] = true
		if _, err := oidc.BreakageByID(b.ID); err != nil {
			t.Error(err)
		}
	}
}
