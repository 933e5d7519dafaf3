package transcript

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// TestRedactorHidesEveryEncoding: a secret echoed as base64, URL- or
// JSON-escaped is still found, and a basic credential's "user:password".
func TestRedactorHidesEveryEncoding(t *testing.T) {
	const pw = "p/ss+w<rd&9"
	r := NewRedactor(pw, "alice:"+pw)
	for _, echo := range []string{
		pw,
		"Basic " + base64.StdEncoding.EncodeToString([]byte("alice:"+pw)),
		base64.RawURLEncoding.EncodeToString([]byte(pw)),
		url.QueryEscape(pw),
		`"p\/ss+w\u003crd\u00269"`,
	} {
		if got := r.String(echo); strings.Contains(got, "ss+w") || strings.Contains(got, "ss%2Bw") || strings.Contains(got, base64.StdEncoding.EncodeToString([]byte(pw))[:8]) {
			t.Errorf("%q left %q", echo, got)
		}
	}
	if got := r.Body([]byte(`{"p\/ss+w\u003crd\u00269":1}`)); strings.Contains(got, "ss+w") {
		t.Errorf("a secret as a member name: %s", got)
	}
	// JSON is read, so any escape of the secret is found.
	body := r.Body([]byte(`{"echo":"p\/ss\u002bw\u003crd\u00269","n":12345678901234567890}`))
	if strings.Contains(body, "ss+w") || !strings.Contains(body, Redacted) || !strings.Contains(body, "12345678901234567890") {
		t.Errorf("JSON body: %s", body)
	}
}

// TestRedactorHidesMembersInText: a body quoted in text (a failure
// message, an echoed request) loses its secret members too.
func TestRedactorHidesMembersInText(t *testing.T) {
	in := `got {"userName":"ada","password":"pw-json-1"} in "{\"Password\": \"pw-esc\\\"2\"}" and grant=x&client_secret=pw-form-3&refresh_token=pw-form-4 ok`
	got := NewRedactor().String(in)
	if strings.Contains(got, "pw-") || !strings.Contains(got, `"userName":"ada"`) || !strings.HasSuffix(got, " ok") {
		t.Errorf("%s\nbecame %s", in, got)
	}
}

// TestRedactorLearnsAtRunTime: tokens added while others redact are
// redacted from then on, and cookies set or sent are learned.
func TestRedactorLearnsAtRunTime(t *testing.T) {
	r := NewRedactor()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r.Add(fmt.Sprintf("issued-token-%d", i))
			_ = r.String("issued-token-0 issued-token-7")
		})
	}
	wg.Wait()
	if got := r.String("a issued-token-3 b"); got != "a "+Redacted+" b" {
		t.Errorf("issued token: %q", got)
	}
	l := New(r)
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
	req.Header.Set("Cookie", "idp_session=sent-cookie-value-1")
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Set-Cookie": {"sid=set-cookie-value-2; Path=/; HttpOnly", "consent=accepted"}}}
	l.Add(req, nil, resp, []byte("you are sid set-cookie-value-2, sent sent-cookie-value-1, accepted"), 0, nil)
	x := l.Exchanges()[0]
	if strings.Contains(x.ResponseBody, "cookie-value") || !strings.HasSuffix(x.ResponseBody, ", accepted") || x.RequestHeaders["Cookie"][0] != Redacted {
		t.Errorf("cookies: body %q, Cookie %v", x.ResponseBody, x.RequestHeaders["Cookie"])
	}
}

const samlXML = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue>c2lnbmF0dXJlLXBsYW50ZWQtOTk=</ds:SignatureValue></ds:Signature><saml:EncryptedAssertion><xenc:CipherValue>Y2lwaGVyLXBsYW50ZWQ=</xenc:CipherValue></saml:EncryptedAssertion></samlp:Response>`

// TestRedactorHidesSignatures: SAML signatures in XML and in every
// encoding of a SAMLResponse, and JWT signatures, go; what kind of thing
// was sent stays readable.
func TestRedactorHidesSignatures(t *testing.T) {
	r := NewRedactor()
	b64 := base64.StdEncoding.EncodeToString([]byte(samlXML))
	leaks := []string{"c2lnbmF0dXJlLXBsYW50ZWQtOTk", "Y2lwaGVyLXBsYW50ZWQ", b64, url.QueryEscape(b64)}
	for _, in := range []string{
		samlXML,
		"SAMLResponse=" + url.QueryEscape(b64) + "&RelayState=abc",
		`<input type="hidden" name="SAMLResponse" value="` + strings.ReplaceAll(b64, "+", "&#43;") + `">`,
		"map[RelayState:[abc] SAMLResponse:[" + b64 + "]]",
		`{"SAMLResponse":"` + b64 + `"}`,
		jsonQuoted(samlXML), // XML inside a JSON string, < and > escaped
	} {
		got := r.Body([]byte(in))
		if strings.HasPrefix(in, `{"xml"`) {
			got = r.String("the target answered 409: " + in) // a message quoting a body
		}
		for _, leak := range leaks {
			if strings.Contains(got, leak) {
				t.Errorf("%.40q… still holds %.20q…: %s", in, leak, got)
			}
		}
		if !strings.Contains(got, "SAMLResponse") && !strings.Contains(got, "<ds:SignatureValue>"+Redacted) && !strings.Contains(got, `\u003cds:SignatureValue\u003e`+Redacted) {
			t.Errorf("%.40q… lost what it was: %s", in, got)
		}
		if strings.Contains(in, "RelayState=abc") && !strings.HasSuffix(got, "&RelayState=abc") {
			t.Errorf("form lost its other parameters: %s", got)
		}
	}
	// The redacted SAMLResponse still decodes to the XML, signature gone.
	got := r.String("SAMLResponse=" + url.QueryEscape(b64))
	v, _ := url.ParseQuery(got)
	xml, err := base64.StdEncoding.DecodeString(v.Get("SAMLResponse"))
	if err != nil || !strings.Contains(string(xml), "<ds:SignatureValue>"+Redacted+"</ds:SignatureValue>") || !strings.Contains(string(xml), `ID="_r1"`) {
		t.Errorf("redacted SAMLResponse decodes to %q, %v", xml, err)
	}

	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.planted-jwt-signature_0123456789"
	for _, in := range []string{"id_token=" + jwt + "&state=x", `{"token":"` + jwt + `"}`, "Location: /cb#id_token=" + jwt} {
		got := r.Body([]byte(in))
		if strings.Contains(got, "planted-jwt") || !strings.Contains(got, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ."+Redacted) {
			t.Errorf("%q became %q", in, got)
		}
	}
	const jwe = "eyJhbGciOiJSU0EtT0FFUCJ9.ZW5jcnlwdGVkLWtleQ.aXY.Y2lwaGVydGV4dC1wbGFudGVk.dGFn"
	if got := r.String(jwe); got != "eyJhbGciOiJSU0EtT0FFUCJ9."+Redacted {
		t.Errorf("JWE became %q", got)
	}
}

// TestErrorLogKeepsNoPeerBytes: a server's error log line keeps neither
// quoted bytes, nor a second line, nor a known secret.
func TestErrorLogKeepsNoPeerBytes(t *testing.T) {
	var buf strings.Builder
	l := ErrorLog(&buf, "srv: ", NewRedactor("tok-123456"))
	l.Printf("http: panic serving 127.0.0.1:1: bad tok-123456 \x1b[31m\ngoroutine 1 [running]:\nmain.go:1")
	l.Printf(`net/http: malformed request "GET /secret-path HTTP/1.1"`)
	want := "srv: http: panic serving 127.0.0.1:1: bad " + Redacted + " [31m\nsrv: net/http: malformed request\n"
	if buf.String() != want {
		t.Errorf("logged %q, want %q", buf.String(), want)
	}
	var _ *log.Logger = l
}

func TestAuthorizationCodesAreRedacted(t *testing.T) {
	r := NewRedactor()
	for _, s := range []string{
		"http://127.0.0.1:8080/oidc/callback?code=Zx81kQ2pLmN&state=abc",
		"grant_type=authorization_code&code=Zx81kQ2pLmN&redirect_uri=http%3A%2F%2F127.0.0.1",
	} {
		if got := r.String(s); strings.Contains(got, "Zx81kQ2pLmN") || !strings.Contains(got, "code="+Redacted) {
			t.Errorf("%s → %s", s, got)
		}
	}
	if got := r.String("errorcode=7&response_code=9"); got != "errorcode=7&response_code=9" {
		t.Errorf("other parameters changed: %s", got)
	}
}

func jsonQuoted(s string) string {
	b, _ := json.Marshal(map[string]string{"xml": s})
	return string(b)
}
