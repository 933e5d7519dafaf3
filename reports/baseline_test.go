package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	before := sample() // create passed, uniqueness failed, auth errored, etags skipped, patch errored, sorting warned, entra failed
	after := sample()
	after.Scenarios[0].Status = Failed                              // a regression
	after.Scenarios[1].Status = Passed                              // a fix
	after.Scenarios[0].Line, after.Scenarios[0].ID = 99, "moved:99" // lines move; identity holds
	after.Scenarios = append(after.Scenarios, Scenario{URI: "x.feature", Name: "brand new", Status: Passed})
	c := Compare(before, after)
	if len(c.NewlyFailing) != 1 || c.NewlyFailing[0].Name != before.Scenarios[0].Name {
		t.Errorf("newly failing = %+v", c.NewlyFailing)
	}
	if len(c.NewlyPassing) != 1 || len(c.StillFailing) != 3 || c.Unchanged != 2 || len(c.Added) != 1 || len(c.Removed) != 0 {
		t.Errorf("comparison = %+v", c)
	}
	if !c.Regressed() {
		t.Error("a newly failing scenario is not a regression")
	}
	if Compare(before, before).Regressed() {
		t.Error("an unchanged run regressed")
	}
	warned := sample()
	before.Scenarios[0].Status, warned.Scenarios[0].Status = Passed, Warned
	if Compare(before, warned).Regressed() {
		t.Error("a scenario that passed and now warns is a regression; warnings do not fail")
	}
	var b bytes.Buffer
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Newly failing (1)") || !strings.Contains(b.String(), "1 newly failing, 1 newly passing") {
		t.Errorf("text:\n%s", b.String())
	}
}
