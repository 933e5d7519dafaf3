package target

import (
	"net/http"

	filter "github.com/scim2/filter-parser/v2"
)

// atPath applies an operation at an attribute path: "title",
// "name.familyName", `emails[type eq "work"].value`, `members[value eq "1"]`,
// or a URN-prefixed extension attribute.
func (s *Server) atPath(k *kind, data map[string]any, op, path string, value any) *scimError {
	if urn, ok := k.extension(path); ok {
		return s.wholeExtension(k, data, op, urn, value)
	}
	p, err := filter.ParsePath([]byte(path))
	if err != nil {
		return errorf(http.StatusBadRequest, "invalidPath", "path %q does not parse", path)
	}
	def, ext, ok := s.lookupPath(k, p.AttributePath.URI(), p.AttributePath.AttributeName)
	if !ok {
		if s.has(PatchUnknownPathAccepted) {
			return nil
		}
		return errorf(http.StatusBadRequest, "invalidPath", "no attribute %q", path)
	}
	if def.Mutability == "readOnly" {
		if s.has(PatchReadOnlyIgnored) {
			return nil
		}
		return errorf(http.StatusBadRequest, "mutability", "%s is read-only", def.Name)
	}
	if (op == "add" && s.has(PatchAddIgnored)) || (op == "remove" && s.has(PatchRemoveIgnored)) {
		return nil
	}
	if k == groupKind && s.groupFault(def.Name, op, p.ValueExpression != nil, value == nil) {
		return nil
	}
	node := data
	if ext != "" {
		m, _ := data[ext].(map[string]any)
		if m == nil {
			m = map[string]any{}
			data[ext] = m
		}
		node = m
		defer func() {
			if len(m) == 0 {
				delete(data, ext)
			}
		}()
	}
	sub := p.AttributePath.SubAttributeName()
	if p.ValueExpression != nil {
		return s.filtered(def, node, op, p, value)
	}
	if sub != "" {
		return s.subAttribute(def, node, op, sub, value)
	}
	return s.whole(def, node, op, value)
}

// groupFault says whether a fault swallows this operation on a group;
// bare is an operation without a value.
func (s *Server) groupFault(name, op string, filtered, bare bool) bool {
	switch {
	case name == "displayName" && op == "replace":
		return s.has(GroupRenameIgnored)
	case name == "members" && op == "add":
		return s.has(GroupMemberAddIgnored)
	case name == "members" && op == "remove" && filtered:
		return s.has(GroupMemberRemoveIgnored)
	case name == "members" && op == "remove" && bare:
		return s.has(GroupRemoveAllMembersIgnored)
	}
	return false
}

// wholeExtension applies an operation whose path is an extension's URN:
// add and replace merge an object of its attributes, remove drops it.
func (s *Server) wholeExtension(k *kind, data map[string]any, op, urn string, value any) *scimError {
	if op == "remove" {
		delete(data, urn)
		return nil
	}
	for key, v := range asObject(value) {
		if err := s.atPath(k, data, op, urn+":"+key, v); err != nil {
			return err
		}
	}
	return nil
}

func asObject(v any) map[string]any { m, _ := v.(map[string]any); return m }

// whole applies an operation to a whole attribute.
func (s *Server) whole(def attr, node map[string]any, op string, value any) *scimError {
	if op == "remove" {
		if def.Multi && value != nil { // Entra legacy: remove these members
			if s.has(LegacyMemberRemovalIgnored) {
				return nil
			}
			drop := map[any]bool{}
			list, _ := value.([]any)
			for _, el := range list {
				if m, ok := el.(map[string]any); ok {
					drop[m["value"]] = true
				}
			}
			return keepWhere(node, def.Name, func(m map[string]any) bool { return !drop[m["value"]] })
		}
		delete(node, def.Name)
		return nil
	}
	if value == "" && def.Type == "complex" && !s.has(EmptyReplaceStored) {
		value = nil // Entra removes a manager by replacing it with "" (E17, ENTRA-LA)
	}
	cv, err := s.value(def, value)
	if err != nil {
		return err
	}
	old := node[def.Name]
	switch {
	case cv == nil && op == "replace":
		delete(node, def.Name)
	case cv == nil:
	case def.Multi && (op == "add" || s.has(PatchReplaceAppends)):
		list, _ := old.([]any)
		node[def.Name] = append(list, cv.([]any)...)
	case def.Type == "complex" && !def.Multi:
		merged, _ := old.(map[string]any)
		if merged == nil {
			merged = map[string]any{}
		}
		for key, v := range cv.(map[string]any) {
			merged[key] = v
		}
		node[def.Name] = merged
	default:
		node[def.Name] = cv
	}
	return nil
}

// subAttribute handles "name.familyName" and, on a multi-valued attribute,
// the sub-attribute of every value.
func (s *Server) subAttribute(def attr, node map[string]any, op, sub string, value any) *scimError {
	sd, ok := def.sub(sub)
	if !ok {
		return errorf(http.StatusBadRequest, "invalidPath", "no attribute %s.%s", def.Name, sub)
	}
	if def.Multi {
		list, _ := node[def.Name].([]any)
		for _, el := range list {
			if m, isMap := el.(map[string]any); isMap {
				if err := s.setSub(sd, m, op, value); err != nil {
					return err
				}
			}
		}
		return nil
	}
	m, _ := node[def.Name].(map[string]any)
	if m == nil || (op == "replace" && s.has(PatchSubAttributeReplacesParent)) {
		if op == "remove" {
			return nil
		}
		m = map[string]any{}
		node[def.Name] = m
	}
	if err := s.setSub(sd, m, op, value); err != nil {
		return err
	}
	if len(m) == 0 {
		delete(node, def.Name)
	}
	return nil
}

func (s *Server) setSub(sd attr, m map[string]any, op string, value any) *scimError {
	if op == "remove" {
		delete(m, sd.Name)
		return nil
	}
	cv, err := s.value(sd, value)
	if err != nil {
		return err
	}
	if cv == nil {
		delete(m, sd.Name)
	} else {
		m[sd.Name] = cv
	}
	return nil
}

// filtered applies an operation to the values a value filter selects
// (RFC 7644 §3.5.2.2 and §3.5.2.3); none selected is noTarget.
func (s *Server) filtered(def attr, node map[string]any, op string, p filter.Path, value any) *scimError {
	if !def.Multi || def.Type != "complex" {
		return errorf(http.StatusBadRequest, "invalidPath", "%s is not multi-valued", def.Name)
	}
	selected := func(m map[string]any) bool {
		return (op == "replace" && s.has(PatchValueFilterAll)) || s.matchesSub(def, m, p.ValueExpression)
	}
	list, _ := node[def.Name].([]any)
	hit := false
	for _, el := range list {
		if m, ok := el.(map[string]any); ok && selected(m) {
			hit = true
		}
	}
	if !hit {
		return errorf(http.StatusBadRequest, "noTarget", "no value of %s matches the filter", def.Name)
	}
	if op == "remove" && p.SubAttribute == nil {
		return keepWhere(node, def.Name, func(m map[string]any) bool { return !selected(m) })
	}
	for _, el := range list {
		m, ok := el.(map[string]any)
		if !ok || !selected(m) {
			continue
		}
		if p.SubAttribute != nil {
			sd, ok := def.sub(*p.SubAttribute)
			if !ok {
				return errorf(http.StatusBadRequest, "invalidPath", "no attribute %s.%s", def.Name, *p.SubAttribute)
			}
			if err := s.setSub(sd, m, op, value); err != nil {
				return err
			}
			continue
		}
		one := def
		one.Multi = false
		cv, err := s.value(one, value)
		if err != nil {
			return err
		}
		if obj, isMap := cv.(map[string]any); isMap {
			for key, v := range obj {
				m[key] = v
			}
		}
	}
	return nil
}

// keepWhere filters a multi-valued attribute in place.
func keepWhere(node map[string]any, name string, keep func(map[string]any) bool) *scimError {
	list, _ := node[name].([]any)
	var out []any
	for _, el := range list {
		if m, ok := el.(map[string]any); !ok || keep(m) {
			out = append(out, el)
		}
	}
	if len(out) == 0 {
		delete(node, name)
	} else {
		node[name] = out
	}
	return nil
}
