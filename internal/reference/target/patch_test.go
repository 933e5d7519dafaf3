package target

import (
	"reflect"
	"testing"
)

func TestPatchUser(t *testing.T) {
	mgr := enterpriseURN + ":manager"
	for _, tc := range []struct {
		name string
		ops  []map[string]any
		want map[string]any // dotted path → value after the PATCH (nil: absent)
	}{
		{"replace simple", []map[string]any{op("replace", "displayName", "Countess")}, map[string]any{"displayName": "Countess"}},
		{"Entra PascalCase ops", []map[string]any{op("Replace", "displayName", "C"), op("Add", "title", "T"), op("Remove", "nickName", nil)},
			map[string]any{"displayName": "C", "title": "T", "nickName": nil}},
		{"path is case-insensitive", []map[string]any{op("replace", "DISPLAYNAME", "C")}, map[string]any{"displayName": "C"}},
		{"string boolean", []map[string]any{op("Replace", "active", "False")}, map[string]any{"active": false}},
		{"sub-attribute", []map[string]any{op("replace", "name.familyName", "Lovelace")}, map[string]any{"name.familyName": "Lovelace", "name.givenName": "Ada"}},
		{"add sub-attribute", []map[string]any{op("add", "name.middleName", "King")}, map[string]any{"name.middleName": "King", "name.givenName": "Ada"}},
		{"remove sub-attribute", []map[string]any{op("remove", "name.givenName", nil)}, map[string]any{"name.givenName": nil, "name": nil}},
		{"no path, object value", []map[string]any{op("replace", "", map[string]any{"displayName": "X", "name.givenName": "Augusta", "active": false,
			enterpriseURN + ":department": "Maths", "id": "ignored"})},
			map[string]any{"displayName": "X", "name.givenName": "Augusta", "active": false, enterpriseURN + ".department": "Maths"}},
		{"no path add with extension object", []map[string]any{op("add", "", map[string]any{enterpriseURN: map[string]any{"costCenter": "42"}})},
			map[string]any{enterpriseURN + ".costCenter": "42"}},
		{"value filter sub-attribute", []map[string]any{op("Replace", `emails[type eq "work"].value`, "new@work.example")},
			map[string]any{"emails.0.value": "new@work.example", "emails.1.value": "ada@home.example"}},
		{"value filter whole value", []map[string]any{op("replace", `emails[type eq "home"]`, map[string]any{"value": "h@x", "display": "H"})},
			map[string]any{"emails.1.value": "h@x", "emails.1.display": "H", "emails.0.value": "ada@work.example"}},
		{"value filter remove", []map[string]any{op("remove", `emails[type eq "home"]`, nil)},
			map[string]any{"emails.0.type": "work", "emails.1": nil}},
		{"add to multi-valued appends", []map[string]any{op("add", "emails", []any{map[string]any{"value": "o@x", "type": "other"}})},
			map[string]any{"emails.0.type": "work", "emails.2.value": "o@x"}},
		{"replace multi-valued replaces the set", []map[string]any{op("replace", "emails", []any{map[string]any{"value": "o@x"}})},
			map[string]any{"emails.0.value": "o@x", "emails.1": nil}},
		{"remove attribute", []map[string]any{op("remove", "emails", nil)}, map[string]any{"emails": nil}},
		{"extension attribute", []map[string]any{op("Add", enterpriseURN+":department", "R&D")}, map[string]any{enterpriseURN + ".department": "R&D"}},
		{"manager as a plain id", []map[string]any{op("Add", mgr, "m1")}, map[string]any{enterpriseURN + ".manager.value": "m1"}},
		{"manager as an object", []map[string]any{op("replace", mgr, map[string]any{"value": "m2"})}, map[string]any{enterpriseURN + ".manager.value": "m2"}},
		{"manager removed", []map[string]any{op("Add", mgr, "m1"), op("Remove", mgr, nil)}, map[string]any{enterpriseURN: nil}},
		{"core URN path", []map[string]any{op("replace", userURN+":title", "T")}, map[string]any{"title": "T"}},
		{"operations apply in order", []map[string]any{op("add", "title", "one"), op("replace", "title", "two")}, map[string]any{"title": "two"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTarget(t)
			id := c.createUser(with(user("ada"), "name", map[string]any{"givenName": "Ada"}))
			r := c.do("PATCH", "/Users/"+id, patchOp(tc.ops...)).want(t, 200)
			if r.str("id") != id || r.header.Get("ETag") != `W/"2"` {
				t.Errorf("answer: %s (ETag %q)", r.raw, r.header.Get("ETag"))
			}
			got := c.do("GET", "/Users/"+id, nil).want(t, 200)
			for path, want := range tc.want {
				if g := got.at(path); !reflect.DeepEqual(g, want) {
					t.Errorf("%s = %#v, want %#v: %s", path, g, want, got.raw)
				}
			}
		})
	}
}

func TestPatchErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ops      []map[string]any
		code     int
		scimType string
	}{
		{"unknown op", []map[string]any{op("frobnicate", "title", "x")}, 400, "invalidSyntax"},
		{"unknown attribute", []map[string]any{op("replace", "favouriteColour", "green")}, 400, "invalidPath"},
		{"unknown sub-attribute", []map[string]any{op("replace", "name.nickname", "x")}, 400, "invalidPath"},
		{"unknown extension attribute", []map[string]any{op("replace", enterpriseURN+":shoeSize", "x")}, 400, "invalidPath"},
		{"unparsable path", []map[string]any{op("replace", "emails[type eq", "x")}, 400, "invalidPath"},
		{"remove without path", []map[string]any{op("remove", "", nil)}, 400, "noTarget"},
		{"value filter matching nothing, replace", []map[string]any{op("replace", `emails[type eq "fax"].value`, "x")}, 400, "noTarget"},
		{"value filter matching nothing, remove", []map[string]any{op("remove", `emails[type eq "fax"]`, nil)}, 400, "noTarget"},
		{"id is read-only", []map[string]any{op("replace", "id", "x")}, 400, "mutability"},
		{"meta is read-only", []map[string]any{op("replace", "meta.created", "x")}, 400, "mutability"},
		{"groups is read-only", []map[string]any{op("add", "groups", []any{map[string]any{"value": "g"}})}, 400, "mutability"},
		{"bad boolean", []map[string]any{op("replace", "active", "nope")}, 400, "invalidValue"},
		{"no path, not an object", []map[string]any{op("replace", "", "x")}, 400, "invalidValue"},
		{"userName policy", []map[string]any{op("replace", "userName", "1234")}, 400, "invalidValue"},
		{"atomic: a failing later op undoes earlier ones", []map[string]any{op("replace", "title", "applied?"), op("replace", "favouriteColour", "x")}, 400, "invalidPath"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTarget(t)
			id := c.createUser(user("ada"))
			r := c.do("PATCH", "/Users/"+id, patchOp(tc.ops...)).want(t, tc.code)
			if r.scimType() != tc.scimType {
				t.Errorf("scimType %q, want %q: %s", r.scimType(), tc.scimType, r.raw)
			}
			got := c.do("GET", "/Users/"+id, nil).want(t, 200)
			if got.at("title") != nil || got.str("meta.version") != `W/"1"` {
				t.Errorf("a refused PATCH changed the user: %s", got.raw)
			}
		})
	}
	t.Run("unknown id", func(t *testing.T) {
		newTarget(t).do("PATCH", "/Users/nope", patchOp(op("replace", "title", "x"))).want(t, 404)
	})
	t.Run("attributes on the answer", func(t *testing.T) {
		c := newTarget(t)
		id := c.createUser(user("ada"))
		r := c.do("PATCH", "/Users/"+id+"?attributes=title", patchOp(op("replace", "title", "x"))).want(t, 200)
		if r.str("title") != "x" || r.at("userName") != nil {
			t.Errorf("%s", r.raw)
		}
	})
}
