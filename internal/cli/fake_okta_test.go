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

// TestFakeCommandsFollowTheHubRule: `fake okta`, `entra` and `onelogin` send the
// users file's email-style userNames edited to the profile's rule, as HF
// tells admins to map them (HX2), so a target under the hub's rule takes
// them; with no rule in the profile it refuses them.
func TestFakeCommandsFollowTheHubRule(t *testing.T) {
	const token = "tok-fake-hub"
	ref, err := target.New(target.Options{Token: token, Usernames: "hub"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ref)
	defer srv.Close()
	profile := func(usernames string) string {
		p := filepath.Join(t.TempDir(), "target.yaml")
		yaml := fmt.Sprintf("name: hub\nscim:\n  url: %s/scim/v2\n  auth:\n    token: %s\n  timeout: 5s\n%s", srv.URL, token, usernames)
		if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	edited := regexp.MustCompile(`"userName": ?"idpc-[a-z0-9]+-jane"`)
	for _, kind := range []string{"okta", "entra", "onelogin"} {
		code, out := runCLI(t, "fake", kind, "--target", profile("usernames: {rule: hub}\n"))
		if code != ExitPassed || !edited.MatchString(out) {
			t.Errorf("fake %s under the hub rule: exit %d, want 0 and jane's userName edited:\n%s", kind, code, tail(out))
		}
		if code, out := runCLI(t, "fake", kind, "--target", profile("")); code != ExitFailed {
			t.Errorf("fake %s without the rule: exit %d, want the target to refuse jane@example.com:\n%s", kind, code, tail(out))
		}
	}
	if st := ref.Stats(); st != (target.Stats{}) {
		t.Errorf("the fakes left %d users and %d groups", st.Users, st.Groups)
	}
}
