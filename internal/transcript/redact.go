package transcript

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Redacted replaces every secret in recorded traffic.
const Redacted = "[REDACTED]"

// sensitiveHeaders never appear in a transcript, whatever their value.
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
}

// sensitiveFields are JSON members whose values are secrets in SCIM and
// OAuth bodies.
var sensitiveFields = map[string]bool{
	"password": true, "access_token": true, "refresh_token": true, "client_secret": true, "id_token": true,
}

// Redactor hides known secret values and secret-bearing fields.
type Redactor struct {
	secrets []string
}

// NewRedactor hides each non-empty secret wherever it appears.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if len(s) >= 4 { // shorter values would redact ordinary text
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// String replaces every known secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Redacted)
	}
	return s
}

// Header copies h with secret headers and known secrets redacted.
func (r *Redactor) Header(h http.Header) map[string][]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = []string{redactScheme(vs)}
			continue
		}
		cp := make([]string, len(vs))
		for i, v := range vs {
			cp[i] = r.String(v)
		}
		out[k] = cp
	}
	return out
}

// redactScheme keeps the auth scheme ("Bearer") so a reader can still see
// which kind of credential was sent.
func redactScheme(vs []string) string {
	if len(vs) == 0 {
		return Redacted
	}
	if scheme, _, ok := strings.Cut(vs[0], " "); ok && len(scheme) < 16 {
		return scheme + " " + Redacted
	}
	return Redacted
}

// Body redacts a request or response body: secret JSON members by name,
// then known secret values anywhere.
func (r *Redactor) Body(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(b, &v) == nil && scrub(v) {
		if out, err := json.Marshal(v); err == nil {
			b = out
		}
	}
	return r.String(string(b))
}

// scrub blanks sensitive members in place and reports whether it changed any.
func scrub(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if sensitiveFields[strings.ToLower(k)] {
				t[k] = Redacted
				changed = true
				continue
			}
			changed = scrub(child) || changed
		}
	case []any:
		for _, child := range t {
			changed = scrub(child) || changed
		}
	}
	return changed
}
