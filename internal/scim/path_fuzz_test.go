package scim

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"
)

// FuzzResponseObject feeds a target's answer and a step's attribute path to
// what the steps and the fake IdPs read answers with: Response.Object,
// Object.Lookup and Text. None may panic, whatever the target sends.
func FuzzResponseObject(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		o, err := (&Response{Status: 200, Body: body}).Object()
		if err != nil {
			if o != nil {
				t.Fatalf("Object failed (%v) but returned %v", err, o)
			}
			return
		}
		v, ok := o.Lookup(path)
		if ok && v == nil {
			t.Fatalf("Lookup(%q) found nil", path)
		}
		if !ok && v != nil {
			t.Fatalf("Lookup(%q) = %v but says absent", path, v)
		}
		checkText(t, v)
	})
}

// FuzzListResponse reads a body as the steps and the Okta and Entra fakes
// read a ListResponse: totalResults, Resources, and each resource's id and
// the attributes scenarios ask about.
func FuzzListResponse(f *testing.F) {
	paths := []string{"id", "userName", "displayName", "name.givenName", "active",
		`emails[type eq "work"].value`, `members[value eq "1"]`,
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"}
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := (&Response{Status: 200, Body: body}).Object()
		if err != nil {
			return
		}
		checkText(t, o["totalResults"])
		list, _ := o["Resources"].([]any)
		for _, el := range list {
			m, ok := el.(map[string]any)
			if !ok {
				continue
			}
			checkText(t, m["id"])
			for _, p := range paths {
				v, found := Object(m).Lookup(p)
				if found != (v != nil) {
					t.Fatalf("Lookup(%q) = %v, %v", p, v, found)
				}
				checkText(t, v)
			}
		}
	})
}

// checkText fails unless Text(v) reads back as v: a string is itself, a
// number parses to the same number, anything else is its JSON.
func checkText(t *testing.T, v any) {
	t.Helper()
	s := Text(v)
	switch x := v.(type) {
	case nil:
		if s != "" {
			t.Fatalf("Text(nil) = %q", s)
		}
	case string:
		if s != x {
			t.Fatalf("Text(%q) = %q", x, s)
		}
	case float64:
		if f, err := strconv.ParseFloat(s, 64); err != nil || (f != x && !math.IsNaN(x)) {
			t.Fatalf("Text(%v) = %q", x, s)
		}
	case bool:
		if s != strconv.FormatBool(x) {
			t.Fatalf("Text(%v) = %q", x, s)
		}
	default:
		var back any
		if err := json.Unmarshal([]byte(s), &back); err != nil || !reflect.DeepEqual(back, v) {
			t.Fatalf("Text(%#v) = %q, which does not read back (%v)", v, s, err)
		}
	}
}
