package sp

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// verify checks the enveloped signature of el (a Response or an Assertion)
// against the IdP metadata certificates only. It returns the verified copy
// that goxmldsig rebuilt from the exact bytes it digested, so nothing
// outside the signature can be read afterwards (XSW); or nil, nil when el
// carries no signature.
func (s *SP) verify(doc *etree.Document, el *etree.Element) (*etree.Element, error) {
	sig := el.SelectElement("Signature")
	if sig == nil {
		return nil, nil
	}
	switch {
	case s.has(SkipsSignatureVerify):
		return withoutSignature(el), nil
	case s.has(FindsSignedElementByID):
		return s.verifyByIDLookup(doc, el, sig)
	}
	certs := s.idp.certs
	if s.has(TrustsKeyInfoCert) {
		if c := keyInfoCert(sig); c != nil {
			certs = []*x509.Certificate{c}
		}
	}
	v, err := s.validate(el, certs)
	if errors.Is(err, dsig.ErrMissingSignature) {
		// A Signature is there but does not reference el: wrapped.
		return nil, fmt.Errorf("sp: saml: signature on %s does not reference it", el.Tag)
	}
	if err != nil {
		return nil, fmt.Errorf("sp: saml: signature on %s: %w", el.Tag, err)
	}
	return v, nil
}

func (s *SP) validate(el *etree.Element, certs []*x509.Certificate) (*etree.Element, error) {
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: certs})
	vc.Clock = dsig.NewFakeClockAt(s.now())
	return vc.Validate(el)
}

// verifyByIDLookup is the FindsSignedElementByID fault: resolve the
// Reference URI to the last element anywhere with that ID, check the
// signature over it, and then trust el — the element the signature merely
// sits in.
func (s *SP) verifyByIDLookup(doc *etree.Document, el, sig *etree.Element) (*etree.Element, error) {
	ref := sig.FindElement("./SignedInfo/Reference")
	if ref == nil {
		return nil, fmt.Errorf("sp: saml: signature has no Reference")
	}
	id := strings.TrimPrefix(ref.SelectAttrValue("URI", ""), "#")
	var target *etree.Element
	for _, e := range doc.FindElements("//*[@ID]") {
		if e.SelectAttrValue("ID", "") == id {
			target = e
		}
	}
	if target == nil {
		return nil, fmt.Errorf("sp: saml: no element with ID %q", id)
	}
	t := withoutSignature(target)
	t.AddChild(sig.Copy())
	if _, err := s.validate(t, s.idp.certs); err != nil {
		return nil, fmt.Errorf("sp: saml: signature over #%s: %w", id, err)
	}
	return withoutSignature(el), nil
}

func withoutSignature(el *etree.Element) *etree.Element {
	c := el.Copy()
	for _, s := range c.SelectElements("Signature") {
		c.RemoveChild(s)
	}
	return c
}

// keyInfoCert is the certificate an attacker can put in KeyInfo.
func keyInfoCert(sig *etree.Element) *x509.Certificate {
	el := sig.FindElement("./KeyInfo/X509Data/X509Certificate")
	if el == nil {
		return nil
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(el.Text()), ""))
	if err != nil {
		return nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil
	}
	return c
}

// pickAssertion returns the assertion to consume and whether a signature
// covers it. Correct: the document holds exactly one Assertion, a direct
// child of the Response, and it is consumed from verified bytes. The
// TakesFirst/TakesLast faults instead ask "is some assertion signed?" and
// read one by position.
func (s *SP) pickAssertion(doc *etree.Document, root, respV *etree.Element) (*etree.Element, bool, error) {
	if s.has(TakesFirstAssertion) || s.has(TakesLastAssertion) {
		all := inDocumentOrder(root, "Assertion")
		direct := root.SelectElements("Assertion")
		if len(all) == 0 || len(direct) == 0 {
			return nil, false, fmt.Errorf("sp: saml: no assertion")
		}
		signed := respV != nil
		for _, a := range all {
			if v, err := s.verify(doc, a); err == nil && v != nil {
				signed = true
			}
		}
		pick := all[0]
		if s.has(TakesLastAssertion) {
			pick = direct[len(direct)-1]
		}
		return withoutSignature(pick), signed, nil
	}
	if n := len(doc.FindElements("//Assertion")); n != 1 {
		return nil, false, fmt.Errorf("sp: saml: want exactly one assertion, have %d", n)
	}
	parent := root
	if respV != nil {
		parent = respV
	}
	a := parent.SelectElement("Assertion")
	if a == nil {
		return nil, false, fmt.Errorf("sp: saml: the assertion is not a child of the response")
	}
	v, err := s.verify(doc, a)
	if err != nil {
		return nil, false, err
	}
	if v != nil {
		return v, true, nil
	}
	return a, respV != nil, nil
}
