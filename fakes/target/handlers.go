package target

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// readBody decodes a JSON object body: 413 when too large, 400
// invalidSyntax when it is not JSON (RFC 7644 §3.12).
func (s *Server) readBody(r *http.Request) (map[string]any, *scimError) {
	var body map[string]any
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return nil, errorf(http.StatusRequestEntityTooLarge, "", "the request body is larger than %d bytes", maxBody)
		case s.has("invalid-json-500"):
			return nil, errorf(http.StatusInternalServerError, "", "internal error")
		}
		return nil, errorf(http.StatusBadRequest, "invalidSyntax", "the body is not a JSON object: %v", err)
	}
	return body, nil
}

// create is POST /Users and /Groups (RFC 7644 §3.3).
func (s *Server) create(w http.ResponseWriter, r *http.Request, k *kind) {
	body, serr := s.readBody(r)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	data, serr := s.canonical(k, body)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if k == userKind {
		if _, ok := data["active"]; !ok && !s.has("no-default-active") {
			data["active"] = true
		}
	}
	if s.has("drops-external-id") {
		delete(data, "externalId")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if serr := s.check(k, data, ""); serr != nil {
		s.writeError(w, serr)
		return
	}
	now := time.Now().UTC()
	st.seq++
	res := &resource{kind: k, id: newID(), data: data, version: 1, created: now, modified: now, seq: st.seq}
	st.all[k][res.id] = res
	status := http.StatusCreated
	if s.has("create-returns-200") {
		status = http.StatusOK
	}
	if !s.has("no-location-header") {
		w.Header().Set("Location", res.location(r))
	}
	s.writeResource(w, r, res, status)
}

// writeResource answers one resource with its ETag, trimmed by the
// request's attributes parameters. Callers hold the store lock.
func (s *Server) writeResource(w http.ResponseWriter, r *http.Request, res *resource, status int) {
	if !s.has("no-etag") {
		w.Header().Set("ETag", res.etag())
	}
	q := r.URL.Query()
	out := projectionOf(q.Get("attributes"), q.Get("excludedAttributes")).apply(res.kind, s.render(res, r), s)
	s.writeJSON(w, status, out)
}

// find returns a stored resource or a 404. Callers hold the store lock.
func (s *Server) find(k *kind, id string) (*resource, *scimError) {
	res := s.store.all[k][id]
	if res == nil {
		return nil, errorf(http.StatusNotFound, "", "%s %q not found", k.Name, id)
	}
	return res, nil
}

// get is GET /Users/{id} (RFC 7644 §3.4.1), with If-None-Match (§3.14).
func (s *Server) get(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, serr := s.find(k, id)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && inm == res.etag() && !s.has("etag-ignored") {
		w.Header().Set("ETag", res.etag())
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.writeResource(w, r, res, http.StatusOK)
}

// preconditions applies If-Match (RFC 7644 §3.14).
func (s *Server) preconditions(r *http.Request, res *resource) *scimError {
	im := r.Header.Get("If-Match")
	if im == "" || im == "*" || im == res.etag() || s.has("etag-ignored") {
		return nil
	}
	return errorf(http.StatusPreconditionFailed, "", "the resource's version is %s, not %s", res.etag(), im)
}

// save stores new data for res after the type's checks and the faults that
// bend writes. Callers hold the store lock.
func (s *Server) save(res *resource, data map[string]any) *scimError {
	if serr := s.check(res.kind, data, res.id); serr != nil {
		return serr
	}
	if res.kind == userKind {
		if data["active"] == false && s.has("ignores-active-false") {
			data["active"] = res.data["active"]
		}
		if data["active"] == false && s.has("deactivate-deletes") {
			delete(s.store.all[userKind], res.id)
			return nil
		}
	}
	if s.has("drops-external-id") {
		delete(data, "externalId")
	}
	res.data = data
	res.version++
	res.modified = time.Now().UTC()
	return nil
}

// replace is PUT (RFC 7644 §3.5.1): every writable attribute is replaced;
// what the request omits is cleared.
func (s *Server) replace(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	body, serr := s.readBody(r)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	data, serr := s.canonical(k, body)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, serr := s.find(k, id)
	if serr == nil {
		serr = s.preconditions(r, res)
	}
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if s.has("put-keeps-omitted") {
		merged := copyMap(res.data)
		for key, v := range data {
			merged[key] = v
		}
		data = merged
	}
	if _, ok := data["password"]; !ok && res.data["password"] != nil {
		if s.has("put-requires-password") {
			s.writeError(w, errorf(http.StatusBadRequest, "invalidValue", "password is required"))
			return
		}
		data["password"] = res.data["password"] // a PUT never clears the password (writeOnly)
	}
	if s.has("put-drops-enterprise") {
		delete(data, enterpriseURN)
	}
	if serr := s.save(res, data); serr != nil {
		s.writeError(w, serr)
		return
	}
	s.writeResource(w, r, res, http.StatusOK)
}

// delete is DELETE (RFC 7644 §3.6); a deleted user leaves every group.
func (s *Server) delete(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, serr := s.find(k, id)
	if serr == nil {
		serr = s.preconditions(r, res)
	}
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if !s.has("delete-keeps-resource") {
		delete(s.store.all[k], id)
	}
	if !s.has("user-delete-keeps-membership") && !s.has("delete-keeps-resource") {
		for _, g := range s.store.all[groupKind] {
			members, _ := g.data["members"].([]any)
			var kept []any
			for _, el := range members {
				if m, _ := el.(map[string]any); m["value"] != id {
					kept = append(kept, el)
				}
			}
			if len(kept) != len(members) {
				if len(kept) == 0 {
					delete(g.data, "members")
				} else {
					g.data["members"] = kept
				}
				g.version++
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
