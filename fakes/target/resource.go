package target

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// canonical turns a client's representation into stored form: attribute
// names in their canonical case (RFC 7643 §2.1), values checked against
// their type, server-owned and read-only attributes dropped, unknown ones
// ignored.
func (s *Server) canonical(k *kind, in map[string]any) (map[string]any, *scimError) {
	out := map[string]any{}
	for key, v := range in {
		if urn, ok := k.extension(key); ok {
			m, isMap := v.(map[string]any)
			if !isMap {
				return nil, errorf(http.StatusBadRequest, "invalidSyntax", "%s must be an object", urn)
			}
			ext, err := s.attrs(k.Extensions[urn], m)
			if err != nil {
				return nil, err
			}
			if len(ext) > 0 {
				out[urn] = ext
			}
			continue
		}
		a, _, ok := k.lookup("", key)
		if !ok || a.Mutability == "readOnly" {
			continue
		}
		cv, err := s.value(a, v)
		if err != nil {
			return nil, err
		}
		if cv != nil {
			out[a.Name] = cv
		}
	}
	return out, nil
}

func (s *Server) attrs(defs []attr, in map[string]any) (map[string]any, *scimError) {
	out := map[string]any{}
	for key, v := range in {
		a, ok := find(defs, key)
		if !ok || a.Mutability == "readOnly" {
			continue
		}
		cv, err := s.value(a, v)
		if err != nil {
			return nil, err
		}
		if cv != nil {
			out[a.Name] = cv
		}
	}
	return out, nil
}

// value checks and canonicalises one attribute's value. nil means
// "unassigned" (RFC 7643 §2.5: null and empty arrays are unassigned).
func (s *Server) value(a attr, v any) (any, *scimError) {
	if v == nil {
		if a.Name == "$ref" && s.has("rejects-null-ref") {
			return nil, errorf(http.StatusBadRequest, "invalidValue", `"$ref": null is not a reference`)
		}
		return nil, nil
	}
	if a.Multi {
		list, ok := v.([]any)
		if !ok {
			list = []any{v} // a single value where a list is expected
		}
		var out []any
		one := a
		one.Multi = false
		for _, el := range list {
			cv, err := s.value(one, el)
			if err != nil {
				return nil, err
			}
			if m, isMap := cv.(map[string]any); isMap && s.has("drops-multi-valued-type") {
				delete(m, "type")
				delete(m, "primary")
			}
			if cv != nil {
				out = append(out, cv)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	switch a.Type {
	case "complex":
		switch t := v.(type) {
		case string: // Entra sends manager as the bare id
			return map[string]any{"value": t}, nil
		case []any: // Entra legacy sends manager as an array of one
			if len(t) != 1 || s.has("manager-array-rejected") {
				return nil, errorf(http.StatusBadRequest, "invalidValue", "%s takes a single value", a.Name)
			}
			return s.value(a, t[0])
		case map[string]any:
			m, err := s.attrs(a.Sub, t)
			if err != nil || len(m) == 0 {
				return nil, err
			}
			return m, nil
		}
		return nil, errorf(http.StatusBadRequest, "invalidValue", "%s must be an object", a.Name)
	case "boolean":
		switch t := v.(type) {
		case bool:
			return t, nil
		case string: // Entra sends "True"/"False" (entra-string-bool)
			if !s.has("rejects-string-booleans") {
				switch strings.ToLower(t) {
				case "true":
					return true, nil
				case "false":
					return false, nil
				}
			}
		}
		return nil, errorf(http.StatusBadRequest, "invalidValue", "%s must be a boolean", a.Name)
	}
	if t, ok := v.(string); ok {
		return t, nil
	}
	return nil, errorf(http.StatusBadRequest, "invalidValue", "%s must be a string", a.Name)
}

// checkUser applies the hub's rules to a user about to be stored: userName
// required, 2 to 42 characters, not digits only, unique case-insensitively.
func (s *Server) checkUser(data map[string]any, self string) *scimError {
	name, _ := data["userName"].(string)
	if name == "" {
		if s.has("missing-username-accepted") {
			return nil
		}
		return errorf(http.StatusBadRequest, "invalidValue", "userName is required")
	}
	n := utf8.RuneCountInString(name)
	if n < 2 || (n > 42 && !s.has("username-too-long-accepted")) {
		return errorf(http.StatusBadRequest, "invalidValue", "userName must be 2 to 42 characters, not %d", n)
	}
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return errorf(http.StatusBadRequest, "invalidValue", "userName may not be digits only")
	}
	if s.has("no-uniqueness") {
		return nil
	}
	for id, r := range s.store.all[userKind] {
		other, _ := r.data["userName"].(string)
		same := strings.EqualFold(other, name)
		if s.has("username-case-sensitive") {
			same = other == name
		}
		if same && id != self {
			return errorf(http.StatusConflict, "uniqueness", "userName %q is taken", name)
		}
	}
	return nil
}

// checkGroup requires a unique displayName and resolves members: each must
// be an existing user or group; display and type are filled in.
func (s *Server) checkGroup(data map[string]any, self string) *scimError {
	name, _ := data["displayName"].(string)
	if name == "" {
		return errorf(http.StatusBadRequest, "invalidValue", "displayName is required")
	}
	for id, r := range s.store.all[groupKind] {
		if other, _ := r.data["displayName"].(string); strings.EqualFold(other, name) && id != self {
			return errorf(http.StatusConflict, "uniqueness", "displayName %q is taken", name)
		}
	}
	members, _ := data["members"].([]any)
	seen := map[string]bool{}
	var out []any
	for _, el := range members {
		m, _ := el.(map[string]any)
		id, _ := m["value"].(string)
		if seen[id] {
			continue
		}
		seen[id] = true
		if u := s.store.all[userKind][id]; u != nil {
			out = append(out, map[string]any{"value": id, "display": u.data["userName"], "type": "User"})
		} else if g := s.store.all[groupKind][id]; g != nil && id != self {
			out = append(out, map[string]any{"value": id, "display": g.data["displayName"], "type": "Group"})
		} else {
			return errorf(http.StatusBadRequest, "invalidValue", "member %q is not a user or group of this target", id)
		}
	}
	if len(out) > 0 {
		data["members"] = out
	} else {
		delete(data, "members")
	}
	return nil
}

// check runs the resource type's rules.
func (s *Server) check(k *kind, data map[string]any, self string) *scimError {
	if k == userKind {
		return s.checkUser(data, self)
	}
	return s.checkGroup(data, self)
}
