package runner

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/idpconform/idpconform/features"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
)

// TestTagsSelectAsDocumented runs tag expressions through godog and checks
// that it selects exactly what matchTags (and the README) say: "," binds
// tighter than "&&". A godog release that read them otherwise would change
// what every CI job selects.
func TestTagsSelectAsDocumented(t *testing.T) {
	ref, err := env.StartReference(context.Background(), target.Options{Token: "tags-token"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	for _, expr := range []string{"@entra,@discovery && ~@sso", "@discovery", "@okta && ~@sso,@must && @okta-paging", "@okta,@oidc && " + SSOOnlyTags} {
		t.Run(expr, func(t *testing.T) {
			// Selected is what `idpconform list --tags` prints.
			sel, err := Selected(features.FS, expr)
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
