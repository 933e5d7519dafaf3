package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegressionFromAnEntraCycle: an Entra cycle that disables ada,
// recorded by `fake entra --record`, becomes a feature file with
// `replay --to-feature`; `run --features` runs it green against the
// reference target and red against the fault the incident was about
// (ignores-active-false), at the step that reads ada back.
func TestRegressionFromAnEntraCycle(t *testing.T) {
	const token = "planted-entra-token-2718"
	dir, prof := referenceProfile(t, token)
	tape := filepath.Join(dir, "cycle.jsonl")
	code, text := runCLI(t, "fake", "entra", "--target", prof, "--users", "../../fixtures/users/entra-disable.json", "--cycle", "incremental", "--record", tape)
	if code != ExitPassed || !strings.Contains(text, "exchanges written to") {
		t.Fatalf("fake entra --record: exit %d\n%s", code, text)
	}
	raw, err := os.ReadFile(tape)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), token) || strings.Contains(string(raw), "idpc-") {
		t.Fatalf("the cassette holds the token or the harness's marker:\n%s", raw)
	}
	if code, text := runCLI(t, "fake", "entra", "--target", prof, "--record", tape); code != ExitUsage {
		t.Errorf("fake --record over an existing cassette: exit %d\n%s", code, text)
	}

	var feature, notes bytes.Buffer
	if code := run([]string{"replay", "--to-feature", tape, "--name", "Entra disables ada", "--tag", "entra-disable"}, "test", &feature, &notes); code != ExitPassed {
		t.Fatalf("replay --to-feature: exit %d\n%s", code, notes.String())
	}
	for _, want := range []string{"@regression @must @entra-disable", "When the IdP sends `POST /Users` creating the user \"ada\" with:",
		"When the IdP sends `PATCH /Users/{ada}` with:", `"userName": "{{prefix}}ada@example.com"`, `"value": "False"`,
		`And the user "ada" has "active" equal to "false" when read back`} {
		if !strings.Contains(feature.String(), want) {
			t.Errorf("the feature lacks %q:\n%s", want, feature.String())
		}
	}
	if !strings.Contains(notes.String(), "aliases: ada") {
		t.Errorf("to-feature does not say what it inferred: %s", notes.String())
	}
	features := filepath.Join(dir, "incident")
	if err := os.MkdirAll(features, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(features, "entra-disable.feature"), feature.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, text := runCLI(t, "list", "--features", features, "--tags", "@regression"); code != ExitPassed || !strings.Contains(text, "features/incident/entra-disable.feature:") {
		t.Fatalf("list --features: exit %d\n%s", code, text)
	}
	for _, c := range []struct {
		fault string
		want  int
		says  string
	}{
		{"", ExitPassed, "0 violations"},
		{"ignores-active-false", ExitFailed, `Step: the user "ada" has "active" equal to "false" when read back`},
	} {
		args := []string{"run", "--features", features, "--tags", "@regression", "--out", t.TempDir()}
		if c.fault != "" {
			args = append(args, "--fault", c.fault)
		}
		code, text := runCLI(t, args...)
		if code != c.want || !strings.Contains(text, c.says) || !strings.Contains(text, "incident") {
			t.Errorf("run --features with fault %q: exit %d, want %d saying %q:\n%s", c.fault, code, c.want, c.says, text)
		}
	}
	if code, text := runCLI(t, "run", "--features", filepath.Join(dir, "none"), "--out", t.TempDir()); code != ExitUsage {
		t.Errorf("run --features of a missing directory: exit %d\n%s", code, text)
	}
}

// TestFakesRecord: `fake okta|onelogin --record` writes a cassette that
// replays against a fresh reference target with every answer alike.
func TestFakesRecord(t *testing.T) {
	const token = "planted-okta-token-1618"
	dir, prof := referenceProfile(t, token)
	// Each fake's cassette carries what only its requests say.
	for kind, says := range map[string]string{"okta": "Okta SCIM Client", "onelogin": `"Content-Type":["application/json"]`} {
		tape := filepath.Join(dir, kind+".jsonl")
		if code, text := runCLI(t, "fake", kind, "--target", prof, "--record", tape); code != ExitPassed {
			t.Fatalf("fake %s --record: exit %d\n%s", kind, code, text)
		}
		raw, err := os.ReadFile(tape)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), token) || !strings.Contains(string(raw), `"recorder":"test"`) || !strings.Contains(string(raw), says) {
			t.Fatalf("the %s cassette holds the token, or not the recorder and its requests:\n%.1500s", kind, raw)
		}
		code, text := runCLI(t, "replay", tape, "--read-back", "--out", t.TempDir())
		if code != ExitPassed || !strings.Contains(text, " 0 differ") || !strings.Contains(text, "0 left") {
			t.Fatalf("replaying the %s cycle: exit %d\n%s", kind, code, text)
		}
	}
}

// referenceProfile serves the reference target with token and writes a
// profile of it into a fresh directory; it returns both.
func referenceProfile(t *testing.T, token string) (dir, prof string) {
	t.Helper()
	running := listenReference(t, token)
	dir = t.TempDir()
	prof = filepath.Join(dir, "target.yaml")
	yaml := fmt.Sprintf("name: reference\nprefix: idpc-\nscim:\n  url: %s\n  auth:\n    token: %s\n  timeout: 5s\n", running.URL(), token)
	if err := os.WriteFile(prof, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, prof
}
