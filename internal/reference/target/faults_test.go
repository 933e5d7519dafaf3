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
	"username-case-sensitive": func(c *tclient) any {
		c.createUser(user("ada"))
		return []any{c.do("POST", "/Users", user("ADA")).code, filterTotal(c, `userName eq "ADA"`)}
	},
	"no-uniqueness":          func(c *tclient) any { c.createUser(user("ada")); return c.do("POST", "/Users", user("ada")).code },
	"create-returns-200":     func(c *tclient) any { return c.do("POST", "/Users", user("ada")).code },
	"no-location-header":     func(c *tclient) any { return c.do("POST", "/Users", user("ada")).header.Get("Location") != "" },
	"create-user-without-id": func(c *tclient) any { return c.do("POST", "/Users", user("ada")).at("id") != nil },
	"no-meta":                func(c *tclient) any { return c.do("GET", "/Users/"+c.createUser(user("ada")), nil).at("meta") != nil },
	"drops-external-id": func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), "externalId", "x1"))).at("externalId")
	},
	"ignores-active-false": func(c *tclient) any {
		a, b := c.createUser(user("ada")), c.createUser(user("bob"))
		c.do("PATCH", "/Users/"+a, patchOp(op("replace", "active", false)))
		c.do("PUT", "/Users/"+b, with(user("bob"), "active", "False"))
		return []any{readUser(c, a).at("active"), readUser(c, b).at("active")}
	},
	"json-content-type":   func(c *tclient) any { return c.do("GET", "/Users", nil).header.Get("Content-Type") },
	"error-status-number": func(c *tclient) any { return fmt.Sprintf("%T", c.do("GET", "/Users/nope", nil).at("status")) },
	"html-404": func(c *tclient) any {
		return []any{c.do("GET", "/Users/nope", nil).header.Get("Content-Type"), c.do("GET", "/Nope", nil).str("status")}
	},
	"missing-401": func(c *tclient) any {
		return []int{c.do("GET", "/Users", nil, "Authorization", "").code, c.do("GET", "/Users", nil, "Authorization", "Bearer x").code}
	},
	"unauthorized-no-challenge": func(c *tclient) any {
		return c.do("GET", "/Users", nil, "Authorization", "").header.Get("WWW-Authenticate")
	},
	"unauthorized-plain-text": func(c *tclient) any {
		return c.do("GET", "/Users", nil, "Authorization", "").header.Get("Content-Type")
	},
	"reuses-freed-ids": func(c *tclient) any {
		id := c.createUser(with(user("ada"), "userName", "t-ada"))
		c.do("DELETE", "/Users/"+id, nil).want(c.t, 204)
		return c.createUser(with(user("bob"), "userName", "t-bob")) == id
	},
	"client-id-accepted": func(c *tclient) any { return c.createUser(with(user("ada"), "id", "chosen")) == "chosen" },
	"not-found-scimtype": func(c *tclient) any { return c.do("GET", "/Users/nope", nil).at("scimType") },
	"discovery-by-id-lists": func(c *tclient) any {
		return []int{c.do("GET", "/Schemas/urn:nope", nil).code, c.do("GET", "/ResourceTypes/Nope", nil).code}
	},
	"password-echoed-after-write": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PATCH", "/Users/"+id, patchOp(op("replace", "password", "Secret-1"))).at("password")
	},
	"password-returned-when-asked": func(c *tclient) any {
		id := c.createUser(with(user("ada"), "password", "Secret-1"))
		return c.do("GET", "/Users/"+id+"?attributes=password", nil).at("password")
	},
	"attributes-drops-schemas": func(c *tclient) any {
		return c.do("GET", "/Users/"+c.createUser(user("ada"))+"?attributes=userName", nil).at("schemas")
	},
	"list-resources-without-schemas": func(c *tclient) any {
		c.createUser(user("ada"))
		return c.do("GET", "/Users", nil).list("Resources")[0].(map[string]any)["schemas"]
	},
	"group-remove-all-members-ignored": func(c *tclient) any {
		gid := c.createGroup("g", c.createUser(user("ada")))
		c.do("PATCH", "/Groups/"+gid, patchOp(map[string]any{"op": "remove", "path": "members"}))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	"filter-absent-attribute-500": func(c *tclient) any {
		c.createUser(with(user("ada"), "title", "Engineer"))
		c.createUser(user("bob"))
		return c.do("GET", "/Users?filter="+url.QueryEscape(`title eq "Engineer"`), nil).code
	},
	"spc-uri-spelled-url": func(c *tclient) any {
		return c.do("GET", "/ServiceProviderConfig", nil).list("authenticationSchemes")[0].(map[string]any)["specUri"]
	},
	"spc-documentation-not-url":   func(c *tclient) any { return c.do("GET", "/ServiceProviderConfig", nil).at("documentationUri") },
	"resourcetype-schema-not-uri": func(c *tclient) any { return c.do("GET", "/ResourceTypes/Group", nil).at("schema") },
	"extension-schema-by-id-404": func(c *tclient) any {
		return c.do("GET", "/Schemas/"+enterpriseURN, nil).code
	},
	"search-creates": func(c *tclient) any {
		c.do("POST", "/Users/.search", map[string]any{"filter": `userName eq "ada"`})
		return c.do("GET", "/Users", nil).num("totalResults")
	},
	"bulk-ignores-bulkid-refs": func(c *tclient) any {
		return statuses(c.do("POST", "/Bulk", bulkReq(0, bulkPost("/Users", "a", user("ada")),
			bulkPost("/Groups", "g", map[string]any{"displayName": "g", "members": []any{map[string]any{"value": "bulkId:a"}}}))))
	},
	"bulk-ignores-fail-on-errors": func(c *tclient) any {
		return statuses(c.do("POST", "/Bulk", bulkReq(1, bulkPost("/Users", "a", map[string]any{}), bulkPost("/Users", "b", user("bob")))))
	},
	"bulk-no-limits": func(c *tclient) any {
		var ops []map[string]any
		for i := range maxBulkOperations + 1 {
			ops = append(ops, bulkPost("/Users", fmt.Sprint(i), user(fmt.Sprintf("u%d", i))))
		}
		return c.do("POST", "/Bulk", bulkReq(0, ops...)).code
	},
	"delete-keeps-resource": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("DELETE", "/Users/"+id, nil).want(c.t, 204)
		return c.do("GET", "/Users/"+id, nil).code
	},
	"user-delete-keeps-membership": func(c *tclient) any {
		id := c.createUser(user("ada"))
		gid := c.createGroup("g", id)
		c.do("DELETE", "/Users/"+id, nil).want(c.t, 204)
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	"ignores-attributes-param": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return []any{c.do("GET", "/Users/"+id+"?attributes=userName", nil).at("displayName"),
			c.do("GET", "/Users/"+id+"?excludedAttributes=displayName", nil).at("displayName")}
	},
	"malformed-filter-200": func(c *tclient) any { return c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq`), nil).code },
	"and-filter-as-or": func(c *tclient) any {
		twoUsers(c)
		return filterTotal(c, `userName eq "ada" and userName eq "bob"`)
	},
	"not-filter-ignored": func(c *tclient) any {
		twoUsers(c)
		return names(c.do("GET", "/Users?filter="+url.QueryEscape(`not (userName eq "ada")`), nil))
	},
	"value-path-filter-broken": func(c *tclient) any {
		twoUsers(c)
		return filterTotal(c, `emails[type eq "work"]`)
	},
	"total-results-wrong":    func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName eq "ada"`) },
	"items-per-page-wrong":   func(c *tclient) any { twoUsers(c); return c.do("GET", "/Users?count=1", nil).num("itemsPerPage") },
	"start-index-zero-based": func(c *tclient) any { twoUsers(c); return names(c.do("GET", "/Users?startIndex=1&count=1", nil)) },
	"count-zero-ignored":     func(c *tclient) any { twoUsers(c); return len(c.do("GET", "/Users?count=0", nil).list("Resources")) },
	"sort-ignored": func(c *tclient) any {
		c.createUser(user("bob"))
		c.createUser(user("ada"))
		return names(c.do("GET", "/Users?sortBy=userName", nil))
	},
	"no-search-endpoint": func(c *tclient) any {
		return c.do("POST", "/Users/.search", map[string]any{"schemas": []any{searchURN}}).code
	},
	"patch-read-only-ignored":   func(c *tclient) any { return patchUser(c, op("replace", "id", "not-the-id")).code },
	"patch-unknown-op-accepted": func(c *tclient) any { return patchUser(c, op("frobnicate", "title", "x")).code },
	"patch-value-filter-all": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", `emails[type eq "work"].value`, "new@x")))
		return readUser(c, id).str("emails.1.value")
	},
	"patch-no-path-replace-ignored": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "", map[string]any{"displayName": "X"})))
		return readUser(c, id).at("displayName")
	},
	"group-member-add-ignored": func(c *tclient) any {
		gid := c.createGroup("g")
		c.do("PATCH", "/Groups/"+gid, patchOp(op("add", "members", []any{map[string]any{"value": c.createUser(user("ada"))}})))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	"group-member-remove-ignored": func(c *tclient) any {
		id := c.createUser(user("ada"))
		gid := c.createGroup("g", id)
		c.do("PATCH", "/Groups/"+gid, patchOp(op("remove", `members[value eq "`+id+`"]`, nil)))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	"group-rename-ignored": func(c *tclient) any {
		gid := c.createGroup("g")
		c.do("PATCH", "/Groups/"+gid, patchOp(op("replace", "displayName", "h")))
		return c.do("GET", "/Groups/"+gid, nil).str("displayName")
	},
	"etag-ignored": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PUT", "/Users/"+id, user("ada"), "If-Match", `W/"99"`).code
	},
	"schemas-missing-user":         func(c *tclient) any { return c.do("GET", "/Schemas", nil).num("totalResults") },
	"resourcetypes-wrong-endpoint": func(c *tclient) any { return c.do("GET", "/ResourceTypes/User", nil).str("endpoint") },

	// Beyond the core table.
	"string-compare-case-sensitive": func(c *tclient) any { twoUsers(c); return filterTotal(c, `displayName eq "ADA TESTER"`) },
	"patch-unknown-path-accepted":   func(c *tclient) any { return patchUser(c, op("replace", "favouriteColour", "x")).code },
	"patch-not-atomic": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "title", "t"), op("replace", "favouriteColour", "x")))
		return readUser(c, id).at("title")
	},
	"patch-remove-no-path-accepted": func(c *tclient) any { return patchUser(c, op("remove", "", nil)).code },
	"patch-add-ignored":             func(c *tclient) any { return patchUser(c, op("add", "title", "t")).at("title") },
	"patch-remove-ignored":          func(c *tclient) any { return patchUser(c, op("remove", "nickName", nil)).at("nickName") },
	"patch-ops-case-sensitive":      func(c *tclient) any { return patchUser(c, op("Replace", "title", "t")).code },
	"string-booleans-title-case-only": func(c *tclient) any {
		return c.do("POST", "/Users", with(user("ada"), "active", "false")).code
	},
	"active-refresh-resets-profile": func(c *tclient) any {
		id := c.createUser(with(user("ada"), "title", "Engineer"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", true)))
		return readUser(c, id).at("title")
	},
	"empty-replace-stored": func(c *tclient) any {
		return patchUser(c, op("replace", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "")).at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
	},
	"unqualified-extension-name-refused": func(c *tclient) any {
		return patchUser(c, op("add", "employeeNumber", "7")).code
	},
	"query-plus-kept": func(c *tclient) any { return c.do("GET", `/Users?filter=userName+eq+%22nobody%22`, nil).code },
	"no-match-filter-404": func(c *tclient) any {
		return c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "nobody"`), nil).code
	},
	"rate-limit-under-25rps": func(c *tclient) any {
		var codes []int
		for range 12 {
			codes = append(codes, c.do("GET", "/Users?count=1", nil).code)
		}
		return slices.Contains(codes, 429)
	},
	"rejects-string-booleans": func(c *tclient) any {
		return c.do("POST", "/Users", with(user("ada"), "active", "False")).code
	},
	"legacy-member-removal-ignored": func(c *tclient) any {
		id := c.createUser(user("ada"))
		gid := c.createGroup("g", id)
		c.do("PATCH", "/Groups/"+gid, patchOp(op("Remove", "members", []any{map[string]any{"value": id}})))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	"rejects-null-ref": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("POST", "/Groups", map[string]any{"displayName": "g", "members": []any{map[string]any{"value": id, "$ref": nil}}}).code
	},
	"manager-array-rejected": func(c *tclient) any {
		return patchUser(c, op("Add", enterpriseURN+":manager", []any{map[string]any{"value": "m1"}})).code
	},
	"put-requires-password": func(c *tclient) any {
		id := c.createUser(with(user("ada"), "password", "pw"))
		return c.do("PUT", "/Users/"+id, user("ada")).code
	},
	"put-drops-enterprise": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PUT", "/Users/"+id, with(user("ada"), enterpriseURN, map[string]any{"department": "D"}))
		return readUser(c, id).str(enterpriseURN + ".department")
	},
	"deactivate-deletes": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false)))
		return c.do("GET", "/Users/"+id, nil).code
	},
	"rate-limit-no-retry-after": func(c *tclient) any {
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
	"no-etag": func(c *tclient) any {
		r := c.do("GET", "/Users/"+c.createUser(user("ada")), nil)
		return []any{r.header.Get("ETag"), r.at("meta.version")}
	},
	"spc-string-booleans": func(c *tclient) any {
		return fmt.Sprintf("%T", c.do("GET", "/ServiceProviderConfig", nil).at("patch.supported"))
	},
	"password-returned": func(c *tclient) any {
		return c.do("POST", "/Users", with(user("ada"), "password", "pw")).at("password")
	},
	"drops-multi-valued-type": func(c *tclient) any { return readUser(c, c.createUser(user("ada"))).at("emails.0.type") },
	"groups-attribute-empty": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.createGroup("g", id)
		return len(readUser(c, id).list("groups"))
	},
	"filter-ignores-extension": func(c *tclient) any {
		c.createUser(with(user("ada"), enterpriseURN, map[string]any{"department": "D"}))
		return filterTotal(c, enterpriseURN+`:department eq "D"`)
	},
	"external-id-case-insensitive": func(c *tclient) any {
		c.createUser(with(user("ada"), "externalId", "Abc123"))
		return filterTotal(c, `externalId eq "abc"`)
	},
	"missing-username-accepted": func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"displayName": "x"}).code
	},
	"invalid-json-500": func(c *tclient) any { return c.do("POST", "/Users", `{"userName":`).code },
	// Faults added with the Okta and Entra scenarios and the self-test.
	"drops-enterprise": func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), enterpriseURN, map[string]any{"department": "R"}))).at(enterpriseURN)
	},
	"get-by-id-404": func(c *tclient) any { return c.do("GET", "/Users/"+c.createUser(user("ada")), nil).code },
	"list-not-listresponse": func(c *tclient) any {
		c.createUser(user("ada"))
		return c.do("GET", "/Users", nil).at("totalResults")
	},
	"or-filter-as-and":            func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName eq "ada" or userName eq "bob"`) },
	"username-too-short-accepted": func(c *tclient) any { return c.do("POST", "/Users", map[string]any{"userName": "a"}).code },
	"digit-only-accepted":         func(c *tclient) any { return c.do("POST", "/Users", map[string]any{"userName": "12345"}).code },
	"username-rule-ignored": func(c *tclient) any {
		c.srv.rule = username.Hub // the fault bends only a target under a rule
		return c.do("POST", "/Users", map[string]any{"userName": "ada.lovelace"}).code
	},
	"truncates-username": func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"userName": strings.Repeat("a", MaxUserName+3)}).code
	},
	"username-unicode-mangled": func(c *tclient) any {
		return c.do("POST", "/Users", map[string]any{"userName": "zoë-ü"}).str("userName")
	},
	"ew-as-sw": func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName ew "da"`) },
	"multi-valued-filter-first-only": func(c *tclient) any {
		c.createUser(with(user("ada"), "emails", []any{map[string]any{"value": "a@w"}, map[string]any{"value": "a@h"}}))
		return filterTotal(c, `emails.value eq "a@h"`)
	},
	"username-eq-empty": func(c *tclient) any { twoUsers(c); return filterTotal(c, `userName eq "ada"`) },
	"group-filter-empty": func(c *tclient) any {
		c.createGroup("g")
		return c.do("GET", "/Groups?filter="+url.QueryEscape(`displayName eq "g"`), nil).num("totalResults")
	},
	"create-group-ignores-members": func(c *tclient) any {
		gid := c.createGroup("g", c.createUser(user("ada")))
		return len(c.do("GET", "/Groups/"+gid, nil).list("members"))
	},
	"filter-hides-deactivated": func(c *tclient) any {
		c.do("PATCH", "/Users/"+c.createUser(user("ada")), patchOp(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
		return filterTotal(c, `userName eq "ada"`)
	},
	"rename-to-own-name-conflicts": func(c *tclient) any {
		gid := c.createGroup("g")
		return c.do("PATCH", "/Groups/"+gid, patchOp(map[string]any{"op": "replace", "value": map[string]any{"id": gid, "displayName": "g"}})).code
	},
	"content-type-charset-refused": func(c *tclient) any {
		return c.do("POST", "/Users", user("ada"), "Content-Type", "application/scim+json; charset=utf-8").code
	},
	"null-id-500": func(c *tclient) any { return c.do("POST", "/Users", with(user("ada"), "id", nil)).code },
	"string-active-inactive": func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), "active", "true"))).at("active")
	},
	"foreign-schemas-kept": func(c *tclient) any {
		return readUser(c, c.createUser(with(user("ada"), "schemas", []any{"urn:scim:schemas:core:1.0"}))).at("schemas")
	},
	"json-media-type-refused": func(c *tclient) any {
		return c.do("POST", "/Users", user("ada"), "Content-Type", "application/json").code
	},
	"put-rejects-read-only": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PUT", "/Users/"+id, with(user("ada"), "id", id, "meta", map[string]any{"resourceType": "User"})).code
	},
	"empty-members-refused": func(c *tclient) any {
		return c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "g", "members": []any{}}).code
	},
	"new-user-inactive": func(c *tclient) any { return readUser(c, c.createUser(user("ada"))).at("active") },
	"put-answer-stale": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return c.do("PUT", "/Users/"+id, map[string]any{"userName": "ada"}).at("nickName")
	},
	"put-ignored": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PUT", "/Users/"+id, with(user("ada"), "displayName", "new"))
		return readUser(c, id).at("displayName")
	},
	"patch-ops-reversed": func(c *tclient) any {
		return patchUser(c, op("replace", "title", "first"), op("replace", "title", "second")).at("title")
	},
	"patch-path-replace-ignored": func(c *tclient) any { return patchUser(c, op("replace", "title", "x")).at("title") },
	"patch-sub-attribute-replaces-parent": func(c *tclient) any {
		id := c.createUser(with(user("ada"), "name", map[string]any{"givenName": "Ada", "familyName": "L"}))
		c.do("PATCH", "/Users/"+id, patchOp(op("replace", "name.familyName", "B")))
		return readUser(c, id).at("name.givenName")
	},
	"patch-replace-appends": func(c *tclient) any {
		return len(patchUser(c, op("replace", "emails", []any{map[string]any{"value": "n@x", "type": "work"}})).list("emails"))
	},
	"username-too-long-accepted": func(c *tclient) any {
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
