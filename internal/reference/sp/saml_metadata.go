package sp

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
)

// idpTrust is what the SP takes from the IdP's metadata: the only
// certificates it trusts, the entityID it expects as Issuer, and where to
// send AuthnRequests.
type idpTrust struct {
	entityID string
	certs    []*x509.Certificate
	ssoURL   string // HTTP-Redirect binding
}

func parseIdPMetadata(data []byte) (*idpTrust, error) {
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(data, &ed); err != nil {
		return nil, fmt.Errorf("sp: parse idp metadata: %w", err)
	}
	if len(ed.IDPSSODescriptors) == 0 {
		return nil, fmt.Errorf("sp: parse idp metadata: no IDPSSODescriptor")
	}
	t := &idpTrust{entityID: ed.EntityID}
	d := ed.IDPSSODescriptors[0]
	for _, kd := range d.KeyDescriptors {
		if kd.Use != "" && kd.Use != "signing" {
			continue
		}
		for _, xc := range kd.KeyInfo.X509Data.X509Certificates {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Data), ""))
			if err != nil {
				return nil, fmt.Errorf("sp: parse idp metadata: certificate: %w", err)
			}
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("sp: parse idp metadata: certificate: %w", err)
			}
			t.certs = append(t.certs, c)
		}
	}
	for _, e := range d.SingleSignOnServices {
		if e.Binding == saml.HTTPRedirectBinding {
			t.ssoURL = e.Location
		}
	}
	if len(t.certs) == 0 || t.ssoURL == "" {
		return nil, fmt.Errorf("sp: parse idp metadata: need a signing certificate and an HTTP-Redirect SSO endpoint")
	}
	return t, nil
}

// Metadata returns the SP's metadata XML: it says what the SP's policy
// does (AuthnRequestsSigned, WantAssertionsSigned) and publishes the keys
// that go with it.
func (s *SP) Metadata() ([]byte, error) {
	pol := s.opts.SAML
	var keys []saml.KeyDescriptor
	if k := s.keys.published; k != nil {
		keys = append(keys, keyDescriptor("signing", k.cert))
	}
	if k := s.keys.decrypt; k != nil {
		keys = append(keys, keyDescriptor("encryption", k.cert))
	}
	ed := saml.EntityDescriptor{
		EntityID: s.opts.EntityID,
		SPSSODescriptors: []saml.SPSSODescriptor{{
			SSODescriptor: saml.SSODescriptor{RoleDescriptor: saml.RoleDescriptor{
				ProtocolSupportEnumeration: "urn:oasis:names:tc:SAML:2.0:protocol",
				KeyDescriptors:             keys,
			}},
			AuthnRequestsSigned:  &pol.SignAuthnRequests,
			WantAssertionsSigned: &pol.RequireSignedAssertions,
			AssertionConsumerServices: []saml.IndexedEndpoint{{
				Binding: saml.HTTPPostBinding, Location: s.ACSURL(), Index: 1,
			}},
		}},
	}
	b, err := xml.MarshalIndent(ed, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sp: marshal metadata: %w", err)
	}
	return b, nil
}

func keyDescriptor(use string, c *x509.Certificate) saml.KeyDescriptor {
	return saml.KeyDescriptor{Use: use, KeyInfo: saml.KeyInfo{X509Data: saml.X509Data{
		X509Certificates: []saml.X509Certificate{{Data: base64.StdEncoding.EncodeToString(c.Raw)}},
	}}}
}

func (s *SP) serveMetadata(w http.ResponseWriter, _ *http.Request) {
	b, err := s.Metadata()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, _ = w.Write(b)
}

const (
	requestCookie = "idpc_sp_saml_request"
	requestTTL    = 10 * time.Minute
)

// serveSAMLLogin starts SP-initiated login: an AuthnRequest over the
// HTTP-Redirect binding. Its ID is kept server-side and bound to this
// browser by a cookie, so the response's InResponseTo can be checked.
// ?return= becomes the RelayState.
func (s *SP) serveSAMLLogin(w http.ResponseWriter, r *http.Request) {
	id, err := token(s.opts.Rand, 18)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	id = "id-" + id
	req := saml.AuthnRequest{
		ID: id, Version: "2.0", IssueInstant: s.now(), Destination: s.idp.ssoURL,
		Issuer:                      &saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: s.opts.EntityID},
		AssertionConsumerServiceURL: s.ACSURL(), ProtocolBinding: saml.HTTPPostBinding,
	}
	loc, err := req.Redirect(r.URL.Query().Get("return"), s.requestSigner())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.pending.put(id, r.URL.Query().Get("return"), requestTTL)
	// No SameSite: the ACS is reached by a cross-site POST from the IdP.
	http.SetCookie(w, &http.Cookie{Name: requestCookie, Value: id, Path: SAMLACSPath, HttpOnly: true, MaxAge: int(requestTTL.Seconds())})
	http.Redirect(w, r, loc.String(), http.StatusFound)
}

// requestSigner is the crewjam view of the SP that encodes its
// AuthnRequests for the HTTP-Redirect binding (DEFLATE, base64, query,
// Bind §3.4.4.1), signing the query string when its policy says so.
func (s *SP) requestSigner() *saml.ServiceProvider {
	if k := s.keys.sign; k != nil {
		return &saml.ServiceProvider{Key: k.key, Certificate: k.cert, SignatureMethod: dsig.RSASHA256SignatureMethod}
	}
	return &saml.ServiceProvider{}
}
