package samlidp

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/features"
)

// The catalogue and the SSO features describe the same attacks: each attack
// has a scenario that sends it, each attack a scenario names exists, and an
// Examples row says what the catalogue says, word for word.
func TestAttacksAgreeWithTheFeatures(t *testing.T) {
	row := regexp.MustCompile(`(?m)^\s+\| ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*) +\| (.*?) \|$`)
	literal := regexp.MustCompile(`SAML attack ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)`)
	sent := map[string]string{} // id -> feature file
	err := fs.WalkDir(features.FS, "sso", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		b, err := fs.ReadFile(features.FS, path)
		if err != nil {
			return err
		}
		text := string(b)
		for _, m := range row.FindAllStringSubmatch(text, -1) {
			if m[1] == "id" {
				continue
			}
			a, err := AttackByID(m[1])
			if err != nil {
				t.Errorf("%s: Examples row %s names no attack in the catalogue", path, m[1])
				continue
			}
			if a.Description != m[2] {
				t.Errorf("%s: %s says %q, the catalogue %q", path, m[1], m[2], a.Description)
			}
			sent[m[1]] = path
		}
		for _, m := range literal.FindAllStringSubmatch(text, -1) {
			if _, err := AttackByID(m[1]); err != nil {
				t.Errorf("%s: a step sends %s, which is not in the catalogue", path, m[1])
			}
			sent[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range AttackIDs() {
		if sent[id] == "" {
			t.Errorf("attack %s has no scenario in features/sso", id)
		}
	}
}
