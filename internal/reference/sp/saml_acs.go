package sp

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
)

const maxSAMLResponse = 1 << 20

// serveACS consumes an HTTP-POST binding response.
func (s *SP) serveACS(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 2*maxSAMLResponse)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "sp: saml: bad form", http.StatusBadRequest)
		return
	}
	raw, err := base64.StdEncoding.DecodeString(r.PostForm.Get("SAMLResponse"))
	if err != nil || len(raw) == 0 {
		http.Error(w, "sp: saml: SAMLResponse is not base64", http.StatusBadRequest)
		return
	}
	id, err := s.consume(r, raw)
	if err != nil {
		s.deny(w, err)
		return
	}
	s.login(w, r, id, r.PostForm.Get("RelayState"))
}

// consume runs every check on a response and returns the asserted identity.
func (s *SP) consume(r *http.Request, raw []byte) (Identity, error) {
	doc, err := s.parseXML(r.Context(), raw)
	if err != nil {
		return Identity{}, err
	}
	root := doc.Root()
	if root == nil || root.Tag != "Response" || root.NamespaceURI() != "urn:oasis:names:tc:SAML:2.0:protocol" {
		return Identity{}, fmt.Errorf("sp: saml: not a samlp:Response")
	}
	respV, err := s.verify(doc, root)
	if err != nil {
		return Identity{}, err
	}
	header := root // unsigned responses: header fields are untrusted, the assertion's SCD carries the binding
	if respV != nil {
		header = respV
	}
	if err := s.decryptAll(r.Context(), root, respV); err != nil {
		return Identity{}, err
	}
	a, signed, ownSignature, err := s.pickAssertion(doc, root, respV)
	if err != nil {
		return Identity{}, err
	}
	if s.has(RequiresSignedResponse) && respV == nil {
		return Identity{}, fmt.Errorf("sp: saml: the response is not signed")
	}
	if s.has(FailsWhenBothSigned) && respV != nil && root.FindElement("./Assertion/Signature") != nil {
		return Identity{}, fmt.Errorf("sp: saml: cannot verify a signed assertion inside a signed response")
	}
	if !signed && !s.has(AcceptsUnsigned) {
		return Identity{}, fmt.Errorf("sp: saml: neither response nor assertion is signed")
	}
	if s.opts.SAML.RequireSignedAssertions && !ownSignature && !s.has(AcceptsUnsigned) {
		return Identity{}, fmt.Errorf("sp: saml: the assertion is not signed, and this SP wants signed assertions")
	}
	v := readAssertion(a)
	v.shortNamesOnly = s.has(IgnoresClaimURIs)
	if s.has(ReadsFirstTextNode) {
		if n := doc.FindElement("//Assertion/Subject/NameID"); n != nil {
			v.NameID = strings.TrimSpace(firstTextNode(n))
		}
	}
	if err := s.checkResponse(header, respV != nil); err != nil {
		return Identity{}, err
	}
	if err := s.checkAssertion(r, header, v); err != nil {
		return Identity{}, err
	}
	// Replay last, so a rejected attempt never poisons the cache.
	solicited := v.Bearer.InResponseTo != "" || header.SelectAttrValue("InResponseTo", "") != ""
	if !s.has(NoReplayCache) && !(solicited && s.has(ReplayCacheUnsolicitedOnly)) {
		if _, seen := s.replay.get(v.ID); seen || v.ID == "" {
			return Identity{}, fmt.Errorf("sp: saml: assertion %q replayed", v.ID)
		}
		ttl := time.Hour
		if !v.Bearer.NotOnOrAfter.IsZero() {
			ttl = v.Bearer.NotOnOrAfter.Sub(s.now()) + s.samlSkew()
		}
		s.replay.put(v.ID, true, ttl)
	}
	return v.identity(), nil
}

// decryptAll decrypts the assertions of the response as received and of
// its verified copy; an SP that requires encryption refuses any assertion
// that came in the clear.
func (s *SP) decryptAll(ctx context.Context, root, respV *etree.Element) error {
	if s.opts.SAML.RequireEncryptedAssertions && len(root.FindElements("//Assertion")) > 0 {
		return fmt.Errorf("sp: saml: a plaintext assertion, and this SP requires encrypted ones")
	}
	for _, el := range []*etree.Element{root, respV} {
		if el == nil {
			continue
		}
		if err := s.decryptAssertions(ctx, el); err != nil {
			return err
		}
	}
	return nil
}

// checkResponse checks the protocol message (Core §3.2.2, Bind §3.5.5.2).
func (s *SP) checkResponse(h *etree.Element, signed bool) error {
	code := h.FindElement("./Status/StatusCode")
	if code == nil || code.SelectAttrValue("Value", "") != "urn:oasis:names:tc:SAML:2.0:status:Success" {
		return fmt.Errorf("sp: saml: status is not Success")
	}
	if iss := h.SelectElement("Issuer"); iss != nil && !s.has(SkipsIssuer) && strings.TrimSpace(fullText(iss)) != s.idp.entityID {
		return fmt.Errorf("sp: saml: response Issuer %q is not the IdP", fullText(iss))
	}
	if !s.has(SkipsDestination) {
		dest := h.SelectAttrValue("Destination", "")
		if (dest != "" || signed) && dest != s.ACSURL() {
			return fmt.Errorf("sp: saml: Destination %q is not the ACS", dest)
		}
	}
	return nil
}

// checkAssertion checks the consumed assertion (Prof §4.1.4.2-4.1.4.3,
// Core §2.5.1).
func (s *SP) checkAssertion(r *http.Request, h *etree.Element, v assertionView) error {
	now, skew := s.now(), s.samlSkew()
	if !s.has(SkipsIssuer) && v.Issuer != s.idp.entityID {
		return fmt.Errorf("sp: saml: assertion Issuer %q is not the IdP", v.Issuer)
	}
	if v.NameID == "" {
		return fmt.Errorf("sp: saml: no NameID")
	}
	c := v.Bearer
	if c == nil {
		return fmt.Errorf("sp: saml: no bearer SubjectConfirmation")
	}
	if !s.has(SkipsRecipient) && c.Recipient != s.ACSURL() {
		return fmt.Errorf("sp: saml: Recipient %q is not the ACS", c.Recipient)
	}
	if !s.has(SkipsTimeConditions) {
		if !s.has(ChecksConditionsExpiryOnly) && (c.NotOnOrAfter.IsZero() || !now.Before(c.NotOnOrAfter.Add(skew))) {
			return fmt.Errorf("sp: saml: SubjectConfirmationData expired or unbounded")
		}
		if !v.HasConditions || (!v.NotBefore.IsZero() && now.Add(skew).Before(v.NotBefore)) {
			return fmt.Errorf("sp: saml: assertion not yet valid")
		}
		if !s.has(ChecksBearerExpiryOnly) && !v.NotOnOrAfter.IsZero() && !now.Before(v.NotOnOrAfter.Add(skew)) {
			return fmt.Errorf("sp: saml: assertion expired")
		}
	}
	// The session the assertion derives from is over at SessionNotOnOrAfter
	// (Core §2.7.2): a login after it would open a session already ended.
	if !v.SessionEnds.IsZero() && !s.has(IgnoresSessionNotOnOrAfter) && !now.Before(v.SessionEnds) {
		return fmt.Errorf("sp: saml: SessionNotOnOrAfter %s has passed", v.SessionEnds.Format(time.RFC3339))
	}
	if err := s.checkAudiences(v.Audiences); err != nil {
		return err
	}
	if !s.has(SkipsInResponseTo) {
		return s.checkInResponseTo(r, h.SelectAttrValue("InResponseTo", ""), c.InResponseTo)
	}
	return nil
}

// checkAudiences: every AudienceRestriction must name the SP (Core
// §2.5.1.4: audiences within one restriction are an OR, restrictions an AND).
func (s *SP) checkAudiences(lists [][]string) error {
	if s.has(SkipsAudience) {
		return nil
	}
	if len(lists) == 0 {
		return fmt.Errorf("sp: saml: no AudienceRestriction")
	}
	named := 0
	for _, list := range lists {
		if slices.Contains(list, s.opts.EntityID) {
			named++
		}
	}
	if named == len(lists) || (named > 0 && s.has(AcceptsAnyAudienceRestriction)) {
		return nil
	}
	return fmt.Errorf("sp: saml: %d of %d AudienceRestrictions do not name this SP", len(lists)-named, len(lists))
}

// checkInResponseTo matches the response to a request this browser made;
// an unsolicited response (none) is taken only with AllowIdPInitiated.
func (s *SP) checkInResponseTo(r *http.Request, resp, scd string) error {
	if resp != "" && scd != "" && resp != scd {
		return fmt.Errorf("sp: saml: InResponseTo differs between response and assertion")
	}
	irt := scd
	if irt == "" {
		irt = resp
	}
	if irt == "" {
		if !s.opts.AllowIdPInitiated || s.has(RejectsIdPInitiated) {
			return fmt.Errorf("sp: saml: unsolicited response and IdP-initiated login is off")
		}
		return nil
	}
	if s.has(ReplayCacheUnsolicitedOnly) {
		// The fault: any request the SP sent will do, any number of times.
		if _, ok := s.pending.get(irt); !ok {
			return fmt.Errorf("sp: saml: InResponseTo %q is not a request of this SP", irt)
		}
		return nil
	}
	c, err := r.Cookie(requestCookie)
	if err != nil || c.Value != irt {
		return fmt.Errorf("sp: saml: InResponseTo %q is not this browser's request", irt)
	}
	if _, ok := s.pending.take(irt); !ok {
		return fmt.Errorf("sp: saml: InResponseTo %q is not outstanding", irt)
	}
	return nil
}
