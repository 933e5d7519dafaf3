package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/reference/target"
)

// TestREADMEWalkthroughRuns runs the README's record-and-replay
// walk-through line by line, with staging.yaml pointing at a reference
// target that ignores active false (the customer's bug), and checks the
// exit code each comment promises.
func TestREADMEWalkthroughRuns(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	users, err := os.ReadFile("../../fixtures/users/entra-disable.json")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### Walk-through: a customer's Entra disabled users")
	_, block, ok2 := strings.Cut(section, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the README has no walk-through code block")
	}

	const token = "walkthrough-token-1414"
	srv, err := target.New(target.Options{Token: token, Faults: []string{"ignores-active-false"}})
	if err != nil {
		t.Fatal(err)
	}
	staging, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer staging.Close()
	t.Chdir(t.TempDir())
	if err := os.MkdirAll("fixtures/users", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("fixtures/users/entra-disable.json", users, 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf("name: staging\nprefix: idpc-\nscim:\n  url: %s\n  auth:\n    token: %s\n  timeout: 5s\n", staging.URL(), token)
	if err := os.WriteFile("staging.yaml", []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}

	exit := regexp.MustCompile(`\(exit (\d)\)`)
	want, ran := 0, 0
	for _, line := range strings.Split(block, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "#"):
			if m := exit.FindStringSubmatch(line); m != nil {
				want, _ = strconv.Atoi(m[1])
			}
			continue
		case strings.HasPrefix(line, "mkdir -p "):
			if err := os.MkdirAll(strings.TrimPrefix(line, "mkdir -p "), 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		case line == "":
			continue
		}
		args := words(line)
		if args[0] != "idpconform" {
			t.Fatalf("the walk-through runs %q, which this test cannot", line)
		}
		args, redirect := args[1:], ""
		if n := len(args); n > 2 && args[n-2] == ">" {
			args, redirect = args[:n-2], args[n-1]
		}
		var stdout, stderr bytes.Buffer
		code := run(args, "test", &stdout, &stderr)
		if code != want {
			t.Fatalf("%s: exit %d, the README says %d\n%s%s", line, code, want, stdout.String(), stderr.String())
		}
		if strings.Contains(stdout.String()+stderr.String(), token) {
			t.Fatalf("%s: the token reached the console", line)
		}
		if redirect != "" {
			if err := os.WriteFile(redirect, stdout.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want = 0
		ran++
	}
	if ran < 5 {
		t.Fatalf("only %d commands ran", ran)
	}
	for _, f := range []string{"incident.jsonl", "replay-report/results.json", "staging-report/results.json", "reference-report/results.json"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), token) {
			t.Errorf("the token reached %s", f)
		}
	}
	if got, _ := os.ReadFile(filepath.Join("replay-report", "results.json")); !strings.Contains(string(got), "read back, active is true") {
		t.Error("the replay report does not say ada read back active")
	}
}

// words splits a shell line on spaces, keeping double-quoted words whole.
func words(line string) []string {
	var out []string
	var cur strings.Builder
	quoted, in := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, in = !quoted, true
		case r == ' ' && !quoted:
			if in {
				out = append(out, cur.String())
				cur.Reset()
			}
			in = false
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}
