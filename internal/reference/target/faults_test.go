package target

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/idpconform/idpconform/internal/username"
)

// probes observe, for each fault, the one behaviour it bends: the same
// probe runs against a clean target and against one with the fault on,
// and the two observations must differ.
var probes = map[string]func(c *tclient) any{
	// The core table.
	UsernameCaseSensitive: func(c *tclient) any {
		c.createUser(user("ada"))
		return []any{c.do("POST", "/Users", user("ADA")).code, filterTotal(c, `userName eq "ADA"`)}
	},
	NoUniqueness:        func(c *tclient) any { c.createUser(user("ada")); return c.do("POST", "/Users", user("ada")).code },
	CreateReturns200:    func(c *tclient) any { return c.do("POST", "/Users", user("ada")).code },
	NoLocationHeader:    func(c *tclient) any { return c.do("POST", "/Users", user("ada")).header.Get("Location") != "" },
	CreateUserWithoutID: func(c *tclient) any { return c.do("POST", "/Users", user("ada")).at("id") != nil },
	NoMeta:              func(c *tclient) any { return c.do("GET", "/Users/"+c.createUser(user("ada")), nil).at("meta") != nil },
	DropsExternalID: func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), "externalId", "x1"))).at("externalId")
	},
	IgnoresActiveFalse: func(c *tclient) any {
		a, b := c.createUser(user("ada")), c.createUser(user("bob"))
		c.do("PATCH", "/Users/"+a, patchOp(op("replace", "active", false)))
		c.do("PUT", "/Users/"+b, with(user("bob"), "active", "False"))
		return []any{readUser(c, a).at("active"), readUser(c, b).at("active")}
	},
	JSONContentType:   func(c *tclient) any { return c.do("GET", "/Users", nil).header.Get("Content-Type") },
	ErrorStatusNumber: func(c *tclient) any { return fmt.Sprintf("%T", c.do("GET", "/Users/nope", nil).at("status")) },
	HTML404: func(c *tclient) any {
		return []any{c.do("GET", "/Users/nope", nil).header.Get("Content-Type"), c.do("GET", "/Nope", nil).str("status")}
	},
	Missing401: func(c *tclient) any {
		return []int{c.do("GET", "/Users", nil, "Authorization", "").code, c.do("GET", "/Users", nil, "Authorization", "Bearer x").code}
	},
	UnauthorizedNoChallenge: func(c *tclient) any {
		return c.do("GET", "/Users", nil, "Authorization", "").header.Get("WWW-Authenticate")
	},
	UnauthorizedPlainText: func(c *tclient) any {
		return c.do("GET", "/Users", nil, "Authorization", "").header.Get("Content-Type")
	},
	ReusesFreedIDs: func(c *tclient) any {
		id := c.createUser(with(user("ada"), "userName", "t-ada"))
		c.do("DELETE", "/Users/"+id, nil).want(c.t, 204)
		return c.createUser(with(user("bob"), "userName", "t-bob")) == id
	},
	ClientIDAccepted: func(c *tclient) any { return c.createUser(with(user("ada"), "id", "chosen")) == "chosen" },
	NotFoundScimtype: func(c *tclient) any { return c.do("GET", "/Users/nope", nil).at("scimType") },
	DiscoveryByIDLists: func(c *tclient) any {
		return []int{c.do("GET", "/Schemas/urn:nope", nil).code, c.do("GET", "/ResourceTypes/Nope", nil).code}
	},
	PasswordEchoedAfterWrite: func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PATCH", "/Users/"+id, patchOp(op("replace", "password", "Secret-1"))).at("password")
	},
	PasswordReturnedWhenAsked: func(c *tclient) any {
		id := c.createUser(with(user("ada"), "password", "Secret-1"))
		return c.do("GET", "/Users/"+id+"?attributes=password", nil).at("password")
	},
	AttributesDropsSchemas: func(c *tclient) any {
		return c.do("GET", "/Users/"+c.createUser(user("ada"))+"?attributes=userName", nil).at("schemas")
	},
	ListResourcesWithoutSchemas: func(c *tclient) any {
		c.createUser(user("ada"))
		return c.do("GET", "/Users", nil).list("Resources")[0].(map[string]any)["schemas"]
	},
	GroupRemoveAllMembersIgnored: func(c *tclient) any {
		gid := c.createGroup("g", c.createUser(user("ada")))
		c.do("PATCH", "/Groups/"+gid, patchOp(map[string]any{"op": "remove", "path": "members"}))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	FilterAbsentAttribute500: func(c *tclient) any {
		c.createUser(with(user("ada"), "title", "Engineer"))
		c.createUser(user("bob"))
		return c.do("GET", "/Users?filter="+url.QueryEscape(`title eq "Engineer"`), nil).code
	},
	SpcURISpelledURL: func(c *tclient) any {
		return c.do("GET", "/ServiceProviderConfig", nil).list("authenticationSchemes")[0].(map[string]any)["specUri"]
	},
	SpcDocumentationNotURL:   func(c *tclient) any { return c.do("GET", "/ServiceProviderConfig", nil).at("documentationUri") },
	ResourcetypeSchemaNotURI: func(c *tclient) any { return c.do("GET", "/ResourceTypes/Group", nil).at("schema") },
	ExtensionSchemaByID404: func(c *tclient) any {
		return c.do("GET", "/Schemas/"+enterpriseURN, nil).code
	},
	SearchCreates: func(c *tclient) any {
		c.do("POST", "/Users/.search", map[string]any{"filter": `userName eq "ada"`})
		return c.do("GET", "/Users", nil).num("totalResults")
	},
	BulkIgnoresBulkidRefs: func(c *tclient) any {
		return statuses(c.do("POST", "/Bulk", bulkReq(0, bulkPost("/Users", "a", user("ada")),
			bulkPost("/Groups", "g", map[string]any{"displayName": "g", "members": []any{map[string]any{"value": "bulkId:a"}}}))))
	},
	BulkIgnoresFailOnErrors: func(c *tclient) any {
		return statuses(c.do("POST", "/Bulk", bulkReq(1, bulkPost("/Users", "a", map[string]any{}), bulkPost("/Users", "b", user("bob")))))
	},
	BulkNoLimits: func(c *tclient) any {
		var ops []map[string]any
		for i := range maxBulkOperations + 1 {
			ops = append(ops, bulkPost("/Users", fmt.Sprint(i), user(fmt.Sprintf("u%d", i))))
		}
		return c.do("POST", "/Bulk", bulkReq(0, ops...)).code
	},
	DeleteKeepsResource: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("DELETE", "/Users/"+id, nil).want(c.t, 204)
		return c.do("GET", "/Users/"+id, nil).code
	},
	UserDeleteKeepsMembership: func(c *tclient) any {
		id := c.createUser(user("ada"))
		gid := c.createGroup("g", id)
		c.do("DELETE", "/Users/"+id, nil).want(c.t, 204)
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	IgnoresAttributesParam: func(c *tclient) any {
		id := c.createUser(user("ada"))
		return []any{c.do("GET", "/Users/"+id+"?attributes=userName", nil).at("displayName"),
			c.do("GET", "/Users/"+id+"?excludedAttributes=displayName", nil).at("displayName")}
	},
	MalformedFilter200: func(c *tclient) any { return c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq`), nil).code },
	AndFilterAsOr: func(c *tclient) any {
		twoUsers(c)
		return filterTotal(c, `userName eq "ada" and userName eq "bob"`)
	},
	NotFilterIgnored: func(c *tclient) any {
		twoUsers(c)
		return names(c.do("GET", "/Users?filter="+url.QueryEscape(`not (userName eq "ada")`), nil))
	},
	ValuePathFilterBroken: func(c *tclient) any {
		twoUsers(c)
		return filterTotal(c, `emails[type eq "work"]`)
	},
	TotalResultsWrong:   func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName eq "ada"`) },
	ItemsPerPageWrong:   func(c *tclient) any { twoUsers(c); return c.do("GET", "/Users?count=1", nil).num("itemsPerPage") },
	StartIndexZeroBased: func(c *tclient) any { twoUsers(c); return names(c.do("GET", "/Users?startIndex=1&count=1", nil)) },
	StartIndexIgnored:   func(c *tclient) any { twoUsers(c); return names(c.do("GET", "/Users?startIndex=2&count=1", nil)) },
	CountZeroIgnored:    func(c *tclient) any { twoUsers(c); return len(c.do("GET", "/Users?count=0", nil).list("Resources")) },
	SortIgnored: func(c *tclient) any {
		c.createUser(user("bob"))
		c.createUser(user("ada"))
		return names(c.do("GET", "/Users?sortBy=userName", nil))
	},
	NoSearchEndpoint: func(c *tclient) any {
		return c.do("POST", "/Users/.search", map[string]any{"schemas": []any{searchURN}}).code
	},
	PatchReadOnlyIgnored:   func(c *tclient) any { return patchUser(c, op("replace", "id", "not-the-id")).code },
	PatchUnknownOpAccepted: func(c *tclient) any { return patchUser(c, op("frobnicate", "title", "x")).code },
	PatchValueFilterAll: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", `emails[type eq "work"].value`, "new@x")))
		return readUser(c, id).str("emails.1.value")
	},
	PatchNoPathReplaceIgnored: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "", map[string]any{"displayName": "X"})))
		return readUser(c, id).at("displayName")
	},
	GroupMemberAddIgnored: func(c *tclient) any {
		gid := c.createGroup("g")
		c.do("PATCH", "/Groups/"+gid, patchOp(op("add", "members", []any{map[string]any{"value": c.createUser(user("ada"))}})))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	GroupMemberRemoveIgnored: func(c *tclient) any {
		id := c.createUser(user("ada"))
		gid := c.createGroup("g", id)
		c.do("PATCH", "/Groups/"+gid, patchOp(op("remove", `members[value eq "`+id+`"]`, nil)))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	GroupRenameIgnored: func(c *tclient) any {
		gid := c.createGroup("g")
		c.do("PATCH", "/Groups/"+gid, patchOp(op("replace", "displayName", "h")))
		return c.do("GET", "/Groups/"+gid, nil).str("displayName")
	},
	ETagIgnored: func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PUT", "/Users/"+id, user("ada"), "If-Match", `W/"99"`).code
	},
	SchemasMissingUser:         func(c *tclient) any { return c.do("GET", "/Schemas", nil).num("totalResults") },
	ResourcetypesWrongEndpoint: func(c *tclient) any { return c.do("GET", "/ResourceTypes/User", nil).str("endpoint") },

	// Beyond the core table.
	StringCompareCaseSensitive: func(c *tclient) any { twoUsers(c); return filterTotal(c, `displayName eq "ADA TESTER"`) },
	PatchUnknownPathAccepted:   func(c *tclient) any { return patchUser(c, op("replace", "favouriteColour", "x")).code },
	PatchNotAtomic: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "title", "t"), op("replace", "favouriteColour", "x")))
		return readUser(c, id).at("title")
	},
	PatchRemoveNoPathAccepted: func(c *tclient) any { return patchUser(c, op("remove", "", nil)).code },
	PatchAddIgnored:           func(c *tclient) any { return patchUser(c, op("add", "title", "t")).at("title") },
	PatchRemoveIgnored:        func(c *tclient) any { return patchUser(c, op("remove", "nickName", nil)).at("nickName") },
	PatchOpsCaseSensitive:     func(c *tclient) any { return patchUser(c, op("Replace", "title", "t")).code },
	StringBooleansTitleCaseOnly: func(c *tclient) any {
		return c.do("POST", "/Users", with(user("ada"), "active", "false")).code
	},
	ActiveRefreshResetsProfile: func(c *tclient) any {
		id := c.createUser(with(user("ada"), "title", "Engineer"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", true)))
		return readUser(c, id).at("title")
	},
	EmptyReplaceStored: func(c *tclient) any {
		return patchUser(c, op("replace", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "")).at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
	},
	UnqualifiedExtensionNameRefused: func(c *tclient) any {
		return patchUser(c, op("add", "employeeNumber", "7")).code
	},
	QueryPlusKept: func(c *tclient) any { return c.do("GET", `/Users?filter=userName+eq+%22nobody%22`, nil).code },
	NoMatchFilter404: func(c *tclient) any {
		return c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "nobody"`), nil).code
	},
	RateLimitUnder25rps: func(c *tclient) any {
		var codes []int
		for range 12 {
			codes = append(codes, c.do("GET", "/Users?count=1", nil).code)
		}
		return slices.Contains(codes, 429)
	},
	RejectsStringBooleans: func(c *tclient) any {
		return c.do("POST", "/Users", with(user("ada"), "active", "False")).code
	},
	LegacyMemberRemovalIgnored: func(c *tclient) any {
		id := c.createUser(user("ada"))
		gid := c.createGroup("g", id)
		c.do("PATCH", "/Groups/"+gid, patchOp(op("Remove", "members", []any{map[string]any{"value": id}})))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	RejectsNullRef: func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("POST", "/Groups", map[string]any{"displayName": "g", "members": []any{map[string]any{"value": id, "$ref": nil}}}).code
	},
	ManagerArrayRejected: func(c *tclient) any {
		return patchUser(c, op("Add", enterpriseURN+":manager", []any{map[string]any{"value": "m1"}})).code
	},
	PutRequiresPassword: func(c *tclient) any {
		id := c.createUser(with(user("ada"), "password", "pw"))
		return c.do("PUT", "/Users/"+id, user("ada")).code
	},
	PutDropsEnterprise: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PUT", "/Users/"+id, with(user("ada"), enterpriseURN, map[string]any{"department": "D"}))
		return readUser(c, id).str(enterpriseURN + ".department")
	},
	DeactivateDeletes: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false)))
		return c.do("GET", "/Users/"+id, nil).code
	},
	RateLimitNoRetryAfter: func(c *tclient) any {
		var mu sync.Mutex
		var wg sync.WaitGroup
		limited := false
		for range 3 * maxInFlight {
			wg.Go(func() {
				if c.do("GET", "/ServiceProviderConfig", nil).code == 429 {
					mu.Lock()
					limited = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return limited
	},
	NoETag: func(c *tclient) any {
		r := c.do("GET", "/Users/"+c.createUser(user("ada")), nil)
		return []any{r.header.Get("ETag"), r.at("meta.version")}
	},
	SpcStringBooleans: func(c *tclient) any {
		return fmt.Sprintf("%T", c.do("GET", "/ServiceProviderConfig", nil).at("patch.supported"))
	},
	PasswordReturned: func(c *tclient) any {
		return c.do("POST", "/Users", with(user("ada"), "password", "pw")).at("password")
	},
	DropsMultiValuedType: func(c *tclient) any { return readUser(c, c.createUser(user("ada"))).at("emails.0.type") },
	GroupsAttributeEmpty: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.createGroup("g", id)
		return len(readUser(c, id).list("groups"))
	},
	FilterIgnoresExtension: func(c *tclient) any {
		c.createUser(with(user("ada"), enterpriseURN, map[string]any{"department": "D"}))
		return filterTotal(c, enterpriseURN+`:department eq "D"`)
	},
	ExternalIDCaseInsensitive: func(c *tclient) any {
		c.createUser(with(user("ada"), "externalId", "Abc123"))
		return filterTotal(c, `externalId eq "abc"`)
	},
	MissingUsernameAccepted: func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"displayName": "x"}).code
	},
	InvalidJSON500: func(c *tclient) any { return c.do("POST", "/Users", `{"userName":`).code },
	// Faults added with the Okta and Entra scenarios and the self-test.
	DropsEnterprise: func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), enterpriseURN, map[string]any{"department": "R"}))).at(enterpriseURN)
	},
	GetByID404: func(c *tclient) any { return c.do("GET", "/Users/"+c.createUser(user("ada")), nil).code },
	ListNotListresponse: func(c *tclient) any {
		c.createUser(user("ada"))
		return c.do("GET", "/Users", nil).at("totalResults")
	},
	OrFilterAsAnd:            func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName eq "ada" or userName eq "bob"`) },
	UsernameTooShortAccepted: func(c *tclient) any { return c.do("POST", "/Users", map[string]any{"userName": "a"}).code },
	DigitOnlyAccepted:        func(c *tclient) any { return c.do("POST", "/Users", map[string]any{"userName": "12345"}).code },
	UsernameRuleIgnored: func(c *tclient) any {
		c.srv.rule = username.Hub // the fault bends only a target under a rule
		return c.do("POST", "/Users", map[string]any{"userName": "ada.lovelace"}).code
	},
	TruncatesUsername: func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"userName": strings.Repeat("a", MaxUserName+3)}).code
	},
	UsernameUnicodeMangled: func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"userName": "zoë-ü"}).str("userName")
	},
	EwAsSw: func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName ew "da"`) },
	MultiValuedFilterFirstOnly: func(c *tclient) any {
		c.createUser(with(user("ada"), "emails", []any{map[string]any{"value": "a@w"}, map[string]any{"value": "a@h"}}))
		return filterTotal(c, `emails.value eq "a@h"`)
	},
	UsernameEqEmpty: func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName eq "ada"`) },
	GroupFilterEmpty: func(c *tclient) any {
		c.createGroup("g")
		return c.do("GET", "/Groups?filter="+url.QueryEscape(`displayName eq "g"`), nil).num("totalResults")
	},
	CreateGroupIgnoresMembers: func(c *tclient) any {
		gid := c.createGroup("g", c.createUser(user("ada")))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	FilterHidesDeactivated: func(c *tclient) any {
		c.do("PATCH", "/Users/"+c.createUser(user("ada")), patchOp(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
		return filterTotal(c, `userName eq "ada"`)
	},
	RenameToOwnNameConflicts: func(c *tclient) any {
		gid := c.createGroup("g")
		return c.do("PATCH", "/Groups/"+gid, patchOp(map[string]any{"op": "replace", "value": map[string]any{"id": gid, "displayName": "g"}})).code
	},
	ContentTypeCharsetRefused: func(c *tclient) any {
		return c.do("POST", "/Users", user("ada"), "Content-Type", "application/scim+json; charset=utf-8").code
	},
	NullID500: func(c *tclient) any { return c.do("POST", "/Users", with(user("ada"), "id", nil)).code },
	StringActiveInactive: func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), "active", "true"))).at("active")
	},
	ForeignSchemasKept: func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), "schemas", []any{"urn:scim:schemas:core:1.0"}))).at("schemas")
	},
	JSONMediaTypeRefused: func(c *tclient) any {
		return c.do("POST", "/Users", user("ada"), "Content-Type", "application/json").code
	},
	PutRejectsReadOnly: func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PUT", "/Users/"+id, with(user("ada"), "id", id, "meta", map[string]any{"resourceType": "User"})).code
	},
	EmptyMembersRefused: func(c *tclient) any {
		return c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "g", "members": []any{}}).code
	},
	NewUserInactive: func(c *tclient) any { return readUser(c, c.createUser(user("ada"))).at("active") },
	PutAnswerStale: func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PUT", "/Users/"+id, map[string]any{"userName": "ada"}).at("nickName")
	},
	PutIgnored: func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PUT", "/Users/"+id, with(user("ada"), "displayName", "new"))
		return readUser(c, id).at("displayName")
	},
	PatchOpsReversed: func(c *tclient) any {
		return patchUser(c, op("replace", "title", "first"), op("replace", "title", "second")).at("title")
	},
	PatchPathReplaceIgnored: func(c *tclient) any { return patchUser(c, op("replace", "title", "x")).at("title") },
	PatchSubAttributeReplacesParent: func(c *tclient) any {
		id := c.createUser(with(user("ada"), "name", map[string]any{"givenName": "Ada", "familyName": "L"}))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "name.familyName", "B")))
		return readUser(c, id).at("name.givenName")
	},
	PatchReplaceAppends: func(c *tclient) any {
		return len(patchUser(c, op("replace", "emails", []any{map[string]any{"value": "n@x", "type": "work"}})).list("emails"))
	},
	UsernameTooLongAccepted: func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"userName": strings.Repeat("a", MaxUserName+1)}).code
	},
}

func readUser(c *tclient, id string) reply { return c.do("GET", "/Users/"+id, nil).want(c.t, 200) }

func patchUser(c *tclient, ops ...map[string]any) reply {
	id := c.createUser(user("ada"))
	code := c.do("PATCH", "/Users/"+id, patchOp(ops...)).code
	return reply{code: code, body: readUser(c, id).body} // the status, and the user read back
}

func twoUsers(c *tclient) {
	c.createUser(user("ada"))
	c.createUser(user("bob"))
}

func filterTotal(c *tclient, f string) int {
	return c.do("GET", "/Users?filter="+url.QueryEscape(f), nil).num("totalResults")
}

// TestEveryFaultBends runs each fault's probe on a clean target and on one
// with only that fault: a fault in the table that changes nothing fails.
func TestEveryFaultBends(t *testing.T) {
	var names []string
	for _, f := range Faults() {
		if !f.SSO { // internal/reference/sp's tests prove these, attack by attack
			names = append(names, f.Name)
		}
	}
	everyOneBends(t, "fault", names, probes, func(t *testing.T, name string) *tclient { return newTarget(t, name) })
}

func TestFaultTable(t *testing.T) {
	all := Faults()
	if !slices.IsSortedFunc(all, func(a, b Fault) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Faults() is not sorted by name")
	}
	seen := map[string]bool{}
	for _, f := range all {
		if seen[f.Name] || f.Name != strings.ToLower(f.Name) || strings.ContainsAny(f.Name, " _") {
			t.Errorf("bad or duplicate name %q", f.Name)
		}
		seen[f.Name] = true
		if len(f.Clauses) == 0 || f.Description == "" {
			t.Errorf("%s: clauses %v description %q", f.Name, f.Clauses, f.Description)
		}
	}
	all[0].Clauses[0] = "changed"
	if Faults()[0].Clauses[0] == "changed" {
		t.Error("Faults() shares its slices with the table")
	}
}
