package console

import (
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/reports"
)

func TestProgressEstimatesTheTimeLeft(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b, 4, true, false)
	start := p.start
	p.now = func() time.Time { return start.Add(10 * time.Second) }
	p.Done(reports.Scenario{Name: "a", Status: reports.Passed})
	p.Done(reports.Scenario{Name: "b", ID: "features/x.feature:3", Status: reports.Failed,
		Failure: &reports.Failure{Message: "m", Actual: "201 \x1b[31mCreated\n"}})
	p.Finish()
	out := b.String()
	for _, want := range []string{
		"\r\x1b[K1/4 scenarios, 0 failed, 10s, about 30s left",
		"\r\x1b[K× violation: b [features/x.feature:3]: 201 [31mCreated\n",
		"\r\x1b[K2/4 scenarios, 1 failed, 10s, about 10s left\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in %q", want, out)
		}
	}
}

func TestTerminalCanBeForced(t *testing.T) {
	var b strings.Builder
	t.Setenv(ForceEnv, "1")
	t.Setenv("NO_COLOR", "")
	if !Terminal(&b) || !Color(&b) {
		t.Error("IDPCONFORM_TERMINAL=1 is not a terminal that takes colours")
	}
	t.Setenv("NO_COLOR", "1")
	if Color(&b) {
		t.Error("NO_COLOR is not honoured")
	}
	t.Setenv(ForceEnv, "0")
	if Terminal(&b) {
		t.Error("IDPCONFORM_TERMINAL=0 is a terminal")
	}
}
