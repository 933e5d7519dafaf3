package target

import "strings"

// projection is the attributes / excludedAttributes of a request
// (RFC 7644 §3.4.2.5). Each entry is a lower-cased top-level key (an
// attribute name or an extension URN) and, optionally, one sub-attribute.
type projection struct {
	include, exclude []attrRef
}

type attrRef struct{ top, sub string }

// projectionOf parses the comma-separated parameters. Names are
// case-insensitive; "name.givenName", the core schema URN prefix and
// URN-prefixed extension attributes are understood.
func projectionOf(k *kind, attributes, excluded string) projection {
	return projection{include: parseRefs(k, attributes), exclude: parseRefs(k, excluded)}
}

func parseRefs(k *kind, list string) []attrRef {
	var out []attrRef
	for _, p := range strings.Split(list, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, parseRef(k, p))
		}
	}
	return out
}

func parseRef(k *kind, p string) attrRef {
	for _, urn := range k.extensionURNs() {
		u := strings.ToLower(urn)
		if p == u {
			return attrRef{top: u}
		}
		if rest, ok := strings.CutPrefix(p, u+":"); ok {
			name, _, _ := strings.Cut(rest, ".") // manager.value selects manager
			return attrRef{top: u, sub: name}
		}
	}
	p = strings.TrimPrefix(p, strings.ToLower(k.Schema)+":")
	top, sub, _ := strings.Cut(p, ".")
	return attrRef{top: top, sub: sub}
}

// alwaysReturned are never removed by a projection (RFC 7643 §7,
// returned "always").
var alwaysReturned = map[string]bool{"id": true, "schemas": true, "meta": true}

// project trims a rendered resource. RFC 7644 §3.4.2.5: attributes
// returns those named plus the "always" ones; excludedAttributes leaves
// out those named.
func (s *Server) project(p projection, out map[string]any) map[string]any {
	if s.has(IgnoresAttributesParam) || (len(p.include) == 0 && len(p.exclude) == 0) {
		return out
	}
	res := make(map[string]any, len(out))
	for key, v := range out {
		if (alwaysReturned[key] && (key != "schemas" || !s.has(AttributesDropsSchemas))) || s.alwaysByChoice(key, out) {
			res[key] = v
			continue
		}
		lk := strings.ToLower(key)
		if len(p.include) > 0 {
			subs, whole := selected(p.include, lk)
			switch {
			case whole:
				res[key] = v
			case len(subs) > 0:
				if t := trim(v, func(sk string) bool { return subs[strings.ToLower(sk)] }); t != nil {
					res[key] = t
				}
			}
			continue
		}
		subs, whole := selected(p.exclude, lk)
		switch {
		case whole:
		case len(subs) > 0:
			if t := trim(v, func(sk string) bool { return !subs[strings.ToLower(sk)] }); t != nil {
				res[key] = t
			}
		default:
			res[key] = v
		}
	}
	return res
}

// selected says whether refs name the whole attribute top, or which of
// its sub-attributes they name.
func selected(refs []attrRef, top string) (subs map[string]bool, whole bool) {
	for _, r := range refs {
		if r.top != top {
			continue
		}
		if r.sub == "" {
			return nil, true
		}
		if subs == nil {
			subs = map[string]bool{}
		}
		subs[r.sub] = true
	}
	return subs, false
}

// trim keeps the sub-attributes keep accepts, in a complex value or in
// each value of a multi-valued one; nil when nothing is left.
func trim(v any, keep func(string) bool) any {
	switch t := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for sk, sv := range t {
			if keep(sk) {
				m[sk] = sv
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	case []any:
		var l []any
		for _, el := range t {
			if x := trim(el, keep); x != nil {
				l = append(l, x)
			}
		}
		if len(l) == 0 {
			return nil
		}
		return l
	}
	return v // a simple attribute has no sub-attributes to trim
}

// alwaysByChoice says whether key of a rendered resource is one the
// attributes-always liberty returns "always": a user's userName, a group's
// displayName.
func (s *Server) alwaysByChoice(key string, out map[string]any) bool {
	if !s.has("attributes-always") {
		return false
	}
	_, isUser := out["userName"]
	return key == "userName" || (key == "displayName" && !isUser)
}
