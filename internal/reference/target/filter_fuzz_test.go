package target

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"testing"

	parser "github.com/scim2/filter-parser/v2"
)

// FuzzFilter sends any filter to the reference target's list and search
// endpoints (and as sortBy and attributes). A filter that does not parse is a 400 invalidFilter; one that
// parses lists what it matches; nothing is a 500 or a panic. A parsed
// filter and its negation split the users between them.
func FuzzFilter(f *testing.F) {
	f.Fuzz(func(t *testing.T, filter string) {
		if quick := quickEq(filter); quick != nil {
			if e, err := parser.ParseFilter([]byte(filter)); err != nil || !reflect.DeepEqual(e, parser.Expression(quick)) {
				t.Fatalf("%q: read quickly as %#v, the parser reads %#v, %v", filter, quick, e, err)
			}
		}
		c := newTarget(t)
		ids := people(c)
		c.createGroup("staff", ids["carol"], ids["bob"])

		// The same text as sortBy and projections: applied or ignored, but
		// every user is listed, with its id (returned "always").
		q := url.Values{"sortBy": {filter}, "attributes": {filter}, "excludedAttributes": {filter}}
		if listed, ok := filtered(t, c.do("GET", "/Users?"+q.Encode(), nil)); !ok || len(listed) != len(ids) {
			t.Fatalf("sortBy and projections %q list %v", filter, listed)
		}

		got, ok := filtered(t, c.do("GET", "/Users?filter="+url.QueryEscape(filter), nil))
		if !ok {
			return
		}
		if _, ok := filtered(t, c.do("GET", "/Groups?filter="+url.QueryEscape(filter), nil)); !ok {
			t.Fatalf("the filter parses for /Users but not for /Groups")
		}
		search, _ := json.Marshal(map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}, "filter": filter})
		if _, ok := filtered(t, c.do("POST", "/.search", string(search))); !ok {
			t.Fatalf("the filter parses for GET /Users but not for POST /.search")
		}
		rest, ok := filtered(t, c.do("GET", "/Users?filter="+url.QueryEscape("not ("+filter+")"), nil))
		if !ok {
			return
		}
		all := append(slices.Clone(got), rest...)
		slices.Sort(all)
		if want := []string{ids["Ada.Lovelace"], ids["bob"], ids["carol"]}; !slices.Equal(all, sortedCopy(want)) {
			t.Fatalf("users matching %q (%v) and its negation (%v) are not every user once", filter, got, rest)
		}
	})
}

// filtered checks a list answer to a filter and returns the listed ids, or
// false for the 400 a filter that does not parse gets.
func filtered(t *testing.T, r reply) ([]string, bool) {
	t.Helper()
	switch r.code {
	case http.StatusOK:
	case http.StatusBadRequest:
		if r.scimType() != "invalidFilter" {
			t.Fatalf("400 without scimType invalidFilter: %s", r.raw)
		}
		return nil, false
	default:
		t.Fatalf("status %d: %s", r.code, r.raw)
	}
	list := r.list("Resources")
	if r.num("totalResults") != len(list) {
		t.Fatalf("totalResults %d, %d resources: %s", r.num("totalResults"), len(list), r.raw)
	}
	var ids []string
	for _, res := range list {
		id, _ := dig(res, "id").(string)
		if id == "" {
			t.Fatalf("a listed resource without an id: %s", r.raw)
		}
		ids = append(ids, id)
	}
	return ids, true
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestQuickFilterParsesAsTheParser: the filters an IdP sends most are read
// without the general parser, to the same expression; anything else is
// left to it.
func TestQuickFilterParsesAsTheParser(t *testing.T) {
	for _, f := range []string{`userName eq "idpc-3fa9c1d2-ada.l42@example.com"`, `externalId eq "oid-u1"`, `displayName eq ""`,
		`a-b_c9 eq "v v"`, `userName eq "00000000-0000-4000-8000-000000000001"`} {
		quick := quickEq(f)
		e, err := parser.ParseFilter([]byte(f))
		if quick == nil || err != nil || !reflect.DeepEqual(e, parser.Expression(quick)) {
			t.Errorf("%q: quickly %#v, the parser %#v, %v", f, quick, e, err)
		}
	}
	for _, f := range []string{`userName EQ "x"`, `userName eq  "x"`, `name.givenName eq "x"`, `urn:x:userName eq "x"`, `9a eq "x"`,
		`userName eq "a\"b"`, `userName eq "é"`, `userName eq "x" and active eq true`, `userName eq "x`, ` eq "x"`, `userName ne "x"`} {
		if quick := quickEq(f); quick != nil {
			t.Errorf("%q is read quickly as %#v: the parser's to read", f, quick)
		}
	}
}
