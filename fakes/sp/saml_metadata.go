package sp

import (
	"bytes"
	"compress/flate"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
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

// Metadata returns the SP's metadata XML.
func (s *SP) Metadata() ([]byte, error) {
	yes := true
	ed := saml.EntityDescriptor{
		EntityID: s.opts.EntityID,
		SPSSODescriptors: []saml.SPSSODescriptor{{
			SSODescriptor: saml.SSODescriptor{RoleDescriptor: saml.RoleDescriptor{
				ProtocolSupportEnumeration: "urn:oasis:names:tc:SAML:2.0:protocol",
			}},
			WantAssertionsSigned: &yes,
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
	loc, err := redirectBinding(s.idp.ssoURL, req, r.URL.Query().Get("return"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.pending.put(id, r.URL.Query().Get("return"), requestTTL)
	// No SameSite: the ACS is reached by a cross-site POST from the IdP.
	http.SetCookie(w, &http.Cookie{Name: requestCookie, Value: id, Path: SAMLACSPath, HttpOnly: true, MaxAge: int(requestTTL.Seconds())})
	http.Redirect(w, r, loc, http.StatusFound)
}

// redirectBinding encodes req for the HTTP-Redirect binding (Bind §3.4):
// DEFLATE, base64, query parameter.
func redirectBinding(sso string, req saml.AuthnRequest, relay string) (string, error) {
	doc := etree.NewDocument()
	doc.SetRoot(req.Element())
	raw, err := doc.WriteToBytes()
	if err != nil {
		return "", fmt.Errorf("sp: encode authn request: %w", err)
	}
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestCompression) // only fails on a bad level
	if _, err := fw.Write(raw); err != nil {
		return "", fmt.Errorf("sp: deflate authn request: %w", err)
	}
	if err := fw.Close(); err != nil {
		return "", fmt.Errorf("sp: deflate authn request: %w", err)
	}
	u, err := url.Parse(sso)
	if err != nil {
		return "", fmt.Errorf("sp: parse sso url: %w", err)
	}
	q := u.Query()
	q.Set("SAMLRequest", base64.StdEncoding.EncodeToString(z.Bytes()))
	if relay != "" {
		q.Set("RelayState", relay)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
