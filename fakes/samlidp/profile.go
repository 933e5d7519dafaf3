package samlidp

import (
	"fmt"
	"sort"
)

// NameID formats used by the profiles.
const (
	NameIDEmail       = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	NameIDPersistent  = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
)

// Attribute NameFormats.
const (
	FormatBasic       = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
	FormatURI         = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
	FormatUnspecified = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
)

// Profile says how one kind of real IdP shapes its responses: which elements
// it signs, its NameID format and its attribute names. The values model the
// vendors' documented defaults closely enough for an SP to meet each shape;
// they are not byte-for-byte recordings.
type Profile struct {
	Name          string
	SignResponse  bool // a ds:Signature on samlp:Response
	SignAssertion bool // a ds:Signature on saml:Assertion
	NameIDFormat  string
	AttrFormat    string
	// Attribute names; an empty name leaves the attribute out.
	Email, GivenName, FamilyName, Groups string
	// GroupCap truncates the group list (Google sends at most 75 groups);
	// 0 means no cap.
	GroupCap int
	// JITOnly marks an IdP that offers no SCIM provisioning, so the SP can
	// only learn users from assertions (Google Workspace's custom SAML apps).
	JITOnly bool
}

// The profiles. Okta and Google sign the assertion and leave the response
// unsigned by default; Entra signs the assertion; OneLogin is modelled with
// both signed so the suite covers that shape too.
var (
	Okta = Profile{
		Name: "okta", SignAssertion: true, NameIDFormat: NameIDUnspecified, AttrFormat: FormatUnspecified,
		Email: "email", GivenName: "firstName", FamilyName: "lastName", Groups: "groups",
	}
	Entra = Profile{
		Name: "entra", SignAssertion: true, NameIDFormat: NameIDEmail, AttrFormat: FormatUnspecified,
		Email:      "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
		GivenName:  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
		FamilyName: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
		Groups:     "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
	}
	Google = Profile{
		Name: "google", SignAssertion: true, NameIDFormat: NameIDEmail, AttrFormat: FormatUnspecified,
		Email: "email", GivenName: "firstName", FamilyName: "lastName", Groups: "groups",
		GroupCap: 75, JITOnly: true,
	}
	OneLogin = Profile{
		Name: "onelogin", SignResponse: true, SignAssertion: true, NameIDFormat: NameIDEmail, AttrFormat: FormatBasic,
		Email: "User.email", GivenName: "User.FirstName", FamilyName: "User.LastName", Groups: "memberOf",
	}
)

var profiles = map[string]Profile{Okta.Name: Okta, Entra.Name: Entra, Google.Name: Google, OneLogin.Name: OneLogin}

// ProfileByName returns the profile called name (okta, entra, google, onelogin).
func ProfileByName(name string) (Profile, error) {
	p, ok := profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("samlidp: profile %q: unknown (have %v)", name, ProfileNames())
	}
	return p, nil
}

// ProfileNames lists the profile names in order.
func ProfileNames() []string {
	names := make([]string, 0, len(profiles))
	for n := range profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
