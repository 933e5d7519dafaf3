package catalog

import (
	"regexp"
	"testing"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/spec"
)

// clauseLike are tags that look like citations and so must be in the ledger.
var clauseLike = regexp.MustCompile(`^(rfc\d+|saml|oidc|okta|entra|google|onelogin|hub)-`)

// TestEveryScenarioCitesTheLedger walks the embedded features like
// Kubernetes' conformance walker: every scenario cites at least one clause,
// every citation is in the ledger, and every ledger entry is cited.
func TestEveryScenarioCitesTheLedger(t *testing.T) {
	all, err := Load(features.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 60 {
		t.Errorf("only %d scenarios; the suite promises at least 60", len(all))
	}
	cited := map[string]bool{}
	for _, s := range all {
		n := 0
		for _, tag := range s.Tags {
			if _, ok := spec.Lookup(tag); ok {
				cited[tag] = true
				n++
			} else if clauseLike.MatchString(tag) {
				t.Errorf("%s: tag @%s looks like a citation but is not in fixtures/spec/clauses.yaml", s.ID(), tag)
			}
		}
		if n == 0 {
			t.Errorf("%s %q cites no clause", s.ID(), s.Name)
		}
		if s.Line == 0 || s.Area == "" || s.Feature == "" {
			t.Errorf("%s: incomplete %+v", s.ID(), s)
		}
	}
	clauses, err := spec.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clauses {
		if !cited[c.ID] {
			t.Errorf("clause %s is in the ledger but no scenario cites it", c.ID)
		}
		if c.Title == "" || c.Requirement == "" || c.URL == "" || c.Impact == "" {
			t.Errorf("clause %s lacks a title, requirement, impact or url", c.ID)
		}
	}
}
