package target

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// create is POST /Users and /Groups (RFC 7644 §3.3): 201 with the resource
// and its Location.
func (s *Server) create(w http.ResponseWriter, r *http.Request, k *kind) {
	body, serr := s.readBody(r)
	var data map[string]any
	if serr == nil {
		data, serr = s.canonical(k, body)
	}
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if v, ok := body["id"]; ok && v == nil && s.has(NullID500) {
		s.writeError(w, errorf(http.StatusInternalServerError, "", "internal error"))
		return
	}
	if k == userKind {
		// RFC 7643 §4.1.1 leaves active's default to the provider: ours is true.
		if _, ok := data["active"]; !ok && !s.has("no-default-active") {
			data["active"] = !s.has(NewUserInactive)
		}
		if body["active"] == "true" && s.has(StringActiveInactive) {
			data["active"] = false
		}
	}
	if s.has(ForeignSchemasKept) {
		if foreign := foreignSchemas(k, body); len(foreign) > 0 {
			data["schemas"] = foreign
		}
	}
	if s.has(DropsExternalID) {
		delete(data, "externalId")
	}
	if s.has(DropsEnterprise) || s.has("no-enterprise") {
		delete(data, enterpriseURN)
	}
	if m, ok := body["members"].([]any); ok && len(m) == 0 && k == groupKind && s.has(EmptyMembersRefused) {
		s.writeError(w, errorf(http.StatusBadRequest, "invalidValue", "members must not be empty"))
		return
	}
	if k == groupKind && s.has(CreateGroupIgnoresMembers) {
		delete(data, "members")
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	serr = s.admit(k, data) // lifecycle.go: in invitation mode a create is an invitation
	if serr == nil {
		serr = s.check(k, data, "")
	}
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	res := s.store.add(k, data, s.idFor(k, body, data))
	s.admitted(res)
	status := http.StatusCreated
	if s.has(CreateReturns200) {
		status = http.StatusOK
	}
	if !s.has(NoLocationHeader) {
		w.Header().Set("Location", s.location(res, r))
	}
	if k == userKind && s.has(CreateUserWithoutID) {
		body := s.render(res, r)
		delete(body, "id")
		s.writeJSON(w, status, body)
		return
	}
	s.writeResource(w, r, res, status)
}

// foreignSchemas are the URNs in body's schemas that k does not define.
func foreignSchemas(k *kind, body map[string]any) []any {
	list, _ := body["schemas"].([]any)
	var out []any
	for _, v := range list {
		urn, _ := v.(string)
		if _, ext := k.extension(urn); urn != k.Schema && !ext {
			out = append(out, v)
		}
	}
	return out
}

// check runs the resource type's rules. Callers hold the store lock.
func (s *Server) check(k *kind, data map[string]any, self string) *scimError {
	if k == userKind {
		return s.checkUser(data, self)
	}
	return s.checkGroup(data, self)
}

// find returns a stored resource or a 404. Callers hold the store lock.
func (s *Server) find(k *kind, id string) (*resource, *scimError) {
	res := s.store.all[k][id]
	if res == nil {
		return nil, errorf(http.StatusNotFound, "", "%s %q not found", k.Name, id)
	}
	return res, nil
}

// get is GET /Users/{id} (RFC 7644 §3.4.1). RFC 7644 §3.14: an
// If-None-Match naming the current version answers 304.
func (s *Server) get(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, serr := s.find(k, id)
	if serr == nil && s.has(GetByID404) {
		serr = errorf(http.StatusNotFound, "", "%s %q not found", k.Name, id)
	}
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagListed(inm, res.etag()) && !s.has("etag-unsupported") {
		w.Header().Set("ETag", res.etag())
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.writeResource(w, r, res, http.StatusOK)
}

// preconditions applies If-Match (RFC 7644 §3.14): a version other than
// the current one is 412.
func (s *Server) preconditions(r *http.Request, res *resource) *scimError {
	im := r.Header.Get("If-Match")
	if im == "" || etagListed(im, res.etag()) || s.has(ETagIgnored) || s.has("etag-unsupported") {
		return nil
	}
	return errorf(http.StatusPreconditionFailed, "", "the resource's version is %s, not %s", res.etag(), im)
}

// etagListed says whether a header's comma-separated entity tags name tag
// (or "*").
func etagListed(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || t == tag {
			return true
		}
	}
	return false
}

// save stores new data for res after the type's checks and the faults that
// bend writes. Callers hold the store lock.
func (s *Server) save(res *resource, data map[string]any) *scimError {
	if serr := s.check(res.kind, data, res.id); serr != nil {
		return serr
	}
	if serr := s.keepProfile(res, data); serr != nil {
		return serr // hubrules.go: an invited member's profile is their own
	}
	stored := res.attrs()
	if res.kind == userKind && s.has("change-password-unsupported") && !reflect.DeepEqual(data["password"], stored["password"]) {
		return errorf(http.StatusNotImplemented, "", "changing a password is not supported")
	}
	if res.kind == userKind {
		s.reactivating(res, data)
		if name, _ := stored["userName"].(string); data["active"] == false && s.has(DeactivationDeletesContent) {
			s.dropContent(name) // the bug: a deactivation treated as the delete HX5 describes
		}
		if data["active"] == false && s.has(IgnoresActiveFalse) {
			data["active"] = stored["active"]
		}
		if data["active"] == false && s.has(DeactivateDeletes) {
			s.store.remove(res)
			s.dropMember(res.id)
			return nil
		}
	}
	if s.has(DropsEnterprise) || s.has("no-enterprise") {
		delete(data, enterpriseURN)
	}
	if s.has(DropsExternalID) {
		delete(data, "externalId")
	}
	before := groupMemberIDs(res)
	s.store.setData(res, data)
	res.touch()
	if res.kind == groupKind {
		s.groupChanged(res, before, false) // resourcegroups.go: linked resource groups follow
	}
	return nil
}

// replace is PUT (RFC 7644 §3.5.1): every attribute the client may write
// is replaced; what the request omits is cleared (kept under the
// put-keeps-omitted liberty); id, meta and read-only attributes stay.
func (s *Server) replace(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	if s.has(PutRejectsReadOnly) {
		r = s.refuseReadOnly(w, r)
		if r == nil {
			return
		}
	}
	data, ok := s.readResource(w, r, k)
	if !ok {
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, ok := s.findForWrite(w, r, k, id)
	if !ok {
		return
	}
	if s.has("put-keeps-omitted") {
		merged := res.attrs()
		for key, v := range data {
			merged[key] = v
		}
		data = merged
	}
	// The password is writeOnly: a client cannot read it back to resend
	// it, so a PUT without one keeps it rather than clearing it.
	stored := res.attrs()
	if _, ok := data["password"]; !ok && stored["password"] != nil {
		if s.has(PutRequiresPassword) {
			s.writeError(w, errorf(http.StatusBadRequest, "invalidValue", "password is required"))
			return
		}
		data["password"] = stored["password"]
	}
	if _, ok := data["active"]; k == userKind && !ok && !s.has("no-default-active") {
		data["active"] = true // omitted is "set to default" (RFC 7644 §3.5.1)
	}
	if s.has(PutDropsEnterprise) {
		delete(data, enterpriseURN)
	}
	if s.has(PutIgnored) {
		data = stored
	}
	before := *res
	if serr := s.save(res, data); serr != nil {
		s.writeError(w, serr)
		return
	}
	if s.has(PutAnswerStale) {
		res = &before
	}
	s.writeResource(w, r, res, http.StatusOK)
}

// delete is DELETE (RFC 7644 §3.6): 204, then the resource is gone, and no
// group lists it as a member any more.
func (s *Server) delete(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, ok := s.findForWrite(w, r, k, id)
	if !ok {
		return
	}
	if !s.has(DeleteKeepsResource) {
		s.deprovisioned(res) // lifecycle.go: what deprovisioning means in each mode
		if k == groupKind {
			s.groupChanged(res, groupMemberIDs(res), true)
		}
		s.store.remove(res)
		if s.has(ReusesFreedIDs) {
			p := pool(k, res.attrs())
			s.store.freed[p] = append(s.store.freed[p], id)
		}
		if k != userKind || !s.has(UserDeleteKeepsMembership) {
			s.dropMember(id)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// idFor is the id a create gets (RFC 7643 §3.1: issued by the service
// provider, unique, never reassigned): a fresh one, unless a fault takes
// the one the client sent or the one a delete freed last. Callers hold the
// store lock.
func (s *Server) idFor(k *kind, body, data map[string]any) string {
	if id, _ := body["id"].(string); id != "" && s.has(ClientIDAccepted) {
		return id
	}
	if freed := s.store.freed[pool(k, data)]; len(freed) > 0 {
		s.store.freed[pool(k, data)] = freed[:len(freed)-1]
		return freed[len(freed)-1]
	}
	return "" // the store issues one
}

// pool is where the fault that reuses ids keeps a deleted resource's id:
// per resource type and name prefix (up to the last "-"), as a tenant's own
// id sequence would, so reuse stays among one client's resources.
func pool(k *kind, data map[string]any) string {
	name, _ := data["userName"].(string)
	if name == "" {
		name, _ = data["displayName"].(string)
	}
	if i := strings.LastIndex(name, "-"); i > 0 {
		name = name[:i]
	}
	return k.Name + "/" + name
}

// readResource decodes and canonicalises a request body, or answers the
// error and reports false.
func (s *Server) readResource(w http.ResponseWriter, r *http.Request, k *kind) (map[string]any, bool) {
	body, serr := s.readBody(r)
	if serr == nil {
		var data map[string]any
		if data, serr = s.canonical(k, body); serr == nil {
			return data, true
		}
	}
	s.writeError(w, serr)
	return nil, false
}

// findForWrite finds the resource a write targets and applies If-Match, or
// answers the error and reports false. Callers hold the store lock.
func (s *Server) findForWrite(w http.ResponseWriter, r *http.Request, k *kind, id string) (*resource, bool) {
	res, serr := s.find(k, id)
	if serr == nil {
		serr = s.preconditions(r, res)
	}
	if serr != nil {
		s.writeError(w, serr)
		return nil, false
	}
	return res, true
}

// refuseReadOnly answers 400 to a PUT carrying meta, as a target does that
// will not take back its own representation (fault put-rejects-read-only);
// otherwise it returns r with its body to read again, or nil once answered.
func (s *Server) refuseReadOnly(w http.ResponseWriter, r *http.Request) *http.Request {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return r
	}
	var body map[string]any
	if json.Unmarshal(raw, &body) == nil && body["meta"] != nil {
		s.writeError(w, errorf(http.StatusBadRequest, "mutability", "meta is read-only"))
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	return r
}
