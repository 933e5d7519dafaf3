package runner

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/hostile"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// foreignTarget is a reference target holding a customer's users and
// groups, served through a proxy that bends it as modes say.
type foreignTarget struct {
	url    string
	direct hostile.Target // the target itself, past the proxy
	seeded []hostile.Ref
	before []hostile.Resource
}

func newForeignTarget(t *testing.T, modes ...hostile.Mode) *foreignTarget {
	t.Helper()
	const token = "tok-foreign"
	ref, err := target.New(target.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ft := &foreignTarget{direct: hostile.Direct(ref, token)}
	if ft.seeded, err = hostile.Seed(ctx, ft.direct); err != nil {
		t.Fatal(err)
	}
	if ft.before, err = hostile.Snapshot(ctx, ft.direct, ft.seeded); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hostile.Proxy(ref, modes...))
	t.Cleanup(srv.Close)
	ft.url = srv.URL + "/scim/v2"
	return ft
}

// untouched fails the test for every seeded field that changed.
func (ft *foreignTarget) untouched(t *testing.T) {
	t.Helper()
	after, err := hostile.Snapshot(context.Background(), ft.direct, ft.seeded)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range hostile.Diff(ft.before, after) {
		t.Errorf("the run changed what it did not create: %s", d)
	}
}

// unlisted fails the test for anything of the run's left on the target
// that the report does not list.
func (ft *foreignTarget) unlisted(t *testing.T, run reports.Run) {
	t.Helper()
	left, err := hostile.Remaining(context.Background(), ft.direct, profile.DefaultPrefix)
	if err != nil {
		t.Fatal(err)
	}
	listed := strings.Join(run.Cleanup.Leftovers, "\n")
	for _, r := range left {
		if !strings.Contains(listed, r.ID) {
			t.Errorf("left on the target and not in the report: %s\nthe report lists:\n%s", r, listed)
		}
	}
}

// TestTheRunNeverTouchesWhatItDidNotCreate runs the suite against a target
// with a customer's data whose answers lead astray: a filter ignored or
// answering everyone, a read by id answering another resource, resources
// shown under other names. Not one seeded field may change, everything
// the run leaves must be listed, and a broken filter is the target's
// finding. Under -race it runs the provisioning areas only.
func TestTheRunNeverTouchesWhatItDidNotCreate(t *testing.T) {
	tags := ""
	if raceEnabled || testing.Short() {
		tags = "@users,@okta,@entra,@groups"
	}
	for _, mode := range []hostile.Mode{hostile.IgnoreFilter, hostile.AllUsersForAnyLookup, hostile.WrongResourceForGet, hostile.RenameResources} {
		t.Run(mode.String(), func(t *testing.T) {
			ft := newForeignTarget(t, mode)
			prof, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: ft.url, Timeout: 5 * time.Second, Auth: profile.Auth{Token: "tok-foreign"}}})
			if err != nil {
				t.Fatal(err)
			}
			run, err := Run(context.Background(), Config{Profile: prof, Tags: tags, OutDir: t.TempDir(), Output: io.Discard, Concurrency: 4})
			if err != nil {
				t.Fatal(err)
			}
			ft.untouched(t)
			ft.unlisted(t, run)
			if run.Verdict() == reports.Passed {
				t.Error("the run passed against a target that misleads it")
			}
			if mode == hostile.IgnoreFilter || mode == hostile.AllUsersForAnyLookup {
				if !failureSays(run, "do not match it (RFC 7644 §3.4.2.2)") {
					t.Error("no failure names the filter that returned resources not matching it")
				}
			}
		})
	}
}

func failureSays(run reports.Run, text string) bool {
	for _, s := range run.Scenarios {
		if s.Failure != nil && strings.Contains(s.Failure.Message+s.Failure.Actual, text) {
			return true
		}
	}
	return false
}

// runThrough runs tags against ft with a short request timeout.
func runThrough(t *testing.T, ctx context.Context, ft *foreignTarget, tags string, timeout time.Duration) reports.Run {
	t.Helper()
	prof, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: ft.url, Timeout: timeout, Auth: profile.Auth{Token: "tok-foreign"}}})
	if err != nil {
		t.Fatal(err)
	}
	run, _ := Run(ctx, Config{Profile: prof, Tags: tags, OutDir: t.TempDir(), Output: io.Discard, Concurrency: 4})
	return run
}

// TestEverythingTheRunLeavesIsListed: creates whose answers never come
// (too slow, cut mid-body, no id, unreadable) and deletes that delete
// nothing; whatever remains of the run is in the report, and "removed"
// counts only removals read back as gone.
func TestEverythingTheRunLeavesIsListed(t *testing.T) {
	for _, tc := range []struct {
		mode hostile.Mode
		tags string
	}{
		{hostile.SlowCreates(time.Hour), "@users && @rfc7644-3.3"},
		{hostile.CutMidBody, "@users,@groups"},
		{hostile.CreateWithoutID, "@users,@groups,@okta"},
		{hostile.UnreadableCreate, "@users,@groups,@entra"},
		{hostile.DeleteNoop, "@users,@groups"},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			ft := newForeignTarget(t, tc.mode)
			run := runThrough(t, context.Background(), ft, tc.tags, time.Second)
			ft.untouched(t)
			ft.unlisted(t, run)
			if tc.mode != hostile.DeleteNoop {
				// The target itself works: every unknown create is found by
				// name and removed.
				if left, _ := hostile.Remaining(context.Background(), ft.direct, profile.DefaultPrefix); len(left) > 0 {
					t.Errorf("%d of the run's resources remain: %v", len(left), left)
				}
			}
			if tc.mode == hostile.DeleteNoop {
				if run.Cleanup.Deleted != 0 || len(run.Cleanup.Leftovers) == 0 {
					t.Errorf("deletes that delete nothing: removed %d, %d listed", run.Cleanup.Deleted, len(run.Cleanup.Leftovers))
				}
				if !strings.Contains(strings.Join(run.Cleanup.Leftovers, "\n"), "still serves it (RFC 7644 §3.6") {
					t.Error("the leftovers do not say the target kept what it said it deleted")
				}
			}
		})
	}
}

// TestAnInterruptedRunListsWhatItLeaves interrupts runs at random points:
// whatever is left of each is listed in its report.
func TestAnInterruptedRunListsWhatItLeaves(t *testing.T) {
	rounds := 20
	if raceEnabled || testing.Short() {
		rounds = 5
	}
	for i := range rounds {
		ft := newForeignTarget(t)
		ctx, cancel := context.WithCancel(context.Background())
		delay := time.Duration(rand.Int64N(int64(1500 * time.Millisecond)))
		timer := time.AfterFunc(delay, cancel)
		run := runThrough(t, ctx, ft, "@users,@groups,@okta,@entra", 5*time.Second)
		timer.Stop()
		cancel()
		ft.untouched(t)
		ft.unlisted(t, run)
		if t.Failed() {
			t.Fatalf("round %d, interrupted after %s", i, delay)
		}
	}
}
