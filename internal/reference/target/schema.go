package target

import (
	"sort"
	"strings"
)

// Schema URNs (RFC 7643 §8.7).
const (
	userURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupURN      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	listURN       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	patchURN      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	searchURN     = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	errorURN      = "urn:ietf:params:scim:api:messages:2.0:Error"
	spcURN        = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	rtURN         = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	schemaURN     = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// attr is an attribute definition (RFC 7643 §7): it drives input
// canonicalisation, output, filtering, PATCH paths and /Schemas.
type attr struct {
	Name        string
	Type        string // string, boolean, complex, reference, dateTime
	Multi       bool
	Required    bool
	CaseExact   bool
	Mutability  string // readWrite (default), readOnly, immutable, writeOnly
	Returned    string // default, always, never
	Uniqueness  string // none (default), server
	Description string
	Sub         []attr
}

// sub finds a sub-attribute by name, case-insensitively.
func (a attr) sub(name string) (attr, bool) { return find(a.Sub, name) }

func find(list []attr, name string) (attr, bool) {
	for _, a := range list {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return attr{}, false
}

func str(name, desc string) attr { return attr{Name: name, Type: "string", Description: desc} }

// multi is the common shape of multi-valued attributes (RFC 7643 §2.4).
func multi(name, desc string, extra ...attr) attr {
	sub := append([]attr{
		str("value", "The value."), str("display", "A human-readable name."), str("type", "A label such as work or home."),
		{Name: "primary", Type: "boolean", Description: "Whether this is the primary value."},
	}, extra...)
	return attr{Name: name, Type: "complex", Multi: true, Description: desc, Sub: sub}
}

var userAttrs = []attr{
	{Name: "userName", Type: "string", Required: true, Uniqueness: "server",
		Description: "Unique identifier for the user; 2 to 42 characters, not digits only."},
	{Name: "name", Type: "complex", Description: "The components of the user's name.", Sub: []attr{
		str("formatted", "The full name."), str("familyName", "The family name."), str("givenName", "The given name."),
		str("middleName", "The middle name."), str("honorificPrefix", "Honorific prefix."), str("honorificSuffix", "Honorific suffix."),
	}},
	str("displayName", "The name displayed to end users."),
	str("nickName", "The casual name."),
	{Name: "profileUrl", Type: "reference", Description: "The user's online profile."},
	str("title", "The user's title."),
	str("userType", "The relationship to the organisation."),
	str("preferredLanguage", "Preferred written or spoken language."),
	str("locale", "Default location for localisation."),
	str("timezone", "Time zone in IANA format."),
	{Name: "active", Type: "boolean", Description: "Whether the user may log in."},
	{Name: "password", Type: "string", Mutability: "writeOnly", Returned: "never", Description: "The clear-text password, never returned."},
	multi("emails", "Email addresses."),
	multi("phoneNumbers", "Phone numbers."),
	multi("ims", "Instant messaging addresses."),
	multi("photos", "Photo URLs."),
	multi("addresses", "Physical mailing addresses.",
		str("formatted", "Full address."), str("streetAddress", "Street."), str("locality", "City."),
		str("region", "State or region."), str("postalCode", "Postal code."), str("country", "Country.")),
	{Name: "groups", Type: "complex", Multi: true, Mutability: "readOnly", Description: "Groups the user belongs to.", Sub: []attr{
		str("value", "Group id."), {Name: "$ref", Type: "reference", Description: "Group URI."},
		str("display", "Group name."), str("type", "direct or indirect."),
	}},
	multi("entitlements", "Entitlements."),
	multi("roles", "Roles."),
	multi("x509Certificates", "Certificates."),
}

var enterpriseAttrs = []attr{
	str("employeeNumber", "Employee number."), str("costCenter", "Cost center."), str("organization", "Organisation."),
	str("division", "Division."), str("department", "Department."),
	{Name: "manager", Type: "complex", Description: "The user's manager.", Sub: []attr{
		str("value", "The manager's id."), {Name: "$ref", Type: "reference", Description: "The manager's URI."},
		{Name: "displayName", Type: "string", Mutability: "readOnly", Description: "The manager's displayName."},
	}},
}

var groupAttrs = []attr{
	{Name: "displayName", Type: "string", Required: true, Uniqueness: "server", Description: "The group's name."},
	{Name: "members", Type: "complex", Multi: true, Description: "Members of the group.", Sub: []attr{
		{Name: "value", Type: "string", Mutability: "immutable", Description: "The member's id."},
		{Name: "$ref", Type: "reference", Mutability: "immutable", Description: "The member's URI."},
		{Name: "display", Type: "string", Mutability: "readOnly", Description: "The member's name."},
		{Name: "type", Type: "string", Mutability: "immutable", Description: "User or Group."},
	}},
}

// common are the attributes every resource has (RFC 7643 §3.1).
var common = []attr{
	{Name: "id", Type: "string", CaseExact: true, Mutability: "readOnly", Returned: "always", Uniqueness: "server"},
	{Name: "externalId", Type: "string", CaseExact: true, Description: "The provisioning client's identifier."},
	{Name: "meta", Type: "complex", Mutability: "readOnly", Sub: []attr{
		str("resourceType", ""), {Name: "created", Type: "dateTime"}, {Name: "lastModified", Type: "dateTime"},
		{Name: "location", Type: "reference"}, str("version", ""),
	}},
}

// kind is a resource type (RFC 7643 §6).
type kind struct {
	Name       string // User
	Endpoint   string // Users
	Schema     string
	Attrs      []attr
	Extensions map[string][]attr // schema URN → attributes
}

var (
	userKind  = &kind{Name: "User", Endpoint: "Users", Schema: userURN, Attrs: userAttrs, Extensions: map[string][]attr{enterpriseURN: enterpriseAttrs}}
	groupKind = &kind{Name: "Group", Endpoint: "Groups", Schema: groupURN, Attrs: groupAttrs}
)

// lookup finds a top-level attribute, a common one, or an extension's
// attribute by URN, case-insensitively. ext is "" for core attributes.
func (k *kind) lookup(urn, name string) (a attr, ext string, ok bool) {
	if urn != "" {
		for u, attrs := range k.Extensions {
			if strings.EqualFold(u, urn) {
				a, ok = find(attrs, name)
				return a, u, ok
			}
		}
		if !strings.EqualFold(urn, k.Schema) {
			return attr{}, "", false
		}
	}
	if a, ok = find(k.Attrs, name); ok {
		return a, "", true
	}
	a, ok = find(common, name)
	return a, "", ok
}

// lookupPath is lookup for PATCH paths and filters: an unqualified name no
// core attribute has is the attribute of the extension that defines it, as
// Entra sends path "manager" and filters on "manager eq"
// (shared/idp-behaviour.md E17), unless a fault refuses it.
func (s *Server) lookupPath(k *kind, urn, name string) (attr, string, bool) {
	if a, ext, ok := k.lookup(urn, name); ok || urn != "" || s.has(UnqualifiedExtensionNameRefused) {
		return a, ext, ok
	}
	for _, u := range k.extensionURNs() {
		if a, ok := find(k.Extensions[u], name); ok {
			return a, u, true
		}
	}
	return attr{}, "", false
}

// extensionURNs lists the extension schemas in a stable order.
func (k *kind) extensionURNs() []string {
	out := make([]string, 0, len(k.Extensions))
	for u := range k.Extensions {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// extension returns the canonical URN of an extension key, if it is one.
func (k *kind) extension(key string) (string, bool) {
	for u := range k.Extensions {
		if strings.EqualFold(u, key) {
			return u, true
		}
	}
	return "", false
}
