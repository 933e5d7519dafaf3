package runner

import (
	"context"
	"io"
	"testing"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// TestMembershipByAttribute runs the invitation scenarios against an
// invitation-mode target whose profile reads membership from the SCIM
// attribute instead of the probe the built-in run uses.
func TestMembershipByAttribute(t *testing.T) {
	srv, running := listenTarget(t, target.Options{Token: "tok", Mode: target.ModeInvitation})
	life, roles := env.HubSections(running.Base(), "tok", target.ModeInvitation)
	life.Membership = profile.Membership{Attribute: target.HubExtensionURN + ":membership"}
	p, err := profile.Complete(profile.Profile{
		SCIM:      profile.SCIM{URL: running.URL(), Auth: profile.Auth{Token: "tok"}},
		Lifecycle: life, Roles: roles,
	})
	if err != nil {
		t.Fatal(err)
	}
	run, err := Run(context.Background(), Config{Profile: p, Tags: "@invitation,@managed", Concurrency: 4, OutDir: t.TempDir(), Output: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	passed, skipped := 0, 0
	for _, s := range run.Scenarios {
		switch s.Status {
		case reports.Passed:
			passed++
		case reports.Skipped:
			skipped++ // the @managed ones: the profile says invitation
		default:
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	if passed < 10 || skipped < 5 {
		t.Errorf("%d passed, %d skipped", passed, skipped)
	}
	if st := srv.Stats(); st != (target.Stats{}) {
		t.Errorf("left behind: %+v", st)
	}
}
