package target

import (
	"fmt"
	"sort"
)

// Fault is a named way in which the reference target breaks exactly one
// behaviour the suite checks. The self-test proves each is caught.
type Fault struct {
	Name        string   // kebab-case, says what is broken
	Clauses     []string // the clause ids the fault violates
	Description string
}

var faults = []Fault{
	{"username-case-sensitive", []string{"rfc7643-4.1.1", "okta-case"}, "userName uniqueness and userName filters compare case-sensitively"},
	{"no-uniqueness", []string{"rfc7644-3.3"}, "a duplicate userName is created instead of refused with 409"},
	{"create-returns-200", []string{"rfc7644-3.3"}, "POST answers 200 instead of 201"},
	{"no-location-header", []string{"rfc7644-3.3"}, "POST omits the Location header"},
	{"no-meta", []string{"rfc7643-3.1"}, "resources are returned without meta"},
	{"drops-external-id", []string{"rfc7643-3.1", "okta-create"}, "externalId is accepted but not stored"},
	{"ignores-active-false", []string{"rfc7643-4.1.1"}, "active=false (PUT or PATCH) is answered 200 but not stored"},
	{"json-content-type", []string{"rfc7644-3.8"}, "responses are served as application/json"},
	{"error-status-number", []string{"rfc7644-3.12"}, "error bodies carry status as a JSON number"},
	{"html-404", []string{"rfc7644-3.12"}, "unknown ids and endpoints answer a text/html 404 without a SCIM error body"},
	{"missing-401", []string{"rfc7644-2"}, "requests without or with a wrong credential are served"},
	{"delete-keeps-resource", []string{"rfc7644-3.6"}, "DELETE answers 204 but the resource can still be read"},
	{"user-delete-keeps-membership", []string{"rfc7644-3.6"}, "deleting a user leaves it in groups' members"},
	{"ignores-attributes-param", []string{"rfc7644-3.4.2.5", "entra-group-read"}, "attributes and excludedAttributes are ignored"},
	{"malformed-filter-200", []string{"rfc7644-3.4.2.2"}, "an unparsable filter answers 200 with an empty list instead of 400 invalidFilter"},
	{"and-filter-as-or", []string{"rfc7644-3.4.2.2"}, "`and` is evaluated as `or`"},
	{"not-filter-ignored", []string{"rfc7644-3.4.2.2"}, "`not (x)` is evaluated as `x`"},
	{"value-path-filter-broken", []string{"rfc7644-3.4.2.2"}, `filters with value paths (emails[type eq "work"]) match nothing`},
	{"string-compare-case-sensitive", []string{"rfc7644-3.4.2.2"}, "string filters on caseExact=false attributes compare case-sensitively"},
	{"total-results-wrong", []string{"rfc7644-3.4.2"}, "totalResults counts every resource, ignoring the filter"},
	{"items-per-page-wrong", []string{"rfc7644-3.4.2.4"}, "itemsPerPage reports totalResults instead of the page size"},
	{"start-index-zero-based", []string{"rfc7644-3.4.2.4", "okta-paging"}, "startIndex is treated as 0-based"},
	{"count-zero-ignored", []string{"rfc7644-3.4.2.4"}, "count=0 returns resources"},
	{"sort-ignored", []string{"rfc7644-3.4.2.3"}, "sortBy and sortOrder are ignored"},
	{"no-search-endpoint", []string{"rfc7644-3.4.3"}, "POST .search answers 404"},
	{"put-keeps-omitted", []string{"rfc7644-3.5.1"}, "PUT keeps attributes the request omitted"},
	{"patch-unknown-op-accepted", []string{"rfc7644-3.5.2"}, "an unknown PATCH op is ignored and answered 200"},
	{"patch-unknown-path-accepted", []string{"rfc7644-3.5.2"}, "a PATCH of an attribute the schema does not define is ignored and answered 200"},
	{"patch-not-atomic", []string{"rfc7644-3.5.2"}, "a PATCH that fails halfway keeps the operations before the failure"},
	{"patch-remove-no-path-accepted", []string{"rfc7644-3.5.2.2"}, "a remove without a path answers 200 instead of 400 noTarget"},
	{"patch-value-filter-all", []string{"rfc7644-3.5.2.3", "entra-valuepath", "rfc7644-3.5.2.2"}, "a value-filter path changes every value, not only the matching ones"},
	{"patch-no-path-replace-ignored", []string{"rfc7644-3.5.2.3", "okta-patch-active", "entra-nopath-object", "okta-group-push"}, "a replace with no path and an object value answers 200 but changes nothing"},
	{"patch-add-ignored", []string{"rfc7644-3.5.2.1", "okta-group-push", "entra-member-add", "entra-add-vs-replace"}, "PATCH add answers 200 but changes nothing"},
	{"patch-remove-ignored", []string{"rfc7644-3.5.2.2", "okta-group-push", "entra-member-remove", "entra-manager"}, "PATCH remove answers 200 but removes nothing"},
	{"patch-ops-case-sensitive", []string{"entra-patch-op-case", "entra-string-bool", "entra-member-remove", "entra-manager", "entra-valuepath", "entra-add-vs-replace", "entra-disable", "entra-nopath-object", "entra-retry", "entra-lookup", "entra-group-rename", "entra-member-add", "entra-create", "entra-cycles", "entra-group-create", "rfc7644-3.6", "rfc7644-3.5.2.3"}, `PATCH op names other than lowercase ("Replace") are refused with 400`},
	{"rejects-string-booleans", []string{"entra-string-bool", "entra-disable", "entra-manager"}, `booleans sent as the strings "True"/"False" are refused with 400`},
	{"legacy-member-removal-ignored", []string{"entra-member-remove"}, "a remove on path members with a value array removes nobody"},
	{"rejects-null-ref", []string{"entra-member-add", "entra-group-create", "entra-member-remove", "entra-group-rename", "entra-group-read"}, `a member with "$ref": null is refused with 400`},
	{"manager-array-rejected", []string{"entra-manager"}, "a manager sent as an array of one (Entra legacy) is refused with 400"},
	{"group-rename-ignored", []string{"rfc7644-3.5.2.3", "okta-group-push", "entra-group-rename"}, "replacing a group's displayName answers 200 but keeps the old name"},
	{"put-requires-password", []string{"okta-put-profile"}, "a PUT without a password is refused once the user has one"},
	{"put-drops-enterprise", []string{"rfc7644-3.5.1", "rfc7643-3.3"}, "PUT drops the enterprise extension the request carries"},
	{"deactivate-deletes", []string{"okta-deactivated-readable", "okta-no-delete", "entra-disable", "rfc7643-4.1.1", "okta-patch-active"}, "active=false deletes the user, so a deactivated user cannot be read or reactivated"},
	{"rate-limit-no-retry-after", []string{"okta-rate"}, "bursts are limited with 429 without a Retry-After header"},
	{"etag-ignored", []string{"rfc7644-3.14"}, "If-Match with a stale version is not refused with 412"},
	{"no-etag", []string{"rfc7644-3.14"}, "no ETag header and no meta.version are returned"},
	{"schemas-missing-user", []string{"rfc7643-7", "rfc7644-4", "rfc7643-6"}, "/Schemas omits the User schema"},
	{"resourcetypes-wrong-endpoint", []string{"rfc7643-6", "rfc7644-4"}, "the User resource type names endpoint /Accounts"},
	{"spc-string-booleans", []string{"rfc7643-5", "rfc7644-4"}, `ServiceProviderConfig answers "supported": "true" strings`},
	{"password-returned", []string{"rfc7643-4.1.1", "okta-patch-password"}, "the password is returned in responses"},
	{"drops-multi-valued-type", []string{"rfc7643-4.1.2", "entra-valuepath", "rfc7644-3.5.2.3", "rfc7644-3.4.2.2", "rfc7644-3.5.2.1", "rfc7644-3.5.2.2"}, "type and primary of multi-valued attributes are not stored"},
	{"groups-attribute-empty", []string{"rfc7643-4.1.2"}, "the user's read-only groups attribute is always empty"},
	{"filter-ignores-extension", []string{"rfc7643-3.3", "rfc7644-3.4.2.2"}, "filters on URN-prefixed extension attributes match nothing"},
	{"external-id-case-insensitive", []string{"rfc7643-3.1", "rfc7644-3.4.2.2"}, "externalId filters compare case-insensitively and match by prefix"},
	{"no-default-active", []string{"rfc7643-4.1.1"}, "a user created without active is returned without it"},
	{"missing-username-accepted", []string{"rfc7644-3.3", "rfc7643-4.1.1"}, "a user without userName is created"},
	{"invalid-json-500", []string{"rfc7644-3.12"}, "a body that is not JSON answers 500"},
	{"username-too-long-accepted", []string{"entra-retry"}, "userNames longer than the policy allows are accepted"},
}

// Faults lists every fault, sorted by name.
func Faults() []Fault {
	out := append([]Fault(nil), faults...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func checkFaults(names []string) (map[string]bool, error) {
	known := map[string]bool{}
	for _, f := range faults {
		known[f.Name] = true
	}
	on := map[string]bool{}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("target: unknown fault %q (idpconform serve-target --list-faults lists them)", n)
		}
		on[n] = true
	}
	return on, nil
}
