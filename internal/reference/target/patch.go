package target

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// patch is PATCH (RFC 7644 §3.5.2): operations apply in order to a copy,
// which is stored only if every one succeeds.
func (s *Server) patch(w http.ResponseWriter, r *http.Request, k *kind, id string) {
	body, serr := s.readBody(r)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if !listsSchema(body, patchURN) {
		s.writeError(w, errorf(http.StatusBadRequest, "invalidSyntax", "a PATCH body must carry the schema %s", patchURN))
		return
	}
	ops, ok := lookupFold(body, "Operations").([]any)
	if !ok || len(ops) == 0 {
		s.writeError(w, errorf(http.StatusBadRequest, "invalidSyntax", "a PatchOp needs Operations"))
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	res, ok := s.findForWrite(w, r, k, id)
	if !ok {
		return
	}
	if k == groupKind && s.has(RenameToOwnNameConflicts) && renamesToOwnName(ops, res.attrs()["displayName"]) {
		s.writeError(w, errorf(http.StatusConflict, "uniqueness", "displayName %q is taken", res.str("displayName")))
		return
	}
	data := res.attrs()
	if s.has(PatchOpsReversed) {
		ops = slices.Clone(ops)
		slices.Reverse(ops)
	}
	for i, raw := range ops {
		op, isMap := raw.(map[string]any)
		if !isMap {
			serr = errorf(http.StatusBadRequest, "invalidSyntax", "an operation must be an object")
		} else {
			serr = s.operation(k, data, op)
		}
		if serr != nil {
			serr.detail = "operation " + strconv.Itoa(i+1) + ": " + serr.detail
			if s.has(PatchNotAtomic) {
				_ = s.save(res, data)
			}
			s.writeError(w, serr)
			return
		}
	}
	if serr := s.save(res, data); serr != nil {
		s.writeError(w, serr)
		return
	}
	if s.has("patch-204") {
		s.versionHeader(w, res)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.writeResource(w, r, res, http.StatusOK)
}

// operation applies one PATCH operation to data.
func (s *Server) operation(k *kind, data map[string]any, op map[string]any) *scimError {
	name, _ := lookupFold(op, "op").(string)
	lower := strings.ToLower(name)
	if name != lower && s.has(PatchOpsCaseSensitive) {
		return errorf(http.StatusBadRequest, "invalidSyntax", "unknown op %q", name)
	}
	switch lower {
	case "add", "replace", "remove":
	default:
		if s.has(PatchUnknownOpAccepted) {
			return nil
		}
		return errorf(http.StatusBadRequest, "invalidSyntax", "unknown op %q: use add, replace or remove", name)
	}
	path, _ := lookupFold(op, "path").(string)
	value := lookupFold(op, "value")
	if strings.EqualFold(path, "active") && data["active"] == true && s.has(ActiveRefreshResetsProfile) {
		if b, err := s.boolValue(attr{Name: "active"}, value); err == nil && b == true {
			delete(data, "name") // a "reactivation" that re-applies defaults
			delete(data, "title")
		}
	}
	if lower == "replace" && path != "" && s.has(PatchPathReplaceIgnored) && !strings.ContainsAny(path, ".[:") {
		if a, _, ok := k.lookup("", path); ok && !a.Multi && a.Type != "complex" {
			return nil
		}
	}
	if path == "" {
		return s.noPath(k, data, lower, value)
	}
	return s.atPath(k, data, lower, path, value)
}

// noPath handles an operation without a path. RFC 7644 §3.5.2.1 and
// §3.5.2.3: the value of add and replace is then an object of attributes,
// whose keys may be dotted or URN-prefixed (entra-nopath-object,
// okta-patch-active); §3.5.2.2: remove needs a path, else noTarget.
func (s *Server) noPath(k *kind, data map[string]any, op string, value any) *scimError {
	if op == "remove" {
		if s.has(PatchRemoveNoPathAccepted) {
			return nil
		}
		return errorf(http.StatusBadRequest, "noTarget", "remove needs a path")
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return errorf(http.StatusBadRequest, "invalidValue", "%s without a path needs an object value", op)
	}
	if op == "replace" && s.has(PatchNoPathReplaceIgnored) {
		return nil
	}
	for key, v := range obj {
		if urn, isExt := k.extension(key); isExt {
			m, _ := v.(map[string]any)
			for sk, sv := range m {
				if err := s.atPath(k, data, op, urn+":"+sk, sv); err != nil {
					return err
				}
			}
			continue
		}
		top, _, _ := strings.Cut(key, ".")
		if a, _, known := k.lookup("", top); strings.EqualFold(key, "schemas") || (known && a.Mutability == "readOnly") {
			continue // Okta's group rename carries the id: read-only values are ignored, as in a PUT
		}
		if err := s.atPath(k, data, op, key, v); err != nil {
			return err
		}
	}
	return nil
}

// listsSchema says whether body's schemas names urn (RFC 7644 §3.5.2: the
// body "MUST contain the schemas attribute" with the PatchOp URI).
func listsSchema(body map[string]any, urn string) bool {
	list, _ := lookupFold(body, "schemas").([]any)
	for _, v := range list {
		if s, ok := v.(string); ok && strings.EqualFold(s, urn) {
			return true
		}
	}
	return false
}
