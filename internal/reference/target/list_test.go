package target

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
)

// people creates three users in this order and returns their ids.
func people(c *tclient) map[string]string {
	ids := map[string]string{}
	ids["carol"] = c.createUser(with(user("carol"), "title", "Engineer", "externalId", "EXT-c",
		"name", map[string]any{"familyName": "Shaw"}, enterpriseURN, map[string]any{"department": "R&D"}))
	ids["Ada.Lovelace"] = c.createUser(with(user("Ada.Lovelace"), "title", "Countess", "externalId", "EXT-a",
		"name", map[string]any{"familyName": "Lovelace"}, "active", false,
		"emails", []any{map[string]any{"value": "ada@analytical.example", "type": "work"}}))
	ids["bob"] = c.createUser(with(user("bob"), "externalId", "ext-b", "name", map[string]any{"familyName": "Bell"}))
	return ids
}

func names(r reply) []string {
	var out []string
	for _, res := range r.list("Resources") {
		if s, ok := dig(res, "userName").(string); ok {
			out = append(out, s)
		} else {
			out = append(out, dig(res, "displayName").(string))
		}
	}
	return out
}

func TestFilters(t *testing.T) {
	c := newTarget(t)
	people(c)
	mid := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "ada.lovelace"`), nil).str("Resources.0.meta.lastModified")
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`userName eq "ada.lovelace"`, []string{"Ada.Lovelace"}},
		{`USERNAME EQ "ADA.LOVELACE"`, []string{"Ada.Lovelace"}},
		{`userName ne "bob"`, []string{"carol", "Ada.Lovelace"}},
		{`userName co "LOVE"`, []string{"Ada.Lovelace"}},
		{`userName sw "b"`, []string{"bob"}},
		{`userName ew "ol"`, []string{"carol"}},
		{`userName gt "bob"`, []string{"carol"}},
		{`userName ge "bob"`, []string{"carol", "bob"}},
		{`userName lt "bob"`, []string{"Ada.Lovelace"}},
		{`userName le "bob"`, []string{"Ada.Lovelace", "bob"}},
		{`title pr`, []string{"carol", "Ada.Lovelace"}},
		{`active eq false`, []string{"Ada.Lovelace"}},
		{`active eq true and title pr`, []string{"carol"}},
		{`userName eq "bob" or userName eq "carol"`, []string{"carol", "bob"}},
		{`not (userName eq "bob")`, []string{"carol", "Ada.Lovelace"}},
		{`userName eq "bob" or userName eq "carol" and title pr`, []string{"carol", "bob"}},
		{`(userName eq "bob" or userName eq "carol") and title pr`, []string{"carol"}},
		{`name.familyName eq "lovelace"`, []string{"Ada.Lovelace"}},
		{`emails.value ew "@analytical.example"`, []string{"Ada.Lovelace"}},
		{`emails co "@home"`, []string{"carol", "bob"}},
		{`emails[type eq "work"]`, []string{"carol", "Ada.Lovelace", "bob"}},
		{`emails[type eq "work" and value co "@analytical"]`, []string{"Ada.Lovelace"}},
		{`emails[type eq "home" and value co "@analytical"]`, nil},
		{`externalId eq "EXT-a"`, []string{"Ada.Lovelace"}},
		{`externalId eq "ext-a"`, nil}, // caseExact
		{`id eq "nope"`, nil},
		{`meta.lastModified gt "` + mid + `"`, []string{"bob"}},
		{`meta.lastModified ge "` + mid + `"`, []string{"Ada.Lovelace", "bob"}},
		{`meta.resourceType eq "User"`, []string{"carol", "Ada.Lovelace", "bob"}},
		{enterpriseURN + `:department eq "r&d"`, []string{"carol"}},
		{userURN + `:userName eq "bob"`, []string{"bob"}},
		{`favouriteColour eq "green"`, nil},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			r := c.do("GET", "/Users?filter="+url.QueryEscape(tc.filter), nil).want(t, 200)
			if got := names(r); !slices.Equal(got, tc.want) || r.num("totalResults") != len(tc.want) {
				t.Errorf("got %v (total %d), want %v", got, r.num("totalResults"), tc.want)
			}
		})
	}
	for _, bad := range []string{`userName eq`, `userName xx "a"`, `(userName eq "a"`, `emails[type eq "work"`} {
		t.Run("invalid "+bad, func(t *testing.T) {
			if r := c.do("GET", "/Users?filter="+url.QueryEscape(bad), nil).want(t, 400); r.scimType() != "invalidFilter" {
				t.Errorf("%s", r.raw)
			}
		})
	}
	t.Run("groups", func(t *testing.T) {
		c.createGroup("Analysts")
		r := c.do("GET", "/Groups?excludedAttributes=members&filter="+url.QueryEscape(`displayName eq "analysts"`), nil).want(t, 200)
		if r.num("totalResults") != 1 || r.str("Resources.0.displayName") != "Analysts" {
			t.Errorf("%s", r.raw)
		}
	})
}

func TestPaging(t *testing.T) {
	c := newTarget(t)
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5"} {
		c.createUser(user(n))
	}
	for _, tc := range []struct {
		query          string
		want           []string
		start, perPage int
	}{
		{"", []string{"u1", "u2", "u3", "u4", "u5"}, 1, 5},
		{"startIndex=1&count=2", []string{"u1", "u2"}, 1, 2},
		{"startIndex=3&count=2", []string{"u3", "u4"}, 3, 2},
		{"startIndex=5&count=2", []string{"u5"}, 5, 1},
		{"startIndex=6", nil, 6, 0},
		{"startIndex=0&count=1", []string{"u1"}, 1, 1},
		{"startIndex=-4&count=1", []string{"u1"}, 1, 1},
		{"count=0", nil, 1, 0},
		{"count=-1", nil, 1, 0},
		{"count=junk", []string{"u1", "u2", "u3", "u4", "u5"}, 1, 5},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := c.do("GET", "/Users?"+tc.query, nil).want(t, 200)
			if got := names(r); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if r.num("totalResults") != 5 || r.num("startIndex") != tc.start || r.num("itemsPerPage") != tc.perPage {
				t.Errorf("totalResults %d startIndex %d itemsPerPage %d", r.num("totalResults"), r.num("startIndex"), r.num("itemsPerPage"))
			}
			if s := r.list("schemas"); len(s) != 1 || s[0] != listURN || r.at("Resources") == nil {
				t.Errorf("%s", r.raw)
			}
		})
	}
	t.Run("count is capped at maxResults", func(t *testing.T) {
		c := newTarget(t)
		for i := range maxResults + 3 {
			c.createUser(map[string]any{"userName": fmt.Sprintf("user%03d", i)})
		}
		r := c.do("GET", "/Users?count=1000", nil).want(t, 200)
		if r.num("itemsPerPage") != maxResults || r.num("totalResults") != maxResults+3 {
			t.Errorf("itemsPerPage %d totalResults %d", r.num("itemsPerPage"), r.num("totalResults"))
		}
	})
}

func TestSort(t *testing.T) {
	c := newTarget(t)
	people(c)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"carol", "Ada.Lovelace", "bob"}},
		{"sortBy=userName", []string{"Ada.Lovelace", "bob", "carol"}},
		{"sortBy=USERNAME&sortOrder=descending", []string{"carol", "bob", "Ada.Lovelace"}},
		{"sortBy=name.familyName", []string{"bob", "Ada.Lovelace", "carol"}},
		{"sortBy=title", []string{"Ada.Lovelace", "carol", "bob"}},                      // bob has none: last
		{"sortBy=title&sortOrder=descending", []string{"carol", "Ada.Lovelace", "bob"}}, // still last
		{"sortBy=meta.created&sortOrder=descending", []string{"bob", "Ada.Lovelace", "carol"}},
		{"sortBy=emails.value", []string{"Ada.Lovelace", "bob", "carol"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			if got := names(c.do("GET", "/Users?"+tc.query, nil).want(t, 200)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	c := newTarget(t)
	people(c)
	c.createGroup("Analysts")
	for _, tc := range []struct {
		name, path string
		body       map[string]any
		want       []string
		absent     string
	}{
		{"users", "/Users/.search", map[string]any{"filter": `userName sw "b" or userName sw "c"`, "sortBy": "userName", "sortOrder": "descending",
			"attributes": []any{"userName"}}, []string{"carol", "bob"}, "Resources.0.displayName"},
		{"paging", "/Users/.search", map[string]any{"startIndex": 2, "count": 1, "excludedAttributes": []any{"emails"}}, []string{"Ada.Lovelace"}, "Resources.0.emails"},
		{"groups", "/Groups/.search", map[string]any{"filter": `displayName eq "ANALYSTS"`}, []string{"Analysts"}, ""},
		{"root spans every type", "/.search", map[string]any{"filter": `displayName co "a"`}, []string{"carol Tester", "Ada.Lovelace Tester", "Analysts"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := with(tc.body, "schemas", []any{searchURN})
			r := c.do("POST", tc.path, body).want(t, 200)
			var got []string
			for _, res := range r.list("Resources") {
				if n, ok := dig(res, "userName").(string); ok && tc.path != "/.search" {
					got = append(got, n)
				} else {
					got = append(got, dig(res, "displayName").(string))
				}
			}
			if !slices.Equal(got, tc.want) || r.list("schemas")[0] != listURN {
				t.Errorf("got %v, want %v: %s", got, tc.want, r.raw)
			}
			if tc.absent != "" && r.at(tc.absent) != nil {
				t.Errorf("%s present", tc.absent)
			}
		})
	}
	c.do("POST", "/Users/.search", map[string]any{"filter": "userName eq"}).want(t, 400)
	c.do("GET", "/Users/.search", nil).want(t, 405)
}
