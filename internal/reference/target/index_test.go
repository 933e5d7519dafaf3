package target

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestIndexesAnswerAsAScanWould: every list answer through the indexes
// equals the answer of a full scan of the same store, for names that differ
// only in case or by folding (ſ/s, K/K), externalIds that differ in case,
// deleted and renamed resources, and paging.
func TestIndexesAnswerAsAScanWould(t *testing.T) {
	fast := newTarget(t)
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"ada", "Ada", "ſam", "sam", "Kelvin", "kelvin", "bob.smith", "BOB.SMITH", "zoë", "ZOË"}
	var ids, made []string
	for i := range 300 {
		name := fmt.Sprintf("%s-%d", names[rng.IntN(len(names))], rng.IntN(120))
		r := fast.do("POST", "/Users", map[string]any{
			"schemas": []any{userURN}, "userName": name, "externalId": fmt.Sprintf("Ext-%d", rng.IntN(40)),
		})
		if r.code == 201 {
			ids = append(ids, r.body["id"].(string))
			made = append(made, name)
		}
		switch {
		case i%7 == 0 && len(ids) > 0:
			fast.do("DELETE", "/Users/"+ids[0], nil)
			ids = ids[1:]
		case i%11 == 0 && len(ids) > 0:
			fast.do("PATCH", "/Users/"+ids[len(ids)-1], map[string]any{
				"schemas":    []any{patchURN},
				"Operations": []any{map[string]any{"op": "replace", "path": "userName", "value": fmt.Sprintf("renamed-%d", i)}},
			})
		}
		fast.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": fmt.Sprintf("%s-team", names[rng.IntN(len(names))])})
	}
	if len(ids) < 50 {
		t.Fatalf("only %d users were created", len(ids))
	}
	var queries []string
	for _, n := range names {
		for _, i := range []int{0, 1, 7, 42} {
			queries = append(queries, fmt.Sprintf(`/Users?filter=%s`, url.QueryEscape(fmt.Sprintf(`userName eq "%s-%d"`, n, i))))
		}
		queries = append(queries, "/Groups?filter="+url.QueryEscape(fmt.Sprintf(`displayName eq "%s-team"`, n)))
	}
	for _, n := range made[:60] {
		for _, v := range []string{n, strings.ToUpper(n), strings.ToLower(n)} {
			queries = append(queries, "/Users?filter="+url.QueryEscape(fmt.Sprintf(`userName eq "%s"`, v)))
		}
	}
	for i := range 45 {
		queries = append(queries, "/Users?filter="+url.QueryEscape(fmt.Sprintf(`externalId eq "ext-%d"`, i)),
			"/Users?filter="+url.QueryEscape(fmt.Sprintf(`externalId eq "Ext-%d"`, i)))
	}
	queries = append(queries, "/Users?filter="+url.QueryEscape(`id eq "`+ids[3]+`"`), "/Users?filter="+url.QueryEscape(`id eq "nope"`),
		"/Users?filter="+url.QueryEscape(`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "renamed-11"`),
		"/Users", "/Users?startIndex=40&count=25", "/Users?startIndex=1000", "/Users?count=0", "/Groups?startIndex=3&count=7")
	found := 0
	for _, q := range queries {
		fast.srv.scanAll = false
		a := fast.do("GET", q, nil)
		if n, _ := a.body["totalResults"].(float64); n > 0 {
			found++
		}
		fast.srv.scanAll = true
		b := fast.do("GET", q, nil)
		if a.code != 200 || !reflect.DeepEqual(a.body, b.body) {
			t.Errorf("GET %s: through the indexes %d %s\nby a scan %d %s", q, a.code, a.raw, b.code, b.raw)
		}
	}
	if found < len(queries)/3 {
		t.Errorf("only %d of %d queries found anything: the comparison proves little", found, len(queries))
	}
}

// BenchmarkDirectoryAtScale: creating a directory of N users, then one
// userName lookup and one page of a listing, at sizes a customer has. Each
// should cost the same at every N (make bench-scale).
func BenchmarkDirectoryAtScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			srv, err := New(Options{Token: testToken})
			if err != nil {
				b.Fatal(err)
			}
			c := &tclient{t: &testing.T{}, srv: srv}
			start := time.Now()
			for i := range n {
				if r := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": fmt.Sprintf("user%07d", i)}); r.code != 201 {
					b.Fatalf("create %d: %d %s", i, r.code, r.raw)
				}
			}
			perCreate := float64(time.Since(start).Microseconds()) / float64(n)
			b.ResetTimer()
			for i := range b.N {
				name := fmt.Sprintf("USER%07d", i*7919%n)
				if r := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), nil); r.body["totalResults"] != 1.0 {
					b.Fatalf("lookup %s: %s", name, r.raw)
				}
				if r := c.do("GET", fmt.Sprintf("/Users?startIndex=%d&count=100", i*7919%n+1), nil); r.code != 200 {
					b.Fatalf("page: %d", r.code)
				}
			}
			b.ReportMetric(perCreate, "µs/create")
		})
	}
}

// TestAHashCollisionIsOnlyACandidate: the indexes key by hash, so a key
// may find a resource with another name; lookups, uniqueness checks and
// deletes must not take it for a match.
func TestAHashCollisionIsOnlyACandidate(t *testing.T) {
	c := newTarget(t)
	ada := c.createUser(user("ada"))
	group := c.createGroup("admins")
	st := c.srv.store
	// Make "bob" and "staff" collide with ada and admins in every index.
	for name, ix := range st.idx[userKind] {
		ix.add(map[string]string{"userName": "bob", "externalId": "bob", "unique": uniqueKey("bob")}[name], st.all[userKind][ada])
	}
	st.idx[groupKind]["unique"].add(uniqueKey("staff"), st.all[groupKind][group])
	st.idx[groupKind]["displayName"].add("staff", st.all[groupKind][group])

	if r := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "bob"`), nil).want(t, 200); r.num("totalResults") != 0 {
		t.Errorf(`userName eq "bob" found a colliding user: %s`, r.raw)
	}
	if r := c.do("GET", "/Groups?filter="+url.QueryEscape(`displayName eq "staff"`), nil).want(t, 200); r.num("totalResults") != 0 {
		t.Errorf(`displayName eq "staff" found a colliding group: %s`, r.raw)
	}
	c.do("POST", "/Users", user("bob")).want(t, 201)
	c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "staff"}).want(t, 201)
	if r := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "bob"`), nil).want(t, 200); r.num("totalResults") != 1 || r.str("Resources.0.userName") != "bob" {
		t.Errorf(`userName eq "bob" after creating bob: %s`, r.raw)
	}
	c.do("DELETE", "/Users/"+ada, nil).want(t, 204)
	if r := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "bob"`), nil).want(t, 200); r.num("totalResults") != 1 {
		t.Errorf(`userName eq "bob" after deleting ada: %s`, r.raw)
	}
}

// TestAnIndexKeepsSeveralResourcesPerKey: resources sharing a key come
// back in creation order, and dropping them leaves the rest findable.
func TestAnIndexKeepsSeveralResourcesPerKey(t *testing.T) {
	ix := newIndex()
	rs := []*resource{{id: "a", seq: 1}, {id: "b", seq: 2}, {id: "c", seq: 3}}
	for _, r := range []*resource{rs[2], rs[0], rs[1]} {
		ix.add("k", r)
	}
	ids := func() (out []string) {
		for _, r := range ix.get("k") {
			out = append(out, r.id)
		}
		return out
	}
	if got := ids(); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Fatalf("got %v, want a b c", got)
	}
	for _, step := range []struct {
		drop *resource
		want []string
	}{{rs[1], []string{"a", "c"}}, {rs[0], []string{"c"}}, {rs[2], nil}} {
		ix.drop("k", step.drop)
		if got := ids(); !reflect.DeepEqual(got, step.want) {
			t.Errorf("after dropping %s: %v, want %v", step.drop.id, got, step.want)
		}
	}
	if len(ix.one)+len(ix.more) != 0 {
		t.Errorf("an empty index holds %d entries", len(ix.one)+len(ix.more))
	}
}
