package runner

import (
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/spec"
	"github.com/idpconform/idpconform/reports"
)

// runAgainst runs the suite (or the scenarios tags selects) against a fresh
// reference target with faults switched on: its managed instances and, for
// @invitation, its invitation-mode one (returned second).
func runAgainst(t *testing.T, tags string, faults ...string) (reports.Run, *target.Server, *target.Server) {
	t.Helper()
	return runWith(t, tags, target.Options{Faults: faults})
}

// runWith is runAgainst with the faults and liberties opts names.
func runWith(t *testing.T, tags string, opts target.Options) (reports.Run, *target.Server, *target.Server) {
	t.Helper()
	opts.Token = "selftest-token"
	ref, err := env.StartReference(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	run, err := Run(context.Background(), Config{
		Profile: ref.Profile, Tags: tags, Concurrency: 4, OutDir: t.TempDir(), Output: io.Discard, Version: "test",
		Target: reports.Target{Reference: true, Faults: opts.Faults, Liberties: opts.Liberties}, IdPs: ref.IdPs, SP: ref.SP, Alternates: ref.Alternates,
	})
	if err != nil {
		t.Fatalf("run against faults %v and liberties %v: %v", opts.Faults, opts.Liberties, err)
	}
	return run, ref.Server, ref.Invitation
}

// TestReferenceTargetPasses: the clean reference target passes every
// scenario, and the run leaves nothing behind in it.
func TestReferenceTargetPasses(t *testing.T) {
	run, srv, inv := runAgainst(t, "")
	if len(run.Scenarios) < 60 {
		t.Errorf("only %d scenarios ran", len(run.Scenarios))
	}
	for _, s := range run.Scenarios {
		if s.Status != reports.Passed {
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	for _, s := range []*target.Server{srv, inv} {
		if st := s.Stats(); st != (target.Stats{}) {
			t.Errorf("the run left %d users, %d groups and %d hub accounts in the target", st.Users, st.Groups, st.Accounts)
		}
	}
	modes := map[string]bool{}
	for _, s := range run.Scenarios {
		for _, tag := range s.Tags {
			if (tag == "invitation" || tag == "managed") && s.Status == reports.Passed {
				modes[tag] = true
			}
		}
	}
	if !modes["invitation"] || !modes["managed"] {
		t.Errorf("the default run covers the account models %v, want both", modes)
	}
	if len(run.Cleanup.Leftovers) > 0 || run.Cleanup.Deleted == 0 {
		t.Errorf("cleanup: %+v", run.Cleanup)
	}
}

// TestStrictReferenceSPPasses: the reference SP that signs its
// AuthnRequests and requires signed assertions passes every SSO scenario:
// the harness's IdP verifies the signed requests and signs what the SP's
// metadata asks for.
func TestStrictReferenceSPPasses(t *testing.T) {
	run, srv, _ := runWith(t, "@sso", target.Options{SSO: &target.SSOOptions{SAML: sp.Strict}})
	if len(run.Scenarios) < 40 {
		t.Errorf("only %d scenarios ran", len(run.Scenarios))
	}
	for _, s := range run.Scenarios {
		if s.Status != reports.Passed {
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	if st := srv.Stats(); st != (target.Stats{}) {
		t.Errorf("the run left %d users, %d groups and %d hub accounts in the target", st.Users, st.Groups, st.Accounts)
	}
}

// TestEveryFaultIsCaught is the harness proving itself: with each fault on,
// at least one scenario is a violation or a warning, and every one that is
// cites a clause the fault breaks, or is filed under one. A scenario that
// could not be checked catches nothing, and must say which precondition
// failed. Together the faults must make every scenario a violation or a
// warning at least once: a scenario no fault can fail is a check that
// cannot fail.
//
// It runs the suite once per fault, and the SSO faults once per SAML
// policy of the reference SP (spConfigs), over 180 runs in all, which the race detector
// slows about fourfold while it finds nothing the clean run under -race does not:
// `make test` runs it without -race, after the race-enabled tests.
func TestEveryFaultIsCaught(t *testing.T) {
	if raceEnabled && os.Getenv("IDPC_SELFTEST_RACE") == "" {
		t.Skip("the fault sweep runs without -race (make test runs it next); IDPC_SELFTEST_RACE=1 runs it here")
	}
	var (
		mu     sync.Mutex
		caught = map[string]bool{}
		all    []string
		// want fault runs, ran of them chosen by -run
		want, ran int
	)
	clean, _, _ := runAgainst(t, "")
	for _, s := range clean.Scenarios {
		all = append(all, s.ID)
	}
	t.Run("faults", func(t *testing.T) {
		for _, f := range target.Faults() {
			// An SSO fault must be caught whatever the SP's SAML policy;
			// SCIM faults run once.
			configs := spConfigs
			if !f.SSO {
				configs = spConfigs[:1]
			}
			for _, c := range configs {
				if why := notApplicable(f.Name, c.policy); why != "" {
					t.Logf("%s under the %s SP: not applicable: %s", f.Name, c.name, why)
					continue
				}
				name := f.Name
				if c.name != "default" {
					name += "/" + c.name
				}
				want++
				t.Run(name, func(t *testing.T) {
					mu.Lock()
					ran++
					mu.Unlock()
					catchFault(t, f, c.policy, &mu, caught)
				})
			}
		}
	})
	if ran < want {
		// -run chose some faults: the others would catch the rest.
		t.Logf("%d of %d fault runs selected: not checking that every scenario is caught", ran, want)
		return
	}
	for _, id := range all {
		if !caught[id] {
			t.Errorf("%s: no fault makes this scenario fail; add a fault to the reference target", id)
		}
	}
}

// spConfigs are the SAML policies of the reference SP the self-test runs:
// the default one, and the strict one (signed AuthnRequests, signed
// assertions required). The IdP shapes its responses to each.
var spConfigs = []struct {
	name   string
	policy sp.SAMLPolicy
}{{"default", sp.SAMLPolicy{}}, {"strict", sp.Strict}}

// notApplicable says why an SP fault cannot apply under policy, or "".
func notApplicable(fault string, policy sp.SAMLPolicy) string {
	if fault == "saml-"+sp.SignsWithUnpublishedKey && !policy.SignAuthnRequests {
		return "an SP that signs no AuthnRequests signs with no key, published or not"
	}
	return ""
}

// catchFault runs the scenarios fault f can bend against the reference
// target with f on and the SP under policy, and records which ones caught it.
func catchFault(t *testing.T, f target.Fault, policy sp.SAMLPolicy, mu *sync.Mutex, caught map[string]bool) {
	t.Parallel()
	tags := ""
	switch {
	case f.Load:
		tags = tagsOf(f.Clauses) // a load fault bends concurrent traffic: run its own scenarios only
	case f.SSO:
		tags = "@sso" // an SSO fault bends /sso/ only: the SCIM scenarios cannot see it
	default:
		// SSO scenarios read users back through SCIM to judge a
		// login; under a SCIM fault they would fail for the SCIM
		// fault's reason, which SCIM scenarios already show.
		tags = "~@sso"
	}
	opts := target.Options{Faults: []string{f.Name}}
	if f.SSO {
		opts.SSO = &target.SSOOptions{SAML: policy}
	}
	run, _, _ := runWith(t, tags, opts)
	failed := 0
	for _, s := range run.Scenarios {
		switch s.Status {
		case reports.Passed, reports.Skipped:
			continue
		case reports.Failed, reports.Warned:
		case reports.Errored:
			// A precondition the fault broke: the scenario could
			// not be checked, which catches nothing. Any other
			// error is the harness's.
			if !isPrecondition(s.Failure) {
				t.Errorf("%s %q: %s, want a violation, a warning or a failed precondition: %s", s.ID, s.Name, s.Status, describe(s.Failure))
			}
			continue
		default:
			t.Errorf("%s %q: %s, want a target violation: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
		failed++
		mu.Lock()
		caught[s.ID] = true
		mu.Unlock()
		if !f.Broad && !citesAny(s, f.Clauses) {
			t.Errorf("unrelated: %s %s cites %s, filed under %s; fault clauses %v: %s", f.Name, s.ID, ids(s.Clauses), filedUnder(s.Failure), f.Clauses, describe(s.Failure))
		}
	}
	if failed == 0 {
		t.Errorf("no scenario catches the fault %s (%s)", f.Name, f.Description)
	}
}

// TestEveryLibertyPasses: the reference target taking any liberty, or all
// of them at once, is still a conformant SCIM service provider, so the
// whole suite gives no failure and no error against it (a scenario may
// skip where a liberty takes a feature away, and warn where a named IdP
// trips over the choice) and leaves it empty. A
// failure here is the suite demanding what the RFCs leave open.
func TestEveryLibertyPasses(t *testing.T) {
	if raceEnabled && os.Getenv("IDPC_SELFTEST_RACE") == "" {
		t.Skip("the liberty sweep runs without -race (make test runs it next); IDPC_SELFTEST_RACE=1 runs it here")
	}
	sets := [][]string{{target.AllLiberties}}
	for _, l := range target.Liberties() {
		sets = append(sets, []string{l.Name})
	}
	for _, set := range sets {
		t.Run(strings.Join(set, "+"), func(t *testing.T) {
			t.Parallel()
			run, srv, inv := runWith(t, "", target.Options{Liberties: set})
			passed := 0
			for _, s := range run.Scenarios {
				switch {
				case s.Status == reports.Passed:
					passed++
				case s.Status == reports.Skipped:
				case s.Status == reports.Warned:
					// A liberty the RFC allows may still trip an IdP that
					// expects more (Okta's paging, O16): a warning that
					// stands for that IdP, never a violation.
					if !idpWarning(s) && (s.Failure == nil || s.Failure.IdP == "") {
						t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
					}
				default:
					t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
				}
			}
			if passed < len(run.Scenarios)/2 {
				t.Errorf("only %d of %d scenarios passed", passed, len(run.Scenarios))
			}
			for _, s := range []*target.Server{srv, inv} {
				if st := s.Stats(); st != (target.Stats{}) {
					t.Errorf("the run left %d users, %d groups and %d hub accounts in the target", st.Users, st.Groups, st.Accounts)
				}
			}
			if len(run.Cleanup.Leftovers) > 0 {
				t.Errorf("cleanup: %+v", run.Cleanup)
			}
		})
	}
}

// citesAny reports whether the scenario carries one of the tags a fault
// names (clause ids, or an IdP's tag for faults that break a whole
// dialect), or its failure is filed under one.
func citesAny(s reports.Scenario, tags []string) bool {
	if s.Failure != nil && s.Failure.Clause != nil && slices.Contains(tags, s.Failure.Clause.ID) {
		return true
	}
	for _, t := range s.Tags {
		if slices.Contains(tags, t) {
			return true
		}
	}
	return false
}

// isPrecondition reports whether a could-not-check failure is a failed
// precondition, not a harness error or a target that stopped answering.
func isPrecondition(f *reports.Failure) bool {
	return f != nil && f.Kind == reports.CouldNotCheck && strings.HasPrefix(f.Message, "could not check: a precondition failed: ")
}

// idpWarning reports whether s ended in a warning filed under an IdP's
// behaviour (level IDP in the clause ledger).
func idpWarning(s reports.Scenario) bool {
	f := s.Failure
	if f == nil || f.Kind != reports.Warning {
		return false
	}
	id := ""
	switch {
	case f.Clause != nil:
		id = f.Clause.ID
	case len(s.Clauses) > 0:
		id = s.Clauses[0].ID
	}
	c, ok := spec.Lookup(id)
	return ok && c.Level == "IDP"
}

func filedUnder(f *reports.Failure) string {
	if f == nil || f.Clause == nil {
		return "its own clause"
	}
	return f.Clause.ID
}

func tagsOf(ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, "@"+id)
	}
	return strings.Join(out, ",")
}

func ids(cs []reports.Clause) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return strings.Join(out, ",")
}

func describe(f *reports.Failure) string {
	if f == nil {
		return "no failure recorded"
	}
	return strings.TrimSpace(f.Step + ": " + f.Message)
}
