package target

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCreateUser(t *testing.T) {
	c := newTarget(t)
	body := with(user("ada"), "id", "client-chosen", "externalId", "00uAbC", "password", "s3cret!",
		"groups", []any{map[string]any{"value": "x"}}, "favouriteColour", "green",
		enterpriseURN, map[string]any{"department": "R&D", "manager": map[string]any{"value": "m1"}})
	r := c.do("POST", "/Users", body).want(t, 201)
	id := r.str("id")
	if id == "" || id == "client-chosen" {
		t.Fatalf("id %q", id)
	}
	loc := "http://example.com/scim/v2/Users/" + id
	if r.header.Get("Location") != loc || r.str("meta.location") != loc {
		t.Errorf("Location %q, meta.location %q", r.header.Get("Location"), r.str("meta.location"))
	}
	if r.header.Get("ETag") == "" || r.str("meta.resourceType") != "User" {
		t.Errorf("ETag %q meta %v", r.header.Get("ETag"), r.at("meta"))
	}
	for _, f := range []string{"meta.created", "meta.lastModified"} {
		if _, err := time.Parse(time.RFC3339, r.str(f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	checks := map[string]any{
		"userName": "ada", "externalId": "00uAbC", "active": true, "emails.0.type": "work",
		enterpriseURN + ".department": "R&D", enterpriseURN + ".manager.value": "m1",
		"password": nil, "groups": nil, "favouriteColour": nil,
	}
	got := c.do("GET", "/Users/"+id, nil).want(t, 200)
	for path, want := range checks {
		if got.at(path) != want {
			t.Errorf("%s = %v, want %v", path, got.at(path), want)
		}
	}
	if s := got.list("schemas"); len(s) != 2 || s[1] != enterpriseURN {
		t.Errorf("schemas %v", s)
	}
	if c.srv.Stats() != (Stats{Users: 1}) {
		t.Errorf("stats %+v", c.srv.Stats())
	}
}

func TestUserInput(t *testing.T) {
	for _, tc := range []struct {
		name     string
		body     map[string]any
		code     int
		scimType string
		path     string
		want     any
	}{
		{"attribute names are case-insensitive", map[string]any{"USERNAME": "ada", "Name": map[string]any{"GivenName": "Ada"}}, 201, "", "name.givenName", "Ada"},
		{"extension URN case-insensitive", map[string]any{"userName": "ada", strings.ToUpper(enterpriseURN): map[string]any{"Department": "X"}}, 201, "", enterpriseURN + ".department", "X"},
		{"string boolean False", map[string]any{"userName": "ada", "active": "False"}, 201, "", "active", false},
		{"string boolean TRUE", map[string]any{"userName": "ada", "active": "TRUE"}, 201, "", "active", true},
		{"boolean in a multi-valued value", map[string]any{"userName": "ada", "emails": []any{map[string]any{"value": "a@x", "primary": "True"}}}, 201, "", "emails.0.primary", true},
		{"other string for a boolean", map[string]any{"userName": "ada", "active": "yes"}, 400, "invalidValue", "", nil},
		{"number for a boolean", map[string]any{"userName": "ada", "active": 1}, 400, "invalidValue", "", nil},
		{"number for a string", map[string]any{"userName": "ada", "title": 7}, 400, "invalidValue", "", nil},
		{"missing userName", map[string]any{"displayName": "x"}, 400, "invalidValue", "", nil},
		{"one character", map[string]any{"userName": "a"}, 400, "invalidValue", "", nil},
		{"two characters", map[string]any{"userName": "ab"}, 201, "", "userName", "ab"},
		{"42 runes", map[string]any{"userName": strings.Repeat("é", 42)}, 201, "", "userName", strings.Repeat("é", 42)},
		{"43 characters", map[string]any{"userName": strings.Repeat("a", 43)}, 400, "invalidValue", "", nil},
		{"digits only", map[string]any{"userName": "12345"}, 400, "invalidValue", "", nil},
		{"digits and a letter", map[string]any{"userName": "12345a"}, 201, "", "userName", "12345a"},
		{"kept as sent", map[string]any{"userName": " Ada.Lovelace@Example.com"}, 201, "", "userName", " Ada.Lovelace@Example.com"},
		{"manager as a string", map[string]any{"userName": "ada", enterpriseURN: map[string]any{"manager": "m1"}}, 201, "", enterpriseURN + ".manager.value", "m1"},
		{"name as a string", map[string]any{"userName": "ada", "name": "Ada"}, 400, "invalidValue", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTarget(t)
			r := c.do("POST", "/Users", tc.body).want(t, tc.code)
			if r.scimType() != tc.scimType {
				t.Errorf("scimType %q, want %q", r.scimType(), tc.scimType)
			}
			if tc.path != "" && r.at(tc.path) != tc.want {
				t.Errorf("%s = %#v, want %#v", tc.path, r.at(tc.path), tc.want)
			}
		})
	}
}

func TestUniqueness(t *testing.T) {
	c := newTarget(t)
	id := c.createUser(user("Ada.Lovelace"))
	for _, name := range []string{"Ada.Lovelace", "ada.lovelace", "ADA.LOVELACE"} {
		if r := c.do("POST", "/Users", user(name)).want(t, 409); r.scimType() != "uniqueness" {
			t.Errorf("%s: %s", name, r.raw)
		}
	}
	other := c.createUser(user("bob"))
	c.do("PUT", "/Users/"+other, user("ADA.lovelace")).want(t, 409)
	c.do("PATCH", "/Users/"+other, patchOp(op("replace", "userName", "ada.LOVELACE"))).want(t, 409)
	c.do("PUT", "/Users/"+id, user("ada.lovelace")).want(t, 200) // itself
}

func TestPutUser(t *testing.T) {
	c := newTarget(t)
	created := c.do("POST", "/Users", with(user("ada"), "title", "Countess", "password", "pw",
		enterpriseURN, map[string]any{"department": "R&D"})).want(t, 201)
	id := created.str("id")
	gid := c.createGroup("analysts", id)
	put := with(user("ada"), "id", "other", "displayName", "Ada Lovelace", "active", false,
		"meta", map[string]any{"created": "1999-01-01T00:00:00Z"}, "groups", []any{})
	delete(put, "nickName")
	r := c.do("PUT", "/Users/"+id, put).want(t, 200)
	got := c.do("GET", "/Users/"+id, nil).want(t, 200)
	for path, want := range map[string]any{
		"id": id, "displayName": "Ada Lovelace", "active": false, "nickName": nil, "title": nil,
		enterpriseURN: nil, "meta.created": created.str("meta.created"), "groups.0.value": gid, "password": nil,
	} {
		if got.at(path) != want && !(path == enterpriseURN && got.at(path) == nil) {
			t.Errorf("%s = %v, want %v", path, got.at(path), want)
		}
	}
	if r.str("displayName") != "Ada Lovelace" {
		t.Errorf("PUT answered %s", r.raw)
	}
	if c.srv.store.all[userKind][id].attrs()["password"] != "pw" {
		t.Error("a PUT without a password cleared it")
	}
	c.do("PUT", "/Users/nope", user("ada")).want(t, 404)
	c.do("PUT", "/Users/"+id, map[string]any{"displayName": "x"}).want(t, 400)
	// Omitted active is set to its default.
	if r := c.do("PUT", "/Users/"+id, map[string]any{"userName": "ada"}).want(t, 200); r.at("active") != true {
		t.Errorf("active %v", r.at("active"))
	}
}

func TestDeleteUser(t *testing.T) {
	c := newTarget(t)
	id := c.createUser(user("ada"))
	keep := c.createUser(user("bob"))
	gid := c.createGroup("analysts", id, keep)
	r := c.do("DELETE", "/Users/"+id, nil).want(t, 204)
	if r.raw != "" {
		t.Errorf("body %q", r.raw)
	}
	c.do("GET", "/Users/"+id, nil).want(t, 404)
	c.do("DELETE", "/Users/"+id, nil).want(t, 404)
	g := c.do("GET", "/Groups/"+gid, nil).want(t, 200)
	if m := g.list("members"); len(m) != 1 || dig(m[0], "value") != keep {
		t.Errorf("members after delete %v", m)
	}
	if c.srv.Stats() != (Stats{Users: 1, Groups: 1}) {
		t.Errorf("stats %+v", c.srv.Stats())
	}
}

func TestProjection(t *testing.T) {
	c := newTarget(t)
	id := c.createUser(with(user("ada"), "name", map[string]any{"givenName": "Ada", "familyName": "Lovelace"},
		"password", "pw", enterpriseURN, map[string]any{"department": "R&D", "costCenter": "42"}))
	for _, tc := range []struct {
		name, query string
		present     []string
		absent      []string
	}{
		{"attributes", "attributes=userName", []string{"id", "schemas", "meta", "userName"}, []string{"displayName", "emails", "name", "active"}},
		{"attributes case-insensitive", "attributes=USERNAME,DisplayName", []string{"userName", "displayName"}, []string{"emails"}},
		{"attributes sub-attribute", "attributes=name.givenName", []string{"name.givenName"}, []string{"name.familyName", "userName"}},
		{"attributes multi-valued sub-attribute", "attributes=emails.value", []string{"emails.0.value"}, []string{"emails.0.type"}},
		{"attributes core URN", "attributes=" + userURN + ":userName", []string{"userName"}, []string{"displayName"}},
		{"attributes extension attribute", "attributes=" + enterpriseURN + ":department", []string{enterpriseURN + ".department"}, []string{enterpriseURN + ".costCenter", "userName"}},
		{"attributes whole extension", "attributes=" + enterpriseURN, []string{enterpriseURN + ".department", enterpriseURN + ".costCenter"}, []string{"userName"}},
		{"attributes password", "attributes=password", []string{"id"}, []string{"password"}},
		{"attributes cannot drop id", "attributes=userName&excludedAttributes=id", []string{"id"}, nil},
		{"excluded", "excludedAttributes=emails,displayName", []string{"userName", "name"}, []string{"emails", "displayName"}},
		{"excluded sub-attribute", "excludedAttributes=name.givenName", []string{"name.familyName"}, []string{"name.givenName"}},
		{"excluded extension attribute", "excludedAttributes=" + enterpriseURN + ":costCenter", []string{enterpriseURN + ".department"}, []string{enterpriseURN + ".costCenter"}},
		{"excluded always-returned", "excludedAttributes=id,meta,schemas", []string{"id", "meta", "schemas"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/Users/" + id + "?" + tc.query, "/Users?filter=userName+eq+%22ada%22&" + tc.query} {
				r := c.do("GET", strings.ReplaceAll(path, "+", "%20"), nil).want(t, 200)
				prefix := ""
				if strings.HasPrefix(path, "/Users?") {
					prefix = "Resources.0."
				}
				for _, p := range tc.present {
					if r.at(prefix+p) == nil {
						t.Errorf("%s: %s missing: %s", path, p, r.raw)
					}
				}
				for _, p := range tc.absent {
					if r.at(prefix+p) != nil {
						t.Errorf("%s: %s present: %s", path, p, r.raw)
					}
				}
			}
		})
	}
}

func TestConcurrentCreates(t *testing.T) {
	c := newTarget(t)
	var wg sync.WaitGroup
	codes := make([]int, 40)
	for i := range codes {
		wg.Go(func() {
			// Two requests per name, in different cases: exactly one wins.
			name := fmt.Sprintf("user%02d", i/2)
			if i%2 == 1 {
				name = strings.ToUpper(name)
			}
			codes[i] = c.do("POST", "/Users", user(name)).code
		})
	}
	wg.Wait()
	for i := 0; i < len(codes); i += 2 {
		if a, b := codes[i], codes[i+1]; a+b != 201+409 {
			t.Errorf("pair %d: %d and %d", i/2, a, b)
		}
	}
	if got := c.srv.Stats(); got != (Stats{Users: 20}) {
		t.Errorf("stats %+v", got)
	}
}
