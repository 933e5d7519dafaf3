package cli

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/fakes/hostile"
	"github.com/idpconform/idpconform/internal/reference/target"
)

// TestFakeCyclesNeverTouchWhatTheyDidNotCreate points `fake okta` and
// `fake entra` at a target holding a customer's data, through a proxy
// that misleads their lookups and reads: not one seeded field changes,
// and what a clean cycle created it removes.
func TestFakeCyclesNeverTouchWhatTheyDidNotCreate(t *testing.T) {
	modes := []hostile.Mode{hostile.IgnoreFilter, hostile.AllUsersForAnyLookup, hostile.WrongResourceForGet, hostile.RenameResources}
	for _, kind := range []string{"okta", "entra", "onelogin"} {
		for _, mode := range append([]*hostile.Mode{nil}, ptrs(modes)...) {
			name := kind + "/clean"
			if mode != nil {
				name = kind + "/" + mode.String()
			}
			t.Run(name, func(t *testing.T) {
				const token = "tok-fake-safety"
				ref, err := target.New(target.Options{Token: token})
				if err != nil {
					t.Fatal(err)
				}
				ctx, direct := context.Background(), hostile.Direct(ref, token)
				seeded, err := hostile.Seed(ctx, direct)
				if err != nil {
					t.Fatal(err)
				}
				before, err := hostile.Snapshot(ctx, direct, seeded)
				if err != nil {
					t.Fatal(err)
				}
				var modes []hostile.Mode
				if mode != nil {
					modes = append(modes, *mode)
				}
				srv := httptest.NewServer(hostile.Proxy(ref, modes...))
				defer srv.Close()
				prof := filepath.Join(t.TempDir(), "target.yaml")
				yaml := fmt.Sprintf("name: foreign\nscim:\n  url: %s/scim/v2\n  auth:\n    token: %s\n  timeout: 5s\n", srv.URL, token)
				if err := os.WriteFile(prof, []byte(yaml), 0o600); err != nil {
					t.Fatal(err)
				}
				code, out := runCLI(t, "fake", kind, "--target", prof)
				after, err := hostile.Snapshot(ctx, direct, seeded)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range hostile.Diff(before, after) {
					t.Errorf("fake %s changed what it did not create: %s", kind, d)
				}
				left, err := hostile.Remaining(ctx, direct, "idpc-")
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range left {
					if !strings.Contains(out, r.ID) {
						t.Errorf("left on the target and not said: %s", r)
					}
				}
				if mode == nil && (code != ExitPassed || len(left) > 0) {
					t.Errorf("a clean cycle: exit %d, left %v\n%s", code, left, tail(out))
				}
			})
		}
	}
}

func ptrs(ms []hostile.Mode) []*hostile.Mode {
	out := make([]*hostile.Mode, len(ms))
	for i := range ms {
		out[i] = &ms[i]
	}
	return out
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}
