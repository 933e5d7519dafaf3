package entra

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDialects(t *testing.T) {
	before := User{UPN: "ada", GivenName: "Ada", Mail: "a@x"}
	after := User{UPN: "ada", GivenName: "Augusta", Mail: "b@x", Department: "Sales"}
	for _, tc := range []struct {
		name      string
		d         dialect
		noPath    bool
		want      []string
		forbidden []string
	}{
		{"legacy", dialect{}, false,
			[]string{`"op":"Replace","path":"name.givenName"`, `"op":"Replace","path":"emails[type eq \"work\"].value"`,
				`"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"`}, nil},
		{"compliant", dialect{compliant: true}, false,
			[]string{`{"op":"replace","value":{"name.givenName":"Augusta"}}`, `"op":"replace","path":"emails[type eq \"work\"].value"`,
				`"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"`}, []string{`"Replace"`, `"path":"name.givenName"`}},
		{"no path", dialect{}, true, []string{`"op":"Replace","value":{`, `"name.givenName":"Augusta"`, `"path":"emails[type eq \"work\"].value"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.d.userOps(before, after, tc.noPath))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(string(b), `\u0026`, "&")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %s in %s", w, got)
				}
			}
			for _, f := range tc.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("unexpected %s in %s", f, got)
				}
			}
		})
	}
	for _, tc := range []struct {
		d    dialect
		want string
	}{
		{dialect{}, `{"op":"Replace","path":"active","value":"False"}`},
		{dialect{compliant: true}, `{"op":"replace","path":"active","value":false}`},
		{dialect{active: ActiveAdd}, `{"op":"Add","path":"active","value":"False"}`},
		{dialect{active: ActiveLower}, `{"op":"Replace","path":"active","value":"false"}`},
		{dialect{compliant: true, active: ActiveSwitch}, `{"op":"replace","path":"active","value":"False"}`},
	} {
		if got, _ := json.Marshal(tc.d.activeOp(false)); string(got) != tc.want {
			t.Errorf("%+v: active %s, want %s", tc.d, got, tc.want)
		}
	}
	legacy, _ := json.Marshal((dialect{}).memberRemoval([]string{"1"}))
	compliant, _ := json.Marshal((dialect{compliant: true}).memberRemoval([]string{"1"}))
	if !strings.Contains(string(legacy), `"path":"members","value":[{"value":"1"}]`) ||
		!strings.Contains(string(compliant), `"path":"members[value eq \"1\"]"`) {
		t.Errorf("member removal: legacy %s, compliant %s", legacy, compliant)
	}
}
