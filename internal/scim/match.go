package scim

import (
	"fmt"
	"strings"
)

// FilterMismatch is a lookup whose answer holds resources that its filter
// excludes, or several for a unique attribute: the target broke RFC 7644
// §3.4.2.2, and whoever trusted the answer would act on the wrong account.
type FilterMismatch struct {
	Filter string // userName eq "ada"
	Got    []string
}

func (e *FilterMismatch) Error() string {
	return fmt.Sprintf("the target's answer to the filter %s holds resources that do not match it (RFC 7644 §3.4.2.2): %s",
		e.Filter, strings.Join(e.Got, ", "))
}

// maxShown bounds how many stray resources a FilterMismatch names.
const maxShown = 5

// FindOne reads the answer to an `attr eq "value"` lookup: the one
// resource it found, nil if none, or a *FilterMismatch if the list holds
// anything else (another name, or more than one match: attr is unique).
// Values compare case-insensitively, as userName and displayName do (RFC
// 7643 §4.1.1, §4.2).
func FindOne(resp *Response, attr, value string) (Object, error) {
	o, err := resp.Object()
	if err != nil {
		return nil, err
	}
	list, _ := o["Resources"].([]any)
	var found Object
	var stray []string
	for _, r := range list {
		m, _ := r.(map[string]any)
		got, _ := Object(m).Lookup(attr)
		name, _ := got.(string)
		id, _ := m["id"].(string)
		if m == nil || id == "" || !strings.EqualFold(name, value) || found != nil {
			stray = append(stray, fmt.Sprintf("%q (id %q)", name, id))
			continue
		}
		found = m
	}
	if len(stray) > 0 {
		if found != nil {
			stray = append([]string{fmt.Sprintf("%q (id %q)", nameOf(found), found["id"])}, stray...)
		}
		if n := len(stray); n > maxShown {
			stray = append(stray[:maxShown], fmt.Sprintf("and %d more", n-maxShown))
		}
		return nil, &FilterMismatch{Filter: fmt.Sprintf(`%s eq %q`, attr, value), Got: stray}
	}
	return found, nil
}
