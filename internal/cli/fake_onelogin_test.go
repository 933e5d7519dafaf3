package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/reference/target"
)

// TestFakeOneLoginTemplates runs `fake onelogin` against the reference
// target with each template and a custom header: the bodies are the
// template's (shared/idp-behaviour.md L2, L3), the header replaces the
// default Content-Type (L5), and a bad flag is a usage error.
func TestFakeOneLoginTemplates(t *testing.T) {
	const token = "tok-fake-onelogin"
	ref, err := target.New(target.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ref)
	defer srv.Close()
	prof := filepath.Join(t.TempDir(), "target.yaml")
	yaml := fmt.Sprintf("name: ref\nscim:\n  url: %s/scim/v2\n  auth:\n    token: %s\n  timeout: 5s\n", srv.URL, token)
	if err := os.WriteFile(prof, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":`, "Content-Type: application/json"}},
		{[]string{"--template", "vendor"}, []string{`"id":null`, `"active":"true"`}},
		{[]string{"--template", "core", "--header", "Content-Type: application/scim+json"}, []string{`"schemas":["urn:scim:schemas:core:1.0"]`, "Content-Type: application/scim+json\n"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out := runCLI(t, append([]string{"fake", "onelogin", "--target", prof}, tc.args...)...)
			if code != ExitPassed || !strings.Contains(out, "GET "+srv.URL+"/scim/v2/Users?startIndex=1&count=1") {
				t.Fatalf("exit %d, want 0 after the connection attempt:\n%s", code, tail(out))
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("the transcript lacks %s:\n%s", w, tail(out))
				}
			}
		})
	}
	for _, bad := range [][]string{{"--template", "scim1"}, {"--header", "Content-Type"}, {"--serve", "127.0.0.1:0"}} {
		if code, _ := runCLI(t, append([]string{"fake", "onelogin", "--target", prof}, bad...)...); code != ExitUsage {
			t.Errorf("%v: exit %d, want a usage error", bad, code)
		}
	}
}
