package idpconform_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/containers/containertest"
)

// TestTheImageRunsTheSuite builds the harness's image as `make image`
// does and runs a part of the suite in it against the built-in reference
// target, its reports written to a mounted directory, as the README's CI
// examples do.
func TestTheImageRunsTheSuite(t *testing.T) {
	containertest.Connect(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	image := "idpconform-test:" + hex.EncodeToString(b)
	run := func(name string, args ...string) string {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("make", "image", "IMAGE="+image)
	t.Cleanup(func() { _ = exec.Command("docker", "image", "rm", "-f", image).Run() })
	reports := t.TempDir()
	if err := os.Chmod(reports, 0o777); err != nil { // the image runs as nobody (65534)
		t.Fatal(err)
	}
	out := run("docker", "run", "--rm", "--network", "none", "-v", reports+":/work/report", image,
		"run", "--tags", "@discovery", "--out", "report")
	if !strings.Contains(out, "Passed.") {
		t.Errorf("the image's run did not pass:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(reports, "summary.md")); err != nil {
		t.Errorf("no summary.md in the mounted directory: %v", err)
	}
}
