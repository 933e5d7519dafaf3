package scim

import "testing"

func TestLookup(t *testing.T) {
	o := Object{
		"userName": "ada",
		"name":     map[string]any{"givenName": "Ada"},
		"active":   false,
		"emails": []any{
			map[string]any{"type": "work", "value": "ada@work.example", "primary": true},
			map[string]any{"type": "home", "value": "ada@home.example"},
		},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "Research"},
	}
	for _, tc := range []struct{ path, want string }{
		{"userName", "ada"},
		{"USERNAME", "ada"},
		{"name.givenName", "Ada"},
		{"active", "false"},
		{`emails[type eq "work"].value`, "ada@work.example"},
		{`emails[type eq "work"].primary`, "true"},
		{`emails[type eq "home" and value eq "ada@home.example"].value`, "ada@home.example"},
		{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "Research"},
	} {
		v, ok := o.Lookup(tc.path)
		if !ok || Text(v) != tc.want {
			t.Errorf("Lookup(%s) = %v, %v; want %q", tc.path, v, ok, tc.want)
		}
	}
	for _, missing := range []string{"title", "name.familyName", `emails[type eq "other"]`, "urn:x:y:department"} {
		if v, ok := o.Lookup(missing); ok {
			t.Errorf("Lookup(%s) = %v, want absent", missing, v)
		}
	}
}

// The parameters keep their order: a fake sends its IdP's.
func TestURLEncodesQuery(t *testing.T) {
	c := New(Config{BaseURL: "http://127.0.0.1:1/scim/v2/"}, nil)
	got, err := c.URL(`/Users?filter=userName eq "a&b"x&count=2`)
	if err != nil {
		t.Fatal(err)
	}
	want := "http://127.0.0.1:1/scim/v2/Users?filter=userName%20eq%20%22a%26b%22x&count=2"
	if got[:len(want)] != want {
		t.Errorf("URL = %s", got)
	}
}
