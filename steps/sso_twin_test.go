package steps

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
)

// TestNegativeSSOScenariosShowAWorkingLogin: in every @sso scenario, a check
// that a target refusing every login would pass (no session, not the
// victim's, users unchanged, ...) comes after a step that shows a login
// working: an attack step (which runs its positive twin) or a control step.
// Every @attack scenario sends an attack, and every signature-wrapping
// scenario is judged alike.
func TestNegativeSSOScenariosShowAWorkingLogin(t *testing.T) {
	all, err := catalog.Load(features.FS)
	if err != nil {
		t.Fatal(err)
	}
	match := func(patterns ...string) func(string) bool {
		var res []*regexp.Regexp
		for _, p := range patterns {
			res = append(res, regexp.MustCompile(p))
		}
		return func(step string) bool {
			return slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(step) })
		}
	}
	control := match(stepSAMLAttack, stepOIDCAttack, stepIsLoggedIn, stepCanLogIn)
	attack := match(stepSAMLAttack, stepOIDCAttack)
	negative := match(stepNoSession, stepNotBelongTo, stepRefused, stepNotOffOrigin, stepCanary, stepUnchanged)
	negatives := 0
	for _, s := range all {
		if !slices.Contains(s.Tags, "sso") {
			continue
		}
		shown := false
		for _, step := range s.Steps {
			shown = shown || control(step)
			if negative(step) {
				negatives++
				if !shown {
					t.Errorf("%s %q: %q before any step that shows a working login", s.ID(), s.Name, step)
					break
				}
			}
		}
		if slices.Contains(s.Tags, "attack") && !slices.ContainsFunc(s.Steps, attack) {
			t.Errorf("%s %q: an @attack scenario that sends no attack", s.ID(), s.Name)
		}
		if slices.ContainsFunc(s.Tags, func(tag string) bool { return strings.HasPrefix(tag, "XSW") }) &&
			(!slices.ContainsFunc(s.Steps, match(stepRefused)) || slices.ContainsFunc(s.Steps, match(stepNoSession))) {
			t.Errorf("%s %q: a signature-wrapping scenario not judged by %q", s.ID(), s.Name, stepRefused)
		}
	}
	if negatives < 30 {
		t.Errorf("only %d negative checks found: do the patterns still match the features?", negatives)
	}
}
