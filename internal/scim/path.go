package scim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// Object is a decoded SCIM resource or message.
type Object map[string]any

// Object decodes the response body as a JSON object.
func (r *Response) Object() (Object, error) {
	var o Object
	if err := json.Unmarshal(r.Body, &o); err != nil {
		return nil, fmt.Errorf("the body is not a JSON object: %w", err)
	}
	return o, nil
}

// Lookup finds an attribute by SCIM path: "userName", "name.givenName",
// `emails[type eq "work"].value`, or a URN-prefixed extension attribute.
// Attribute names match case-insensitively (RFC 7643 §2.1).
func (o Object) Lookup(path string) (any, bool) {
	node := map[string]any(o)
	if strings.HasPrefix(strings.ToLower(path), "urn:") {
		urn, rest := splitURN(node, path)
		if urn == "" {
			return nil, false
		}
		ext, ok := get(node, urn).(map[string]any)
		if !ok {
			return nil, false
		}
		node, path = ext, rest
	}
	if !strings.ContainsAny(path, "[") {
		return walk(node, strings.Split(path, "."))
	}
	p, err := filter.ParsePath([]byte(path))
	if err != nil {
		return nil, false
	}
	attr := p.AttributePath.AttributeName
	if p.AttributePath.SubAttribute != nil {
		attr += "." + *p.AttributePath.SubAttribute
	}
	v, ok := walk(node, strings.Split(attr, "."))
	list, isList := v.([]any)
	if !ok || !isList {
		return nil, false
	}
	var hits []any
	for _, el := range list {
		m, ok := el.(map[string]any)
		if ok && matches(m, p.ValueExpression) {
			hits = append(hits, m)
		}
	}
	if len(hits) == 0 {
		return nil, false
	}
	if p.SubAttribute == nil {
		return hits, true
	}
	val, ok := walk(hits[0].(map[string]any), []string{*p.SubAttribute})
	return val, ok
}

// splitURN finds the member of node whose name is a URN prefix of path.
func splitURN(node map[string]any, path string) (urn, rest string) {
	for k := range node {
		if len(k) < len(path) && strings.EqualFold(path[:len(k)], k) && path[len(k)] == ':' && len(k) > len(urn) {
			urn, rest = k, path[len(k)+1:]
		}
	}
	return urn, rest
}

func walk(node map[string]any, names []string) (any, bool) {
	var cur any = node
	for _, n := range names {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur = get(m, n); cur == nil {
			return nil, false
		}
	}
	return cur, true
}

func get(m map[string]any, name string) any {
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

// matches evaluates the small part of the filter grammar that step paths use:
// eq and ne comparisons joined by and/or.
func matches(m map[string]any, e filter.Expression) bool {
	switch t := e.(type) {
	case *filter.AttributeExpression:
		got := Text(get(m, t.AttributePath.AttributeName))
		want := Text(t.CompareValue)
		switch t.Operator {
		case filter.EQ:
			return strings.EqualFold(got, want)
		case filter.NE:
			return !strings.EqualFold(got, want)
		}
	case *filter.LogicalExpression:
		if t.Operator == filter.AND {
			return matches(m, t.Left) && matches(m, t.Right)
		}
		return matches(m, t.Left) || matches(m, t.Right)
	}
	return false
}

// Text renders a JSON value as the text a feature file compares with.
func Text(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int:
		return strconv.Itoa(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
