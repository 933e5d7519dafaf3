package target

import (
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// matches evaluates a parsed filter against a rendered resource
// (RFC 7644 §3.4.2.2). Attribute names are case-insensitive; string
// comparison follows the attribute's caseExact.
func (s *Server) matches(k *kind, res map[string]any, e filter.Expression) bool {
	switch t := e.(type) {
	case *filter.LogicalExpression:
		if t.Operator == filter.AND && !s.has("and-filter-as-or") {
			return s.matches(k, res, t.Left) && s.matches(k, res, t.Right)
		}
		return s.matches(k, res, t.Left) || s.matches(k, res, t.Right)
	case *filter.NotExpression:
		if s.has("not-filter-ignored") {
			return s.matches(k, res, t.Expression)
		}
		return !s.matches(k, res, t.Expression)
	case *filter.ValuePath:
		if s.has("value-path-filter-broken") {
			return false
		}
		def, values := s.values(k, res, t.AttributePath, false)
		for _, v := range values {
			if m, ok := v.(map[string]any); ok && s.matchesSub(def, m, t.ValueFilter) {
				return true
			}
		}
		return false
	case *filter.AttributeExpression:
		def, values := s.values(k, res, t.AttributePath, true)
		if t.Operator == filter.PR {
			return len(values) > 0
		}
		for _, v := range values {
			if s.compare(def, v, t.Operator, t.CompareValue) {
				return true
			}
		}
	}
	return false
}

// matchesSub evaluates a value filter against one element of a
// multi-valued attribute: its names are sub-attributes.
func (s *Server) matchesSub(parent attr, el map[string]any, e filter.Expression) bool {
	sub := &kind{Attrs: parent.Sub}
	return s.matches(sub, el, e)
}

// values resolves an attribute path to its definition and every value it
// holds; a multi-valued attribute yields each value (each element's
// sub-attribute with a dotted path). leaf flattens lists.
func (s *Server) values(k *kind, res map[string]any, p filter.AttributePath, leaf bool) (attr, []any) {
	urn := p.URI()
	if urn != "" && s.has("filter-ignores-extension") {
		return attr{}, nil
	}
	def, ext, ok := k.lookup(urn, p.AttributeName)
	if !ok {
		return attr{}, nil
	}
	node := res
	if ext != "" {
		node, _ = res[ext].(map[string]any)
	}
	v := lookupFold(node, def.Name)
	if v == nil {
		return def, nil
	}
	var items []any
	if list, isList := v.([]any); isList {
		items = list
	} else {
		items = []any{v}
	}
	if p.SubAttribute == nil {
		if leaf && def.Type == "complex" {
			// "emails eq x" compares the value sub-attribute.
			if sub, ok := def.sub("value"); ok {
				return s.subValues(sub, items, "value")
			}
		}
		return def, items
	}
	sub, ok := def.sub(*p.SubAttribute)
	if !ok {
		return attr{}, nil
	}
	return s.subValues(sub, items, sub.Name)
}

func (s *Server) subValues(sub attr, items []any, name string) (attr, []any) {
	var out []any
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if v := lookupFold(m, name); v != nil {
				out = append(out, v)
			}
		}
	}
	return sub, out
}

func lookupFold(m map[string]any, name string) any {
	if m == nil {
		return nil
	}
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// compare applies one attribute operator.
func (s *Server) compare(def attr, got any, op filter.CompareOperator, want any) bool {
	switch g := got.(type) {
	case bool:
		w, ok := want.(bool)
		switch op {
		case filter.EQ:
			return ok && g == w
		case filter.NE:
			return !ok || g != w
		}
		return false
	case string:
		w, ok := want.(string)
		if !ok {
			return op == filter.NE
		}
		if !def.CaseExact && !s.caseSensitive(def) {
			g, w = strings.ToLower(g), strings.ToLower(w)
		}
		if def.Name == "externalId" && s.has("external-id-case-insensitive") {
			g, w = strings.ToLower(g), strings.ToLower(w)
			if op == filter.EQ {
				return strings.HasPrefix(g, w)
			}
		}
		switch op {
		case filter.EQ:
			return g == w
		case filter.NE:
			return g != w
		case filter.CO:
			return strings.Contains(g, w)
		case filter.SW:
			return strings.HasPrefix(g, w)
		case filter.EW:
			return strings.HasSuffix(g, w)
		case filter.GT:
			return g > w
		case filter.GE:
			return g >= w
		case filter.LT:
			return g < w
		case filter.LE:
			return g <= w
		}
	case float64:
		w, ok := want.(float64)
		if !ok {
			if i, isInt := want.(int); isInt {
				w, ok = float64(i), true
			}
		}
		if !ok {
			return false
		}
		switch op {
		case filter.EQ:
			return g == w
		case filter.NE:
			return g != w
		case filter.GT:
			return g > w
		case filter.GE:
			return g >= w
		case filter.LT:
			return g < w
		case filter.LE:
			return g <= w
		}
	}
	return false
}

// caseSensitive applies the faults that make caseExact=false attributes
// compare exactly.
func (s *Server) caseSensitive(def attr) bool {
	if def.Name == "userName" && s.has("username-case-sensitive") {
		return true
	}
	return s.has("string-compare-case-sensitive") && def.Name != "userName"
}
