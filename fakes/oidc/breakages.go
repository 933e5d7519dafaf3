package oidc

import (
	"fmt"
	"sort"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Breakage breaks one login on purpose: the ID token's claims or signing,
// or the userinfo answer. IDs follow the OpenID RP certification tests
// (shared/sso-negative.md §4) where one exists.
type Breakage struct {
	ID          string
	Description string
	// Claims edits the token before signing.
	Claims func(t *Token, p *Provider, now time.Time)
	// After edits the signed compact token.
	After func(s string) (string, error)
	// Userinfo edits the userinfo claims; victim is Options.Victim.
	Userinfo func(claims map[string]any, victim string)
}

var breakages = []Breakage{
	{ID: "rp-id_token-bad-sig-rs256", Description: "RS256 signature corrupted",
		After: flipSignature},
	{ID: "rp-id_token-sig-none", Description: `alg "none", no signature, for a client registered for RS256`,
		After: algNone},
	{ID: "rp-id_token-hs256-public-key", Description: "HS256 keyed with the provider's RSA public key (algorithm confusion, RFC 8725 §3.1)",
		Claims: func(t *Token, p *Provider, _ time.Time) { t.Alg, t.Key = jose.HS256, p.PublicKeyPEM() }},
	{ID: "rp-id_token-issuer-mismatch", Description: "iss is another issuer",
		Claims: func(t *Token, _ *Provider, _ time.Time) { t.Claims["iss"] = "https://evil-op.example" }},
	{ID: "rp-id_token-aud", Description: "aud is another client",
		Claims: func(t *Token, _ *Provider, _ time.Time) { t.Claims["aud"] = "some-other-client" }},
	{ID: "rp-id_token-expired", Description: "exp ten minutes ago",
		Claims: func(t *Token, _ *Provider, now time.Time) {
			t.Claims["iat"] = now.Add(-20 * time.Minute).Unix()
			t.Claims["exp"] = now.Add(-10 * time.Minute).Unix()
		}},
	{ID: "rp-id_token-exp-just-past", Description: "exp three minutes ago, past a small leeway",
		Claims: func(t *Token, _ *Provider, now time.Time) {
			t.Claims["iat"] = now.Add(-8 * time.Minute).Unix()
			t.Claims["exp"] = now.Add(-3 * time.Minute).Unix()
		}},
	{ID: "rp-id_token-iat", Description: "no iat",
		Claims: func(t *Token, _ *Provider, _ time.Time) { delete(t.Claims, "iat") }},
	{ID: "rp-id_token-iat-future", Description: "iat ten minutes in the future",
		Claims: func(t *Token, p *Provider, now time.Time) {
			t.Claims["iat"] = now.Add(10 * time.Minute).Unix()
			t.Claims["exp"] = now.Add(10*time.Minute + p.opts.TokenTTL).Unix()
		}},
	{ID: "rp-id_token-sub", Description: "no sub",
		Claims: func(t *Token, _ *Provider, _ time.Time) { delete(t.Claims, "sub") }},
	{ID: "rp-id_token-extra-aud", Description: "aud also names another client, and no azp",
		Claims: func(t *Token, _ *Provider, _ time.Time) {
			aud, _ := t.Claims["aud"].(string)
			t.Claims["aud"] = []string{aud, "some-other-client"}
			delete(t.Claims, "azp")
		}},
	{ID: "rp-nonce-invalid", Description: "nonce is not the one the RP sent",
		Claims: func(t *Token, _ *Provider, _ time.Time) { t.Claims["nonce"] = "not-the-nonce-you-sent" }},
	{ID: "rp-id_token-unknown-kid", Description: "signed with the real key under a kid the JWKS does not have",
		Claims: func(t *Token, _ *Provider, _ time.Time) { t.Kid = "unknown-kid" }},
	{ID: "rp-userinfo-bad-sub-claim", Description: "userinfo sub differs from the ID token's, and names the victim",
		Userinfo: func(c map[string]any, victim string) {
			c["sub"] = "someone-else"
			c["preferred_username"], c["email"] = victim, victim
		}},
}

// Breakages returns the table.
func Breakages() []Breakage { return append([]Breakage(nil), breakages...) }

// BreakageByID returns the breakage with the id.
func BreakageByID(id string) (Breakage, error) {
	for _, b := range breakages {
		if b.ID == id {
			return b, nil
		}
	}
	ids := make([]string, 0, len(breakages))
	for _, b := range breakages {
		ids = append(ids, b.ID)
	}
	sort.Strings(ids)
	return Breakage{}, fmt.Errorf("oidc: breakage %q: unknown (have %v)", id, ids)
}
