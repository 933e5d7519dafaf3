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

// Fault names, as --fault takes them: the table below and the one place
// each fault bends (s.has) name them here.
const (
	AcceptanceIgnored                 = "acceptance-ignored"
	ActiveRefreshResetsProfile        = "active-refresh-resets-profile"
	AndFilterAsOr                     = "and-filter-as-or"
	AttributesDropsSchemas            = "attributes-drops-schemas"
	BulkIgnoresBulkidRefs             = "bulk-ignores-bulkid-refs"
	BulkIgnoresFailOnErrors           = "bulk-ignores-fail-on-errors"
	BulkNoLimits                      = "bulk-no-limits"
	CancelledInvitationAcceptable     = "cancelled-invitation-acceptable"
	CancelledInvitationBlocksReinvite = "cancelled-invitation-blocks-reinvite"
	ClientIDAccepted                  = "client-id-accepted"
	ContentTypeCharsetRefused         = "content-type-charset-refused"
	CountZeroIgnored                  = "count-zero-ignored"
	CreateGroupIgnoresMembers         = "create-group-ignores-members"
	CreateReturns200                  = "create-returns-200"
	CreateUserWithoutID               = "create-user-without-id"
	DeactivateDeletes                 = "deactivate-deletes"
	DeactivatedAccountUsable          = "deactivated-account-usable"
	DeactivatedMemberKeepsAccess      = "deactivated-member-keeps-access"
	DeactivationDeletesContent        = "deactivation-deletes-content"
	DefaultRoleMissing                = "default-role-missing"
	DeleteKeepsAccount                = "delete-keeps-account"
	DeleteKeepsResource               = "delete-keeps-resource"
	DeprovisionDeletesAccount         = "deprovision-deletes-account"
	DeprovisionKeepsResourceGroups    = "deprovision-keeps-resource-groups"
	DigitOnlyAccepted                 = "digit-only-accepted"
	DiscoveryByIDLists                = "discovery-by-id-lists"
	DropsEnterprise                   = "drops-enterprise"
	DropsExternalID                   = "drops-external-id"
	DropsMultiValuedType              = "drops-multi-valued-type"
	EmptyMembersRefused               = "empty-members-refused"
	EmptyReplaceStored                = "empty-replace-stored"
	ErrorStatusNumber                 = "error-status-number"
	ETagIgnored                       = "etag-ignored"
	EwAsSw                            = "ew-as-sw"
	ExtensionSchemaByID404            = "extension-schema-by-id-404"
	ExternalCollaboratorRefused       = "external-collaborator-refused"
	ExternalIDCaseInsensitive         = "external-id-case-insensitive"
	ExternalIDReadOnly                = "external-id-read-only"
	FilterAbsentAttribute500          = "filter-absent-attribute-500"
	FilterHidesDeactivated            = "filter-hides-deactivated"
	FilterIgnoresExtension            = "filter-ignores-extension"
	ForeignSchemasKept                = "foreign-schemas-kept"
	GetByID404                        = "get-by-id-404"
	GroupDeleteKeepsResourceMembers   = "group-delete-keeps-resource-members"
	GroupFilterEmpty                  = "group-filter-empty"
	GroupMemberAddIgnored             = "group-member-add-ignored"
	GroupMemberRemoveIgnored          = "group-member-remove-ignored"
	GroupRemoveAllMembersIgnored      = "group-remove-all-members-ignored"
	GroupRenameIgnored                = "group-rename-ignored"
	GroupsAttributeEmpty              = "groups-attribute-empty"
	HTML404                           = "html-404"
	IgnoresActiveFalse                = "ignores-active-false"
	IgnoresAttributesParam            = "ignores-attributes-param"
	InvalidJSON500                    = "invalid-json-500"
	InvitationCountsAsMember          = "invitation-counts-as-member"
	InvitedAccountLosesOwnLogin       = "invited-account-loses-own-login"
	ItemsPerPageWrong                 = "items-per-page-wrong"
	JSONContentType                   = "json-content-type"
	JSONMediaTypeRefused              = "json-media-type-refused"
	LeaverKeepsResourceGroup          = "leaver-keeps-resource-group"
	LegacyMemberRemovalIgnored        = "legacy-member-removal-ignored"
	LinkSkipsBackfill                 = "link-skips-backfill"
	LinkedGroupIgnoresNewMembers      = "linked-group-ignores-new-members"
	LinksNonEmptyResourceGroup        = "links-non-empty-resource-group"
	ListNotListresponse               = "list-not-listresponse"
	ListResourcesWithoutSchemas       = "list-resources-without-schemas"
	ListShowsDeactivatedActive        = "list-shows-deactivated-active"
	MalformedFilter200                = "malformed-filter-200"
	ManagedDeleteKeepsContent         = "managed-delete-keeps-content"
	ManagedPasswordLogin              = "managed-password-login"
	ManagedPublicContent              = "managed-public-content"
	ManagedUserJoinsOtherOrg          = "managed-user-joins-other-org"
	ManagerArrayRejected              = "manager-array-rejected"
	ManualChangeToSCIMGroup           = "manual-change-to-scim-group"
	Missing401                        = "missing-401"
	MissingUsernameAccepted           = "missing-username-accepted"
	MultiValuedFilterFirstOnly        = "multi-valued-filter-first-only"
	NewUserInactive                   = "new-user-inactive"
	NoETag                            = "no-etag"
	NoLocationHeader                  = "no-location-header"
	NoMatchFilter404                  = "no-match-filter-404"
	NoMeta                            = "no-meta"
	NoSearchEndpoint                  = "no-search-endpoint"
	NoUniqueness                      = "no-uniqueness"
	NotFilterIgnored                  = "not-filter-ignored"
	NotFoundScimtype                  = "not-found-scimtype"
	NullID500                         = "null-id-500"
	OrFilterAsAnd                     = "or-filter-as-and"
	PasswordEchoedAfterWrite          = "password-echoed-after-write"
	PasswordReturned                  = "password-returned"
	PasswordReturnedWhenAsked         = "password-returned-when-asked"
	PatchAddIgnored                   = "patch-add-ignored"
	PatchNoPathReplaceIgnored         = "patch-no-path-replace-ignored"
	PatchNotAtomic                    = "patch-not-atomic"
	PatchOpsCaseSensitive             = "patch-ops-case-sensitive"
	PatchOpsReversed                  = "patch-ops-reversed"
	PatchPathReplaceIgnored           = "patch-path-replace-ignored"
	PatchReadOnlyIgnored              = "patch-read-only-ignored"
	PatchRemoveIgnored                = "patch-remove-ignored"
	PatchRemoveNoPathAccepted         = "patch-remove-no-path-accepted"
	PatchReplaceAppends               = "patch-replace-appends"
	PatchSubAttributeReplacesParent   = "patch-sub-attribute-replaces-parent"
	PatchUnknownOpAccepted            = "patch-unknown-op-accepted"
	PatchUnknownPathAccepted          = "patch-unknown-path-accepted"
	PatchValueFilterAll               = "patch-value-filter-all"
	PutAnswerStale                    = "put-answer-stale"
	PutDropsEnterprise                = "put-drops-enterprise"
	PutIgnored                        = "put-ignored"
	PutRejectsReadOnly                = "put-rejects-read-only"
	PutRequiresPassword               = "put-requires-password"
	QueryPlusKept                     = "query-plus-kept"
	RateLimitNoRetryAfter             = "rate-limit-no-retry-after"
	RateLimitUnder25rps               = "rate-limit-under-25rps"
	ReactivateClearsProfile           = "reactivate-clears-profile"
	ReinviteResetsToPending           = "reinvite-resets-to-pending"
	RejectsNullRef                    = "rejects-null-ref"
	RejectsStringBooleans             = "rejects-string-booleans"
	RenameSkipsUniqueness             = "rename-skips-uniqueness"
	RenameSkipsUsernamePolicy         = "rename-skips-username-policy"
	RenameToOwnNameConflicts          = "rename-to-own-name-conflicts"
	ResourceGroupsIgnored             = "resource-groups-ignored"
	ResourcetypeSchemaNotURI          = "resourcetype-schema-not-uri"
	ResourcetypesWrongEndpoint        = "resourcetypes-wrong-endpoint"
	ReusesFreedIDs                    = "reuses-freed-ids"
	RoleChangeSkipsMembers            = "role-change-skips-members"
	RoleKeptAfterGroupRemoval         = "role-kept-after-group-removal"
	RolesLowestWins                   = "roles-lowest-wins"
	SchemasMissingUser                = "schemas-missing-user"
	SCIMEditsPersonalProfile          = "scim-edits-personal-profile"
	SearchCreates                     = "search-creates"
	SortIgnored                       = "sort-ignored"
	SpcDocumentationNotURL            = "spc-documentation-not-url"
	SpcStringBooleans                 = "spc-string-booleans"
	SpcURISpelledURL                  = "spc-uri-spelled-url"
	StartIndexIgnored                 = "start-index-ignored"
	StartIndexZeroBased               = "start-index-zero-based"
	StringActiveInactive              = "string-active-inactive"
	StringBooleansTitleCaseOnly       = "string-booleans-title-case-only"
	StringCompareCaseSensitive        = "string-compare-case-sensitive"
	TotalResultsWrong                 = "total-results-wrong"
	TruncatesUsername                 = "truncates-username"
	UnauthorizedNoChallenge           = "unauthorized-no-challenge"
	UnauthorizedPlainText             = "unauthorized-plain-text"
	UnknownAccount500                 = "unknown-account-500"
	UnqualifiedExtensionNameRefused   = "unqualified-extension-name-refused"
	UserDeleteKeepsMembership         = "user-delete-keeps-membership"
	UsernameCaseSensitive             = "username-case-sensitive"
	UsernameEqEmpty                   = "username-eq-empty"
	UsernameFilterFoldsConfusables    = "username-filter-folds-confusables"
	UsernameLengthInBytes             = "username-length-in-bytes"
	UsernameLowercased                = "username-lowercased"
	UsernameNFKCFolded                = "username-nfkc-folded"
	UsernameRuleIgnored               = "username-rule-ignored"
	UsernameTooLongAccepted           = "username-too-long-accepted"
	UsernameTooShortAccepted          = "username-too-short-accepted"
	UsernameUnicodeMangled            = "username-unicode-mangled"
	ValuePathFilterBroken             = "value-path-filter-broken"
)

// fault builds a table row; the code asks s.has(name) at the one place each
// fault bends.
func fault(name, desc string, clauses ...string) Fault {
	return Fault{Name: name, Description: desc, Clauses: clauses}
}

var faults = []Fault{
	// Users and uniqueness (RFC 7643 §4.1.1, RFC 7644 §3.3)
	fault(UsernameCaseSensitive, "userName uniqueness and userName filters compare case-sensitively", "rfc7643-4.1.1", "okta-case"),
	fault(NoUniqueness, "a duplicate userName is created instead of refused with 409", "rfc7644-3.3", "rfc7644-3.7", "okta-O7"),
	fault(FilterHidesDeactivated, "filters leave deactivated users out, so a lookup does not find them", "okta-O28", "okta-no-delete", "rfc7644-3.4.2.2", "entra-disable"),
	// Okta's wire (shared/idp-behaviour.md O9, O20, O24)
	fault(RenameToOwnNameConflicts, "a PATCH replacing a group's displayName with the name it has answers 409 uniqueness", "okta-O20", "okta-group-push"),
	fault(ContentTypeCharsetRefused, "a body whose Content-Type has a parameter (charset=utf-8) answers 415", "okta-O24", "okta"),
	fault(PutRejectsReadOnly, "a PUT carrying meta, as the target itself sent it, answers 400 mutability", "okta-O9", "okta-O8", "okta-O10", "okta"),
	// OneLogin's templates (shared/idp-behaviour.md L2, L3, L5)
	fault(NullID500, `a create carrying "id": null answers 500`, "onelogin-L2"),
	fault(StringActiveInactive, `a create with "active": "true" (a string) stores the user inactive`, "onelogin-L2"),
	fault(ForeignSchemasKept, "schema URNs the target does not serve (urn:scim:schemas:core:1.0) are kept in the user's schemas", "onelogin-L3", "rfc7643-3"),
	fault(JSONMediaTypeRefused, "a body sent as application/json answers 415", "onelogin-L5"),
	fault(CreateReturns200, "POST answers 200 instead of 201", "rfc7644-3.3", "rfc7644-3.7", "entra"),
	fault(NoLocationHeader, "POST omits the Location header", "rfc7644-3.3"),
	fault(CreateUserWithoutID, "POST /Users answers 201 with a body that has no id", "rfc7643-3.1", "okta-create", "entra-create"),
	fault(MissingUsernameAccepted, "a user without userName is created", "rfc7644-3.3", "rfc7643-4.1.1"),
	fault(UsernameTooLongAccepted, "userNames longer than the policy allows are accepted", "entra-retry", "hub-usernames"),
	fault(UsernameTooShortAccepted, "userNames shorter than the policy allows are accepted", "hub-usernames"),
	fault(DigitOnlyAccepted, "userNames of digits only are accepted", "hub-usernames"),
	fault(TruncatesUsername, "userNames longer than the policy allows are cut to the maximum and accepted", "entra-retry", "hub-usernames"),
	fault(UsernameUnicodeMangled, "non-ASCII characters are dropped from userNames without a word", "hub-usernames"),
	fault(UsernameLowercased, "userNames are stored lower-cased", "hub-usernames", "rfc7643-4.1.1"),
	fault(UsernameNFKCFolded, "full-width letters in userNames are folded to ASCII without a word", "hub-usernames"),
	fault(UsernameLengthInBytes, "the userName length limit counts bytes, not characters", "hub-usernames"),
	fault(UsernameFilterFoldsConfusables, "userName filters match Cyrillic look-alikes of Latin letters", "hub-usernames"),
	fault(UsernameRuleIgnored, "under a userName character rule (serve-target --usernames hub) the names it forbids are accepted", "hub-HX1"),
	fault(RenameSkipsUniqueness, "a rename (PUT or PATCH) into a taken userName is stored", "rfc7644-3.3"),
	fault(RenameSkipsUsernamePolicy, "a rename skips the userName length and digits-only rules", "hub-usernames"),
	// Organisation lifecycle (lifecycle.go, roles.go; shared/quirks.md hub-*)
	fault(InvitationCountsAsMember, "a pending invitation counts as membership before it is accepted", "hub-invite"),
	fault(AcceptanceIgnored, "accepting an invitation answers 200 but the person stays pending", "hub-invite"),
	fault(UnknownAccount500, "inviting a userName no hub account has answers 500", "hub-invite"),
	fault(ReinviteResetsToPending, "inviting a member again turns them back into a pending invitation", "hub-invite"),
	fault(CancelledInvitationBlocksReinvite, "an account whose invitation was cancelled cannot be invited again", "hub-invite-deprovision"),
	fault(CancelledInvitationAcceptable, "an invitation deprovisioned before acceptance can still be accepted", "hub-invite-deprovision"),
	fault(DeprovisionDeletesAccount, "deprovisioning in invitation mode deletes the personal account", "hub-invite-deprovision"),
	fault(DeactivatedMemberKeepsAccess, "a deactivated member of an invitation-mode organisation keeps access", "hub-invite-deprovision"),
	fault(DeactivatedAccountUsable, "a deactivated managed account can still be used", "hub-managed"),
	fault(ReactivateClearsProfile, "reactivating a user clears the rest of their profile", "hub-managed", "okta-O28"),
	fault(DeleteKeepsAccount, "deleting a managed user leaves a usable account behind", "hub-managed"),
	fault(ListShowsDeactivatedActive, "lists and filters show deactivated users as active", "hub-managed", "entra-disable"),
	fault(RoleKeptAfterGroupRemoval, "a role granted by a mapped group is not revoked when the user leaves it", "hub-roles"),
	fault(RolesLowestWins, "a user in two mapped groups gets the lower role", "hub-roles"),
	fault(DefaultRoleMissing, "a member of no mapped group has no role instead of the default role", "hub-roles"),
	fault(ResourceGroupsIgnored, "mapped groups grant their role but not their resource group", "hub-roles"),
	// The Hugging Face Hub's rules (hubrules.go, resourcegroups.go; shared/idp-behaviour.md H4–H19, HX3–HX6)
	fault(ManagedPasswordLogin, "a managed account can sign in with a password, not only through the IdP", "hub-H4"),
	fault(InvitedAccountLosesOwnLogin, "an account SCIM invited (pending or member) can no longer sign in with its own credentials", "hub-H5"),
	fault(ManagedPublicContent, "a managed user can create public content", "hub-H6"),
	fault(ManagedUserJoinsOtherOrg, "a managed user can join another organisation", "hub-H7"),
	fault(ExternalCollaboratorRefused, "a personal account cannot be added as an external collaborator", "hub-H19"),
	fault(SCIMEditsPersonalProfile, "in the invitation model SCIM changes an invited member's name, email or userName", "hub-HX3"),
	fault(ExternalIDReadOnly, "in the invitation model SCIM cannot change an invited member's externalId", "hub-HX3"),
	fault(DeprovisionKeepsResourceGroups, "a deprovisioned user stays in the organisation's resource groups", "hub-HX4"),
	fault(ManagedDeleteKeepsContent, "deleting a managed user leaves the content they created", "hub-HX5"),
	fault(DeactivationDeletesContent, "deactivating a managed user deletes the content they created, as only a delete should", "hub-HX5"),
	fault(LinkSkipsBackfill, "linking a SCIM group to a resource group does not add the group's members", "hub-HX6"),
	fault(LinkedGroupIgnoresNewMembers, "a member added to a linked SCIM group does not join its resource group", "hub-HX6"),
	fault(LeaverKeepsResourceGroup, "a member removed from a linked SCIM group stays in its resource group", "hub-HX6"),
	fault(GroupDeleteKeepsResourceMembers, "deleting a linked SCIM group leaves its members in the resource group", "hub-HX6"),
	fault(RoleChangeSkipsMembers, "changing a linked SCIM group's role leaves its members with the old role", "hub-HX6"),
	fault(ManualChangeToSCIMGroup, "a SCIM-managed resource group membership can be changed by hand", "hub-HX6"),
	fault(LinksNonEmptyResourceGroup, "a resource group that has members can be linked to a SCIM group", "hub-HX6"),
	fault(NewUserInactive, "a user created without active is stored inactive", "rfc7643-4.1.1"),
	fault(PasswordReturned, "the password is returned in responses", "rfc7643-4.1.1", "okta-patch-password"),
	fault(PasswordEchoedAfterWrite, "the answer to a PUT or PATCH carries the password", "rfc7643-4.1.1"),
	fault(PasswordReturnedWhenAsked, "the password is returned when attributes= names it", "rfc7643-4.1.1"),
	fault(NoMeta, "resources are returned without meta", "rfc7643-3.1", "rfc7644-3.14"),
	fault(DropsExternalID, "externalId is accepted but not stored", "rfc7643-3.1", "okta-create", "entra-create", "entra-lookup", "okta-O8", "okta-O28"),
	fault(DropsEnterprise, "the enterprise extension is accepted but not stored", "rfc7643-3.3", "rfc7644-3.4.2.2", "entra"),
	fault(DropsMultiValuedType, "type and primary of multi-valued attributes are not stored",
		"rfc7643-4.1.2", "rfc7644-3.4.2.2", "rfc7644-3.5.2.1", "rfc7644-3.5.2.2", "rfc7644-3.5.2.3", "okta-create", "okta-aiw-vs-oin", "entra"),
	fault(IgnoresActiveFalse, "active=false (PUT or PATCH) is answered 200 but not stored",
		"rfc7643-4.1.1", "okta-patch-active", "entra-disable", "regression"),
	fault(DeactivateDeletes, "active=false deletes the user, so a deactivated user cannot be read or reactivated",
		"rfc7643-4.1.1", "okta-deactivated-readable", "okta-no-delete", "okta-patch-active", "entra-disable"),
	fault(ReusesFreedIDs, "a new resource gets the id of the one deleted last with the same name prefix (up to its last \"-\")", "rfc7643-3.1", "rfc7644-3.6"),
	fault(ClientIDAccepted, "a create keeps the id the client sent instead of issuing one", "rfc7643-3.1"),
	fault(GetByID404, "GET by id answers 404 for every resource; only lists work", "rfc7644-3.4.1"),
	// Protocol (RFC 7644 §2, §3.8, §3.12, §3.14)
	fault(JSONContentType, "responses are served as application/json", "rfc7644-3.8"),
	fault(ErrorStatusNumber, "error bodies carry status as a JSON number", "rfc7644-3.12"),
	fault(HTML404, "unknown ids and endpoints answer a text/html 404 without a SCIM error body", "rfc7644-3.12"),
	fault(InvalidJSON500, "a body that is not JSON answers 500", "rfc7644-3.12"),
	fault(Missing401, "requests without or with a wrong credential are served", "rfc7644-2", "rfc6750-3", "entra-quarantine"),
	fault(UnauthorizedNoChallenge, "401 answers carry no WWW-Authenticate header", "rfc6750-3"),
	fault(UnauthorizedPlainText, "401 answers are a text/plain \"Unauthorized\" instead of a SCIM error", "rfc7644-3.12", "rfc6750-3"),
	fault(NotFoundScimtype, `404 errors carry the 400 keyword scimType "invalidValue"`, "rfc7644-3.12"),
	fault(ETagIgnored, "If-Match with a stale version is not refused with 412", "rfc7644-3.14"),
	fault(NoETag, "no ETag header and no meta.version are returned", "rfc7644-3.14"),
	fault(RateLimitNoRetryAfter, "bursts are limited with 429 without a Retry-After header", "okta-rate"),
	fault(RateLimitUnder25rps, "more than 10 requests a second are refused with 429 (Retry-After: 1)", "entra-E34"),
	// Deleting (RFC 7644 §3.6)
	fault(DeleteKeepsResource, "DELETE answers 204 but the resource can still be read", "rfc7644-3.6"),
	fault(UserDeleteKeepsMembership, "deleting a user leaves it in groups' members", "rfc7644-3.6"),
	// Reading and listing (RFC 7644 §3.4)
	fault(IgnoresAttributesParam, "attributes and excludedAttributes are ignored", "rfc7644-3.4.2.5", "entra-group-read"),
	fault(AttributesDropsSchemas, "attributes= leaves schemas out of the resources", "rfc7643-3", "rfc7644-3.4.2.5"),
	fault(ListResourcesWithoutSchemas, "resources in list responses carry no schemas", "rfc7643-3", "rfc7644-3.4.2"),
	fault(ListNotListresponse, "a list without a filter answers a bare JSON array instead of a ListResponse", "okta-test-connection", "onelogin-L6", "rfc7644-2", "rfc7644-3.4.2"),
	fault(TotalResultsWrong, "totalResults counts every resource, ignoring the filter", "rfc7644-3.4.2", "rfc7644-3.4.2.4"),
	fault(ItemsPerPageWrong, "itemsPerPage reports totalResults instead of the page size", "rfc7644-3.4.2.4"),
	fault(StartIndexZeroBased, "an explicit startIndex is treated as 0-based",
		"rfc7644-3.4.2.4", "okta-paging", "okta-lookup", "okta-case", "okta-no-delete", "okta-group-push", "okta-O8", "okta-O16"),
	fault(StartIndexIgnored, "startIndex is ignored: every page is the first", "rfc7644-3.4.2.4", "okta-paging", "okta-O16"),
	fault(CountZeroIgnored, "count=0 returns resources", "rfc7644-3.4.2.4"),
	fault(SortIgnored, "sortBy and sortOrder are ignored", "rfc7644-3.4.2.3"),
	fault(SearchCreates, "POST /Users/.search (or /Groups/.search) creates an empty resource and answers 201 with it", "rfc7644-3.4.3"),
	fault(NoSearchEndpoint, "POST .search answers 404", "rfc7644-3.4.3"),
	// Bulk (RFC 7644 §3.7)
	fault(BulkIgnoresBulkidRefs, `"bulkId:x" references are not replaced by the id the operation x created`, "rfc7644-3.7"),
	fault(BulkIgnoresFailOnErrors, "failOnErrors is ignored: every operation runs", "rfc7644-3.7"),
	fault(BulkNoLimits, "a bulk request over maxOperations or maxPayloadSize is processed instead of refused with 413", "rfc7644-3.7"),
	// Filters (RFC 7644 §3.4.2.2)
	fault(MalformedFilter200, "an unparsable filter answers 200 with an empty list instead of 400 invalidFilter", "rfc7644-3.4.2.2"),
	fault(AndFilterAsOr, "`and` is evaluated as `or`", "rfc7644-3.4.2.2", "entra"), // Entra's manager and membership queries use and (E17, E22)
	fault(OrFilterAsAnd, "`or` is evaluated as `and`", "rfc7644-3.4.2.2"),
	fault(NotFilterIgnored, "`not (x)` is evaluated as `x`", "rfc7644-3.4.2.2"),
	fault(EwAsSw, "`ew` is evaluated as `sw`", "rfc7644-3.4.2.2"),
	fault(ValuePathFilterBroken, `filters with value paths (emails[type eq "work"]) match nothing`, "rfc7644-3.4.2.2"),
	fault(MultiValuedFilterFirstOnly, "filters on a multi-valued attribute compare only its first value", "rfc7644-3.4.2.2", "entra"), // Entra's membership query (E22)
	fault(StringCompareCaseSensitive, "string filters on caseExact=false attributes other than userName compare case-sensitively", "rfc7644-3.4.2.2"),
	fault(FilterIgnoresExtension, "filters on URN-prefixed extension attributes match nothing", "rfc7644-3.4.2.2"),
	fault(ExternalIDCaseInsensitive, "externalId filters compare case-insensitively", "rfc7644-3.4.2.2"),
	fault(UsernameEqEmpty, `userName eq filters answer an empty list`,
		"rfc7644-3.4.2.2", "rfc7644-3.4.2", "rfc7644-3.4.2.5", "rfc7644-3.4.3", "rfc7644-3.6", "rfc7644-2", "hub-usernames", "okta-lookup", "okta-case", "okta-no-delete", "okta-group-push", "entra", "okta-O8"),
	fault(FilterAbsentAttribute500, "a filter comparing an attribute that some stored resource lacks answers 500", "rfc7644-3.4.2.2", "rfc7644-3.4.3", "entra"),
	fault(GroupFilterEmpty, "filters on /Groups answer an empty list", "rfc7644-3.4.2.2", "okta-group-push", "entra-group-read", "entra-E22", "okta-O16"),
	// Replacing (RFC 7644 §3.5.1)
	fault(PutIgnored, "PUT answers 200 but changes nothing", "rfc7644-3.5.1", "okta-put-profile", "okta-group-push", "okta-O22", "rfc7644-3.14", "rfc7643-4.1.1", "rfc7644-3.3"),
	fault(PutAnswerStale, "PUT answers the resource as it was before the change", "rfc7644-3.5.1"),
	fault(PutRequiresPassword, "a PUT without a password is refused once the user has one", "okta-put-profile"),
	fault(PutDropsEnterprise, "PUT drops the enterprise extension the request carries", "rfc7644-3.5.1"),
	// PATCH (RFC 7644 §3.5.2)
	fault(PatchUnknownOpAccepted, "an unknown PATCH op is ignored and answered 200", "rfc7644-3.5.2"),
	fault(PatchUnknownPathAccepted, "a PATCH of an attribute the schema does not define is ignored and answered 200", "rfc7644-3.5.2"),
	fault(PatchNotAtomic, "a PATCH that fails halfway keeps the operations before the failure", "rfc7644-3.5.2"),
	fault(PatchOpsReversed, "PATCH operations are applied last to first", "rfc7644-3.5.2"),
	fault(PatchReadOnlyIgnored, "a PATCH of a read-only attribute (id, meta, groups) answers 200 and changes nothing", "rfc7643-2.2"),
	fault(PatchRemoveNoPathAccepted, "a remove without a path answers 200 instead of 400 noTarget", "rfc7644-3.5.2.2"),
	fault(PatchValueFilterAll, "a value-filter path changes every value, not only the matching ones",
		"rfc7644-3.5.2.2", "rfc7644-3.5.2.3", "entra-valuepath"),
	fault(PatchNoPathReplaceIgnored, "a replace with no path and an object value answers 200 but changes nothing",
		"rfc7644-3.5.2.3", "okta-patch-active", "okta-patch-password", "okta-no-delete", "okta-group-push", "entra-nopath-object", "entra-E9"),
	fault(PatchPathReplaceIgnored, "a replace of a singular attribute by path answers 200 but changes nothing",
		"rfc7644-3.5.2", "rfc7644-3.5.2.3", "rfc7643-4.1.1", "okta-aiw-vs-oin", "entra"),
	fault(PatchSubAttributeReplacesParent, "replacing a sub-attribute (name.familyName) replaces the whole complex attribute",
		"rfc7644-3.5.2.3", "okta-aiw-vs-oin", "entra"),
	fault(PatchReplaceAppends, "replace on a multi-valued attribute appends instead of replacing", "rfc7644-3.5.2.3"),
	fault(PatchAddIgnored, "PATCH add answers 200 but changes nothing", "rfc7644-3.5.2.1", "okta-group-push", "entra"),
	fault(PatchRemoveIgnored, "PATCH remove answers 200 but removes nothing", "rfc7644-3.5.2.2", "okta-group-push", "entra-member-remove", "entra-manager"),
	fault(PatchOpsCaseSensitive, `PATCH op names other than lowercase ("Replace") are refused with 400`, "entra-patch-op-case", "entra"),
	fault(StringBooleansTitleCaseOnly, `only "True" and "False" are taken as booleans: the lower-case strings Entra also sends are refused with 400`, "entra-E13", "onelogin-L2"),
	fault(ActiveRefreshResetsProfile, "a PATCH of active=true on an active user drops its name and title", "entra-E13"),
	fault(EmptyReplaceStored, `a replace of the manager with "" stores {"value": ""} instead of removing it`, "entra-E17"),
	fault(UnqualifiedExtensionNameRefused, `a PATCH path or filter naming an extension attribute without its URN ("manager") is refused`, "entra-E17", "entra-manager"),
	fault(QueryPlusKept, `a '+' in a query stays '+' instead of a space, so Entra's filter=userName+eq+"…" does not parse`, "entra"),
	fault(NoMatchFilter404, "a userName eq filter that matches nobody answers 404 instead of an empty ListResponse",
		"entra-E1", "entra-E32", "entra", "rfc7644-2", "rfc7644-3.6", "okta-create", "okta-lookup", "okta-rate"),
	fault(RejectsStringBooleans, `booleans sent as the strings "True"/"False" are refused with 400`, "entra-string-bool", "entra", "onelogin-L2"),
	fault(LegacyMemberRemovalIgnored, "a remove on path members with a value array removes nobody", "entra-member-remove"),
	fault(RejectsNullRef, `a member with "$ref": null is refused with 400`, "entra-member-add", "entra"),
	fault(ManagerArrayRejected, "a manager sent as an array of one (Entra legacy) is refused with 400", "entra-manager"),
	// Groups (RFC 7643 §4.2)
	fault(EmptyMembersRefused, "POST /Groups with an empty members array answers 400", "okta-O17", "okta-group-push", "entra-group-create", "entra"),
	fault(CreateGroupIgnoresMembers, "POST /Groups ignores the members it carries", "rfc7643-4.2", "rfc7644-3.3", "rfc7644-3.7", "okta-group-push", "rfc7643-4.1.2", "rfc7644-3.6"),
	fault(GroupMemberAddIgnored, "PATCH add of members answers 200 but adds nobody", "rfc7644-3.5.2.1", "okta-group-push", "entra-member-add", "entra"),
	fault(GroupMemberRemoveIgnored, `PATCH remove of members[value eq "id"] answers 200 but removes nobody`, "rfc7644-3.5.2.2", "okta-group-push", "entra-member-remove"),
	fault(GroupRemoveAllMembersIgnored, `PATCH remove of "members" without a filter answers 200 but removes nobody`, "rfc7644-3.5.2.2"),
	fault(GroupRenameIgnored, "replacing a group's displayName answers 200 but keeps the old name", "rfc7644-3.5.2.3", "okta-group-push", "entra-group-rename"),
	fault(GroupsAttributeEmpty, "the user's read-only groups attribute is always empty", "rfc7643-4.1.2"),
	// Discovery (RFC 7643 §5–7)
	fault(SchemasMissingUser, "/Schemas omits the User schema", "rfc7643-6", "rfc7643-7", "rfc7644-4"),
	fault(ResourcetypesWrongEndpoint, "the User resource type names endpoint /Accounts", "rfc7643-6", "rfc7644-4"),
	fault(DiscoveryByIDLists, "/Schemas/{id} and /ResourceTypes/{name} answer the whole ListResponse, known or not", "rfc7643-6", "rfc7643-7", "rfc7644-4"),
	fault(SpcURISpelledURL, "authenticationSchemes spell specUri and documentationUri as specUrl and documentationUrl", "rfc7643-5"),
	fault(SpcDocumentationNotURL, `documentationUri is "N/A" instead of a URL`, "rfc7643-5"),
	fault(ResourcetypeSchemaNotURI, `the Group resource type names its schema "Group" instead of its URI`, "rfc7643-6", "rfc7643-7"),
	fault(ExtensionSchemaByID404, "/Schemas/{id} answers 404 for the enterprise extension that /Schemas lists", "rfc7643-7", "rfc7644-4"),
	fault(SpcStringBooleans, `ServiceProviderConfig answers "supported": "true" strings`, "rfc7643-5", "rfc7644-4"),
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
