package runner

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/idpconform/idpconform/fakes/target"
)

func TestFakesNeeded(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want []string
	}{
		{"", []string{"entra", "oidc", "okta", "saml"}},
		{"@sso", []string{"oidc", "saml"}},
		{"@saml", []string{"saml"}},
		{"@oidc", []string{"oidc"}},
		{"@okta,@saml", []string{"okta", "saml"}},
		// Some SAML logins are tagged with the IdP whose shape they take.
		{"@okta", []string{"okta", "saml"}},
		{"@entra", []string{"entra", "saml"}},
		{"@okta,@entra", []string{"entra", "okta", "saml"}},
		{"@okta && ~@sso", []string{"okta"}},
		{"@users", nil},
		{"~@okta && ~@entra", []string{"oidc", "saml"}},
		{"~@okta && ~@entra && ~@sso", nil},
		{"@okta && ~@okta", nil},
	} {
		t.Run(tc.tags, func(t *testing.T) {
			got, err := FakesNeeded(tc.tags)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("FakesNeeded(%q) = %v, want %v", tc.tags, got, tc.want)
			}
		})
	}
}

// TestTagsSelectAsDocumented runs tag expressions through godog and checks
// that it selects exactly what matchTags (and the README) say: "," binds
// tighter than "&&". A godog release that read them otherwise would change
// what every CI job selects.
func TestTagsSelectAsDocumented(t *testing.T) {
	ref, err := StartReference(target.Options{Token: "tags-token"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	for _, expr := range []string{"@entra,@discovery && ~@sso", "@discovery", "@okta && ~@sso,@must && @okta-paging", "@okta,@oidc && " + SSOOnlyTags} {
		t.Run(expr, func(t *testing.T) {
			// Selected is what `idpconform list --tags` prints.
			sel, err := Selected(expr)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, s := range sel {
				want = append(want, s.ID())
			}
			run, err := Run(context.Background(), Config{Profile: ref.Profile, Tags: expr, Concurrency: 4, OutDir: t.TempDir(), Output: io.Discard}.WithReference(ref))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range run.Scenarios {
				got = append(got, s.ID)
			}
			slices.Sort(want)
			slices.Sort(got)
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("godog selected %d scenarios, matchTags %d:\ngodog: %v\nmatchTags: %v", len(got), len(want), got, want)
			}
		})
	}
}
