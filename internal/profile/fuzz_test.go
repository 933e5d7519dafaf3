package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadProfile: no document makes Parse panic; an error is one line; a
// profile Parse accepts stays valid.
func FuzzLoadProfile(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/targets/*.yaml")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Setenv("IDPC_FUZZ_SECRET", "*fuzz #secret: &x")
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := Parse(raw)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error on several lines: %q", err)
			}
			return
		}
		if _, err := Complete(p); err != nil {
			t.Fatalf("Parse accepted a profile that Complete refuses: %v", err)
		}
	})
}
