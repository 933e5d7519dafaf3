package profile

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/idpconform/idpconform/internal/transcript"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expansion replaces ${NAME} in the scalar values of a parsed document, never
// in keys or comments, so a value from the environment is taken as it is:
// YAML never reads its `*`, `&`, ` #` or `: `. An unset variable is an error,
// so that a run never authenticates with an empty secret.
type expansion struct {
	values  []string // what came from the environment: kept out of error messages
	missing []string
}

func (e *expansion) walk(n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			e.walk(c)
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			e.walk(n.Content[i])
		}
	case yaml.ScalarNode:
		e.scalar(n)
	}
	// An alias shares its anchor's node, expanded where the anchor stands.
}

func (e *expansion) scalar(n *yaml.Node) {
	if !strings.Contains(n.Value, "${") {
		return
	}
	n.Value = envRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
		name := envRef.FindStringSubmatch(ref)[1]
		v, ok := os.LookupEnv(name)
		if !ok {
			e.missing = append(e.missing, fmt.Sprintf("line %d: environment variable %s is not set", n.Line, name))
		}
		e.values = append(e.values, v)
		return v
	})
	// A plain ${VAR} reads as if its value stood there (a number for
	// minLength, a boolean for jit); a quoted one stays a string, and so
	// does a value YAML would read as null.
	if n.Style == 0 && n.Tag == "!!str" && !slices.Contains([]string{"", "~", "null", "Null", "NULL"}, n.Value) {
		n.Tag = ""
	}
}

func (e *expansion) err() error {
	if len(e.missing) == 0 {
		return nil
	}
	return fmt.Errorf("profile: %s", strings.Join(e.missing, "; "))
}

// clean makes err one line without values from the environment or the
// profile's secrets.
func (e *expansion) clean(err error, p Profile) error {
	if err == nil {
		return nil
	}
	secrets := append(slices.Clone(e.values), p.secrets()...)
	msg := transcript.NewRedactor(secrets...).String(err.Error())
	return fmt.Errorf("%s", oneLine(msg))
}

// secrets are the profile's values that must never reach an error message.
func (p Profile) secrets() []string {
	a := p.SCIM.Auth
	s := []string{a.Token, a.Password, a.ClientSecret}
	if p.SSO != nil && p.SSO.OIDC != nil {
		s = append(s, p.SSO.OIDC.ClientSecret)
	}
	if l := p.Lifecycle; l != nil {
		for _, c := range []*Call{l.Accounts.Create, l.Accounts.Read, l.Accounts.Delete, l.Membership.Probe} {
			if c != nil {
				s = append(s, mapValues(c.Headers)...)
			}
		}
		if l.Accept != nil {
			s = append(s, mapValues(l.Accept.Call.Headers)...)
		}
	}
	if p.Roles != nil {
		s = append(s, mapValues(p.Roles.Probe.Headers)...)
	}
	return s
}

func oneLine(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool { return l == "" }), "; ")
}

// typeErrorValue is the value yaml quotes in "cannot unmarshal !!str `abc`
// into int": it may have come from the environment.
var typeErrorValue = regexp.MustCompile("(?s)^(line \\d+: cannot unmarshal \\S+) `.*` (into \\S+)$")

// decodeError rewords yaml's decoding errors without the values they quote.
func decodeError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("profile: %w", err)
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = typeErrorValue.ReplaceAllString(m, "$1 $2")
	}
	return fmt.Errorf("profile: %s", strings.Join(msgs, "; "))
}

// syntaxError rewords yaml's parse errors. A value beginning with * is read
// as an alias, and yaml's message would print the rest of it.
func syntaxError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "unknown anchor") {
		return fmt.Errorf("profile: a value begins with * and YAML reads it as an alias: quote it")
	}
	return fmt.Errorf("profile: %s", oneLine(quoted.ReplaceAllString(msg, "")))
}

var quoted = regexp.MustCompile(` '[^']*'`)

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// unknownKeys lists the keys of n that t has no field for, worded as yaml's
// KnownFields would: Node.Decode cannot check them itself. seen bounds the
// walk through aliases.
func unknownKeys(n *yaml.Node, t reflect.Type, seen map[*yaml.Node]bool) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil // it checks its own keys
	}
	var errs []string
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			errs = append(errs, unknownKeys(c, t, seen)...)
		}
	case yaml.AliasNode:
		if n.Alias != nil && !seen[n.Alias] {
			seen[n.Alias] = true
			errs = unknownKeys(n.Alias, t, seen)
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, c := range n.Content {
				errs = append(errs, unknownKeys(c, t.Elem(), seen)...)
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case t.Kind() == reflect.Map:
				errs = append(errs, unknownKeys(v, t.Elem(), seen)...)
			case t.Kind() != reflect.Struct:
			case k.Kind == yaml.ScalarNode && k.Value == "<<": // a merge takes the keys of the mapping it names
				errs = append(errs, unknownKeys(v, t, seen)...)
			default:
				f, ok := fieldByKey(t, k.Value)
				if !ok {
					errs = append(errs, fmt.Sprintf("line %d: field %s not found in type %s", k.Line, k.Value, t))
					continue
				}
				errs = append(errs, unknownKeys(v, f.Type, seen)...)
			}
		}
	}
	return errs
}

// fieldByKey finds the field yaml.v3 decodes key into: the name its yaml
// tag gives, else its name in lower case.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
