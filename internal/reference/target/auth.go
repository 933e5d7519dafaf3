package target

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorized checks the credential (RFC 7644 §2): a bearer token, or HTTP
// Basic with any user name and the token as the password. The comparison is
// constant-time so the token cannot be guessed byte by byte.
func (s *Server) authorized(r *http.Request) bool {
	if s.has(Missing401) {
		return true
	}
	got := ""
	if _, pass, ok := r.BasicAuth(); ok {
		got = pass
	} else if scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		got = strings.TrimSpace(tok)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}
