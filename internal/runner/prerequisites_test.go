package runner

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// TestSSOFirstIsReported: a target that refuses SCIM until SSO is set up
// (the hub's rule) ends the run with that reason and written reports, not
// with a crash or a wall of failures.
func TestSSOFirstIsReported(t *testing.T) {
	_, running := listenTarget(t, target.Options{Token: "tok", RequireSSO: true})
	p, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: running.URL(), Auth: profile.Auth{Token: "tok"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	run, err := Run(context.Background(), Config{Profile: p, OutDir: out, Output: io.Discard, Target: reports.Target{Name: "sso first"}})
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "requires single sign-on to be configured before SCIM") {
		t.Fatalf("err = %v", err)
	}
	if len(run.Scenarios) != 0 || len(run.Notes) == 0 || !strings.Contains(run.Notes[len(run.Notes)-1], "set up SSO for the organisation") {
		t.Errorf("run: %d scenarios, notes %q", len(run.Scenarios), run.Notes)
	}
	if _, err := os.Stat(filepath.Join(out, "results.json")); err != nil {
		t.Errorf("no report: %v", err)
	}
}
