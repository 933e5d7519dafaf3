package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkTags accepts the tag expressions godog v0.15.1 reads as the README
// documents them: terms joined by "&&" (and) and "," (or, binding tighter),
// each a tag "@name" or its negation "~@name". godog itself panics on an
// empty term ("@users,", "&&", " ") and silently matches nothing for other
// slips ("@a and @b", "!@x", "~~@x"), so anything else is a usage error.
func checkTags(expr string) error {
	if expr == "" {
		return nil // no filter: every scenario
	}
	if !utf8.ValidString(expr) {
		return fmt.Errorf("--tags %q is not UTF-8", expr)
	}
	for _, and := range strings.Split(expr, "&&") {
		for _, term := range strings.Split(and, ",") {
			if err := checkTerm(strings.TrimSpace(term)); err != nil {
				return fmt.Errorf("--tags %q: %w; write tags as @name, joined by ',' (or) and '&&' (and), ~@name for not", expr, err)
			}
		}
	}
	return nil
}

func checkTerm(term string) error {
	if term == "" {
		return fmt.Errorf("an empty term before or after ',' or '&&'")
	}
	name, ok := strings.CutPrefix(strings.TrimPrefix(term, "~"), "@")
	if !ok || name == "" {
		return fmt.Errorf("%q is not a tag", term)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("@~&,!|()", r) {
			return fmt.Errorf("%q is not a tag", term)
		}
	}
	return nil
}
