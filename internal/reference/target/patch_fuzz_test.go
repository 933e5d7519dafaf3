package target

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// FuzzPatch sends one PATCH operation with any op, path and value (JSON;
// left out when it is not JSON) to a user and to a group of the reference
// target. The answer is 200 or a 4xx, never a 500 or a panic; a refused
// PATCH changes nothing (RFC 7644 §3.5.2: all or none); and the resource
// still reads afterwards.
func FuzzPatch(f *testing.F) {
	f.Fuzz(func(t *testing.T, opName, path string, value []byte) {
		c := newTarget(t)
		uid := c.createUser(with(user("ada"), "name", map[string]any{"givenName": "Ada", "familyName": "Lovelace"},
			enterpriseURN, map[string]any{"department": "R&D", "manager": map[string]any{"value": "m1"}}))
		gid := c.createGroup("staff", uid)

		o := map[string]any{"op": opName}
		if path != "" {
			o["path"] = path
		}
		if json.Valid(value) {
			o["value"] = json.RawMessage(value)
		}
		body, err := json.Marshal(map[string]any{"schemas": []any{patchURN}, "Operations": []any{o}})
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []string{"/Users/" + uid, "/Groups/" + gid} {
			before := c.do("GET", at, nil).want(t, http.StatusOK)
			r := c.do("PATCH", at, string(body))
			after := c.do("GET", at, nil).want(t, http.StatusOK)
			switch {
			case r.code == http.StatusOK:
				if !reflect.DeepEqual(r.body, after.body) {
					t.Fatalf("PATCH %s answered %s, but GET reads %s", at, r.raw, after.raw)
				}
			case r.code >= 400 && r.code < 500:
				if !reflect.DeepEqual(before.body, after.body) {
					t.Fatalf("PATCH %s was refused (%s) but changed the resource from %s to %s", at, r.raw, before.raw, after.raw)
				}
			default:
				t.Fatalf("PATCH %s %s: status %d: %s", at, body, r.code, r.raw)
			}
		}
	})
}
