package samlidp

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

// signingSP is a crewjam ServiceProvider that signs its AuthnRequests with
// kp, trusted by idp from metadata that publishes published.
type signingSP struct {
	sp  *saml.ServiceProvider
	idp *IdP
}

func newSigningSP(t *testing.T, kp, published KeyPair) signingSP {
	t.Helper()
	idp, err := New(Options{BaseURL: "http://127.0.0.1:9999"})
	if err != nil {
		t.Fatal(err)
	}
	md, err := idp.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	var idpMD saml.EntityDescriptor
	if err := xml.Unmarshal(md, &idpMD); err != nil {
		t.Fatal(err)
	}
	acs, _ := url.Parse("http://127.0.0.1:9998/saml/acs")
	meta, _ := url.Parse("http://127.0.0.1:9998/saml/metadata")
	sp := &saml.ServiceProvider{
		EntityID: meta.String(), Key: kp.Key, Certificate: kp.Cert, MetadataURL: *meta, AcsURL: *acs,
		IDPMetadata: &idpMD, SignatureMethod: dsig.RSASHA256SignatureMethod,
	}
	// The metadata names the published key, which may not be the one
	// that signs (a rotated or wrong key).
	pub := *sp
	pub.Key, pub.Certificate = published.Key, published.Cert
	spMD, err := xml.Marshal(pub.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(spMD), `AuthnRequestsSigned="true"`) {
		t.Fatalf("SP metadata does not say it signs: %s", spMD)
	}
	if _, err := idp.AddServiceProvider(spMD); err != nil {
		t.Fatal(err)
	}
	idp.LoginAs(User{UserName: "ada@example.com"})
	return signingSP{sp: sp, idp: idp}
}

// redirect sends an HTTP-Redirect AuthnRequest; unsigned drops SigAlg and
// Signature; edit may change the query after signing.
func (s signingSP) redirect(t *testing.T, unsigned bool, edit func(url.Values)) *httptest.ResponseRecorder {
	t.Helper()
	u, err := s.sp.MakeRedirectAuthenticationRequest("relay-1")
	if err != nil {
		t.Fatal(err)
	}
	if unsigned || edit != nil {
		q := u.Query()
		if unsigned {
			q.Del("SigAlg")
			q.Del("Signature")
		}
		if edit != nil {
			edit(q)
		}
		u.RawQuery = q.Encode()
	}
	rec := httptest.NewRecorder()
	s.idp.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u.String(), nil))
	return rec
}

// post sends an HTTP-POST AuthnRequest, with an enveloped signature unless
// unsigned.
func (s signingSP) post(t *testing.T, unsigned bool) *httptest.ResponseRecorder {
	t.Helper()
	req, err := s.sp.MakeAuthenticationRequest(s.idp.SSOURL(), saml.HTTPPostBinding, saml.HTTPPostBinding)
	if err != nil {
		t.Fatal(err)
	}
	if unsigned {
		req.Signature = nil
	}
	doc := etree.NewDocument()
	doc.SetRoot(req.Element())
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString(b)}}
	r := httptest.NewRequest(http.MethodPost, s.idp.SSOURL(), strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.idp.ServeHTTP(rec, r)
	return rec
}

func TestSignedAuthnRequestIsVerified(t *testing.T) {
	kp, err := NewKeyPair("", nil, time.Now(), "sp")
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewKeyPair("", nil, time.Now(), "sp")
	if err != nil {
		t.Fatal(err)
	}
	good, wrongKey := newSigningSP(t, kp, kp), newSigningSP(t, other, kp)
	answered := func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "SAMLResponse") {
			t.Fatalf("a correctly signed request was refused: %d %s", rec.Code, rec.Body)
		}
	}
	refused := func(t *testing.T, rec *httptest.ResponseRecorder, why string) {
		t.Helper()
		if rec.Code == http.StatusOK || strings.Contains(rec.Body.String(), "SAMLResponse") {
			t.Fatalf("%s was answered: %d %.200s", why, rec.Code, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), "sign") {
			t.Errorf("%s: the refusal does not say it is about the signature: %s", why, rec.Body)
		}
	}
	t.Run("redirect", func(t *testing.T) {
		answered(t, good.redirect(t, false, nil))
		refused(t, good.redirect(t, true, nil), "an unsigned request from an SP whose metadata says AuthnRequestsSigned")
		refused(t, wrongKey.redirect(t, false, nil), "a request signed with a key the metadata does not publish")
		refused(t, good.redirect(t, false, func(q url.Values) { q.Set("RelayState", "https://evil.example/") }), "a request whose RelayState changed after signing")
	})
	t.Run("post", func(t *testing.T) {
		answered(t, good.post(t, false))
		refused(t, good.post(t, true), "an unsigned request from an SP whose metadata says AuthnRequestsSigned")
		refused(t, wrongKey.post(t, false), "a request signed with a key the metadata does not publish")
	})
}

func TestAuthnRequestsSignedWithoutAKeyIsAConfigurationError(t *testing.T) {
	idp := newTestIdP(t)
	md := `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"><SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		`<AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="http://127.0.0.1:1/acs" index="1"/></SPSSODescriptor></EntityDescriptor>`
	if _, err := idp.AddServiceProvider([]byte(md)); err == nil || !strings.Contains(err.Error(), "no signing key") {
		t.Fatalf("metadata saying AuthnRequestsSigned with no key: %v", err)
	}
}
