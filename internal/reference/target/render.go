package target

import (
	"net/http"
	"strings"
	"time"
)

// timeLayout is RFC 3339 with a fixed number of fractional digits, so
// that timestamps also sort as strings.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// render is the resource as a client sees it: schemas, id, the stored
// attributes, computed ones (a user's groups, members' $ref) and meta
// (RFC 7643 §3.1). Callers hold the store lock.
func (s *Server) render(res *resource, r *http.Request) map[string]any {
	out := res.attrs()
	schemas := []any{res.kind.Schema}
	for _, urn := range res.kind.extensionURNs() {
		if _, ok := out[urn]; ok {
			schemas = append(schemas, urn)
		}
	}
	if kept, ok := out["schemas"].([]any); ok && s.has(ForeignSchemasKept) {
		schemas = append(schemas, kept...)
	}
	out["schemas"] = schemas
	out["id"] = res.id
	switch res.kind {
	case userKind:
		if !s.passwordShown(r) {
			delete(out, "password") // RFC 7643 §4.1.1: returned "never"
		}
		if groups := s.groupsOf(res.id, r); len(groups) > 0 {
			out["groups"] = groups
		}
		s.renderMembership(res, out)
	case groupKind:
		memberRefs(out, r)
	}
	if !s.has(NoMeta) {
		meta := map[string]any{
			"resourceType": res.kind.Name,
			"created":      time.Unix(0, res.created).UTC().Format(timeLayout),
			"lastModified": time.Unix(0, res.modified).UTC().Format(timeLayout),
			"location":     s.location(res, r),
		}
		if !s.has(NoETag) && !s.has("etag-unsupported") {
			meta["version"] = res.etag()
		}
		out["meta"] = meta
	}
	return out
}

// passwordShown is false on a correct target: a password is returned
// "never" (RFC 7643 §4.1.1), not after the write that set it, nor when a
// client asks for it by name. Faults bend it.
func (s *Server) passwordShown(r *http.Request) bool {
	switch {
	case s.has(PasswordReturned):
		return true
	case s.has(PasswordEchoedAfterWrite):
		return r.Method == http.MethodPut || r.Method == http.MethodPatch
	case s.has(PasswordReturnedWhenAsked):
		return strings.Contains(strings.ToLower(r.URL.Query().Get("attributes")), "password")
	}
	return false
}

// writeResource answers one resource with its ETag (RFC 7644 §3.14),
// trimmed by the request's attributes parameters. Callers hold the store
// lock.
func (s *Server) writeResource(w http.ResponseWriter, r *http.Request, res *resource, status int) {
	s.versionHeader(w, res)
	q := r.URL.Query()
	p := projectionOf(res.kind, q.Get("attributes"), q.Get("excludedAttributes"))
	s.writeJSON(w, status, s.withNulls(res.kind, p, s.project(p, s.render(res, r))))
}

// withNulls spells out, under the explicit-nulls liberty, each unassigned
// attribute the client may write as null (or [] when multi-valued), in a
// resource answered without attributes or excludedAttributes.
func (s *Server) withNulls(k *kind, p projection, out map[string]any) map[string]any {
	if !s.has("explicit-nulls") || len(p.include) > 0 || len(p.exclude) > 0 {
		return out
	}
	for _, a := range k.Attrs {
		if _, ok := out[a.Name]; ok || a.Returned == "never" || a.Mutability == "readOnly" {
			continue
		}
		if a.Multi {
			out[a.Name] = []any{}
		} else {
			out[a.Name] = nil
		}
	}
	return out
}

// versionHeader sets the ETag header of res (RFC 7644 §3.14), unless the
// target does no versioning.
func (s *Server) versionHeader(w http.ResponseWriter, res *resource) {
	if !s.has(NoETag) && !s.has("etag-unsupported") {
		w.Header().Set("ETag", res.etag())
	}
}

// location is where res lives: built from the request's Host, or the
// public base URL under the location-public-base liberty.
func (s *Server) location(res *resource, r *http.Request) string {
	if s.has("location-public-base") {
		return publicBase + "/" + res.kind.Endpoint + "/" + res.id
	}
	return res.location(r)
}
