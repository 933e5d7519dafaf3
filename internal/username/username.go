// Package username holds the character rules a target's userName policy
// may name (profile usernames.rule), and turns any name into one a rule
// allows, as an administrator's IdP mapping does.
package username

import (
	"fmt"
	"strings"
)

// Hub is the Hugging Face Hub's rule (shared/idp-behaviour.md HX1, from
// HF's Okta and Entra SCIM guides): "Only regular characters and `-` are
// accepted", "`--` (double dash) is forbidden", "`-` cannot start or end
// the name". Length and digits-only names are the policy's other keys.
const Hub = "hub"

// Rules are the rule names a profile may give; "" is no rule.
var Rules = []string{Hub}

// Known says whether rule is "" or one of Rules.
func Known(rule string) bool { return rule == "" || rule == Hub }

// Check returns why name breaks rule, or nil; every name keeps rule "".
func Check(rule, name string) error {
	if rule != Hub {
		return nil
	}
	for _, r := range name {
		if !regular(r) && r != '-' {
			return fmt.Errorf("userName may hold only the letters a-z and A-Z, digits and '-', not %q", r)
		}
	}
	switch {
	case strings.Contains(name, "--"):
		return fmt.Errorf("userName may not contain '--'")
	case strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-"):
		return fmt.Errorf("userName may not start or end with '-'")
	}
	return nil
}

// Edit turns name into one rule allows, deterministically, as HF tells
// administrators to map it: the part before '@' (Entra's mailNickname,
// an Okta login's local part) with every other character replaced by
// '-' (Replace([mailNickname], ".", "-")), runs of '-' made one and '-'
// trimmed from both ends. A name the rule allows is returned unchanged.
func Edit(rule, name string) string {
	if rule != Hub || Check(rule, name) == nil {
		return name
	}
	local, _, _ := strings.Cut(name, "@")
	var b strings.Builder
	for _, r := range local {
		if !regular(r) {
			r = '-'
		}
		if r == '-' && strings.HasSuffix(b.String(), "-") {
			continue
		}
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), "-")
}

// regular is HF's "regular character": an ASCII letter or digit.
func regular(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
