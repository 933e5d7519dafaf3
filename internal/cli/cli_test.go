package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/reference/target"
)

func runCLI(t *testing.T, args ...string) (code int, out string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code = run(args, "test", &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func TestExitCodes(t *testing.T) {
	out := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want int
		says string
	}{
		{"clean reference target", []string{"run", "--tags", "@discovery", "--out", out}, ExitPassed, " passed, 0 violations, 0 warnings, 0 could not check, 0 skipped"},
		{"faulted reference target", []string{"run", "--tags", "@discovery", "--fault", "schemas-missing-user", "--out", out}, ExitFailed, "Failed: "},
		{"bad --fail-on", []string{"run", "--fail-on", "never", "--out", out}, ExitUsage, "--fail-on must be any, warnings or regression"},
		{"unknown fault", []string{"run", "--fault", "no-such-fault", "--out", out}, ExitUsage, `unknown fault "no-such-fault"`},
		{"every liberty and a fault", []string{"run", "--tags", "@discovery", "--liberty", "all", "--fault", "schemas-missing-user", "--out", out}, ExitFailed, "with liberties ["},
		{"unknown liberty", []string{"run", "--liberty", "no-such", "--out", out}, ExitUsage, `unknown liberty "no-such"`},
		{"liberty on another target", []string{"run", "--scim-url", "http://127.0.0.1:1/scim/v2", "--token", "t", "--liberty", "patch-204", "--out", out}, ExitUsage, "--liberty applies to the built-in reference target only"},
		{"bad format", []string{"run", "--format", "xml", "--out", out}, ExitUsage, "--format must be progress or pretty"},
		{"no matching scenario", []string{"run", "--tags", "@no-such-tag", "--out", out}, ExitUsage, "no scenario matches"},
		{"missing profile", []string{"run", "--target", "/nonexistent.yaml", "--out", out}, ExitUsage, "no such file"},
		{"unknown flag", []string{"run", "--bogus"}, ExitUsage, "unknown flag"},
		{"hub userName rule", []string{"run", "--tags", "@hub-HX1", "--reference-usernames", "hub", "--out", out}, ExitPassed, "6 passed, 0 violations"},
		{"hub userName rule ignored", []string{"run", "--tags", "@hub-HX1", "--fault", "username-rule-ignored", "--out", out}, ExitFailed, "5 violations"},
		{"unknown userName rule", []string{"run", "--reference-usernames", "github", "--out", out}, ExitUsage, `--reference-usernames "github": want one of hub`},
		{"userName rule on another target", []string{"run", "--scim-url", "http://127.0.0.1:1/scim/v2", "--token", "t", "--reference-usernames", "hub", "--out", out}, ExitUsage, "--reference-usernames applies to the built-in reference target only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, text := runCLI(t, tc.args...)
			if code != tc.want || !strings.Contains(text, tc.says) {
				t.Errorf("exit %d, want %d; output should say %q:\n%s", code, tc.want, tc.says, text)
			}
		})
	}
}

func TestListPrintsEveryScenarioWithItsClause(t *testing.T) {
	code, text := runCLI(t, "list", "--wide")
	if code != ExitPassed || !strings.Contains(text, "RFC 7644 §3.3 Creating Resources") || !strings.Contains(text, "features/users/create.feature:") {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	code, text = runCLI(t, "serve-target", "--list-faults")
	if code != ExitPassed || strings.Count(text, "\n") != len(target.Faults()) {
		t.Errorf("--list-faults printed %d lines for %d faults", strings.Count(text, "\n"), len(target.Faults()))
	}
	code, text = runCLI(t, "serve-target", "--list-liberties")
	if code != ExitPassed || strings.Count(text, "\n") != len(target.Liberties()) || !strings.Contains(text, "RFC 7644 §3.5.2") {
		t.Errorf("--list-liberties: exit %d, %d lines for %d liberties:\n%s", code, strings.Count(text, "\n"), len(target.Liberties()), text)
	}
}

// TestBaselineGate: an unchanged run exits 0 with --fail-on regression, a
// run where a passing scenario now fails exits 1 and names it.
func TestBaselineGate(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base")
	if code, text := runCLI(t, "run", "--tags", "@discovery", "--out", base); code != ExitPassed {
		t.Fatalf("baseline run: %d\n%s", code, text)
	}
	results := filepath.Join(base, "results.json")
	code, text := runCLI(t, "run", "--tags", "@discovery", "--out", filepath.Join(dir, "same"), "--baseline", results, "--fail-on", "regression")
	if code != ExitPassed || !strings.Contains(text, "0 newly failing") {
		t.Errorf("unchanged run: exit %d\n%s", code, text)
	}
	code, text = runCLI(t, "run", "--tags", "@discovery", "--fault", "schemas-missing-user", "--out", filepath.Join(dir, "worse"),
		"--baseline", results, "--fail-on", "regression")
	if code != ExitFailed || !strings.Contains(text, "Newly failing (") || !strings.Contains(text, "Schemas defines the User schema") {
		t.Errorf("regressed run: exit %d\n%s", code, text)
	}
	code, text = runCLI(t, "report", results, "--md", filepath.Join(dir, "again.md"))
	if code != ExitPassed || !strings.Contains(text, "wrote") {
		t.Errorf("report: exit %d\n%s", code, text)
	}
}

// TestClosedStdoutStillWritesReports runs the CLI in a child process whose
// stdout is a pipe nobody reads (`idpconform run | head -1`): the run must
// still finish, write its reports and exit as it would with a reader.
func TestClosedStdoutStillWritesReports(t *testing.T) {
	if args := os.Getenv("IDPC_CLOSED_STDOUT_ARGS"); args != "" {
		os.Exit(Main(strings.Split(args, "\x1f"), "test"))
	}
	dir := t.TempDir()
	for _, args := range [][]string{{"run", "--tags", "@discovery", "--out", dir}, {"list"}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestClosedStdoutStillWritesReports$")
		cmd.Env = append(os.Environ(), "IDPC_CLOSED_STDOUT_ARGS="+strings.Join(args, "\x1f"))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdout.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("%v: %v, want exit 0 as with a reader", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err != nil {
		t.Fatalf("no results.json after the reader went away: %v", err)
	}
}

// godog takes its formatters as a comma-separated list: a report directory
// with a comma in its name must still get every report, and scenarios.
func TestReportDirectoryWithAComma(t *testing.T) {
	out := filepath.Join(t.TempDir(), "acme,inc")
	code, text := runCLI(t, "run", "--tags", "@discovery", "--out", out)
	if code != ExitPassed || !strings.Contains(text, " passed, 0 violations") {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	for _, f := range []string{"results.json", "cucumber.json", "junit.xml"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
