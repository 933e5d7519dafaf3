package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProfileErrorExits2AndStillWritesReports: a profile that cannot be
// used (bad YAML, an unknown key, a bad value) exits 2 with one line naming
// the file and the line to blame, writes the reports saying why, and the
// console lists only the reports this run wrote.
func TestProfileErrorExits2AndStillWritesReports(t *testing.T) {
	const auth = "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth:\n    type: bearer\n    token: t\n"
	for _, tc := range []struct {
		name, yaml, says string
		line             int
	}{
		{"bad YAML", "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth: [\n", "did not find expected node content", 3},
		{"unknown key", auth + "featurez:\n  filter: true\n", "field featurez not found", 6},
		{"bad value", auth + "features:\n  filter: maybe\n", "cannot unmarshal", 7},
		{"value out of range", auth + "  timeout: -3s\n", "scim.timeout must be positive", 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			prof := filepath.Join(dir, "target.yaml")
			if err := os.WriteFile(prof, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "reports")
			// A cucumber.json an earlier run left is not this run's report.
			stale := filepath.Join(out, "cucumber.json")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(stale, []byte("[]"), 0o644); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			if err := os.Chtimes(stale, old, old); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runSplit(t, "run", "--target", prof, "--out", out)
			where := prof + ":" + itoa(tc.line) + ": "
			if code != ExitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, where) || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, stderr %q; want %d and one line naming %q and saying %q", code, stderr, ExitUsage, where, tc.says)
			}
			for _, name := range []string{"results.json", "junit.xml", "summary.md", "report.html"} {
				if _, err := os.Stat(filepath.Join(out, name)); err != nil {
					t.Errorf("%s not written: %v", name, err)
				}
				if !strings.Contains(stdout, name) {
					t.Errorf("the console does not list %s: %q", name, stdout)
				}
			}
			if strings.Contains(stdout, "cucumber.json") {
				t.Errorf("the console lists the stale cucumber.json: %q", stdout)
			}
			run, err := readResults(filepath.Join(out, "results.json"))
			if err != nil || len(run.Notes) == 0 || !strings.Contains(strings.Join(run.Notes, " "), tc.says) {
				t.Errorf("results.json notes %v (%v), want the reason", run.Notes, err)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
