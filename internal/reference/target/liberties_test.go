package target

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// libertyProbes observe, for each liberty, the one choice it changes: the
// observation on a clean target and on one with the liberty must differ.
var libertyProbes = map[string]func(c *tclient) any{
	"patch-204": func(c *tclient) any {
		id := c.createUser(user("ada"))
		r := c.do("PATCH", "/Users/"+id, patchOp(op("replace", "title", "x")))
		gid := c.createGroup("g")
		g := c.do("PATCH", "/Groups/"+gid, patchOp(op("replace", "displayName", "h")))
		return []any{r.code, r.raw, g.code, readUser(c, id).at("title"), c.do("GET", "/Groups/"+gid, nil).at("displayName")}
	},
	"no-default-active": func(c *tclient) any {
		id := c.createUser(user("ada"))
		before := readUser(c, id).at("active")
		c.do("PUT", "/Users/"+id, user("ada"))
		return []any{before, readUser(c, id).at("active")}
	},
	"error-no-scimtype": func(c *tclient) any {
		noTarget := patchUser(c, map[string]any{"op": "remove"}) // creates ada
		return []any{c.do("POST", "/Users", "{").scimType(), c.do("POST", "/Users", user("ada")).scimType(), noTarget.code}
	},
	"error-no-detail": func(c *tclient) any { return c.do("GET", "/Users/nope", nil).at("detail") != nil },
	"no-enterprise": func(c *tclient) any {
		id := c.createUser(with(user("ada"), enterpriseURN, map[string]any{"employeeNumber": "7"}))
		return []any{readUser(c, id).at(enterpriseURN) != nil,
			strings.Contains(c.do("GET", "/ResourceTypes", nil).raw, enterpriseURN),
			strings.Contains(c.do("GET", "/Schemas", nil).raw, enterpriseURN)}
	},
	"filter-unsupported": func(c *tclient) any {
		return []any{c.do("GET", "/ServiceProviderConfig", nil).at("filter.supported"),
			c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "ada"`), nil).code}
	},
	"sort-unsupported": func(c *tclient) any {
		c.createUser(user("bob"))
		c.createUser(user("ada"))
		return []any{c.do("GET", "/ServiceProviderConfig", nil).at("sort.supported"), names(c.do("GET", "/Users?sortBy=userName", nil))}
	},
	"etag-unsupported": func(c *tclient) any {
		id := c.createUser(user("ada"))
		r := c.do("GET", "/Users/"+id, nil)
		stale := c.do("PUT", "/Users/"+id, user("ada"), "If-Match", `W/"0"`).code
		return []any{c.do("GET", "/ServiceProviderConfig", nil).at("etag.supported"), r.header.Get("ETag"), r.at("meta.version"), stale}
	},
	"change-password-unsupported": func(c *tclient) any {
		id := c.createUser(with(user("ada"), "password", "Secret-1-x"))
		return []any{c.do("GET", "/ServiceProviderConfig", nil).at("changePassword.supported"),
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "password", "Other-2-y"))).code,
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "title", "x"))).code}
	},
	"small-pages": func(c *tclient) any {
		for _, n := range []string{"ada", "bob", "cy"} {
			c.createUser(user(n))
		}
		r := c.do("GET", "/Users?count=10", nil)
		return []any{len(r.list("Resources")), r.num("itemsPerPage"), r.num("totalResults")}
	},
	"numeric-ids": func(c *tclient) any {
		return regexp.MustCompile(`^[0-9]+$`).MatchString(c.createUser(user("ada")))
	},
	"location-public-base": func(c *tclient) any {
		r := c.do("POST", "/Users", user("ada"))
		return []any{r.header.Get("Location"), r.str("meta.location")}
	},
	"explicit-nulls": func(c *tclient) any {
		id := c.createUser(map[string]any{"userName": "ada"})
		r := readUser(c, id)
		_, title := r.body["title"]
		listed := c.do("GET", "/Users", nil).list("Resources")[0].(map[string]any)
		_, listedTitle := listed["title"]
		return []any{title, listedTitle, fmt.Sprint(r.at("emails"))}
	},
	"put-keeps-omitted": func(c *tclient) any {
		id := c.createUser(user("ada"))
		c.do("PUT", "/Users/"+id, map[string]any{"userName": "ada"})
		return readUser(c, id).at("nickName")
	},
	"attributes-always": func(c *tclient) any {
		id := c.createUser(user("ada"))
		return []any{c.do("GET", "/Users/"+id+"?attributes=nickName", nil).at("userName"),
			c.do("GET", "/Users/"+id+"?excludedAttributes=userName", nil).at("userName"),
			c.do("GET", "/Users/"+id+"?attributes=userName", nil).at("displayName"),
			strings.Count(c.do("GET", "/Schemas", nil).raw, `"always"`)}
	},
}

// TestEveryLibertyBends runs each liberty's probe on a clean target and on
// one with only that liberty: a liberty that changes nothing fails.
func TestEveryLibertyBends(t *testing.T) {
	var names []string
	for _, l := range Liberties() {
		names = append(names, l.Name)
	}
	everyOneBends(t, "liberty", names, libertyProbes, func(t *testing.T, name string) *tclient { return newLibertyTarget(t, name) })
}

// everyOneBends runs each named switch's probe on a clean target and on
// one with only that switch on (bent): a switch that changes nothing, a
// switch without a probe and a probe without a switch fail.
func everyOneBends(t *testing.T, what string, names []string, probes map[string]func(*tclient) any, bent func(*testing.T, string) *tclient) {
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			probe, ok := probes[name]
			if !ok {
				t.Fatalf("no probe for the %s %s", what, name)
			}
			clean, changed := fmt.Sprint(probe(newTarget(t))), fmt.Sprint(probe(bent(t, name)))
			if clean == changed {
				t.Errorf("the %s changes nothing: %s", what, clean)
			}
		})
	}
	for name := range probes {
		if !slices.Contains(names, name) {
			t.Errorf("a probe for the unknown %s %s", what, name)
		}
	}
}

// TestLibertyTable: each liberty names the RFC section and quotes the
// sentence that allows it, and no name is both a fault and a liberty.
func TestLibertyTable(t *testing.T) {
	section := regexp.MustCompile(`^RFC 764[34] §[0-9]+(\.[0-9]+)*$`)
	faultNames := map[string]bool{}
	for _, f := range Faults() {
		faultNames[f.Name] = true
	}
	seen := map[string]bool{}
	for _, l := range Liberties() {
		if seen[l.Name] || l.Name != strings.ToLower(l.Name) || strings.ContainsAny(l.Name, " _") || l.Name == AllLiberties {
			t.Errorf("bad or duplicate name %q", l.Name)
		}
		seen[l.Name] = true
		if faultNames[l.Name] {
			t.Errorf("%s is both a fault and a liberty", l.Name)
		}
		if !section.MatchString(l.Section) {
			t.Errorf("%s: section %q, want like \"RFC 7644 §3.5.2\"", l.Name, l.Section)
		}
		if len(strings.Fields(l.Sentence)) < 5 || l.Description == "" {
			t.Errorf("%s: no sentence (%q) or no description", l.Name, l.Sentence)
		}
	}
	if !slices.IsSortedFunc(Liberties(), func(a, b Liberty) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Liberties() is not sorted by name")
	}
}

func TestLibertyNames(t *testing.T) {
	if _, err := New(Options{Token: testToken, Liberties: []string{AllLiberties}, Faults: []string{"no-meta"}}); err != nil {
		t.Errorf("all liberties with a fault: %v", err)
	}
	if _, err := New(Options{Token: testToken, Liberties: []string{"no-such"}}); err == nil || !strings.Contains(err.Error(), "--list-liberties") {
		t.Errorf("an unknown liberty: %v", err)
	}
	if _, err := New(Options{Token: testToken, Liberties: []string{"no-meta"}}); err == nil {
		t.Error("a fault's name was accepted as a liberty")
	}
	if got := ExpandLiberties([]string{AllLiberties}); len(got) != len(Liberties()) {
		t.Errorf("all expands to %d names, want %d", len(got), len(Liberties()))
	}
}

func newLibertyTarget(t *testing.T, liberties ...string) *tclient {
	t.Helper()
	srv, err := New(Options{Token: testToken, Liberties: liberties})
	if err != nil {
		t.Fatal(err)
	}
	return &tclient{t: t, srv: srv}
}
