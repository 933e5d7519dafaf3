package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeBlock is a fenced block of README.md.
type readmeBlock struct {
	lang, body string
	line       int // of its opening fence
}

// readmeBlocks returns the README's fenced blocks; runnable ones only
// (those right after a "<!-- runnable -->" line) when runnable is set.
func readmeBlocks(t *testing.T, runnable bool) []readmeBlock {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	var blocks []readmeBlock
	for i := 0; i < len(lines); i++ {
		lang, ok := strings.CutPrefix(lines[i], "```")
		if !ok {
			continue
		}
		b := readmeBlock{lang: lang, line: i + 1}
		marked := i > 0 && strings.TrimSpace(lines[i-1]) == "<!-- runnable -->"
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			b.body += lines[i] + "\n"
		}
		if marked || !runnable {
			blocks = append(blocks, b)
		}
	}
	return blocks
}

// TestReadmeRunnableBlocksRunAsWritten runs every README block marked
// runnable, with the idpconform binary on PATH, in an empty directory
// holding the repository's fixtures. A shell block runs line by line, each
// line exiting with the code its comment names ("exit 1"), else 0. A YAML
// block is a profile, run against a reference target serving where it
// says (127.0.0.1:18080 becomes a free port: tests share the machine).
func TestReadmeRunnableBlocksRunAsWritten(t *testing.T) {
	bin := t.TempDir()
	// As make image builds it: one build cache serves this test, the
	// image's and the vendor module's.
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(bin, "idpconform"), "./cmd/idpconform")
	build.Dir = "../.."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fixtures, err := filepath.Abs("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	exitCode := regexp.MustCompile(`#.*\bexit (\d+)\b`)
	langs := map[string]int{}
	for _, b := range readmeBlocks(t, true) {
		langs[b.lang]++
		dir := t.TempDir()
		if err := os.Symlink(fixtures, filepath.Join(dir, "fixtures")); err != nil {
			t.Fatal(err)
		}
		sh := func(line string, env ...string) (int, string) {
			cmd := exec.Command("bash", "-c", line)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))...)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return ee.ExitCode(), string(out)
			} else if err != nil {
				t.Fatal(err)
			}
			return 0, string(out)
		}
		switch b.lang {
		case "sh":
			for _, line := range strings.Split(strings.TrimSpace(b.body), "\n") {
				want := 0
				if m := exitCode.FindStringSubmatch(line); m != nil {
					want, _ = strconv.Atoi(m[1])
				}
				if code, out := sh(line); code != want {
					t.Errorf("README.md:%d: %s\nexit %d, want %d:\n%s", b.line, line, code, want, out)
				}
			}
		case "yaml":
			running := listenReference(t, "readme-t0ken")
			profile := strings.ReplaceAll(b.body, "http://127.0.0.1:18080", running.Base())
			if err := os.WriteFile(filepath.Join(dir, "target.yaml"), []byte(profile), 0o600); err != nil {
				t.Fatal(err)
			}
			if code, out := sh("idpconform run --target target.yaml", "SCIM_TOKEN=readme-t0ken"); code != 0 {
				t.Errorf("README.md:%d: the profile does not run as written: exit %d:\n%s", b.line, code, out)
			}
		default:
			t.Errorf("README.md:%d: a runnable block of %q, which this test cannot run", b.line, b.lang)
		}
	}
	if langs["sh"] == 0 || langs["yaml"] == 0 {
		t.Errorf("runnable blocks by language: %v; the README should mark shell and YAML examples", langs)
	}
}
