package target

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// baseURL is where this target is reached, from the request (for meta.location).
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/scim/v2"
}

func (res *resource) location(r *http.Request) string {
	return baseURL(r) + "/" + res.kind.Endpoint + "/" + res.id
}

func (res *resource) etag() string { return fmt.Sprintf(`W/"%d"`, res.version) }

// render is the resource as the client sees it: schemas, id, stored
// attributes, computed ones (groups), meta. Callers hold the store lock.
func (s *Server) render(res *resource, r *http.Request) map[string]any {
	out := copyMap(res.data)
	schemas := []any{res.kind.Schema}
	for urn := range res.kind.Extensions {
		if _, ok := out[urn]; ok {
			schemas = append(schemas, urn)
		}
	}
	out["schemas"] = schemas
	out["id"] = res.id
	if res.kind == userKind {
		if !s.has("password-returned") {
			delete(out, "password") // returned: never (RFC 7643 §4.1.1)
		}
		if groups := s.groupsOf(res.id, r); len(groups) > 0 {
			out["groups"] = groups
		}
	}
	if !s.has("no-meta") {
		meta := map[string]any{
			"resourceType": res.kind.Name,
			"created":      res.created.Format(time.RFC3339Nano),
			"lastModified": res.modified.Format(time.RFC3339Nano),
			"location":     res.location(r),
		}
		if !s.has("no-etag") {
			meta["version"] = res.etag()
		}
		out["meta"] = meta
	}
	return out
}

// groupsOf computes a user's read-only groups attribute (RFC 7643 §4.1.2).
func (s *Server) groupsOf(userID string, r *http.Request) []any {
	if s.has("groups-attribute-empty") {
		return nil
	}
	var out []any
	for _, g := range s.store.all[groupKind] {
		members, _ := g.data["members"].([]any)
		for _, el := range members {
			if m, _ := el.(map[string]any); m["value"] == userID {
				out = append(out, map[string]any{"value": g.id, "display": g.data["displayName"], "$ref": g.location(r), "type": "direct"})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].(map[string]any)["value"].(string) < out[j].(map[string]any)["value"].(string)
	})
	return out
}

// projection is the attributes / excludedAttributes of a request
// (RFC 7644 §3.4.2.5).
type projection struct {
	include, exclude []string
}

func projectionOf(attributes, excluded string) projection {
	split := func(s string) []string {
		var out []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, strings.ToLower(p))
			}
		}
		return out
	}
	return projection{include: split(attributes), exclude: split(excluded)}
}

// alwaysReturned are never removed by a projection.
var alwaysReturned = map[string]bool{"id": true, "schemas": true, "meta": true}

// apply trims a rendered resource. Paths are matched case-insensitively,
// with sub-attributes ("name.givenName") and URN-prefixed extension paths.
func (p projection) apply(k *kind, out map[string]any, s *Server) map[string]any {
	if s.has("ignores-attributes-param") || (len(p.include) == 0 && len(p.exclude) == 0) {
		return out
	}
	keep := func(path string) bool {
		path = strings.ToLower(path)
		if len(p.include) > 0 {
			for _, in := range p.include {
				if in == path || strings.HasPrefix(in, path+".") || strings.HasPrefix(path, in+".") ||
					strings.HasPrefix(in, path+":") || strings.HasPrefix(path, in+":") {
					return true
				}
			}
			return false
		}
		for _, ex := range p.exclude {
			if ex == path {
				return false
			}
		}
		return true
	}
	res := map[string]any{}
	for key, v := range out {
		if alwaysReturned[key] {
			res[key] = v
			continue
		}
		if _, isExt := k.extension(key); isExt {
			if m, ok := v.(map[string]any); ok && (len(p.include) > 0 || keep(key)) {
				sub := map[string]any{}
				for sk, sv := range m {
					if keep(key + ":" + sk) {
						sub[sk] = sv
					}
				}
				if len(sub) > 0 {
					res[key] = sub
				}
			}
			continue
		}
		if !keep(key) {
			continue
		}
		if m, ok := v.(map[string]any); ok {
			sub := map[string]any{}
			for sk, sv := range m {
				if keep(key + "." + sk) {
					sub[sk] = sv
				}
			}
			if len(sub) > 0 {
				res[key] = sub
			}
			continue
		}
		res[key] = v
	}
	return res
}
