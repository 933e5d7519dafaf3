package target

import (
	"testing"
)

func memberIDs(r reply) []string {
	var out []string
	for _, m := range r.list("members") {
		out = append(out, dig(m, "value").(string))
	}
	return out
}

func TestGroups(t *testing.T) {
	c := newTarget(t)
	ada := c.createUser(user("ada"))
	bob := c.createUser(user("bob"))
	r := c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "Analysts", "externalId": "ext-1",
		"members": []any{map[string]any{"value": ada, "$ref": nil}}}).want(t, 201)
	gid := r.str("id")
	if r.str("members.0.display") != "ada" || r.str("members.0.$ref") != "http://example.com/scim/v2/Users/"+ada ||
		r.str("meta.resourceType") != "Group" || r.header.Get("Location") == "" || r.str("externalId") != "ext-1" {
		t.Fatalf("created %s", r.raw)
	}
	u := c.do("GET", "/Users/"+ada, nil).want(t, 200)
	if u.str("groups.0.value") != gid || u.str("groups.0.display") != "Analysts" || u.str("groups.0.type") != "direct" || u.str("groups.0.$ref") == "" {
		t.Errorf("user's groups %v", u.at("groups"))
	}
	for _, tc := range []struct {
		name string
		body any
		code int
		typ  string
	}{
		{"duplicate name, other case", map[string]any{"displayName": "ANALYSTS"}, 409, "uniqueness"},
		{"no displayName", map[string]any{"members": []any{}}, 400, "invalidValue"},
		{"unknown member", map[string]any{"displayName": "x", "members": []any{map[string]any{"value": "nope"}}}, 400, "invalidValue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := c.do("POST", "/Groups", tc.body).want(t, tc.code); r.scimType() != tc.typ {
				t.Errorf("%s", r.raw)
			}
		})
	}
	nested := c.createGroup("Everyone", gid, bob)
	if g := c.do("GET", "/Groups/"+nested, nil); g.str("members.0.type") != "Group" || g.str("members.0.display") != "Analysts" {
		t.Errorf("nested %s", g.raw)
	}
	t.Run("excludedAttributes=members", func(t *testing.T) {
		r := c.do("GET", "/Groups/"+nested+"?excludedAttributes=members", nil).want(t, 200)
		if r.at("members") != nil || r.str("displayName") != "Everyone" {
			t.Errorf("%s", r.raw)
		}
	})
	patches := []struct {
		name string
		ops  []map[string]any
		want []string
	}{
		{"add members (Entra, $ref null)", []map[string]any{op("Add", "members", []any{map[string]any{"value": bob, "$ref": nil}})}, []string{ada, bob}},
		{"add a member twice", []map[string]any{op("add", "members", []any{map[string]any{"value": ada}, map[string]any{"value": bob}})}, []string{ada, bob}},
		{"remove by value filter", []map[string]any{op("remove", `members[value eq "`+ada+`"]`, nil)}, nil},
		{"remove, Entra legacy value array", []map[string]any{op("Remove", "members", []any{map[string]any{"value": ada}})}, nil},
		{"replace members", []map[string]any{op("replace", "members", []any{map[string]any{"value": bob}})}, []string{bob}},
		{"remove all members", []map[string]any{op("remove", "members", nil)}, nil},
	}
	for _, tc := range patches {
		t.Run(tc.name, func(t *testing.T) {
			c.do("PUT", "/Groups/"+gid, map[string]any{"displayName": "Analysts", "members": []any{map[string]any{"value": ada}}}).want(t, 200)
			c.do("PATCH", "/Groups/"+gid, patchOp(tc.ops...)).want(t, 200)
			got := memberIDs(c.do("GET", "/Groups/"+gid, nil))
			if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[len(got)-1] != tc.want[len(tc.want)-1])) {
				t.Errorf("members %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("rename (Okta: no path, carries the id)", func(t *testing.T) {
		c.do("PATCH", "/Groups/"+gid, patchOp(op("replace", "", map[string]any{"id": gid, "displayName": "Data"}))).want(t, 200)
		c.do("PATCH", "/Groups/"+gid, patchOp(op("Replace", "displayName", "Data Science"))).want(t, 200)
		if r := c.do("GET", "/Groups/"+gid, nil); r.str("displayName") != "Data Science" {
			t.Errorf("%s", r.raw)
		}
		c.do("PATCH", "/Groups/"+gid, patchOp(op("add", "members", []any{map[string]any{"value": "nope"}}))).want(t, 400)
	})
	t.Run("delete a group", func(t *testing.T) {
		c.do("DELETE", "/Groups/"+gid, nil).want(t, 204)
		c.do("GET", "/Groups/"+gid, nil).want(t, 404)
		if ids := memberIDs(c.do("GET", "/Groups/"+nested, nil)); len(ids) != 1 || ids[0] != bob {
			t.Errorf("nested members after delete %v", ids)
		}
	})
}
