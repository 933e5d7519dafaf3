package target

import (
	"fmt"
	"sort"
)

// Fault is a named way in which the reference target breaks exactly one
// behaviour the suite checks. The self-test proves each one is caught.
type Fault struct {
	Name        string   // kebab-case, says what is broken
	Clauses     []string // the tags of what it breaks: clause ids, or an IdP's tag ("entra") for a fault that breaks its whole dialect
	Description string   // one line
	// Load marks a fault that only bends concurrent traffic: the self-test
	// runs the scenarios citing its clauses on their own.
	Load bool
	// Broad marks a fault in something every scenario stands on (reading a
	// resource back by id): it fails scenarios everywhere, so the self-test
	// only requires that it is caught.
	Broad bool
	// SSO marks a fault of the SSO half (internal/reference/sp): it bends /sso/ only.
	SSO bool
}

// fault builds a table row; the code asks s.has(name) at the one place each
// fault bends.
func fault(name, desc string, clauses ...string) Fault {
	return Fault{Name: name, Description: desc, Clauses: clauses}
}

var faults = []Fault{
	// Users and uniqueness (RFC 7643 §4.1.1, RFC 7644 §3.3)
	fault("username-case-sensitive", "userName uniqueness and userName filters compare case-sensitively", "rfc7643-4.1.1", "okta-case"),
	fault("no-uniqueness", "a duplicate userName is created instead of refused with 409", "rfc7644-3.3", "rfc7644-3.7", "okta-O7"),
	fault("filter-hides-deactivated", "filters leave deactivated users out, so a lookup does not find them", "okta-O28", "okta-no-delete", "rfc7644-3.4.2.2", "entra-disable"),
	// Okta's wire (shared/idp-behaviour.md O9, O20, O24)
	fault("rename-to-own-name-conflicts", "a PATCH replacing a group's displayName with the name it has answers 409 uniqueness", "okta-O20", "okta-group-push"),
	fault("content-type-charset-refused", "a body whose Content-Type has a parameter (charset=utf-8) answers 415", "okta-O24", "okta"),
	fault("put-rejects-read-only", "a PUT carrying meta, as the target itself sent it, answers 400 mutability", "okta-O9", "okta-O8", "okta-O10", "okta"),
	// OneLogin's templates (shared/idp-behaviour.md L2, L3, L5)
	fault("null-id-500", `a create carrying "id": null answers 500`, "onelogin-L2"),
	fault("string-active-inactive", `a create with "active": "true" (a string) stores the user inactive`, "onelogin-L2"),
	fault("foreign-schemas-kept", "schema URNs the target does not serve (urn:scim:schemas:core:1.0) are kept in the user's schemas", "onelogin-L3", "rfc7643-3"),
	fault("json-media-type-refused", "a body sent as application/json answers 415", "onelogin-L5"),
	fault("create-returns-200", "POST answers 200 instead of 201", "rfc7644-3.3", "rfc7644-3.7", "entra"),
	fault("no-location-header", "POST omits the Location header", "rfc7644-3.3"),
	fault("create-user-without-id", "POST /Users answers 201 with a body that has no id", "rfc7643-3.1", "okta-create", "entra-create"),
	fault("missing-username-accepted", "a user without userName is created", "rfc7644-3.3", "rfc7643-4.1.1"),
	fault("username-too-long-accepted", "userNames longer than the policy allows are accepted", "entra-retry", "hub-usernames"),
	fault("username-too-short-accepted", "userNames shorter than the policy allows are accepted", "hub-usernames"),
	fault("digit-only-accepted", "userNames of digits only are accepted", "hub-usernames"),
	fault("truncates-username", "userNames longer than the policy allows are cut to the maximum and accepted", "entra-retry", "hub-usernames"),
	fault("username-unicode-mangled", "non-ASCII characters are dropped from userNames without a word", "hub-usernames"),
	fault("username-lowercased", "userNames are stored lower-cased", "hub-usernames", "rfc7643-4.1.1"),
	fault("username-nfkc-folded", "full-width letters in userNames are folded to ASCII without a word", "hub-usernames"),
	fault("username-length-in-bytes", "the userName length limit counts bytes, not characters", "hub-usernames"),
	fault("username-filter-folds-confusables", "userName filters match Cyrillic look-alikes of Latin letters", "hub-usernames"),
	fault("username-rule-ignored", "under a userName character rule (serve-target --usernames hub) the names it forbids are accepted", "hub-HX1"),
	fault("rename-skips-uniqueness", "a rename (PUT or PATCH) into a taken userName is stored", "rfc7644-3.3"),
	fault("rename-skips-username-policy", "a rename skips the userName length and digits-only rules", "hub-usernames"),
	// Organisation lifecycle (lifecycle.go, roles.go; shared/quirks.md hub-*)
	fault("invitation-counts-as-member", "a pending invitation counts as membership before it is accepted", "hub-invite"),
	fault("acceptance-ignored", "accepting an invitation answers 200 but the person stays pending", "hub-invite"),
	fault("unknown-account-500", "inviting a userName no hub account has answers 500", "hub-invite"),
	fault("reinvite-resets-to-pending", "inviting a member again turns them back into a pending invitation", "hub-invite"),
	fault("cancelled-invitation-blocks-reinvite", "an account whose invitation was cancelled cannot be invited again", "hub-invite-deprovision"),
	fault("cancelled-invitation-acceptable", "an invitation deprovisioned before acceptance can still be accepted", "hub-invite-deprovision"),
	fault("deprovision-deletes-account", "deprovisioning in invitation mode deletes the personal account", "hub-invite-deprovision"),
	fault("deactivated-member-keeps-access", "a deactivated member of an invitation-mode organisation keeps access", "hub-invite-deprovision"),
	fault("deactivated-account-usable", "a deactivated managed account can still be used", "hub-managed"),
	fault("reactivate-clears-profile", "reactivating a user clears the rest of their profile", "hub-managed", "okta-O28"),
	fault("delete-keeps-account", "deleting a managed user leaves a usable account behind", "hub-managed"),
	fault("list-shows-deactivated-active", "lists and filters show deactivated users as active", "hub-managed", "entra-disable"),
	fault("role-kept-after-group-removal", "a role granted by a mapped group is not revoked when the user leaves it", "hub-roles"),
	fault("roles-lowest-wins", "a user in two mapped groups gets the lower role", "hub-roles"),
	fault("default-role-missing", "a member of no mapped group has no role instead of the default role", "hub-roles"),
	fault("resource-groups-ignored", "mapped groups grant their role but not their resource group", "hub-roles"),
	// The Hugging Face Hub's rules (hubrules.go, resourcegroups.go; shared/idp-behaviour.md H4–H19, HX3–HX6)
	fault("managed-password-login", "a managed account can sign in with a password, not only through the IdP", "hub-H4"),
	fault("invited-account-loses-own-login", "an account SCIM invited (pending or member) can no longer sign in with its own credentials", "hub-H5"),
	fault("managed-public-content", "a managed user can create public content", "hub-H6"),
	fault("managed-user-joins-other-org", "a managed user can join another organisation", "hub-H7"),
	fault("external-collaborator-refused", "a personal account cannot be added as an external collaborator", "hub-H19"),
	fault("scim-edits-personal-profile", "in the invitation model SCIM changes an invited member's name, email or userName", "hub-HX3"),
	fault("external-id-read-only", "in the invitation model SCIM cannot change an invited member's externalId", "hub-HX3"),
	fault("deprovision-keeps-resource-groups", "a deprovisioned user stays in the organisation's resource groups", "hub-HX4"),
	fault("managed-delete-keeps-content", "deleting a managed user leaves the content they created", "hub-HX5"),
	fault("deactivation-deletes-content", "deactivating a managed user deletes the content they created, as only a delete should", "hub-HX5"),
	fault("link-skips-backfill", "linking a SCIM group to a resource group does not add the group's members", "hub-HX6"),
	fault("linked-group-ignores-new-members", "a member added to a linked SCIM group does not join its resource group", "hub-HX6"),
	fault("leaver-keeps-resource-group", "a member removed from a linked SCIM group stays in its resource group", "hub-HX6"),
	fault("group-delete-keeps-resource-members", "deleting a linked SCIM group leaves its members in the resource group", "hub-HX6"),
	fault("role-change-skips-members", "changing a linked SCIM group's role leaves its members with the old role", "hub-HX6"),
	fault("manual-change-to-scim-group", "a SCIM-managed resource group membership can be changed by hand", "hub-HX6"),
	fault("links-non-empty-resource-group", "a resource group that has members can be linked to a SCIM group", "hub-HX6"),
	fault("new-user-inactive", "a user created without active is stored inactive", "rfc7643-4.1.1"),
	fault("password-returned", "the password is returned in responses", "rfc7643-4.1.1", "okta-patch-password"),
	fault("password-echoed-after-write", "the answer to a PUT or PATCH carries the password", "rfc7643-4.1.1"),
	fault("password-returned-when-asked", "the password is returned when attributes= names it", "rfc7643-4.1.1"),
	fault("no-meta", "resources are returned without meta", "rfc7643-3.1", "rfc7644-3.14"),
	fault("drops-external-id", "externalId is accepted but not stored", "rfc7643-3.1", "okta-create", "entra-create", "entra-lookup", "okta-O8", "okta-O28"),
	fault("drops-enterprise", "the enterprise extension is accepted but not stored", "rfc7643-3.3", "rfc7644-3.4.2.2", "entra"),
	fault("drops-multi-valued-type", "type and primary of multi-valued attributes are not stored",
		"rfc7643-4.1.2", "rfc7644-3.4.2.2", "rfc7644-3.5.2.1", "rfc7644-3.5.2.2", "rfc7644-3.5.2.3", "okta-create", "okta-aiw-vs-oin", "entra"),
	fault("ignores-active-false", "active=false (PUT or PATCH) is answered 200 but not stored",
		"rfc7643-4.1.1", "okta-patch-active", "entra-disable", "regression"),
	fault("deactivate-deletes", "active=false deletes the user, so a deactivated user cannot be read or reactivated",
		"rfc7643-4.1.1", "okta-deactivated-readable", "okta-no-delete", "okta-patch-active", "entra-disable"),
	fault("reuses-freed-ids", "a new resource gets the id of the one deleted last with the same name prefix (up to its last \"-\")", "rfc7643-3.1", "rfc7644-3.6"),
	fault("client-id-accepted", "a create keeps the id the client sent instead of issuing one", "rfc7643-3.1"),
	fault("get-by-id-404", "GET by id answers 404 for every resource; only lists work", "rfc7644-3.4.1"),
	// Protocol (RFC 7644 §2, §3.8, §3.12, §3.14)
	fault("json-content-type", "responses are served as application/json", "rfc7644-3.8"),
	fault("error-status-number", "error bodies carry status as a JSON number", "rfc7644-3.12"),
	fault("html-404", "unknown ids and endpoints answer a text/html 404 without a SCIM error body", "rfc7644-3.12"),
	fault("invalid-json-500", "a body that is not JSON answers 500", "rfc7644-3.12"),
	fault("missing-401", "requests without or with a wrong credential are served", "rfc7644-2", "rfc6750-3", "entra-quarantine"),
	fault("unauthorized-no-challenge", "401 answers carry no WWW-Authenticate header", "rfc6750-3"),
	fault("unauthorized-plain-text", "401 answers are a text/plain \"Unauthorized\" instead of a SCIM error", "rfc7644-3.12", "rfc6750-3"),
	fault("not-found-scimtype", `404 errors carry the 400 keyword scimType "invalidValue"`, "rfc7644-3.12"),
	fault("etag-ignored", "If-Match with a stale version is not refused with 412", "rfc7644-3.14"),
	fault("no-etag", "no ETag header and no meta.version are returned", "rfc7644-3.14"),
	fault("rate-limit-no-retry-after", "bursts are limited with 429 without a Retry-After header", "okta-rate"),
	fault("rate-limit-under-25rps", "more than 10 requests a second are refused with 429 (Retry-After: 1)", "entra-E34"),
	// Deleting (RFC 7644 §3.6)
	fault("delete-keeps-resource", "DELETE answers 204 but the resource can still be read", "rfc7644-3.6"),
	fault("user-delete-keeps-membership", "deleting a user leaves it in groups' members", "rfc7644-3.6"),
	// Reading and listing (RFC 7644 §3.4)
	fault("ignores-attributes-param", "attributes and excludedAttributes are ignored", "rfc7644-3.4.2.5", "entra-group-read"),
	fault("attributes-drops-schemas", "attributes= leaves schemas out of the resources", "rfc7643-3", "rfc7644-3.4.2.5"),
	fault("list-resources-without-schemas", "resources in list responses carry no schemas", "rfc7643-3", "rfc7644-3.4.2"),
	fault("list-not-listresponse", "a list without a filter answers a bare JSON array instead of a ListResponse", "okta-test-connection", "onelogin-L6", "rfc7644-2", "rfc7644-3.4.2"),
	fault("total-results-wrong", "totalResults counts every resource, ignoring the filter", "rfc7644-3.4.2", "rfc7644-3.4.2.4"),
	fault("items-per-page-wrong", "itemsPerPage reports totalResults instead of the page size", "rfc7644-3.4.2.4"),
	fault("start-index-zero-based", "an explicit startIndex is treated as 0-based",
		"rfc7644-3.4.2.4", "okta-paging", "okta-lookup", "okta-case", "okta-no-delete", "okta-group-push", "okta-O8", "okta-O16"),
	fault("count-zero-ignored", "count=0 returns resources", "rfc7644-3.4.2.4"),
	fault("sort-ignored", "sortBy and sortOrder are ignored", "rfc7644-3.4.2.3"),
	fault("search-creates", "POST /Users/.search (or /Groups/.search) creates an empty resource and answers 201 with it", "rfc7644-3.4.3"),
	fault("no-search-endpoint", "POST .search answers 404", "rfc7644-3.4.3"),
	// Bulk (RFC 7644 §3.7)
	fault("bulk-ignores-bulkid-refs", `"bulkId:x" references are not replaced by the id the operation x created`, "rfc7644-3.7"),
	fault("bulk-ignores-fail-on-errors", "failOnErrors is ignored: every operation runs", "rfc7644-3.7"),
	fault("bulk-no-limits", "a bulk request over maxOperations or maxPayloadSize is processed instead of refused with 413", "rfc7644-3.7"),
	// Filters (RFC 7644 §3.4.2.2)
	fault("malformed-filter-200", "an unparsable filter answers 200 with an empty list instead of 400 invalidFilter", "rfc7644-3.4.2.2"),
	fault("and-filter-as-or", "`and` is evaluated as `or`", "rfc7644-3.4.2.2", "entra"), // Entra's manager and membership queries use and (E17, E22)
	fault("or-filter-as-and", "`or` is evaluated as `and`", "rfc7644-3.4.2.2"),
	fault("not-filter-ignored", "`not (x)` is evaluated as `x`", "rfc7644-3.4.2.2"),
	fault("ew-as-sw", "`ew` is evaluated as `sw`", "rfc7644-3.4.2.2"),
	fault("value-path-filter-broken", `filters with value paths (emails[type eq "work"]) match nothing`, "rfc7644-3.4.2.2"),
	fault("multi-valued-filter-first-only", "filters on a multi-valued attribute compare only its first value", "rfc7644-3.4.2.2", "entra"), // Entra's membership query (E22)
	fault("string-compare-case-sensitive", "string filters on caseExact=false attributes other than userName compare case-sensitively", "rfc7644-3.4.2.2"),
	fault("filter-ignores-extension", "filters on URN-prefixed extension attributes match nothing", "rfc7644-3.4.2.2"),
	fault("external-id-case-insensitive", "externalId filters compare case-insensitively", "rfc7644-3.4.2.2"),
	fault("username-eq-empty", `userName eq filters answer an empty list`,
		"rfc7644-3.4.2.2", "rfc7644-3.4.2", "rfc7644-3.4.2.5", "rfc7644-3.4.3", "rfc7644-3.6", "rfc7644-2", "hub-usernames", "okta-lookup", "okta-case", "okta-no-delete", "okta-group-push", "entra", "okta-O8"),
	fault("filter-absent-attribute-500", "a filter comparing an attribute that some stored resource lacks answers 500", "rfc7644-3.4.2.2", "rfc7644-3.4.3", "entra"),
	fault("group-filter-empty", "filters on /Groups answer an empty list", "rfc7644-3.4.2.2", "okta-group-push", "entra-group-read", "entra-E22", "okta-O16"),
	// Replacing (RFC 7644 §3.5.1)
	fault("put-ignored", "PUT answers 200 but changes nothing", "rfc7644-3.5.1", "okta-put-profile", "okta-group-push", "okta-O22", "rfc7644-3.14", "rfc7643-4.1.1", "rfc7644-3.3"),
	fault("put-answer-stale", "PUT answers the resource as it was before the change", "rfc7644-3.5.1"),
	fault("put-requires-password", "a PUT without a password is refused once the user has one", "okta-put-profile"),
	fault("put-drops-enterprise", "PUT drops the enterprise extension the request carries", "rfc7644-3.5.1"),
	// PATCH (RFC 7644 §3.5.2)
	fault("patch-unknown-op-accepted", "an unknown PATCH op is ignored and answered 200", "rfc7644-3.5.2"),
	fault("patch-unknown-path-accepted", "a PATCH of an attribute the schema does not define is ignored and answered 200", "rfc7644-3.5.2"),
	fault("patch-not-atomic", "a PATCH that fails halfway keeps the operations before the failure", "rfc7644-3.5.2"),
	fault("patch-ops-reversed", "PATCH operations are applied last to first", "rfc7644-3.5.2"),
	fault("patch-read-only-ignored", "a PATCH of a read-only attribute (id, meta, groups) answers 200 and changes nothing", "rfc7643-2.2"),
	fault("patch-remove-no-path-accepted", "a remove without a path answers 200 instead of 400 noTarget", "rfc7644-3.5.2.2"),
	fault("patch-value-filter-all", "a value-filter path changes every value, not only the matching ones",
		"rfc7644-3.5.2.2", "rfc7644-3.5.2.3", "entra-valuepath"),
	fault("patch-no-path-replace-ignored", "a replace with no path and an object value answers 200 but changes nothing",
		"rfc7644-3.5.2.3", "okta-patch-active", "okta-patch-password", "okta-no-delete", "okta-group-push", "entra-nopath-object", "entra-E9"),
	fault("patch-path-replace-ignored", "a replace of a singular attribute by path answers 200 but changes nothing",
		"rfc7644-3.5.2", "rfc7644-3.5.2.3", "rfc7643-4.1.1", "okta-aiw-vs-oin", "entra"),
	fault("patch-sub-attribute-replaces-parent", "replacing a sub-attribute (name.familyName) replaces the whole complex attribute",
		"rfc7644-3.5.2.3", "okta-aiw-vs-oin", "entra"),
	fault("patch-replace-appends", "replace on a multi-valued attribute appends instead of replacing", "rfc7644-3.5.2.3"),
	fault("patch-add-ignored", "PATCH add answers 200 but changes nothing", "rfc7644-3.5.2.1", "okta-group-push", "entra"),
	fault("patch-remove-ignored", "PATCH remove answers 200 but removes nothing", "rfc7644-3.5.2.2", "okta-group-push", "entra-member-remove", "entra-manager"),
	fault("patch-ops-case-sensitive", `PATCH op names other than lowercase ("Replace") are refused with 400`, "entra-patch-op-case", "entra"),
	fault("string-booleans-title-case-only", `only "True" and "False" are taken as booleans: the lower-case strings Entra also sends are refused with 400`, "entra-E13", "onelogin-L2"),
	fault("active-refresh-resets-profile", "a PATCH of active=true on an active user drops its name and title", "entra-E13"),
	fault("empty-replace-stored", `a replace of the manager with "" stores {"value": ""} instead of removing it`, "entra-E17"),
	fault("unqualified-extension-name-refused", `a PATCH path or filter naming an extension attribute without its URN ("manager") is refused`, "entra-E17", "entra-manager"),
	fault("query-plus-kept", `a '+' in a query stays '+' instead of a space, so Entra's filter=userName+eq+"…" does not parse`, "entra"),
	fault("no-match-filter-404", "a userName eq filter that matches nobody answers 404 instead of an empty ListResponse",
		"entra-E1", "entra-E32", "entra", "rfc7644-2", "rfc7644-3.6", "okta-create", "okta-lookup", "okta-rate"),
	fault("rejects-string-booleans", `booleans sent as the strings "True"/"False" are refused with 400`, "entra-string-bool", "entra", "onelogin-L2"),
	fault("legacy-member-removal-ignored", "a remove on path members with a value array removes nobody", "entra-member-remove"),
	fault("rejects-null-ref", `a member with "$ref": null is refused with 400`, "entra-member-add", "entra"),
	fault("manager-array-rejected", "a manager sent as an array of one (Entra legacy) is refused with 400", "entra-manager"),
	// Groups (RFC 7643 §4.2)
	fault("empty-members-refused", "POST /Groups with an empty members array answers 400", "okta-O17", "okta-group-push", "entra-group-create", "entra"),
	fault("create-group-ignores-members", "POST /Groups ignores the members it carries", "rfc7643-4.2", "rfc7644-3.3", "rfc7644-3.7", "okta-group-push", "rfc7643-4.1.2", "rfc7644-3.6"),
	fault("group-member-add-ignored", "PATCH add of members answers 200 but adds nobody", "rfc7644-3.5.2.1", "okta-group-push", "entra-member-add", "entra"),
	fault("group-member-remove-ignored", `PATCH remove of members[value eq "id"] answers 200 but removes nobody`, "rfc7644-3.5.2.2", "okta-group-push", "entra-member-remove"),
	fault("group-remove-all-members-ignored", `PATCH remove of "members" without a filter answers 200 but removes nobody`, "rfc7644-3.5.2.2"),
	fault("group-rename-ignored", "replacing a group's displayName answers 200 but keeps the old name", "rfc7644-3.5.2.3", "okta-group-push", "entra-group-rename"),
	fault("groups-attribute-empty", "the user's read-only groups attribute is always empty", "rfc7643-4.1.2"),
	// Discovery (RFC 7643 §5–7)
	fault("schemas-missing-user", "/Schemas omits the User schema", "rfc7643-6", "rfc7643-7", "rfc7644-4"),
	fault("resourcetypes-wrong-endpoint", "the User resource type names endpoint /Accounts", "rfc7643-6", "rfc7644-4"),
	fault("discovery-by-id-lists", "/Schemas/{id} and /ResourceTypes/{name} answer the whole ListResponse, known or not", "rfc7643-6", "rfc7643-7", "rfc7644-4"),
	fault("spc-uri-spelled-url", "authenticationSchemes spell specUri and documentationUri as specUrl and documentationUrl", "rfc7643-5"),
	fault("spc-documentation-not-url", `documentationUri is "N/A" instead of a URL`, "rfc7643-5"),
	fault("resourcetype-schema-not-uri", `the Group resource type names its schema "Group" instead of its URI`, "rfc7643-6", "rfc7643-7"),
	fault("extension-schema-by-id-404", "/Schemas/{id} answers 404 for the enterprise extension that /Schemas lists", "rfc7643-7", "rfc7644-4"),
	fault("spc-string-booleans", `ServiceProviderConfig answers "supported": "true" strings`, "rfc7643-5", "rfc7644-4"),
}

func init() {
	for i := range faults {
		switch faults[i].Name {
		case "get-by-id-404", "reuses-freed-ids", "create-user-without-id":
			// A reused id hands one scenario's user to another, whatever it
			// checks; a create without an id fails every scenario's setup.
			faults[i].Broad = true
		case "rate-limit-no-retry-after", "rate-limit-under-25rps":
			faults[i].Load = true
		}
	}
}

// Faults lists every fault, sorted by name.
func Faults() []Fault {
	out := make([]Fault, 0, len(faults))
	for _, f := range faults {
		f.Clauses = append([]string(nil), f.Clauses...)
		out = append(out, f)
	}
	for _, f := range ssoFaults() {
		f.Fault.SSO = true
		out = append(out, f.Fault)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkFaults turns fault names into a set, refusing unknown names.
func checkFaults(names []string) (map[string]bool, error) {
	known := make(map[string]bool, len(faults))
	for _, f := range Faults() {
		known[f.Name] = true
	}
	on := map[string]bool{}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("target: new: unknown fault %q (idpconform serve-target --list-faults lists them)", n)
		}
		on[n] = true
	}
	return on, nil
}
