package cli

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSSOSetupErrorsExit2: SP metadata that cannot be read, or an IdP
// port already taken, is a configuration error: exit 2 with one line that
// names the profile field, and no scenario run.
func TestSSOSetupErrorsExit2(t *testing.T) {
	running := listenReference(t, "sso-config-token")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = taken.Close() })
	base := running.Base()
	for _, tc := range []struct{ name, saml, says string }{
		// The target serves no SSO, so its SP metadata URL answers 404.
		{"unreadable SP metadata", "    spMetadataUrl: " + base + "/sso/saml/metadata\n",
			"cannot read the target's SP metadata (sso.saml.spMetadataUrl): GET " + base + "/sso/saml/metadata: 404"},
		{"IdP port taken", "    entityId: " + base + "/sp\n    acsUrl: " + base + "/acs\n    idp:\n      listen: " + taken.Addr().String() + "\n",
			"the SAML IdP (sso.saml.idp.listen): cannot listen on " + taken.Addr().String() + ": bind: address already in use"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			prof := "scim:\n  url: " + running.URL() + "\n  auth:\n    token: sso-config-token\n" +
				"sso:\n  session:\n    url: " + base + "/sso/whoami\n  saml:\n    loginUrl: " + base + "/login\n" + tc.saml
			path := filepath.Join(dir, "p.yaml")
			if err := os.WriteFile(path, []byte(prof), 0o600); err != nil {
				t.Fatal(err)
			}
			code, text := runCLI(t, "run", "--target", path, "--tags", "@sso", "--out", filepath.Join(dir, "out"))
			if code != ExitUsage || !strings.Contains(text, tc.says) {
				t.Fatalf("exit %d, want %d; output should say %q:\n%s", code, ExitUsage, tc.says, text)
			}
			var errLine string
			for _, l := range strings.Split(text, "\n") {
				if strings.HasPrefix(l, "idpconform: ") {
					errLine += l
				}
			}
			if !strings.Contains(errLine, tc.says) || strings.Count(text, "idpconform: ") != 1 {
				t.Errorf("want one error line saying %q:\n%s", tc.says, text)
			}
			if !strings.Contains(text, "\n0 scenarios:") {
				t.Errorf("scenarios ran:\n%s", text)
			}
		})
	}
}
