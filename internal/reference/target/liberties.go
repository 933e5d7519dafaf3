package target

import (
	"fmt"
	"sort"
	"strings"
)

// Liberty is a named choice RFC 7643 or RFC 7644 leaves to the service
// provider (MAY, SHOULD, OPTIONAL, or unspecified). Unlike a fault it is
// legal: the whole suite must pass with any liberty on, so the suite cannot
// silently assume the strict reference target's choices.
type Liberty struct {
	Name        string // kebab-case, says what the target does instead
	Description string // one line
	Section     string // where the RFC allows it, e.g. "RFC 7644 §3.5.2"
	Sentence    string // the RFC's own words that allow it
}

// AllLiberties is the name that switches every liberty on at once.
const AllLiberties = "all"

// liberty builds a table row; the code asks s.has(name) at the one place
// each liberty bends.
func liberty(name, desc, section, sentence string) Liberty {
	return Liberty{Name: name, Description: desc, Section: section, Sentence: sentence}
}

var liberties = []Liberty{
	liberty("patch-204", "a successful PATCH of a user or group answers 204 No Content, without a body",
		"RFC 7644 §3.5.2", `On successful completion, the server either MUST return a 200 OK response code and the entire resource within the response body, subject to the "attributes" query parameter (see Section 3.9), or MAY return HTTP status code 204 (No Content) and the appropriate response headers for a successful PATCH request.`),
	liberty("no-default-active", "a user created (or replaced) without active has no active",
		"RFC 7643 §4.1.1", `active: A Boolean value indicating the user's administrative status. The definitive meaning of this attribute is determined by the service provider.`),
	liberty("error-no-scimtype", "error bodies carry no scimType, except where the RFC's text demands one (uniqueness, noTarget, mutability)",
		"RFC 7644 §3.12", `scimType: A SCIM detail error keyword. See Table 9. OPTIONAL.`),
	liberty("error-no-detail", "error bodies carry no detail",
		"RFC 7644 §3.12", `detail: A detailed human-readable message. OPTIONAL.`),
	liberty("no-enterprise", "the enterprise extension is not offered: absent from /ResourceTypes and /Schemas, and ignored in requests",
		"RFC 7643 §6", `schemaExtensions: A list of URIs of the resource type's schema extensions. OPTIONAL.`),
	liberty("filter-unsupported", "filtering is declared unsupported in /ServiceProviderConfig and a filter answers 501",
		"RFC 7644 §3.4.2.2", `Filtering is an OPTIONAL parameter for SCIM service providers.`),
	liberty("sort-unsupported", "sorting is declared unsupported in /ServiceProviderConfig and sortBy is ignored",
		"RFC 7644 §3.4.2.3", `Sort is OPTIONAL. Clients MAY discover sort capability by looking at the "sort" attribute of the service provider configuration (see Section 4).`),
	liberty("etag-unsupported", "versioning is declared unsupported in /ServiceProviderConfig: no ETag header, no meta.version, If-Match and If-None-Match ignored",
		"RFC 7643 §3.1", `version: The version of the resource being returned. [...] Service provider support for this attribute is optional and subject to the service provider's support for versioning (see Section 3.14 of [RFC7644]).`),
	liberty("change-password-unsupported", "changePassword is declared unsupported in /ServiceProviderConfig and a PUT or PATCH that changes a password answers 501",
		"RFC 7643 §5", `changePassword: A complex type that specifies configuration options related to changing a password. [...] supported: A Boolean value specifying whether or not the operation is supported.`),
	liberty("small-pages", fmt.Sprintf("a list page holds at most %d resources whatever count asks (filter.maxResults says so)", smallPage),
		"RFC 7644 §3.4.2.4", `count: [...] When specified, the service provider MUST NOT return more results than specified, although it MAY return fewer results.`),
	liberty("numeric-ids", "ids are short decimal numbers, not UUIDs",
		"RFC 7643 §3.1", `id: A unique identifier for a SCIM resource as defined by the service provider.`),
	liberty("location-public-base", "meta.location and the Location header use the target's public base URL, not the host the request named",
		"RFC 7643 §3.1", `location: The URI of the resource being returned.`),
	liberty("explicit-nulls", "unassigned attributes are sent as null, or [] when multi-valued, instead of being left out",
		"RFC 7643 §2.5", `Unassigned attributes, the null value, or empty array (in the case of a multi-valued attribute) SHALL be considered to be equivalent in "state". When a resource is expressed in JSON format, unassigned attributes, although they are defined in schema, MAY be omitted for compactness.`),
	liberty("put-keeps-omitted", "PUT keeps the readWrite attributes the request omitted",
		"RFC 7644 §3.5.1", `Attributes whose mutability is "readWrite" that are omitted from the request body MAY be assumed to be not asserted by the client.`),
	liberty("attributes-always", "userName and a group's displayName are declared returned \"always\" and come with any attributes or excludedAttributes",
		"RFC 7643 §7", `always: The attribute is always returned, regardless of the contents of the "attributes" parameter.`),
}

// smallPage is the page size of the small-pages liberty.
const smallPage = 2

// publicBase is where the location-public-base liberty says resources
// live: a name that never resolves, so a client that follows it fails.
const publicBase = "https://scim.idpconform.invalid/scim/v2"

// Liberties lists every liberty, sorted by name.
func Liberties() []Liberty {
	out := append([]Liberty(nil), liberties...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ExpandLiberties replaces AllLiberties by every liberty's name.
func ExpandLiberties(names []string) []string {
	var out []string
	for _, n := range names {
		if n != AllLiberties {
			out = append(out, n)
			continue
		}
		for _, l := range Liberties() {
			out = append(out, l.Name)
		}
	}
	return out
}

// checkLiberties adds liberty names (AllLiberties for all) to on,
// refusing unknown ones.
func checkLiberties(names []string, on map[string]bool) error {
	known := map[string]bool{}
	for _, l := range liberties {
		known[l.Name] = true
	}
	for _, n := range ExpandLiberties(names) {
		if !known[n] {
			return fmt.Errorf("target: new: unknown liberty %q (idpconform serve-target --list-liberties lists them)", n)
		}
		on[n] = true
	}
	return nil
}

// Liberty names the section and the sentence that allow l, on one line.
func (l Liberty) String() string {
	return fmt.Sprintf("%s: %s (%s: %q)", l.Name, l.Description, l.Section, strings.TrimSpace(l.Sentence))
}
