package sp

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// verifyIDToken checks an ID token as OIDC Core §3.1.3.7 asks: an
// allow-listed alg (RS256 only), a signature by the provider's key chosen
// by kid, iss, aud, exp, and the nonce this login sent.
func (s *SP) verifyIDToken(ctx context.Context, raw, nonce string) (map[string]any, error) {
	hdr, err := jwsHeader(raw)
	if err != nil {
		return nil, err
	}
	claims := map[string]any{}
	switch hdr.Alg {
	case "RS256":
		tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			return nil, fmt.Errorf("sp: oidc: parse id token: %w", err)
		}
		if s.has(SkipsIDTokenSignature) {
			err = tok.UnsafeClaimsWithoutVerification(&claims)
		} else {
			err = s.verifyWithKeys(ctx, tok, hdr.Kid, &claims)
		}
		if err != nil {
			return nil, err
		}
	case "none":
		if !s.has(AcceptsAlgNone) {
			return nil, fmt.Errorf("sp: oidc: alg none is not allowed")
		}
		parts := strings.Split(raw, ".")
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil || json.Unmarshal(payload, &claims) != nil {
			return nil, fmt.Errorf("sp: oidc: bad unsigned token")
		}
	case "HS256":
		if !s.has(AcceptsHS256PublicKey) {
			return nil, fmt.Errorf("sp: oidc: alg HS256 is not allowed")
		}
		if err := s.verifyHS256WithPublicKey(ctx, raw, hdr.Kid, &claims); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("sp: oidc: alg %q is not allowed", hdr.Alg)
	}
	return claims, s.checkClaims(claims, nonce)
}

type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

func jwsHeader(raw string) (header, error) {
	var h header
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return h, fmt.Errorf("sp: oidc: id token is not a compact JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return h, fmt.Errorf("sp: oidc: id token header: %w", err)
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("sp: oidc: id token header: %w", err)
	}
	return h, nil
}

func (s *SP) verifyWithKeys(ctx context.Context, tok *jwt.JSONWebToken, kid string, claims *map[string]any) error {
	keys, err := s.oidc.keysFor(ctx, kid)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tok.Claims(k.Key, claims); err == nil {
			return nil
		}
	}
	return fmt.Errorf("sp: oidc: id token signature does not verify")
}

// verifyHS256WithPublicKey is the AcceptsHS256PublicKey fault: the classic
// algorithm confusion, using the RSA public key's PEM as the HMAC secret.
func (s *SP) verifyHS256WithPublicKey(ctx context.Context, raw, kid string, claims *map[string]any) error {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		return fmt.Errorf("sp: oidc: parse id token: %w", err)
	}
	keys, err := s.oidc.keysFor(ctx, kid)
	if err != nil {
		return err
	}
	for _, k := range keys {
		pub, ok := k.Key.(*rsa.PublicKey)
		if !ok {
			continue
		}
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			continue
		}
		if tok.Claims(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), claims) == nil {
			return nil
		}
	}
	return fmt.Errorf("sp: oidc: id token signature does not verify")
}

// checkClaims checks the claims of a verified ID token (OIDC Core §2 and
// §3.1.3.7).
func (s *SP) checkClaims(c map[string]any, nonce string) error {
	o, now := s.opts.OIDC, s.now()
	leeway := s.opts.IDTokenLeeway
	if s.has(WideIDTokenLeeway) {
		leeway = 5 * time.Minute
	}
	if !s.has(SkipsIDTokenIssuer) && str(c["iss"]) != o.Issuer {
		return fmt.Errorf("sp: oidc: iss %q is not %q", str(c["iss"]), o.Issuer)
	}
	if !s.has(SkipsIDTokenAudience) {
		aud := audiences(c["aud"])
		if !slices.Contains(aud, o.ClientID) {
			return fmt.Errorf("sp: oidc: aud %v does not contain %q", aud, o.ClientID)
		}
		// §3.1.3.7 step 3: rejected "if it contains additional audiences
		// not trusted by the Client"; this client trusts none.
		if len(aud) > 1 && !s.has(AcceptsExtraAudiences) {
			return fmt.Errorf("sp: oidc: aud %v names audiences besides %q", aud, o.ClientID)
		}
		if azp, ok := c["azp"]; ok && str(azp) != o.ClientID && !s.has(AcceptsExtraAudiences) {
			return fmt.Errorf("sp: oidc: azp %q is not %q", str(azp), o.ClientID)
		}
	}
	if !s.has(SkipsIDTokenExpiry) {
		exp, ok := c["exp"].(float64)
		if !ok || !now.Before(time.Unix(int64(exp), 0).Add(leeway)) {
			return fmt.Errorf("sp: oidc: id token expired or without exp")
		}
	}
	iat, ok := c["iat"].(float64)
	if !ok && !s.has(SkipsIDTokenIat) {
		return fmt.Errorf("sp: oidc: id token without iat")
	}
	if ok && !s.has(AcceptsFutureIat) && time.Unix(int64(iat), 0).After(now.Add(leeway)) {
		return fmt.Errorf("sp: oidc: id token issued in the future (iat %d)", int64(iat))
	}
	if !s.has(SkipsNonce) && str(c["nonce"]) != nonce {
		return fmt.Errorf("sp: oidc: nonce does not match")
	}
	if str(c["sub"]) == "" && !s.has(SkipsIDTokenSub) {
		return fmt.Errorf("sp: oidc: id token without sub")
	}
	return nil
}

func audiences(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, 0, len(a))
		for _, x := range a {
			out = append(out, str(x))
		}
		return out
	}
	return nil
}
