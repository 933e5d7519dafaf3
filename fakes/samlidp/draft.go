package samlidp

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/xmlenc"
)

// Request is what an SP asked for: an AuthnRequest, or its IdP-initiated
// equivalent with an empty RequestID.
type Request struct {
	SPEntityID string
	ACSURL     string
	RequestID  string // AuthnRequest ID; empty when unsolicited
	RelayState string
}

// Draft is one response on its way through the pipeline. Each stage fills
// the next field; a Tamper may edit whatever the stage has produced.
type Draft struct {
	idp     *IdP
	session string // the id of the session it answers
	Profile Profile
	User    User
	Victim  string // whom an attack impersonates
	Request Request
	Now     time.Time

	// StageBeforeSign: the structures, still editable as Go values.
	Assertion     *saml.Assertion
	Response      *saml.Response // header only: its Assertion stays nil
	SignAssertion bool
	SignResponse  bool
	// Demand is the signing every response to this SP carries (the SP's
	// metadata or the harness profile): an attack's own shape adds to it.
	Demand Shape
	// EncryptTo, when set, is the SP's encryption certificate: every
	// assertion leaves the IdP as an EncryptedAssertion (see seal).
	EncryptTo *x509.Certificate
	// StageAssertionSigned: the assertion element, signed if SignAssertion.
	AssertionEl *etree.Element
	// StageResponseSigned: the whole response, signed if SignResponse.
	Doc *etree.Document
	// StageSerialized: the bytes that are base64-encoded into the form.
	XML []byte

	// PostTo and RelayState are what the browser form carries.
	PostTo     string
	RelayState string

	sealed map[string]*etree.Element // plaintext assertion -> its EncryptedAssertion
}

// buildAssertion starts a draft: the assertion and response header the
// IdP would send to req for user in session v, as Go values, unsigned.
func (idp *IdP) buildAssertion(v view, user User, req Request) (*Draft, error) {
	now := idp.opts.Clock().UTC()
	p := v.profile
	aid, err := idp.newID()
	if err != nil {
		return nil, err
	}
	rid, err := idp.newID()
	if err != nil {
		return nil, err
	}
	until := now.Add(idp.opts.ValidFor)
	issuer := saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: idp.EntityID()}
	a := &saml.Assertion{
		ID: aid, IssueInstant: now, Version: "2.0", Issuer: issuer,
		Subject: &saml.Subject{
			NameID: &saml.NameID{Format: p.NameIDFormat, Value: user.nameID()},
			SubjectConfirmations: []saml.SubjectConfirmation{{
				Method: "urn:oasis:names:tc:SAML:2.0:cm:bearer",
				SubjectConfirmationData: &saml.SubjectConfirmationData{
					InResponseTo: req.RequestID, NotOnOrAfter: until, Recipient: req.ACSURL,
				},
			}},
		},
		Conditions: &saml.Conditions{
			NotBefore: now.Add(-30 * time.Second), NotOnOrAfter: until,
			AudienceRestrictions: []saml.AudienceRestriction{{Audience: saml.Audience{Value: req.SPEntityID}}},
		},
		AuthnStatements: []saml.AuthnStatement{{
			AuthnInstant: now, SessionIndex: aid,
			AuthnContext: saml.AuthnContext{AuthnContextClassRef: &saml.AuthnContextClassRef{
				Value: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
			}},
		}},
	}
	if attrs := p.attributes(user); len(attrs) > 0 {
		a.AttributeStatements = []saml.AttributeStatement{{Attributes: attrs}}
	}
	iss := issuer
	resp := &saml.Response{
		ID: rid, InResponseTo: req.RequestID, Version: "2.0", IssueInstant: now,
		Destination: req.ACSURL, Issuer: &iss,
		Status: saml.Status{StatusCode: saml.StatusCode{Value: saml.StatusSuccess}},
	}
	sp, _ := idp.serviceProvider(req.SPEntityID)
	shape := sp.shape(p)
	d := &Draft{
		idp: idp, session: v.id, Profile: p, User: user, Victim: v.victim, Request: req, Now: now,
		Assertion: a, Response: resp, SignAssertion: shape.Assertion, SignResponse: shape.Response,
		Demand: sp.demand(), PostTo: req.ACSURL, RelayState: req.RelayState,
	}
	if sp != nil {
		d.EncryptTo = sp.encryptTo
	}
	return d, nil
}

// attributes renders user's attributes under the profile's names.
func (p Profile) attributes(u User) []saml.Attribute {
	var out []saml.Attribute
	add := func(name string, values ...string) {
		if name == "" || len(values) == 0 {
			return
		}
		a := saml.Attribute{Name: name, NameFormat: p.AttrFormat}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Value: v})
		}
		out = append(out, a)
	}
	if u.Email != "" {
		add(p.Email, u.Email)
	}
	if u.GivenName != "" {
		add(p.GivenName, u.GivenName)
	}
	if u.FamilyName != "" {
		add(p.FamilyName, u.FamilyName)
	}
	groups := u.Groups
	if p.GroupCap > 0 && len(groups) > p.GroupCap {
		groups = groups[:p.GroupCap]
	}
	add(p.Groups, groups...)
	return out
}

// RenderAssertion renders the assertion to XML and signs it if
// d.SignAssertion.
func (d *Draft) RenderAssertion() error {
	el := d.Assertion.Element()
	if d.SignAssertion {
		signed, err := signEnveloped(el, d.idp.keys)
		if err != nil {
			return err
		}
		el = signed
	}
	d.AssertionEl = el
	return nil
}

// BuildResponse wraps AssertionEl in the response and signs the response
// if d.SignResponse. When assertions are encrypted, the response signature
// covers the EncryptedAssertion, yet Doc holds the plaintext for the
// tampering stage: seal puts the same ciphertext back.
func (d *Draft) BuildResponse() error {
	el := d.Response.Element()
	if d.AssertionEl != nil {
		el.AddChild(d.AssertionEl)
	}
	if d.SignResponse {
		if err := d.seal(el); err != nil {
			return err
		}
		signed, err := signEnveloped(el, d.idp.keys)
		if err != nil {
			return err
		}
		el = signed
		if d.AssertionEl != nil && d.EncryptTo != nil {
			enc := el.SelectElement("EncryptedAssertion")
			el.InsertChildAt(enc.Index(), d.AssertionEl.Copy())
			el.RemoveChild(enc)
		}
	}
	d.Doc = etree.NewDocument()
	d.Doc.SetRoot(el)
	return nil
}

// seal replaces every outermost Assertion under el with its
// EncryptedAssertion, when the SP gets encrypted assertions. It runs after
// the last tampering, as an attacker holding the SP's public key can
// encrypt whatever it likes; an assertion the tampering left unchanged gets
// the very ciphertext the response signature covers.
func (d *Draft) seal(el *etree.Element) error {
	if d.EncryptTo == nil {
		return nil
	}
	for _, c := range el.ChildElements() {
		if c.Tag != "Assertion" {
			if err := d.seal(c); err != nil {
				return err
			}
			continue
		}
		enc, err := d.encrypt(c)
		if err != nil {
			return err
		}
		el.InsertChildAt(c.Index(), enc)
		el.RemoveChild(c)
	}
	return nil
}

// encrypt returns the EncryptedAssertion of a, the same one for the same
// plaintext. The key transport and cipher are the ones every SP decrypts
// (crewjam's IdP default): RSA-OAEP-MGF1P with SHA-1, AES-128-CBC.
func (d *Draft) encrypt(a *etree.Element) (*etree.Element, error) {
	doc := etree.NewDocument()
	doc.SetRoot(a.Copy())
	plain, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("samlidp: encrypt assertion: %w", err)
	}
	if c, ok := d.sealed[string(plain)]; ok {
		return c.Copy(), nil
	}
	e := xmlenc.OAEP()
	e.BlockCipher, e.DigestMethod = xmlenc.AES128CBC, &xmlenc.SHA1
	data, err := e.Encrypt(d.EncryptTo, plain, nil)
	if err != nil {
		return nil, fmt.Errorf("samlidp: encrypt assertion: %w", err)
	}
	data.CreateAttr("Type", "http://www.w3.org/2001/04/xmlenc#Element")
	out := etree.NewElement("saml:EncryptedAssertion")
	out.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	out.AddChild(data)
	if d.sealed == nil {
		d.sealed = map[string]*etree.Element{}
	}
	d.sealed[string(plain)] = out
	return out.Copy(), nil
}

// Serialize encrypts the assertions the SP gets encrypted (seal) and
// writes Doc to XML.
func (d *Draft) Serialize() error {
	if err := d.seal(d.Doc.Root()); err != nil {
		return err
	}
	b, err := d.Doc.WriteToBytes()
	if err != nil {
		return fmt.Errorf("samlidp: serialize response: %w", err)
	}
	d.XML = b
	return nil
}

// Form is the HTTP-POST binding form for the response.
func (d *Draft) Form() Form {
	return Form{URL: d.PostTo, SAMLResponse: base64.StdEncoding.EncodeToString(d.XML), RelayState: d.RelayState}
}

// Sign returns a copy of el signed by the IdP's trusted key.
func (d *Draft) Sign(el *etree.Element) (*etree.Element, error) { return signEnveloped(el, d.idp.keys) }

// SignAsAttacker returns a copy of el signed by a key the SP does not
// trust, with the attacker's certificate in KeyInfo.
func (d *Draft) SignAsAttacker(el *etree.Element) (*etree.Element, error) {
	return signEnveloped(el, d.idp.attacker)
}

// NewID returns a fresh XML ID.
func (d *Draft) NewID() (string, error) { return d.idp.newID() }

func (idp *IdP) newID() (string, error) {
	b := make([]byte, 16)
	if _, err := idp.opts.Rand.Read(b); err != nil {
		return "", fmt.Errorf("samlidp: new id: %w", err)
	}
	return "_" + hex.EncodeToString(b), nil
}
