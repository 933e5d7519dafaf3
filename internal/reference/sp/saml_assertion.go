package sp

import (
	"strings"
	"time"

	"github.com/beevik/etree"
)

// assertionView is what the checks read from the consumed assertion.
type assertionView struct {
	ID, Issuer, NameID      string
	Bearer                  *confirmation // the first bearer SubjectConfirmation
	NotBefore, NotOnOrAfter time.Time
	SessionEnds             time.Time // the earliest AuthnStatement SessionNotOnOrAfter
	HasConditions           bool
	Audiences               [][]string // one list per AudienceRestriction
	Attrs                   map[string][]string
	shortNamesOnly          bool // the IgnoresClaimURIs fault
}

type confirmation struct {
	Recipient, InResponseTo string
	NotOnOrAfter            time.Time
}

const bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"

func readAssertion(a *etree.Element) assertionView {
	v := assertionView{ID: a.SelectAttrValue("ID", ""), Attrs: map[string][]string{}}
	if iss := a.SelectElement("Issuer"); iss != nil {
		v.Issuer = strings.TrimSpace(fullText(iss))
	}
	if subj := a.SelectElement("Subject"); subj != nil {
		if n := subj.SelectElement("NameID"); n != nil {
			v.NameID = strings.TrimSpace(fullText(n))
		}
		for _, sc := range subj.SelectElements("SubjectConfirmation") {
			if sc.SelectAttrValue("Method", "") != bearer {
				continue
			}
			c := &confirmation{}
			if d := sc.SelectElement("SubjectConfirmationData"); d != nil {
				c.Recipient = d.SelectAttrValue("Recipient", "")
				c.InResponseTo = d.SelectAttrValue("InResponseTo", "")
				c.NotOnOrAfter = parseTime(d.SelectAttrValue("NotOnOrAfter", ""))
			}
			v.Bearer = c
			break
		}
	}
	if cond := a.SelectElement("Conditions"); cond != nil {
		v.HasConditions = true
		v.NotBefore = parseTime(cond.SelectAttrValue("NotBefore", ""))
		v.NotOnOrAfter = parseTime(cond.SelectAttrValue("NotOnOrAfter", ""))
		for _, ar := range cond.SelectElements("AudienceRestriction") {
			var list []string
			for _, au := range ar.SelectElements("Audience") {
				list = append(list, strings.TrimSpace(fullText(au)))
			}
			v.Audiences = append(v.Audiences, list)
		}
	}
	for _, st := range a.SelectElements("AuthnStatement") {
		t := parseTime(st.SelectAttrValue("SessionNotOnOrAfter", ""))
		if !t.IsZero() && (v.SessionEnds.IsZero() || t.Before(v.SessionEnds)) {
			v.SessionEnds = t
		}
	}
	for _, st := range a.SelectElements("AttributeStatement") {
		for _, at := range st.SelectElements("Attribute") {
			name := at.SelectAttrValue("Name", "")
			for _, val := range at.SelectElements("AttributeValue") {
				v.Attrs[name] = append(v.Attrs[name], strings.TrimSpace(fullText(val)))
			}
		}
	}
	return v
}

// fullText is all character data of el, across comments and processing
// instructions: "a<!---->b" is "ab" (catalogue PD-01/PD-02).
func fullText(el *etree.Element) string {
	var b strings.Builder
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok {
			b.WriteString(cd.Data)
		}
	}
	return b.String()
}

// firstTextNode is the ReadsFirstTextNode fault: the text up to the first
// comment, as the DOM-walking parsers of VU#475445 read it.
func firstTextNode(el *etree.Element) string {
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok {
			return cd.Data
		}
	}
	return ""
}

// inDocumentOrder returns every element with local name tag under el,
// depth first as a streaming parser meets them (etree's "//" is breadth
// first, which is not what a naive SP sees).
func inDocumentOrder(el *etree.Element, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag {
			out = append(out, c)
		}
		out = append(out, inDocumentOrder(c, tag)...)
	}
	return out
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Attribute names the SP maps, across the IdPs it meets.
var attrNames = struct{ email, given, family, groups []string }{
	email: []string{"email", "mail", "User.email", "emailaddress",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3"},
	given: []string{"firstName", "givenName", "User.FirstName",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42"},
	family: []string{"lastName", "sn", "surname", "User.LastName",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4"},
	groups: []string{"groups", "memberOf", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"},
}

func (v assertionView) first(names []string) string {
	for _, n := range names {
		if v.shortNamesOnly && strings.Contains(n, "://") {
			continue
		}
		if vals := v.Attrs[n]; len(vals) > 0 {
			return vals[0]
		}
	}
	return ""
}

func (v assertionView) identity() Identity {
	id := Identity{
		SessionEnds: v.SessionEnds,
		UserName:    v.NameID, Email: v.first(attrNames.email),
		GivenName: v.first(attrNames.given), FamilyName: v.first(attrNames.family),
	}
	for _, n := range attrNames.groups {
		if v.shortNamesOnly && strings.Contains(n, "://") {
			continue
		}
		if vals, ok := v.Attrs[n]; ok {
			id.Groups, id.HasGroups = vals, true
			break
		}
	}
	return id
}
