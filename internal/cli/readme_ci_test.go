package cli

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestReadmeCIExamples parses the README's GitHub Actions and GitLab CI
// jobs: each runs the image `make image` builds, every idpconform command
// line in them parses with the CLI's own flags, and the reports land where
// the later steps and artifacts read them.
func TestReadmeCIExamples(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "### In a CI job")
	section, _, _ = strings.Cut(section, "\n## ")
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^IMAGE \?= (\S+)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile sets no default IMAGE")
	}
	image := string(m[1])
	var jobs []map[string]any
	for _, b := range readmeBlocks(t, false) {
		if b.lang == "yaml" && strings.Contains(section, b.body) {
			var doc map[string]any
			if err := yaml.Unmarshal([]byte(b.body), &doc); err != nil {
				t.Fatalf("README.md:%d: %v", b.line, err)
			}
			jobs = append(jobs, doc)
		}
	}
	if len(jobs) != 2 {
		t.Fatalf("%d YAML jobs under \"In a CI job\", want GitHub's and GitLab's", len(jobs))
	}
	github, gitlab := jobs[0]["scim-conformance"].(map[string]any), jobs[1]["scim-conformance"].(map[string]any)
	if github == nil || gitlab == nil {
		t.Fatal("each example is a job named scim-conformance")
	}

	var ghRuns []string
	for _, st := range github["steps"].([]any) {
		if run, ok := st.(map[string]any)["run"].(string); ok {
			ghRuns = append(ghRuns, run)
		}
	}
	if !slices.Contains(ghRuns, "make -C idpconform image") {
		t.Errorf("GitHub: no step builds the image with make image: %q", ghRuns)
	}
	out := checkDockerRun(t, "GitHub", ghRuns, image)
	if !slices.Contains(ghRuns, `cat `+out+`/summary.md >> "$GITHUB_STEP_SUMMARY"`) {
		t.Errorf("GitHub: the job summary does not read the reports in %s: %q", out, ghRuns)
	}

	var glRuns []string
	for _, key := range []string{"script", "after_script"} {
		for _, line := range gitlab[key].([]any) {
			glRuns = append(glRuns, line.(string))
		}
	}
	out = checkDockerRun(t, "GitLab", glRuns, image)
	if !slices.Contains(glRuns, "docker cp idpc:/work/"+out+" "+out) {
		t.Errorf("GitLab: the reports in /work/%s are not copied out: %q", out, glRuns)
	}
	art := gitlab["artifacts"].(map[string]any)
	if junit := art["reports"].(map[string]any)["junit"]; junit != out+"/junit.xml" {
		t.Errorf("GitLab: junit report %v, the run writes %s/junit.xml", junit, out)
	}
}

// checkDockerRun finds the one `docker run … IMAGE run …` in runs, checks
// that the idpconform arguments parse, and returns its --out.
func checkDockerRun(t *testing.T, ci string, runs []string, image string) (out string) {
	t.Helper()
	var found []string
	for _, r := range runs {
		if w := shellWords(r); len(w) > 2 && w[0] == "docker" && w[1] == "run" && slices.Contains(w, image) {
			found = w
		}
	}
	if found == nil {
		t.Fatalf("%s: no docker run of %s in %q", ci, image, runs)
	}
	args := found[slices.Index(found, image)+1:]
	cmd, rest, err := newRoot("test").Find(args)
	if err == nil {
		err = cmd.ParseFlags(rest)
	}
	if err != nil || cmd.Name() != "run" {
		t.Fatalf("%s: idpconform %s: %v (command %s)", ci, strings.Join(args, " "), err, cmd.Name())
	}
	out, err = cmd.Flags().GetString("out")
	if err != nil || !cmd.Flags().Changed("out") {
		t.Fatalf("%s: the run sets no --out", ci)
	}
	if url, _ := cmd.Flags().GetString("scim-url"); !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("%s: --scim-url %q: the service runs beside the harness, on loopback", ci, url)
	}
	// The image's working directory is /work: a mount there, or at the
	// report directory in it, keeps the reports.
	if i := slices.Index(found, "-v"); i >= 0 && i+1 < len(found) &&
		!strings.HasSuffix(found[i+1], ":/work") && !strings.HasSuffix(found[i+1], ":/work/"+out) {
		t.Errorf("%s: the mount %s holds neither /work nor the run's --out %s", ci, found[i+1], out)
	}
	return out
}

// shellWords splits a command line as a POSIX shell would for the plain
// cases the README has: spaces, single and double quotes.
func shellWords(s string) []string {
	var (
		words []string
		cur   strings.Builder
		quote rune
		in    bool
	)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\n' || r == '\t':
			if in {
				words, in = append(words, cur.String()), false
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}
