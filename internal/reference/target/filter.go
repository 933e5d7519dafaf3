package target

import (
	"cmp"
	"strings"
	"time"

	filter "github.com/scim2/filter-parser/v2"
)

// matches evaluates a parsed filter against a rendered resource
// (RFC 7644 §3.4.2.2). Attribute names are case-insensitive; string
// comparison follows the attribute's caseExact.
func (s *Server) matches(k *kind, res map[string]any, e filter.Expression) bool {
	switch t := e.(type) {
	case *filter.LogicalExpression:
		and := t.Operator == filter.AND
		if s.has(AndFilterAsOr) || s.has(OrFilterAsAnd) {
			and = s.has(OrFilterAsAnd)
		}
		if and {
			return s.matches(k, res, t.Left) && s.matches(k, res, t.Right)
		}
		return s.matches(k, res, t.Left) || s.matches(k, res, t.Right)
	case *filter.NotExpression:
		if s.has(NotFilterIgnored) {
			return s.matches(k, res, t.Expression)
		}
		return !s.matches(k, res, t.Expression)
	case *filter.ValuePath:
		if s.has(ValuePathFilterBroken) {
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
		if def.Name == "userName" && t.Operator == filter.EQ && s.has(UsernameEqEmpty) {
			return false
		}
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

// lacks says whether res has no value for an attribute the filter compares,
// for the fault that fails on such resources instead of not matching them.
func lacks(s *Server, k *kind, res map[string]any, e filter.Expression) bool {
	switch t := e.(type) {
	case *filter.LogicalExpression:
		return lacks(s, k, res, t.Left) || lacks(s, k, res, t.Right)
	case *filter.NotExpression:
		return lacks(s, k, res, t.Expression)
	case *filter.AttributeExpression:
		_, values := s.values(k, res, t.AttributePath, true)
		return t.Operator != filter.PR && len(values) == 0
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
	if urn != "" && s.has(FilterIgnoresExtension) {
		return attr{}, nil
	}
	def, ext, ok := s.lookupPath(k, urn, p.AttributeName)
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
		if s.has(MultiValuedFilterFirstOnly) && len(items) > 1 {
			items = items[:1]
		}
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

// compare applies one attribute operator (RFC 7644 §3.4.2.2, Table 3).
// Strings compare case-insensitively unless the attribute is caseExact;
// dateTime attributes compare as instants.
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
		if def.Type == "dateTime" {
			if c, ok := compareTimes(g, w); ok {
				return ordered(op, c)
			}
		}
		if !def.CaseExact && !s.caseSensitive(def) {
			g, w = strings.ToLower(g), strings.ToLower(w)
		}
		g, w = s.skeleton(def, g), s.skeleton(def, w)
		if def.Name == "externalId" && s.has(ExternalIDCaseInsensitive) {
			g, w = strings.ToLower(g), strings.ToLower(w)
			if op == filter.EQ {
				return strings.HasPrefix(g, w)
			}
		}
		switch op {
		case filter.CO:
			return strings.Contains(g, w)
		case filter.SW:
			return strings.HasPrefix(g, w)
		case filter.EW:
			if s.has(EwAsSw) {
				return strings.HasPrefix(g, w)
			}
			return strings.HasSuffix(g, w)
		}
		return ordered(op, strings.Compare(g, w))
	case float64:
		var w float64
		switch t := want.(type) {
		case float64:
			w = t
		case int:
			w = float64(t)
		default:
			return op == filter.NE
		}
		return ordered(op, cmp.Compare(g, w))
	}
	return false
}

// ordered applies eq, ne, gt, ge, lt, le to a comparison result.
func ordered(op filter.CompareOperator, c int) bool {
	switch op {
	case filter.EQ:
		return c == 0
	case filter.NE:
		return c != 0
	case filter.GT:
		return c > 0
	case filter.GE:
		return c >= 0
	case filter.LT:
		return c < 0
	case filter.LE:
		return c <= 0
	}
	return false
}

func compareTimes(a, b string) (int, bool) {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return ta.Compare(tb), true
}

// caseSensitive applies the faults that make caseExact=false attributes
// compare exactly.
func (s *Server) caseSensitive(def attr) bool {
	if def.Name == "userName" && s.has(UsernameCaseSensitive) {
		return true
	}
	return s.has(StringCompareCaseSensitive) && def.Name != "userName"
}
