package oidc

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Token is how an ID token is signed; a Breakage may change any of it.
type Token struct {
	Alg    jose.SignatureAlgorithm
	Kid    string
	Claims map[string]any
	// Key is the signing key: the provider's RSA key unless a breakage
	// substitutes another (HS256 keyed with the public key).
	Key any
}

// mintIDToken builds the ID token of g (OIDC Core §2), applying g's
// breakage.
func (p *Provider) mintIDToken(g *grant) (string, error) {
	now := p.opts.Clock()
	claims := userClaims(g.user)
	for k, v := range map[string]any{
		"iss": p.opts.Issuer, "sub": g.user.Subject, "aud": g.client.ID,
		"iat": now.Unix(), "exp": now.Add(p.opts.TokenTTL).Unix(), "auth_time": now.Unix(),
	} {
		claims[k] = v
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	t := &Token{Alg: jose.RS256, Kid: p.kid, Claims: claims, Key: p.key}
	b := g.breakage
	if b != nil && b.Claims != nil {
		b.Claims(t, p, now)
	}
	s, err := sign(t)
	if err != nil {
		return "", err
	}
	if b != nil && b.After != nil {
		return b.After(s)
	}
	return s, nil
}

// sign serialises t as a compact JWS with go-jose.
func sign(t *Token) (string, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	key := jose.SigningKey{Algorithm: t.Alg, Key: t.Key}
	if t.Kid != "" {
		key.Key = jose.JSONWebKey{Key: t.Key, KeyID: t.Kid, Algorithm: string(t.Alg)}
	}
	signer, err := jose.NewSigner(key, opts)
	if err != nil {
		return "", fmt.Errorf("oidc: new signer: %w", err)
	}
	s, err := jwt.Signed(signer).Claims(t.Claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("oidc: sign id token: %w", err)
	}
	return s, nil
}

// PublicKeyPEM is the provider's public key as PKIX PEM: the "secret" an
// algorithm-confusion attack uses for HS256.
func (p *Provider) PublicKeyPEM() []byte {
	der, _ := x509.MarshalPKIXPublicKey(&p.key.PublicKey) // an RSA key always marshals
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// flipSignature corrupts the signature part of a compact JWS.
func flipSignature(s string) (string, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("oidc: not a compact JWS")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) == 0 {
		return "", fmt.Errorf("oidc: bad signature encoding")
	}
	sig[len(sig)/2] ^= 0x01
	parts[2] = base64.RawURLEncoding.EncodeToString(sig)
	return strings.Join(parts, "."), nil
}

// algNone rewrites a go-jose-signed token to alg "none" with an empty
// signature. go-jose v4 refuses to produce such a token (rightly), so only
// the header is written here; the claims are go-jose's.
func algNone(s string) (string, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("oidc: not a compact JWS")
	}
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	return header + "." + parts[1] + ".", nil
}
