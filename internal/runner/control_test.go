package runner

import (
	"context"
	"io"
	"testing"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// TestSSOThroughTheControlAPI runs every SSO scenario with the IdPs driven
// through their control API, as container mode drives IdPs in containers:
// the scenarios pass unchanged, and the same attack still fails against a
// faulted target.
func TestSSOThroughTheControlAPI(t *testing.T) {
	for _, tc := range []struct {
		fault string
		want  reports.Status
	}{{"", reports.Passed}, {"saml-skips-audience", reports.Failed}} {
		t.Run("fault="+tc.fault, func(t *testing.T) {
			ip, err := idps.Start(idps.Options{SAML: true, OIDC: true, Control: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = ip.Close() })
			ctl := idps.Dial(ip.SAMLURL(), ip.OIDCURL())
			opts := target.Options{Token: "control-token"}
			tags := "@sso"
			if tc.fault != "" {
				opts.Faults, tags = []string{tc.fault}, "@P-07"
			}
			ref, err := env.StartReferenceWith(context.Background(), opts, env.Endpoints{SAML: ip.SAMLURL(), OIDC: ip.OIDCURL()}, ctl)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = ref.Close() })
			run, err := Run(context.Background(), Config{
				Profile: ref.Profile, Tags: tags, Concurrency: 4, OutDir: t.TempDir(), Output: io.Discard, Version: "test",
			}.WithReference(ref))
			if err != nil {
				t.Fatal(err)
			}
			if len(run.Scenarios) == 0 {
				t.Fatal("no scenario ran")
			}
			for _, s := range run.Scenarios {
				if s.Status != tc.want {
					t.Errorf("%s %q: %s, want %s: %s", s.ID, s.Name, s.Status, tc.want, describe(s.Failure))
				}
			}
		})
	}
}
