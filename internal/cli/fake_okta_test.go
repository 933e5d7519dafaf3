package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/idpconform/idpconform/internal/reference/target"
)

// TestFakeOktaIntegrations runs `fake okta` against the reference target as
// each kind of Okta app: an OIN app deactivates by PATCH, an AIW app sends
// no PATCH at all (shared/idp-behaviour.md O10, O12, O22); the flag wins
// over the profile's okta.integration.
func TestFakeOktaIntegrations(t *testing.T) {
	const token = "tok-fake-okta"
	ref, err := target.New(target.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ref)
	defer srv.Close()
	profile := func(integration string) string {
		p := filepath.Join(t.TempDir(), "target.yaml")
		yaml := fmt.Sprintf("name: ref\nscim:\n  url: %s/scim/v2\n  auth:\n    token: %s\n  timeout: 5s\nokta:\n  integration: %s\n", srv.URL, token, integration)
		if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	patchUser := regexp.MustCompile(`(?m)^#\d+ → PATCH \S+/Users/`)
	putUser := regexp.MustCompile(`(?m)^#\d+ → PUT \S+/Users/`)
	patchAny := regexp.MustCompile(`(?m)^#\d+ → PATCH `)
	for _, tc := range []struct {
		name string
		args []string
		aiw  bool
	}{
		{"default oin", []string{"--target", profile("")}, false},
		{"profile aiw", []string{"--target", profile("aiw")}, true},
		{"flag aiw over profile oin", []string{"--target", profile("oin"), "--integration", "aiw"}, true},
		{"flag oin over profile aiw", []string{"--target", profile("aiw"), "--integration", "oin"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runCLI(t, append([]string{"fake", "okta"}, tc.args...)...)
			if code != ExitPassed {
				t.Fatalf("exit %d\n%s", code, tail(out))
			}
			switch {
			case tc.aiw && (patchAny.MatchString(out) || !putUser.MatchString(out)):
				t.Errorf("an AIW app sends PUT, never PATCH:\n%s", tail(out))
			case !tc.aiw && !patchUser.MatchString(out):
				t.Errorf("an OIN app deactivates by PATCH:\n%s", tail(out))
			}
		})
	}
	if code, _ := runCLI(t, "fake", "okta", "--target", profile(""), "--integration", "patch"); code != ExitUsage {
		t.Errorf("--integration patch: exit %d, want a usage error", code)
	}
}
