package runner

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// TestPreconditionFailureIsNotAViolation plants a fault that breaks user
// creation (a 201 without id). The PATCH scenarios, which create their
// user in the Background, could not be checked: never a violation of
// their own clause, and each points at the create scenarios. The create
// scenarios themselves report the violation, filed under RFC 7643 §3.1.
func TestPreconditionFailureIsNotAViolation(t *testing.T) {
	run, _, _ := runAgainst(t, "@patch,@users", "create-user-without-id")
	patched, created := 0, 0
	for _, s := range run.Scenarios {
		f := s.Failure
		switch {
		case s.Area == "patch" && s.Status != reports.Skipped:
			patched++
			if s.Status != reports.Errored || f == nil || f.Kind != reports.CouldNotCheck {
				t.Errorf("%s %q: %s %+v, want could not check", s.ID, s.Name, s.Status, f)
				continue
			}
			if !strings.Contains(f.Message, "a precondition failed") || !slices.ContainsFunc(f.SeeAlso, func(id string) bool {
				return strings.HasPrefix(id, "features/users/create.feature:")
			}) {
				t.Errorf("%s: %q, see also %v; want a precondition pointing at the create scenarios", s.ID, f.Message, f.SeeAlso)
			}
		case strings.HasPrefix(s.ID, "features/users/create.feature:") && s.Status == reports.Failed:
			if f.Clause != nil && f.Clause.ID == "rfc7643-3.1" || slices.ContainsFunc(s.Clauses, func(c reports.Clause) bool { return c.ID == "rfc7643-3.1" }) {
				created++
			}
		}
	}
	if patched == 0 {
		t.Fatal("no PATCH scenario ran")
	}
	if created == 0 {
		t.Error("no create scenario reports the 201 without id as a violation of RFC 7643 §3.1")
	}
}

// TestShouldFailureIsAWarning: a @should scenario that fails is a warning,
// with the check's expected and actual kept, and the run's verdict is a
// warning, not a failure.
func TestShouldFailureIsAWarning(t *testing.T) {
	run, _, _ := runAgainst(t, "@rfc7644-3.4.2.3", "sort-ignored")
	warned := 0
	for _, s := range run.Scenarios {
		if s.Status == reports.Warned && s.Failure != nil && s.Failure.Kind == reports.Warning && len(s.Failure.Expected) > 0 {
			warned++
			continue
		}
		if s.Status != reports.Passed {
			t.Errorf("%s %q: %s %+v, want a warning or a pass", s.ID, s.Name, s.Status, s.Failure)
		}
	}
	if warned == 0 {
		t.Fatal("sort-ignored made no @should scenario a warning")
	}
	if run.Verdict() != reports.Warned {
		t.Errorf("verdict %s, want warning", run.Verdict())
	}
}

// TestGivenCycleFailureIsNotTheFilterClause plants a target that refuses
// Entra's string booleans. The filter scenario disables its user in a Given
// cycle: that refusal is never a violation of the filter clause. In the
// entra view it is a failed precondition pointing at the string-boolean
// scenarios; in the RFC view, where refusing "False" is the target's right,
// the scenario is skipped and says why.
func TestGivenCycleFailureIsNotTheFilterClause(t *testing.T) {
	for _, view := range []string{"entra", ""} {
		t.Run("view "+or(view, "rfc"), func(t *testing.T) {
			run := runView(t, "@entra-disable", view, "rejects-string-booleans")
			found := false
			for _, s := range run.Scenarios {
				f := s.Failure
				if f != nil && f.Kind != reports.CouldNotCheck && (slices.Contains(s.Tags, "rfc7644-3.4.2.2") || f.Clause != nil && f.Clause.ID == "rfc7644-3.4.2.2") {
					t.Errorf("%s %q blames filtering: %s", s.ID, s.Name, describe(f))
				}
				if s.Name != "a disabled user is found by filter with active false" {
					continue
				}
				found = true
				if view == "" {
					i := slices.IndexFunc(s.Steps, func(st reports.Step) bool { return strings.HasPrefix(st.Text, "skipped: ") })
					if s.Status != reports.Skipped || f != nil || i < 0 || !strings.Contains(s.Steps[i].Text, "entra-string-bool") || !strings.Contains(s.Steps[i].Text, "disable of") {
						t.Errorf("%s: %s %s, steps %v; want skipped, naming the refused disable and entra-string-bool", s.ID, s.Status, describe(f), s.Steps)
					}
					continue
				}
				if s.Status != reports.Errored || !isPrecondition(f) {
					t.Fatalf("%s: %s %s, want could not check: a precondition failed", s.ID, s.Status, describe(f))
				}
				if !strings.Contains(f.Message, "disable of") || !slices.ContainsFunc(f.SeeAlso, func(id string) bool {
					return strings.HasPrefix(id, "features/entra/deprovisioning.feature:")
				}) {
					t.Errorf("%s: %q, see also %v; want the refused disable, pointing at the string-boolean scenarios", s.ID, f.Message, f.SeeAlso)
				}
			}
			if !found {
				t.Fatal("the filter scenario of features/entra/deprovisioning.feature did not run")
			}
		})
	}
}

// runView runs the scenarios tags selects against the reference target
// with faults on, judged in view.
func runView(t *testing.T, tags, view string, faults ...string) reports.Run {
	t.Helper()
	ref, err := env.StartReference(context.Background(), target.Options{Token: "selftest-token", Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	run, err := Run(context.Background(), Config{
		Profile: ref.Profile, Tags: tags, Concurrency: 4, OutDir: t.TempDir(), Output: io.Discard, Version: "test",
		Target: reports.Target{Reference: true, Faults: faults}, IdPs: ref.IdPs, SP: ref.SP, Alternates: ref.Alternates, View: view,
	})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// TestEntraViewPromotesEntraWarnings: a target that refuses Entra's string
// booleans keeps the RFC (a warning recording that it stands for Entra),
// and breaks Entra: a violation in the entra view, which the report names.
func TestEntraViewPromotesEntraWarnings(t *testing.T) {
	for _, tc := range []struct {
		view   string
		status reports.Status
		kind   reports.FailureKind
	}{{"", reports.Warned, reports.Warning}, {"entra", reports.Failed, reports.Violation}, {"okta", reports.Warned, reports.Warning}} {
		t.Run("view "+tc.view, func(t *testing.T) {
			run := runView(t, "@entra-disable", tc.view, "rejects-string-booleans")
			if run.View != tc.view || !strings.Contains(run.ViewLine(), or(tc.view, "RFC conformance")) {
				t.Errorf("the report says %q (%q), want the view %q", run.View, run.ViewLine(), tc.view)
			}
			found := false
			for _, s := range run.Scenarios {
				if s.Name != `disabling sends active "False" and the user stays readable` {
					continue
				}
				found = true
				if f := s.Failure; s.Status != tc.status || f == nil || f.Kind != tc.kind || f.IdP != "entra" || f.Clause == nil || f.Clause.ID != "entra-string-bool" {
					t.Errorf("%s: %s %+v, want %s filed under entra-string-bool, standing for entra", s.ID, s.Status, f, tc.kind)
				}
			}
			if !found {
				t.Fatal("the string-boolean disable scenario did not run")
			}
		})
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
