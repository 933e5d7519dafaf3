package target

import (
	"net/http"
	"strings"
)

// checkGroup requires a displayName unique case-insensitively and resolves
// members: each must be an existing user or group (else invalidValue);
// duplicates are dropped and display and type are filled in from the
// member. Callers hold the store lock.
func (s *Server) checkGroup(data map[string]any, self string) *scimError {
	name, _ := data["displayName"].(string)
	if name == "" {
		return errorf(http.StatusBadRequest, "invalidValue", "displayName is required")
	}
	for _, r := range s.store.find(groupKind, "unique", uniqueKey(name)) {
		if other := r.str("displayName"); strings.EqualFold(other, name) && r.id != self {
			return errorf(http.StatusConflict, "uniqueness", "displayName %q is taken", name)
		}
	}
	members, _ := data["members"].([]any)
	seen := map[string]bool{}
	var out []any
	for _, el := range members {
		m, _ := el.(map[string]any)
		id, _ := m["value"].(string)
		if seen[id] {
			continue
		}
		seen[id] = true
		if u := s.store.all[userKind][id]; u != nil {
			out = append(out, map[string]any{"value": id, "display": u.str("userName"), "type": "User"})
		} else if g := s.store.all[groupKind][id]; g != nil && id != self {
			out = append(out, map[string]any{"value": id, "display": g.str("displayName"), "type": "Group"})
		} else {
			return errorf(http.StatusBadRequest, "invalidValue", "member %q is not a user or group of this target", id)
		}
	}
	if len(out) > 0 {
		data["members"] = out
	} else {
		delete(data, "members")
	}
	return nil
}

// dropMember removes id from every group's members, as a deleted resource
// can no longer be referenced (RFC 7644 §3.6). Callers hold the store lock.
func (s *Server) dropMember(id string) {
	for _, g := range s.store.all[groupKind] {
		data := g.attrs()
		members, _ := data["members"].([]any)
		kept := make([]any, 0, len(members))
		for _, el := range members {
			if m, _ := el.(map[string]any); m["value"] != id {
				kept = append(kept, el)
			}
		}
		if len(kept) == len(members) {
			continue
		}
		if len(kept) == 0 {
			delete(data, "members")
		} else {
			data["members"] = kept
		}
		s.store.setData(g, data)
		g.touch()
	}
}

// memberRefs fills each member's $ref on output, from the request's Host.
func memberRefs(out map[string]any, r *http.Request) {
	members, _ := out["members"].([]any)
	for _, el := range members {
		m, ok := el.(map[string]any)
		if !ok {
			continue
		}
		endpoint := userKind.Endpoint
		if m["type"] == "Group" {
			endpoint = groupKind.Endpoint
		}
		if id, _ := m["value"].(string); id != "" {
			m["$ref"] = baseURL(r) + "/" + endpoint + "/" + id
		}
	}
}

// renamesToOwnName reports whether ops replace a group's displayName with
// the name it has, as Okta's rename after each membership change does
// (fault rename-to-own-name-conflicts).
func renamesToOwnName(ops []any, name any) bool {
	for _, raw := range ops {
		op, _ := raw.(map[string]any)
		if kind, _ := op["op"].(string); !strings.EqualFold(kind, "replace") {
			continue
		}
		switch path, _ := op["path"].(string); {
		case path == "":
			if v, ok := op["value"].(map[string]any); ok && v["displayName"] == name {
				return true
			}
		case strings.EqualFold(path, "displayName"):
			if op["value"] == name {
				return true
			}
		}
	}
	return false
}
