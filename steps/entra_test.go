package steps

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/spec"
	"github.com/idpconform/idpconform/internal/transcript"
)

// TestEntraOptionAfterACycleFails: once a cycle made the Entra job, a step
// that sets one of its options could not take effect; it fails loudly
// instead of letting the scenario claim a dialect it never sent.
func TestEntraOptionAfterACycleFails(t *testing.T) {
	w := newWorld(Deps{SCIM: scim.Config{BaseURL: "http://127.0.0.1:1/scim/v2"}}, transcript.New(transcript.NewRedactor()))
	if err := w.entraDialect("compliant"); err != nil {
		t.Fatalf("before the first cycle: %v", err)
	}
	w.entraJob() // what the first cycle does
	t.Cleanup(func() { w.entraDone(t.Context()) })
	for name, set := range map[string]func() error{
		"dialect":  func() error { return w.entraDialect("legacy") },
		"match on": func() error { return w.entraMatchesOn("externalId") },
		"no path":  w.entraNoPath,
		"token":    w.entraRevokedToken,
	} {
		err := set()
		if err == nil || !strings.Contains(err.Error(), "cannot take effect") {
			t.Errorf("%s after a cycle: %v, want a loud failure", name, err)
		}
		if v := (*Violation)(nil); errors.As(err, &v) {
			t.Errorf("%s: a scenario's mistake is no target's violation", name)
		}
	}
	if !w.entra.opts.Compliant {
		t.Error("the refused step changed the job's options anyway")
	}
}

// TestEntraOptionsComeBeforeTheFirstCycle: in every scenario (with its
// Background), the steps that set the Entra job's options come before its
// first cycle, or right after a restart; so every scenario that claims the
// compliant dialect sends it.
func TestEntraOptionsComeBeforeTheFirstCycle(t *testing.T) {
	all, err := catalog.Load(features.FS)
	if err != nil {
		t.Fatal(err)
	}
	option := regexp.MustCompile(`^the Entra job (uses the (legacy|compliant) PATCH dialect|matches users on|sends updates without a path|authenticates with a revoked token)`)
	cycle := regexp.MustCompile(`^the Entra job runs `)
	checked := 0
	for _, s := range all {
		ran := false
		for _, st := range s.Steps {
			switch {
			case st == "the Entra provisioning is restarted":
				ran = false
			case cycle.MatchString(st):
				ran = true
			case option.MatchString(st):
				checked++
				if ran {
					t.Errorf("%s %q: %q comes after a cycle, so it cannot take effect", s.ID(), s.Name, st)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no scenario sets an Entra option: the walk found nothing to check")
	}
}

func TestOpClausesAreInTheLedger(t *testing.T) {
	for action, id := range opClauses {
		if _, ok := spec.Lookup(id); !ok {
			t.Errorf("opClauses[%q] = %q: no such clause in fixtures/spec/clauses.yaml", action, id)
		}
	}
	if _, ok := spec.Lookup("entra-string-bool"); !ok {
		t.Error("entra-string-bool is not in the ledger")
	}
}
