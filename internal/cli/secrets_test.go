package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/reference/target"
)

// Planted secrets, one of each kind, each unique so that a hit names it.
const (
	plantedBearer       = "planted-bearer-7f3c9a41"
	plantedPassword     = "planted-password-2b8e"
	plantedClientSecret = "planted-client-secret-c41d"
	plantedAccess       = "planted-access-token-9e07"
	plantedRefresh      = "planted-refresh-token-51aa"
	plantedCookie       = "planted-cookie-3f6b0d"
	plantedSAMLSig      = "cGxhbnRlZC1zYW1sLXNpZ25hdHVyZS04ZDE="
	plantedJWTSig       = "planted-jwt-signature-0c5e2f"
	plantedIssuedJWTSig = "planted-issued-id-token-signature-77b1"
)

const basicUser = "scim-admin"

var (
	plantedSAML = base64.StdEncoding.EncodeToString([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_e1"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>` + plantedSAMLSig + `</ds:SignatureValue></ds:Signature></samlp:Response>`))
	plantedJWT  = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ." + plantedJWTSig
	issuedJWT   = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ." + plantedIssuedJWTSig
)

// echo wraps a target so that every answer echoes what the request carried
// (its Authorization, Cookie and body) and what a session holds: a
// session cookie, set and echoed, a SAML response and an ID token, and
// extra secrets (tokens issued to the harness, a client secret).
type echo struct {
	next  http.Handler
	extra []string
	// junk, once, follows an answer on its connection: Go's client then
	// logs it or reads it as the next answer, which it is not.
	junk   string
	junked *atomic.Bool
}

func (e echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sent, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(sent))
	rec := httptest.NewRecorder()
	e.next.ServeHTTP(rec, r)
	echoed := map[string]any{
		"Authorization": r.Header.Get("Authorization"),
		"cookie":        r.Header.Get("Cookie"),
		"body":          string(sent),
		"session":       plantedCookie,
		"extra":         e.extra,
		"form":          "SAMLResponse=" + url.QueryEscape(plantedSAML) + "&id_token=" + plantedJWT + "&state=x",
		"SAMLResponse":  plantedSAML,
		"xml":           mustDecode(plantedSAML),
	}
	for k, vs := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.Header().Add("Set-Cookie", "idpc_session="+plantedCookie+"; Path=/; HttpOnly")
	w.Header().Set("X-Echo", strings.ReplaceAll(fmt.Sprint(echoed), "\n", " "))
	body := rec.Body.Bytes()
	// First in the body, so that failure messages, which quote the start
	// of a body, quote the echo.
	var doc map[string]any
	if json.Unmarshal(body, &doc) == nil && len(doc) > 0 {
		e, _ := json.Marshal(map[string]any{"echo": echoed})
		body = append(append(e[:len(e)-1:len(e)-1], ','), bytes.TrimLeft(body, " \t\r\n{")...)
	}
	if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/Users/") && e.junked.CompareAndSwap(false, true) {
		e.hijack(w, rec.Code, body)
		return
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// hijack writes the answer itself, then junk, and holds the connection
// until the client drops it.
func (e echo) hijack(w http.ResponseWriter, code int, body []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute)) // a bound, not an expectation
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", code, http.StatusText(code))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_ = w.Header().Write(buf)
	fmt.Fprintf(buf, "\r\n%s%s\r\n\r\n", body, e.junk)
	_ = buf.Flush()
	_, _ = io.Copy(io.Discard, conn)
}

func mustDecode(s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestSecretsStayOutOfEveryOutput plants a secret of each kind, runs a
// failing suite (so exchanges are recorded) against a target that echoes
// them all back, and searches the console, stderr and every report file
// for each secret in every encoding.
func TestSecretsStayOutOfEveryOutput(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, secret, ok := r.BasicAuth(); !ok || id != "idpc" || secret != plantedClientSecret {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": plantedAccess, "refresh_token": plantedRefresh,
			"id_token": issuedJWT, "token_type": "bearer", "expires_in": 3600})
	}))
	defer tokens.Close()
	common := []string{plantedCookie, plantedSAMLSig, plantedSAML, plantedJWTSig, plantedIssuedJWTSig}
	for _, tc := range []struct {
		name    string
		token   string // the target's
		auth    string // the profile's scim.auth
		extra   []string
		planted []string
	}{
		{"bearer", plantedBearer, "token: ${IDPC_TEST_SECRET}", nil, []string{plantedBearer}},
		{"basic", plantedPassword, "type: basic\n    username: " + basicUser + "\n    password: ${IDPC_TEST_SECRET}", nil,
			[]string{plantedPassword, basicUser + ":" + plantedPassword}},
		{"oauth2", plantedAccess, "type: oauth2\n    tokenUrl: " + tokens.URL + "\n    clientId: idpc\n    clientSecret: ${IDPC_TEST_SECRET}",
			[]string{plantedRefresh, plantedClientSecret, issuedJWT}, []string{plantedClientSecret, plantedAccess, plantedRefresh}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := target.New(target.Options{Token: tc.token, Faults: []string{"password-returned", "create-returns-200"}})
			if err != nil {
				t.Fatal(err)
			}
			junk := tc.token + " " + base64.StdEncoding.EncodeToString([]byte(tc.token))
			tgt := httptest.NewServer(echo{next: srv, extra: tc.extra, junk: junk, junked: new(atomic.Bool)})
			defer tgt.Close()
			secret := tc.planted[0]
			t.Setenv("IDPC_TEST_SECRET", secret)
			profile := filepath.Join(t.TempDir(), "target.yaml")
			doc := "scim:\n  url: " + tgt.URL + "/scim/v2\n  auth:\n    " + tc.auth + "\n"
			if err := os.WriteFile(profile, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			var code int
			var text string
			stderr := captureStderr(t, func() {
				// pretty prints every failing step's error as it comes
				code, text = runCLI(t, "run", "--target", profile, "--tags", "@users,@okta", "--format", "pretty", "--out", out)
			})
			if code != ExitFailed {
				t.Fatalf("exit %d, want a failing run so that exchanges are recorded:\n%s", code, text)
			}
			outputs := map[string][]byte{"the console": []byte(text), "stderr": stderr}
			files, _ := os.ReadDir(out)
			for _, f := range files {
				raw, err := os.ReadFile(filepath.Join(out, f.Name()))
				if err != nil {
					t.Fatal(err)
				}
				outputs[f.Name()] = raw
			}
			for _, name := range []string{"results.json", "junit.xml", "summary.md", "cucumber.json", "report.html"} {
				if _, ok := outputs[name]; !ok {
					t.Errorf("no %s", name)
				}
			}
			for where, raw := range outputs {
				for _, s := range append(tc.planted, common...) {
					for _, form := range forms(s) {
						if bytes.Contains(raw, []byte(form)) {
							t.Errorf("%s holds %q (as %q)", where, s, form)
						}
					}
				}
				for _, pw := range []string{`"password":"Idpc-`, `"password":"Okta-`, `"password": "Okta-`} {
					if bytes.Contains(raw, []byte(pw)) {
						t.Errorf("%s holds a password the run set", where)
					}
				}
			}
			results := strings.ReplaceAll(string(outputs["results.json"]), `\u003e`, ">")
			for _, shown := range []string{"[REDACTED]", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.[REDACTED]", "SignatureValue>[REDACTED]"} {
				if !strings.Contains(results, shown) {
					t.Errorf("results.json does not show %q: were the echoes recorded?", shown)
				}
			}
		})
	}
}

// forms are the encodings of s that a report could hold it in.
func forms(s string) []string {
	b := []byte(s)
	return []string{s, base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b), url.QueryEscape(s)}
}

// captureStderr returns what f wrote to the process's stderr and to the
// standard logger, where net/http's own messages go.
func captureStderr(t *testing.T, f func()) []byte {
	t.Helper()
	file, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	saved := os.Stderr
	os.Stderr = file
	log.SetOutput(file)
	defer func() {
		os.Stderr = saved
		log.SetOutput(saved)
	}()
	f()
	raw, err := os.ReadFile(file.Name())
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestSSOSignaturesStayOutOfReports runs logins that fail against the
// reference target's SP, so their exchanges are kept, and checks that
// every SAMLResponse in the reports decodes to XML whose signatures are
// redacted, and that no JWT keeps its signature.
func TestSSOSignaturesStayOutOfReports(t *testing.T) {
	out := t.TempDir()
	code, text := runCLI(t, "run", "--tags", "@saml,@oidc", "--fault", "saml-no-replay-cache", "--fault", "oidc-skips-nonce", "--out", out)
	if code != ExitFailed {
		t.Fatalf("exit %d, want failed logins:\n%s", code, text)
	}
	raw, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	samlParam := regexp.MustCompile(`SAMLResponse=([^&\s"]+)`)
	sigValue := regexp.MustCompile(`<(?:\w+:)?SignatureValue[^>]*>([^<]*)<`)
	jwt := regexp.MustCompile(`eyJ[\w-]+\.[\w-]+\.[\w-]{16,}`)
	responses := 0
	for _, s := range allStrings(v) {
		for _, m := range samlParam.FindAllStringSubmatch(s, -1) {
			b64, _ := url.QueryUnescape(m[1])
			xml, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Errorf("a SAMLResponse in results.json does not decode: %v", err)
				continue
			}
			responses++
			for _, sig := range sigValue.FindAllStringSubmatch(string(xml), -1) {
				if sig[1] != "[REDACTED]" {
					t.Errorf("a SAMLResponse keeps its signature %.20q…", sig[1])
				}
			}
		}
		if m := jwt.FindString(s); m != "" {
			t.Errorf("a JWT keeps its signature: %.60s…", m)
		}
	}
	if responses == 0 {
		t.Error("results.json holds no SAMLResponse: were the failed logins recorded?")
	}
	for _, name := range []string{"cucumber.json", "summary.md", "junit.xml", "report.html"} {
		b, _ := os.ReadFile(filepath.Join(out, name))
		if m := jwt.Find(b); m != nil {
			t.Errorf("%s holds a JWT with its signature: %.60s…", name, m)
		}
	}
}

func allStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case map[string]any:
		var out []string
		for _, c := range t {
			out = append(out, allStrings(c)...)
		}
		return out
	case []any:
		var out []string
		for _, c := range t {
			out = append(out, allStrings(c)...)
		}
		return out
	}
	return nil
}
