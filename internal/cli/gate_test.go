package cli

import (
	"strings"
	"testing"

	"github.com/idpconform/idpconform/reports"
)

// TestGate: warnings alone pass unless --fail-on warnings; a violation, a
// scenario that could not be checked or an undefined step fails, and the
// line says which.
func TestGate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		c        reports.Counts
		warnings bool
		fail     bool
		says     string
	}{
		{"all passed", reports.Counts{Total: 3, Passed: 2, Skipped: 1}, false, false, "Passed."},
		{"warnings only", reports.Counts{Total: 3, Passed: 2, Warned: 1}, false, false, "Passed with 1 warning"},
		{"warnings, --fail-on warnings", reports.Counts{Total: 3, Passed: 1, Warned: 2}, true, true, "Failed: 2 warnings (--fail-on warnings)."},
		{"a violation", reports.Counts{Total: 3, Passed: 1, Failed: 1, Warned: 1}, false, true, "Failed: 1 violation."},
		{"could not check", reports.Counts{Total: 2, Passed: 1, Errored: 1}, false, true, "1 could not check (a scenario that could not be checked fails the run"},
		{"undefined", reports.Counts{Total: 1, Undefined: 1}, false, true, "Failed: 1 undefined."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fail, line := gate(tc.c, tc.warnings)
			if fail != tc.fail || !strings.Contains(line, tc.says) {
				t.Errorf("gate = %v, %q; want %v, saying %q", fail, line, tc.fail, tc.says)
			}
		})
	}
}
