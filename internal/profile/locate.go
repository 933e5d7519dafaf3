package profile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a profile that cannot be used, located in its file: the CLI
// prints it as one line, "profile FILE:LINE: what is wrong".
type Error struct {
	File string
	Line int // 0 when no line is to blame (a required key missing)
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("profile %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("profile %s: %s", e.File, e.Msg)
}

var (
	// yamlLine is how yaml (and our rewording of it) names a line.
	yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)
	// keyPath is a key a validation message names: scim.timeout, usernames.
	keyPath = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*`)
)

// locate turns Parse's error for file into an Error with the line to blame:
// the one yaml names, else the line of the first key the message names.
func locate(file string, raw []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "profile: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: strings.TrimPrefix(msg, m[0])}
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) == nil && len(doc.Content) > 0 {
		for _, path := range keyPath.FindAllString(msg, -1) {
			if n := lookupKey(doc.Content[0], strings.Split(path, ".")); n != nil {
				return &Error{File: file, Line: n.Line, Msg: msg}
			}
		}
	}
	return &Error{File: file, Msg: msg}
}

// lookupKey finds the value node at a key path of a mapping, or nil.
func lookupKey(n *yaml.Node, path []string) *yaml.Node {
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
				break
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}
