package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/console"
	"github.com/idpconform/idpconform/internal/runner"
)

// failureLine is what the run says of the scenario the fault
// no-uniqueness breaks, as it fails.
const failureLine = "× violation: a create of a userName the target holds is refused with 409, which stops Okta's job [features/okta/provisioning.feature:"

func TestProgressCountsScenarios(t *testing.T) {
	okta, err := runner.Selected(features.FS, "@okta")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("terminal", func(t *testing.T) {
		t.Setenv(console.ForceEnv, "1")
		t.Setenv("NO_COLOR", "1")
		code, text := runCLI(t, "run", "--tags", "@okta", "--fault", "no-uniqueness", "--out", t.TempDir())
		if code != ExitFailed {
			t.Fatalf("exit %d:\n%s", code, text)
		}
		// The counter is redrawn in place; its last state ends the line.
		if want := fmt.Sprintf("\r\x1b[K%d/%d scenarios, 1 failed, ", len(okta), len(okta)); !strings.Contains(text, want) {
			t.Errorf("no final counter %q:\n%q", want, text)
		}
		if !regexp.MustCompile(`\d+/\d+ scenarios, \d failed, \d+s, about \d+s left`).MatchString(text) {
			t.Errorf("the counter never estimates the time left:\n%q", text)
		}
		if !strings.Contains(text, "\r\x1b[K"+failureLine) {
			t.Errorf("the failure does not take the counter's place as it happens:\n%q", text)
		}
		if strings.Contains(text, "\x1b[31m") {
			t.Errorf("NO_COLOR is set, yet the output has colours:\n%q", text)
		}
	})
	t.Run("log", func(t *testing.T) {
		t.Setenv(console.ForceEnv, "0")
		code, text := runCLI(t, "run", "--tags", "@okta", "--fault", "no-uniqueness", "--out", t.TempDir())
		if code != ExitFailed || !strings.Contains(text, "\n"+failureLine) {
			t.Fatalf("exit %d, no failure line:\n%s", code, text)
		}
		if strings.Contains(text, " scenarios, ") || strings.Contains(text, "\r") || strings.Contains(text, "\x1b") {
			t.Errorf("not a terminal, yet a counter or escapes:\n%q", text)
		}
		if strings.Contains(text, "......") {
			t.Errorf("godog's step dots are back:\n%s", text)
		}
	})
}

func TestPrettyGroupsScenariosUnderTheirFeature(t *testing.T) {
	t.Setenv(console.ForceEnv, "0")
	code, text := runCLI(t, "run", "--tags", "@okta,@discovery", "--format", "pretty", "--concurrency", "8", "--out", t.TempDir())
	if code != ExitPassed {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	feature := regexp.MustCompile(`^Feature: .*  # (features/\S+)$`)
	scenario := regexp.MustCompile(`^  Scenario: .*  # (features/\S+):\d+$`)
	under, scenarios, seen := "", 0, map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if m := feature.FindStringSubmatch(line); m != nil {
			if seen[m[1]] {
				t.Errorf("%s is headed twice", m[1])
			}
			under, seen[m[1]] = m[1], true
		}
		if m := scenario.FindStringSubmatch(line); m != nil {
			scenarios++
			if m[1] != under {
				t.Errorf("%q is under the heading of %s", line, under)
			}
		}
	}
	want, err := runner.Selected(features.FS, "@okta,@discovery")
	if err != nil {
		t.Fatal(err)
	}
	if scenarios != len(want) {
		t.Errorf("%d scenarios printed, %d selected:\n%s", scenarios, len(want), text)
	}
}

// TestUnreachableTargetExits2AndLeadsEveryReportInRed: a target that
// cannot be used at all is exit 2, and the console, summary.md and
// report.html lead with why, never a green "passed".
func TestUnreachableTargetExits2AndLeadsEveryReportInRed(t *testing.T) {
	t.Setenv(console.ForceEnv, "1")
	t.Setenv("NO_COLOR", "")
	l, addr := freeAddr(t)
	_ = l.Close()
	out := t.TempDir()
	code, text := runCLI(t, "run", "--scim-url", "http://"+addr+"/scim/v2", "--token", "t0ken-x", "--timeout", "1s", "--out", out)
	if code != ExitUsage || !strings.Contains(text, "cannot reach the target") {
		t.Fatalf("exit %d, want %d:\n%s", code, ExitUsage, text)
	}
	lead := "\x1b[31mStopped: nothing was checked: the target cannot be used: "
	if i := strings.Index(text, lead); i < 0 || i > strings.Index(text, "scenarios:") && strings.Contains(text, "scenarios:") {
		t.Errorf("the console does not lead its summary with the reason in red:\n%q", text)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	md := read("summary.md")
	if !strings.HasPrefix(md, "# ❌ idpconform: error\n\n> [!CAUTION]\n> **The run stopped before any scenario: nothing was checked.** the target cannot be used: ") {
		t.Errorf("summary.md does not lead with the reason:\n%s", md)
	}
	html := read("report.html")
	if i := strings.Index(html, `<section id="stopped" class="stopped" role="alert">`); i < 0 || i > strings.Index(html, `<section id="areas">`) {
		t.Errorf("report.html does not lead with the reason")
	}
	if strings.Contains(html, "Every scenario passed") || strings.Contains(html, `class="verdict passed"`) {
		t.Errorf("report.html says all is well about a run that checked nothing")
	}
	var results struct{ Stopped string }
	if err := json.Unmarshal([]byte(read("results.json")), &results); err != nil || !strings.Contains(results.Stopped, "cannot reach the target") {
		t.Errorf("results.json stopped = %q (%v)", results.Stopped, err)
	}
}

func TestListFitsTheTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	code, text := runCLI(t, "list")
	if code != ExitPassed {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	cut := 0
	for _, line := range strings.Split(text, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a line of %d columns on an 80-column terminal: %q", n, line)
		}
		if strings.HasSuffix(line, "…") {
			cut++
		}
	}
	if cut == 0 || !strings.Contains(text, "features/users/create.feature:") {
		t.Errorf("nothing was cut to fit, or the scenarios are missing:\n%s", text)
	}
	code, wide := runCLI(t, "list", "--wide")
	long := false
	for _, line := range strings.Split(wide, "\n") {
		long = long || len([]rune(line)) > 80
	}
	if code != ExitPassed || !long || strings.Contains(wide, "…") || !strings.Contains(wide, "RFC 7644 §3.3 Creating Resources") {
		t.Errorf("--wide: exit %d, cut or without the clauses:\n%s", code, wide)
	}
}

func TestListJSON(t *testing.T) {
	code, text := runCLI(t, "list", "--format", "json", "--tags", "@okta && ~@sso")
	if code != ExitPassed {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	var list []struct {
		ID, Name string
		Tags     []string
		Clauses  []struct{ ID, Title string }
	}
	if err := json.Unmarshal([]byte(text), &list); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, text)
	}
	want, err := runner.Selected(features.FS, "@okta && ~@sso")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(want) || len(list) == 0 {
		t.Fatalf("%d scenarios listed, %d selected", len(list), len(want))
	}
	for i, s := range list {
		if s.ID != want[i].ID() || len(s.Clauses) == 0 || s.Clauses[0].Title == "" {
			t.Errorf("scenario %d = %+v, want %s with its clauses", i, s, want[i].ID())
		}
	}
	if code, text := runCLI(t, "list", "--format", "xml"); code != ExitUsage || !strings.Contains(text, "--format must be text or json") {
		t.Errorf("--format xml: exit %d: %s", code, text)
	}
}
