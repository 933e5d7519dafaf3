package target

import (
	"fmt"
	"strings"
	"testing"
)

func bulkReq(failOnErrors int, ops ...map[string]any) map[string]any {
	list := make([]any, len(ops))
	for i, op := range ops {
		list[i] = op
	}
	return map[string]any{"schemas": []any{bulkRequestURN}, "failOnErrors": failOnErrors, "Operations": list}
}

func bulkPost(path, bulkID string, data map[string]any) map[string]any {
	return map[string]any{"method": "POST", "path": path, "bulkId": bulkID, "data": data}
}

func statuses(r reply) string {
	var out []string
	for _, op := range r.list("Operations") {
		out = append(out, fmt.Sprint(op.(map[string]any)["status"]))
	}
	return strings.Join(out, ",")
}

func TestBulk(t *testing.T) {
	t.Run("bulkId references", func(t *testing.T) {
		c := newTarget(t)
		r := c.do("POST", "/Bulk", bulkReq(0,
			bulkPost("/Users", "a", user("ada")),
			bulkPost("/Groups", "g", map[string]any{"displayName": "g", "members": []any{map[string]any{"value": "bulkId:a"}}}),
		)).want(t, 200)
		if statuses(r) != "201,201" || r.str("schemas.0") != bulkResponseURN || r.str("Operations.0.bulkId") != "a" {
			t.Fatalf("%s", r.raw)
		}
		g := c.do("GET", strings.TrimPrefix(r.str("Operations.1.location"), "http://example.com/scim/v2"), nil).want(t, 200)
		u := c.do("GET", strings.TrimPrefix(r.str("Operations.0.location"), "http://example.com/scim/v2"), nil).want(t, 200)
		if g.str("members.0.value") != u.str("id") {
			t.Errorf("members %v, want the user %s", g.at("members"), u.str("id"))
		}
	})
	t.Run("failOnErrors stops the job", func(t *testing.T) {
		c := newTarget(t)
		c.createUser(user("ada"))
		r := c.do("POST", "/Bulk", bulkReq(1, bulkPost("/Users", "a", user("ada")), bulkPost("/Users", "b", user("bob")))).want(t, 200)
		if statuses(r) != "409" || r.str("Operations.0.response.scimType") != "uniqueness" {
			t.Errorf("%s", r.raw)
		}
		r = c.do("POST", "/Bulk", bulkReq(0, bulkPost("/Users", "a", user("ada")), bulkPost("/Users", "b", user("bob")))).want(t, 200)
		if statuses(r) != "409,201" {
			t.Errorf("without failOnErrors: %s", r.raw)
		}
	})
	t.Run("limits answer 413", func(t *testing.T) {
		c := newTarget(t)
		var ops []map[string]any
		for i := range maxBulkOperations + 1 {
			ops = append(ops, bulkPost("/Users", fmt.Sprint(i), user(fmt.Sprintf("u%d", i))))
		}
		c.do("POST", "/Bulk", bulkReq(0, ops...)).want(t, 413)
		big := user("ada")
		big["displayName"] = strings.Repeat("x", maxBulkPayload)
		c.do("POST", "/Bulk", bulkReq(0, bulkPost("/Users", "a", big))).want(t, 413)
		if n := c.do("GET", "/Users", nil).num("totalResults"); n != 0 {
			t.Errorf("%d users created by refused bulk requests", n)
		}
	})
	t.Run("only resource paths", func(t *testing.T) {
		c := newTarget(t)
		r := c.do("POST", "/Bulk", bulkReq(0, bulkPost("/Bulk", "x", map[string]any{}))).want(t, 200)
		if statuses(r) != "400" {
			t.Errorf("%s", r.raw)
		}
	})
}
