package cli

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/containers/containertest"
)

// started lists the containers a run says it started.
func started(out string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`container (idpconform-[a-z]+-[0-9a-f]{8})`).FindAllStringSubmatch(out, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestRunWithFakesInContainers(t *testing.T) {
	d := containertest.Connect(t)
	out := t.TempDir()
	// @okta and @entra select SAML logins of their shape too; @oidc adds
	// the OpenID Provider: one container for each of the four fakes.
	code, text := runCLI(t, "run", "--tags", "@okta,@entra,@oidc", "--fakes", "container", "--out", out)
	if code != ExitPassed || !strings.Contains(text, " 0 violations") {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	names := started(text)
	if len(names) != 4 {
		t.Errorf("want four containers, the run started %v:\n%s", names, text)
	}
	for _, kind := range []string{"okta", "entra", "saml", "oidc"} {
		if !strings.Contains(text, "fake "+kind+": container") {
			t.Errorf("no container for the %s fake:\n%s", kind, text)
		}
	}
	for _, area := range []string{"okta", "entra", "sso"} {
		if !regexp.MustCompile(`(?m)^` + area + ` +[1-9][0-9]* passed`).MatchString(text) {
			t.Errorf("no %s scenario passed:\n%s", area, text)
		}
	}
	containertest.NoneLeft(t, d, names...)
}

func TestRunAgainstTheReferenceTargetImage(t *testing.T) {
	d := containertest.Connect(t)
	out := t.TempDir()
	code, text := runCLI(t, "run", "--target-image", "idpconform", "--target-health", "/healthz", "--tags", "@discovery", "--out", out)
	if code != ExitPassed || !strings.Contains(text, " passed, 0 violations") {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	log, err := os.ReadFile(filepath.Join(out, "target.log"))
	if err != nil || !strings.Contains(string(log), "reference target") {
		t.Errorf("target.log = %q, %v; want the target's output", log, err)
	}
	names := started(text)
	if len(names) != 1 {
		t.Errorf("want one target container, the run started %v:\n%s", names, text)
	}
	containertest.NoneLeft(t, d, names...)
}

// TestNoDockerSaysWhatToDo runs the CLI in a child process whose Docker
// host does not exist (testcontainers reads it once per process).
func TestNoDockerSaysWhatToDo(t *testing.T) {
	if os.Getenv("IDPC_NO_DOCKER_CHILD") == "1" {
		code, text := runCLI(t, "run", "--tags", "@okta", "--fakes", "container", "--out", t.TempDir())
		os.Stdout.WriteString(text)
		os.Exit(code)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoDockerSaysWhatToDo$")
	cmd.Env = append(os.Environ(), "IDPC_NO_DOCKER_CHILD=1", "DOCKER_HOST=unix:///nonexistent/docker.sock")
	text, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != ExitUsage || !strings.Contains(string(text), "no usable Docker engine") ||
		!strings.Contains(string(text), "dockerd --bridge=none") {
		t.Fatalf("exit %d, want 2 and how to get Docker:\n%s", cmd.ProcessState.ExitCode(), text)
	}
}

// TestInterruptedRunRemovesItsContainers interrupts (SIGINT, as Ctrl-C
// does) a child process's run once its fakes run in containers: it must
// still remove them and write its reports.
func TestInterruptedRunRemovesItsContainers(t *testing.T) {
	if dir := os.Getenv("IDPC_INTERRUPT_CHILD_DIR"); dir != "" {
		os.Exit(Main([]string{"run", "--fakes", "container", "--out", dir}, "test"))
	}
	d := containertest.Connect(t)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptedRunRemovesItsContainers$")
	cmd.Env = append(os.Environ(), "IDPC_INTERRUPT_CHILD_DIR="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The four fakes' lines come before the first scenario's.
	var text strings.Builder
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && len(started(text.String())) < 4 {
		text.WriteString(sc.Text() + "\n")
	}
	names := started(text.String())
	if len(names) != 4 {
		_ = cmd.Process.Kill()
		t.Fatalf("the run did not start four containers:\n%s", text.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil && !cmd.ProcessState.Exited() {
		t.Fatalf("the interrupted run did not exit by itself: %v", err)
	}
	if !strings.Contains(string(rest), "interrupted") {
		t.Errorf("the run does not say it was interrupted:\n%s", rest)
	}
	containertest.NoneLeft(t, d, names...)
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err != nil {
		t.Errorf("no results.json after the interrupt: %v", err)
	}
}
