package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fake entra --users 200 generates the users, runs the initial cycle
// unthrottled on four workers against the reference target, prints the
// first and last 100 exchanges with the count of those between, records
// them all, and removes every user it created.
func TestFakeEntraGeneratedUsers(t *testing.T) {
	dir, prof := referenceProfile(t, "scale-token-1")
	tape := filepath.Join(dir, "cycle.jsonl")
	code, text := runCLI(t, "fake", "entra", "--target", prof, "--users", "200", "--seed", "3", "--rate", "0", "--concurrency", "4", "--record", tape)
	if code != ExitPassed {
		t.Fatalf("exit %d\n%s", code, text)
	}
	// 401 exchanges: the probe, then a lookup and a create per user.
	for _, want := range []string{"initial cycle 1: 401 operations, 0 failed", "\n#1 → GET ", "\n#100 → ",
		"\n… 201 exchanges left out (use --record FILE to keep them all)\n", "\n#302 → ", "\n#401 → ",
		"record: 401 exchanges written to", "cleanup: removed 200 resources the cycle created"} {
		if !strings.Contains(text, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	if strings.Contains(text, "\n#101 → ") || strings.Contains(text, "\n#301 → ") {
		t.Error("an exchange it says it left out is printed")
	}
	raw, err := os.ReadFile(tape)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(raw, []byte("\n")); lines != 402 {
		t.Errorf("the cassette has %d lines, want a header and 401 exchanges", lines)
	}
	for _, bad := range [][]string{{"--users", "0"}, {"--users", "5", "--rate", "-1"}, {"--users", "5", "--concurrency", "0"}} {
		if code, text := runCLI(t, append([]string{"fake", "entra", "--target", prof}, bad...)...); code != ExitUsage {
			t.Errorf("%v: exit %d\n%s", bad, code, text)
		}
	}
}
