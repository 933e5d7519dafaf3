package target

import (
	"net/http"
	"strings"
)

// canonical turns a client's representation into stored form: attribute
// names in their canonical case (RFC 7643 §2.1: "Attribute names are
// case insensitive"), values checked against their type, server-owned and
// read-only attributes dropped (RFC 7643 §7, mutability "readOnly": "SHALL
// be ignored"), unknown ones ignored.
func (s *Server) canonical(k *kind, in map[string]any) (map[string]any, *scimError) {
	out := map[string]any{}
	for key, v := range in {
		if urn, ok := k.extension(key); ok {
			m, isMap := v.(map[string]any)
			if v != nil && !isMap {
				return nil, errorf(http.StatusBadRequest, "invalidValue", "%s must be an object", urn)
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
		a, _, known := k.lookup("", key)
		if err := s.keep(out, a, known, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// attrs canonicalises the members of a complex value or an extension.
func (s *Server) attrs(defs []attr, in map[string]any) (map[string]any, *scimError) {
	out := map[string]any{}
	for key, v := range in {
		a, known := find(defs, key)
		if err := s.keep(out, a, known, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// keep stores v, canonicalised, in out under a's name; an unknown or
// read-only attribute is dropped.
func (s *Server) keep(out map[string]any, a attr, known bool, v any) *scimError {
	if !known || a.Mutability == "readOnly" {
		return nil
	}
	cv, err := s.value(a, v)
	if err != nil {
		return err
	}
	if cv != nil {
		out[a.Name] = cv
	}
	return nil
}

// value checks and canonicalises one attribute's value. nil means
// "unassigned" (RFC 7643 §2.5: null and an empty array are unassigned).
func (s *Server) value(a attr, v any) (any, *scimError) {
	if v == nil {
		if a.Name == "$ref" && s.has(RejectsNullRef) {
			return nil, errorf(http.StatusBadRequest, "invalidValue", `"$ref": null is not a reference`)
		}
		return nil, nil
	}
	if a.Multi {
		return s.multiValue(a, v)
	}
	switch a.Type {
	case "complex":
		return s.complexValue(a, v)
	case "boolean":
		return s.boolValue(a, v)
	}
	if t, ok := v.(string); ok {
		return t, nil
	}
	return nil, errorf(http.StatusBadRequest, "invalidValue", "%s must be a string", a.Name)
}

func (s *Server) multiValue(a attr, v any) (any, *scimError) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v} // a single value where a list is expected
	}
	one := a
	one.Multi = false
	var out []any
	for _, el := range list {
		cv, err := s.value(one, el)
		if err != nil {
			return nil, err
		}
		if m, isMap := cv.(map[string]any); isMap && s.has(DropsMultiValuedType) {
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

func (s *Server) complexValue(a attr, v any) (any, *scimError) {
	switch t := v.(type) {
	case string:
		// Entra sends the manager as the bare id (entra-manager): a plain
		// value means the "value" sub-attribute.
		if _, ok := a.sub("value"); ok {
			return map[string]any{"value": t}, nil
		}
	case []any:
		// Entra legacy sends the manager as an array of one.
		if len(t) == 1 && !s.has(ManagerArrayRejected) {
			return s.complexValue(a, t[0])
		}
		return nil, errorf(http.StatusBadRequest, "invalidValue", "%s takes a single value", a.Name)
	case map[string]any:
		m, err := s.attrs(a.Sub, t)
		if err != nil || len(m) == 0 {
			return nil, err
		}
		return m, nil
	}
	return nil, errorf(http.StatusBadRequest, "invalidValue", "%s must be an object", a.Name)
}

// boolValue accepts JSON booleans and, for Entra (entra-string-bool), the
// strings "True"/"False" in any case; anything else is invalidValue.
func (s *Server) boolValue(a attr, v any) (any, *scimError) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case string:
		if !s.has(RejectsStringBooleans) && (t == "True" || t == "False" || !s.has(StringBooleansTitleCaseOnly)) {
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
