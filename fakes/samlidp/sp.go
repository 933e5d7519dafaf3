package samlidp

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/crewjam/saml"
)

// Shape is which elements of a response carry a signature.
type Shape struct{ Response, Assertion bool }

// The signing shapes a harness profile may force (sso.saml.sign).
const (
	SignResponse  = "response"
	SignAssertion = "assertion"
	SignBoth      = "both"
)

// The encryption settings (sso.saml.encrypt): auto encrypts when the SP's
// metadata has a KeyDescriptor use="encryption".
const (
	EncryptAuto   = "auto"
	EncryptAlways = "true"
	EncryptNever  = "false"
)

// SPPolicy is what the harness's profile says about one SP, on top of what
// its metadata says.
type SPPolicy struct {
	// Sign forces a signing shape (SignResponse, SignAssertion, SignBoth)
	// for every response; "" keeps the IdP profile's shape, plus the
	// assertion signature the metadata asks for (WantAssertionsSigned).
	Sign string
	// Encrypt is EncryptAuto ("" too), EncryptAlways or EncryptNever.
	Encrypt string
}

// Check refuses an unknown Sign or Encrypt value.
func (p SPPolicy) Check() error {
	switch p.Sign {
	case "", SignResponse, SignAssertion, SignBoth:
	default:
		return fmt.Errorf("samlidp: sign %q: want %s, %s or %s", p.Sign, SignResponse, SignAssertion, SignBoth)
	}
	switch p.Encrypt {
	case "", EncryptAuto, EncryptAlways, EncryptNever:
	default:
		return fmt.Errorf("samlidp: encrypt %q: want %s, %s or %s", p.Encrypt, EncryptAuto, EncryptAlways, EncryptNever)
	}
	return nil
}

// trustedSP is an SP the IdP answers, and what it asked for.
type trustedSP struct {
	ed *saml.EntityDescriptor
	// forced is the profile's shape; nil leaves it to the IdP profile.
	forced *Shape
	// wantSigned: WantAssertionsSigned="true" in the metadata.
	wantSigned bool
	// encryptTo is the SP's encryption certificate when assertions are to
	// be encrypted; nil sends them in the clear.
	encryptTo *x509.Certificate
}

// shape is the signing shape of a response to this SP under profile p.
func (t *trustedSP) shape(p Profile) Shape {
	if t == nil {
		return Shape{Response: p.SignResponse, Assertion: p.SignAssertion}
	}
	if t.forced != nil {
		return *t.forced
	}
	return Shape{Response: p.SignResponse, Assertion: p.SignAssertion || t.wantSigned}
}

// demand is what every response to this SP must carry whatever an attack
// prepares: the forced shape, or the assertion signature the metadata asks for.
func (t *trustedSP) demand() Shape {
	switch {
	case t == nil:
		return Shape{}
	case t.forced != nil:
		return *t.forced
	}
	return Shape{Assertion: t.wantSigned}
}

// AddServiceProvider trusts an SP from its metadata XML, so the IdP will
// answer its AuthnRequests and send IdP-initiated responses to its ACS. It
// honours the metadata: with AuthnRequestsSigned="true" only requests signed
// by a signing key in it are answered (crewjam checks them), with
// WantAssertionsSigned="true" every assertion is signed, and assertions are
// encrypted to a KeyDescriptor use="encryption".
func (idp *IdP) AddServiceProvider(metadata []byte) (entityID string, err error) {
	return idp.AddServiceProviderWith(metadata, SPPolicy{})
}

// AddServiceProviderWith is AddServiceProvider with the harness profile's
// policy for the SP.
func (idp *IdP) AddServiceProviderWith(metadata []byte, pol SPPolicy) (entityID string, err error) {
	if err := pol.Check(); err != nil {
		return "", err
	}
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(metadata, &ed); err != nil {
		return "", fmt.Errorf("samlidp: add service provider: %w", err)
	}
	if ed.EntityID == "" || len(ed.SPSSODescriptors) == 0 {
		return "", fmt.Errorf("samlidp: add service provider: metadata has no entityID or SPSSODescriptor")
	}
	t := &trustedSP{ed: &ed}
	signs := false
	for _, d := range ed.SPSSODescriptors {
		t.wantSigned = t.wantSigned || (d.WantAssertionsSigned != nil && *d.WantAssertionsSigned)
		signs = signs || (d.AuthnRequestsSigned != nil && *d.AuthnRequestsSigned)
	}
	// Parse the keys now, so a broken certificate is a configuration error
	// here rather than a refused login later.
	signing, err := spCerts(&ed, "signing")
	if err != nil {
		return "", err
	}
	if signs && len(signing) == 0 {
		return "", fmt.Errorf("samlidp: service provider %s says AuthnRequestsSigned but its metadata has no signing key", ed.EntityID)
	}
	enc, err := spCerts(&ed, "encryption")
	if err != nil {
		return "", err
	}
	switch pol.Encrypt {
	case EncryptAlways:
		if len(enc) == 0 {
			return "", fmt.Errorf("samlidp: service provider %s: encrypt is true but its metadata has no KeyDescriptor use=\"encryption\"", ed.EntityID)
		}
		t.encryptTo = enc[0]
	case "", EncryptAuto:
		if len(enc) > 0 {
			t.encryptTo = enc[0]
		}
	}
	switch pol.Sign {
	case SignResponse:
		t.forced = &Shape{Response: true}
	case SignAssertion:
		t.forced = &Shape{Assertion: true}
	case SignBoth:
		t.forced = &Shape{Response: true, Assertion: true}
	}
	idp.mu.Lock()
	defer idp.mu.Unlock()
	idp.sps[ed.EntityID] = t
	return ed.EntityID, nil
}

// spCerts returns the certificates of the SP's KeyDescriptors for use; a
// KeyDescriptor without use serves both (metadata §2.4.1.1), but only an
// explicit use="encryption" turns encryption on.
func spCerts(ed *saml.EntityDescriptor, use string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, d := range ed.SPSSODescriptors {
		for _, kd := range d.KeyDescriptors {
			if kd.Use != use && (use == "encryption" || kd.Use != "") {
				continue
			}
			for _, xc := range kd.KeyInfo.X509Data.X509Certificates {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Data), ""))
				if err == nil {
					var c *x509.Certificate
					if c, err = x509.ParseCertificate(der); err == nil {
						out = append(out, c)
						continue
					}
				}
				return nil, fmt.Errorf("samlidp: service provider %s: %s certificate: %w", ed.EntityID, use, err)
			}
		}
	}
	return out, nil
}

func (idp *IdP) serviceProvider(id string) (*trustedSP, bool) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	t, ok := idp.sps[id]
	return t, ok
}

// spLookup adapts the registry to crewjam's ServiceProviderProvider.
type spLookup struct{ idp *IdP }

// GetServiceProvider implements saml.ServiceProviderProvider; crewjam wants
// os.ErrNotExist for an unknown SP.
func (l spLookup) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	if t, ok := l.idp.serviceProvider(id); ok {
		return t.ed, nil
	}
	return nil, os.ErrNotExist
}

// postACS returns the SP's first HTTP-POST AssertionConsumerService URL.
func postACS(ed *saml.EntityDescriptor) (string, error) {
	for _, d := range ed.SPSSODescriptors {
		for _, acs := range d.AssertionConsumerServices {
			if acs.Binding == saml.HTTPPostBinding {
				return acs.Location, nil
			}
		}
	}
	return "", fmt.Errorf("samlidp: service provider %s: no HTTP-POST ACS", ed.EntityID)
}
