package transcript

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
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

// Shorter values would redact ordinary text: a secret given up front must
// have minSecret bytes, one learned from traffic (a cookie) minLearned.
const (
	minSecret  = 4
	minLearned = 8
	maxLearned = 512
)

// Redactor hides known secret values, in every encoding a target may echo
// them in, and secret-bearing fields and signatures. Secrets learned during
// the run (issued tokens, session cookies) are added with Add; it is safe
// for concurrent use.
type Redactor struct {
	mu       sync.RWMutex
	known    map[string]bool
	replacer *strings.Replacer // nil until a secret is known
	screen   *screen           // whether a string holds a known secret at all
	quotes   bool              // a known secret holds " or \, which JSON escapes
}

// NewRedactor hides each non-empty secret wherever it appears.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add hides more secrets from now on. A nil Redactor ignores them.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := false
	for _, s := range secrets {
		if len(s) < minSecret || r.known[s] {
			continue
		}
		if r.known == nil {
			r.known = map[string]bool{}
		}
		r.known[s] = true
		r.quotes = r.quotes || strings.ContainsAny(s, `"\`)
		changed = true
	}
	if !changed {
		return
	}
	set := map[string]bool{}
	for s := range r.known {
		for _, f := range encodings(s) {
			set[f] = true
		}
	}
	// Longest first, so that a secret holding another is replaced whole.
	forms := slices.SortedFunc(maps.Keys(set), func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	r.replacer = strings.NewReplacer(pairs...)
	r.screen = newScreen(forms)
}

// screen tells whether a string holds any of the forms, so that String
// runs the replacer only on the few that do: the replacer looks at every
// byte through a trie and copies the string, ten times the time of this
// pass. The first four bytes of each form set a bit; only where a bit is
// set are the forms starting with those bytes compared.
type screen struct {
	bits  [1 << 16 / 64]uint64
	forms map[uint32][]string // by their first four bytes
	short bool                // a form is shorter than four bytes: every string may hold it
}

func newScreen(forms []string) *screen {
	sc := &screen{forms: map[uint32][]string{}}
	for _, f := range forms {
		if len(f) < 4 {
			sc.short = true
			continue
		}
		g := gram(f, 0)
		h := gramHash(g)
		sc.bits[h/64] |= 1 << (h % 64)
		sc.forms[g] = append(sc.forms[g], f)
	}
	return sc
}

func gram(s string, i int) uint32 {
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

func gramHash(g uint32) uint32 { return (g * 2654435761) >> 16 }

// holds says whether s contains one of the forms.
func (sc *screen) holds(s string) bool {
	if sc.short {
		return true
	}
	for i := 0; i+4 <= len(s); i++ {
		g := gram(s, i)
		if h := gramHash(g); sc.bits[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		for _, f := range sc.forms[g] {
			if strings.HasPrefix(s[i:], f) {
				return true
			}
		}
	}
	return false
}

// encodings are the forms a secret takes when a target echoes it: as is,
// base64 (a basic credential), URL- and JSON-escaped.
func encodings(s string) []string {
	b := []byte(s)
	out := []string{s,
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
		url.QueryEscape(s), url.PathEscape(s)}
	if j, err := json.Marshal(s); err == nil {
		q := string(j[1 : len(j)-1])
		out = append(out, q, strings.ReplaceAll(q, "/", `\/`))
	}
	return out
}

// learnCookies adds the values of the cookies h sets or sends: a session
// cookie a target echoes in a body must not show there either.
func (r *Redactor) learnCookies(h http.Header) {
	if r == nil || len(h) == 0 {
		return
	}
	var values []string
	for _, c := range (&http.Response{Header: h}).Cookies() {
		values = append(values, c.Value)
	}
	for _, c := range (&http.Request{Header: h}).Cookies() {
		values = append(values, c.Value)
	}
	values = slices.DeleteFunc(values, func(v string) bool { return !sessionLike(v) })
	r.mu.RLock()
	full := len(r.known) >= maxLearned
	r.mu.RUnlock()
	if !full { // a target setting a new cookie per answer must not make each redaction slower
		r.Add(values...)
	}
}

// sessionLike tells a session id from a value such as "accepted", which
// would redact ordinary words: long enough, with letters and digits.
func sessionLike(v string) bool {
	return len(v) >= minLearned && strings.ContainsAny(v, "0123456789") &&
		strings.IndexFunc(v, func(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }) >= 0
}

// String replaces every known secret in s, the signature of every JWT, and
// the signatures of every SAML message.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		rep, sc := r.replacer, r.screen
		r.mu.RUnlock()
		if rep != nil && sc.holds(s) {
			s = rep.Replace(s)
		}
	}
	return signatures(s)
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
	if scheme, _, ok := strings.Cut(vs[0], " "); ok && len(scheme) < 16 && !strings.Contains(scheme, "=") {
		return scheme + " " + Redacted
	}
	return Redacted
}

// Body redacts a request or response body. A JSON body loses its secret
// members by name and has each string redacted as decoded, so escapes
// (`\/`, `\u003c`) hide nothing; any other body is redacted as text.
func (r *Redactor) Body(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if out, ok := r.JSON(b); ok {
		return string(out)
	}
	return r.String(string(b))
}

// JSON redacts every string in a JSON document (members named in
// sensitiveFields whole). ok is false if b is not JSON; b comes back as
// it was when nothing needed redacting.
func (r *Redactor) JSON(b []byte) (out []byte, ok bool) {
	if r.plain(b) {
		return b, json.Valid(b)
	}
	return r.walked(b)
}

// walked is JSON the long way: decoded, walked and encoded again.
func (r *Redactor) walked(b []byte) (out []byte, ok bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || len(bytes.Trim(b[d.InputOffset():], " \t\r\n")) > 0 { // one document, then only JSON whitespace
		return nil, false
	}
	v, changed := r.walk(v)
	if !changed {
		return b, true
	}
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if e.Encode(v) != nil {
		return nil, false
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), true
}

// plain says that walking b would change nothing, without decoding it: no
// escape that could hide a secret (only \" as in an ETag, and no secret
// holds a quote), no secret member or SAMLResponse, and nothing the text
// redaction would touch. Most SCIM bodies are plain, and decoding every
// one was the costliest part of recording a run.
func (r *Redactor) plain(b []byte) bool {
	for rest := b; ; {
		i := bytes.IndexByte(rest, '\\')
		if i < 0 {
			break
		}
		if i+1 == len(rest) || rest[i+1] != '"' || r.hasQuotes() {
			return false
		}
		rest = rest[i+2:]
	}
	lower := bytes.ToLower(b)
	for f := range sensitiveFields {
		if bytes.Contains(lower, []byte(f)) {
			return false
		}
	}
	if bytes.Contains(lower, []byte("samlresponse")) {
		return false
	}
	s := string(b)
	return r.String(s) == s
}

func (r *Redactor) hasQuotes() bool {
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.quotes
}

// walk redacts v's strings and reports whether it changed any.
func (r *Redactor) walk(v any) (any, bool) {
	changed := false
	switch t := v.(type) {
	case string:
		s := r.String(t)
		return s, s != t
	case map[string]any:
		for k, child := range t {
			if rk := r.String(k); rk != k { // a secret echoed as a member name
				delete(t, k)
				k, t[rk], changed = rk, child, true
			}
			if sensitiveFields[strings.ToLower(k)] {
				if child != Redacted {
					t[k], changed = Redacted, true
				}
				continue
			}
			if str, ok := child.(string); ok && strings.EqualFold(k, "SAMLResponse") {
				if red := samlValue(str); red != str {
					t[k], changed = red, true
				}
				continue
			}
			var c bool
			t[k], c = r.walk(child)
			changed = changed || c
		}
	case []any:
		for i, child := range t {
			var c bool
			t[i], c = r.walk(child)
			changed = changed || c
		}
	}
	return v, changed
}

var (
	// jwe and jws are compact JOSE tokens (id_token, JWT access tokens):
	// the header and claims stay readable, what makes the token usable goes.
	jwe = regexp.MustCompile(`(eyJ[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)
	jws = regexp.MustCompile(`(eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]{16,}`)
	// xmlSecret is the content of a SAML signature or of an encrypted
	// assertion, which would let a reader replay the message.
	xmlSecret = regexp.MustCompile(`(<(?:[A-Za-z0-9_.-]+:)?(?:SignatureValue|CipherValue)\b[^>]*>)[^<]*`)
	// xmlSecretJSON is the same in XML quoted by a JSON encoder, which
	// writes < and > as \u003c and \u003e.
	xmlSecretJSON = regexp.MustCompile(`(\\u003c(?:[A-Za-z0-9_.-]+:)?(?:SignatureValue|CipherValue)\b.*?\\u003e)[^\\<]*`)
	// jsonField and formField are secret members in text that quotes a
	// body: a failure message, an echoed request, a form.
	jsonField = regexp.MustCompile(`((?i:\\?"(?:password|access_token|refresh_token|client_secret)\\?"\s*:\s*\\?"))(?:[^"\\]|\\[^"])*`)
	// An authorization code (RFC 6749 §4.1.2) in a callback URL or a token
	// request can be redeemed once: it goes too.
	formField = regexp.MustCompile(`((?i:\b(?:password|access_token|refresh_token|client_secret|code)=))[^&\s"]*`)
)

// signatures redacts secret members, JWT and SAML signatures in s.
func signatures(s string) string {
	if hasFold(s, "password") || hasFold(s, "_token") || hasFold(s, "client_secret") || hasFold(s, "code=") {
		s = jsonField.ReplaceAllString(s, "${1}"+Redacted)
		s = formField.ReplaceAllString(s, "${1}"+Redacted)
	}
	if strings.Contains(s, "eyJ") {
		s = jwe.ReplaceAllString(s, "${1}"+Redacted)
		s = jws.ReplaceAllString(s, "${1}"+Redacted)
	}
	if strings.Contains(s, "SAMLResponse") {
		s = samlParams(s)
	}
	if strings.Contains(s, "Value") {
		s = xmlSecret.ReplaceAllString(s, "${1}"+Redacted)
		s = xmlSecretJSON.ReplaceAllString(s, "${1}"+Redacted)
	}
	return s
}

// hasFold says whether s holds the lower-case ASCII word w in any case,
// without the copy strings.ToLower makes of a body tens of kilobytes long.
func hasFold(s, w string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf { // K (Kelvin) folds to k, ſ to s: let ToLower say
			return strings.Contains(strings.ToLower(s), w)
		}
	}
	first := string([]byte{w[0], w[0] &^ 0x20}) // w[0] in either case
	for i := strings.IndexAny(s, first); i >= 0 && i+len(w) <= len(s); {
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
		j := strings.IndexAny(s[i+1:], first)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// samlParams redacts each SAMLResponse in s: a form or query parameter
// (SAMLResponse=), a printed url.Values (SAMLResponse:[), a JSON member
// or a hidden input of a POST-binding page (SAMLResponse" value=). It
// scans by hand: as a regular expression it was a tenth of a run's CPU,
// on values of ten kilobytes. TestSAMLParamsAsTheExpression holds it to
// the expression it replaces.
func samlParams(s string) string {
	const name = "SAMLResponse"
	var b strings.Builder
	done := 0 // s[:done] is in b
	for at := 0; ; {
		i := strings.Index(s[at:], name)
		if i < 0 {
			break
		}
		start := at + i + len(name)
		at = start
		sep, n := samlSeparator(s[start:])
		if sep < 0 {
			continue
		}
		b.WriteString(s[done : start+sep])
		b.WriteString(samlValue(s[start+sep : start+sep+n]))
		done = start + sep + n
		at = done
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// samlSeparator is the length of what joins SAMLResponse to its value in
// s, tried in the order `=`, `:[`, `:`, `"\s*:\s*"`, `"\s+value="`, and
// the length of the value after it; sep is -1 when none is followed by a
// value.
func samlSeparator(s string) (sep, n int) {
	spaces := func(i int) int {
		for i < len(s) && strings.IndexByte("\t\n\f\r ", s[i]) >= 0 {
			i++
		}
		return i
	}
	var tries []int
	for _, p := range []string{"=", ":[", ":"} {
		if strings.HasPrefix(s, p) {
			tries = append(tries, len(p))
		}
	}
	if strings.HasPrefix(s, `"`) {
		if i := spaces(1); strings.HasPrefix(s[i:], ":") {
			if j := spaces(i + 1); strings.HasPrefix(s[j:], `"`) {
				tries = append(tries, j+1)
			}
		}
		if i := spaces(1); i > 1 && strings.HasPrefix(s[i:], `value="`) {
			tries = append(tries, i+len(`value="`))
		}
	}
	for _, t := range tries {
		if n := samlValueLen(s[t:]); n > 0 {
			return t, n
		}
	}
	return -1, 0
}

// samlValueLen is how many bytes of s can be an encoded SAMLResponse:
// base64, percent- and HTML-escapes, and the '&' of a next parameter
// (samlValue cuts there).
func samlValueLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("%+/=_&#;-", c) >= 0) {
			return i
		}
	}
	return len(s)
}

// samlValue redacts one encoded SAMLResponse: decoded, its signatures
// redacted and encoded again as it came, so a reader can still decode the
// XML; a value that does not decode to XML goes whole.
func samlValue(v string) string {
	// A form value stops at the next parameter; "&#43;" is an HTML-escaped '+'.
	v, rest := cutParam(v)
	escaped := strings.Contains(v, "%")
	s := html.UnescapeString(v)
	if escaped {
		u, err := url.PathUnescape(s)
		if err != nil {
			return Redacted + rest
		}
		s = u
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !bytes.Contains(raw, []byte("<")) {
		return Redacted + rest
	}
	enc := base64.StdEncoding.EncodeToString([]byte(xmlSecret.ReplaceAllString(string(raw), "${1}"+Redacted)))
	if escaped {
		enc = url.QueryEscape(enc)
	}
	return enc + rest
}

// cutParam splits a matched value at an '&' that is not an HTML escape.
func cutParam(v string) (value, rest string) {
	for i := 0; i < len(v); i++ {
		if v[i] == '&' && !strings.HasPrefix(v[i:], "&#") {
			return v[:i], v[i:]
		}
	}
	return v, ""
}
