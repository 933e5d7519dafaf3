package sp

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"
	"github.com/crewjam/saml/xmlenc"
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

// pickAssertion returns the assertion to consume, whether a signature
// covers it, and whether the assertion carries a signature of its own that
// verified. Correct: the document holds exactly one Assertion, a direct
// child of the Response, and it is consumed from verified bytes. The
// TakesFirst/TakesLast faults instead ask "is some assertion signed?" and
// read one by position.
func (s *SP) pickAssertion(doc *etree.Document, root, respV *etree.Element) (a *etree.Element, signed, ownSignature bool, err error) {
	if s.has(TakesFirstAssertion) || s.has(TakesLastAssertion) {
		all := inDocumentOrder(root, "Assertion")
		direct := root.SelectElements("Assertion")
		if len(all) == 0 || len(direct) == 0 {
			return nil, false, false, fmt.Errorf("sp: saml: no assertion")
		}
		for _, a := range all {
			if v, err := s.verify(doc, a); err == nil && v != nil {
				ownSignature = true
			}
		}
		pick := all[0]
		if s.has(TakesLastAssertion) {
			pick = direct[len(direct)-1]
		}
		return withoutSignature(pick), respV != nil || ownSignature, ownSignature, nil
	}
	if n := len(doc.FindElements("//Assertion")); n != 1 {
		return nil, false, false, fmt.Errorf("sp: saml: want exactly one assertion, have %d", n)
	}
	parent := root
	if respV != nil {
		parent = respV
	}
	a = parent.SelectElement("Assertion")
	if a == nil {
		return nil, false, false, fmt.Errorf("sp: saml: the assertion is not a child of the response")
	}
	v, err := s.verify(doc, a)
	if err != nil {
		return nil, false, false, err
	}
	if v != nil {
		return v, true, true, nil
	}
	return a, respV != nil, false, nil
}

// decryptAssertions replaces every EncryptedAssertion under el with the
// assertion it holds (SAML core §2.3.4). It runs after the response
// signature is checked, since that signature covers the ciphertext; the
// plaintext is parsed as strictly as the response.
func (s *SP) decryptAssertions(ctx context.Context, el *etree.Element) error {
	for _, c := range el.ChildElements() {
		if c.Tag != "EncryptedAssertion" {
			if err := s.decryptAssertions(ctx, c); err != nil {
				return err
			}
			continue
		}
		if s.keys.decrypt == nil {
			return fmt.Errorf("sp: saml: an encrypted assertion, and this SP publishes no encryption key")
		}
		data := c.SelectElement("EncryptedData")
		if data == nil {
			return fmt.Errorf("sp: saml: EncryptedAssertion without EncryptedData")
		}
		plain, err := xmlenc.Decrypt(s.keys.decrypt.key, data)
		if err != nil {
			return fmt.Errorf("sp: saml: decrypt the assertion: %w", err)
		}
		doc, err := s.parseXML(ctx, plain)
		if err != nil {
			return err
		}
		a := doc.Root()
		if a == nil || a.Tag != "Assertion" {
			return fmt.Errorf("sp: saml: the EncryptedAssertion holds no assertion")
		}
		el.InsertChildAt(c.Index(), a.Copy())
		el.RemoveChild(c)
	}
	return nil
}
