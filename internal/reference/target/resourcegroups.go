package target

import (
	"net/http"
	"slices"
	"sort"
)

// HubResourceGroupsPath is the hub's resource groups (HF-SCIM, HX4, HX6):
// POST {"name"} makes an empty one, DELETE …/{name} removes it, GET
// …/{name}/members answers {"members": [{"userName","role","scim"}]},
// POST …/{name}/members {"userName","role"} and DELETE
// …/{name}/members/{userName} change membership by hand, PUT …/{name}/link
// {"scimGroup","role"} links a SCIM group, PATCH …/{name}/link {"role"}
// changes the linked group's role.
const HubResourceGroupsPath = "/hub/resource-groups"

// rgroup is a resource group: members by folded userName, and the SCIM
// group it is linked to, if any.
type rgroup struct {
	members map[string]*rgMember
	link    *rgLink
}

type rgMember struct {
	userName, role string
	scim           bool // added through the linked SCIM group: SCIM owns it
}

type rgLink struct{ groupID, role string }

// serveResourceGroups routes HubResourceGroupsPath; parts[0] is
// "resource-groups". Callers hold the store lock.
func (s *Server) serveResourceGroups(w http.ResponseWriter, r *http.Request, parts []string) {
	if len(parts) == 1 && r.Method == http.MethodPost {
		var body struct{ Name string }
		if !decodeHub(w, r, &body) {
			return
		}
		if body.Name == "" || s.hub.rgroups[body.Name] != nil {
			hubJSON(w, http.StatusConflict, map[string]any{"detail": "a new, unused name is required"})
			return
		}
		s.hub.rgroups[body.Name] = &rgroup{members: map[string]*rgMember{}}
		hubJSON(w, http.StatusCreated, map[string]any{"name": body.Name})
		return
	}
	if len(parts) < 2 || s.hub.rgroups[parts[1]] == nil {
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no such resource group"})
		return
	}
	g, rest, m := s.hub.rgroups[parts[1]], parts[2:], r.Method
	switch {
	case len(rest) == 0 && m == http.MethodDelete:
		delete(s.hub.rgroups, parts[1])
		w.WriteHeader(http.StatusNoContent)
	case len(rest) == 1 && rest[0] == "members" && m == http.MethodGet:
		hubJSON(w, http.StatusOK, map[string]any{"members": g.list()})
	case len(rest) == 1 && rest[0] == "members" && m == http.MethodPost:
		s.rgAdd(w, r, g)
	case len(rest) == 2 && rest[0] == "members" && m == http.MethodDelete:
		s.rgRemove(w, g, rest[1])
	case len(rest) == 1 && rest[0] == "link" && m == http.MethodPut:
		s.rgLink(w, r, g)
	case len(rest) == 1 && rest[0] == "link" && m == http.MethodPatch:
		s.rgSetRole(w, r, g)
	default:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no such endpoint " + m + " " + r.URL.Path})
	}
}

func (g *rgroup) list() []any {
	out := []any{}
	for _, m := range g.members {
		out = append(out, map[string]any{"userName": m.userName, "role": m.role, "scim": m.scim})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].(map[string]any)["userName"].(string) < out[j].(map[string]any)["userName"].(string)
	})
	return out
}

// rgAdd is an administrator adding a member by hand: refused with 403 in a
// resource group a SCIM group manages (HF-SCIM: "manual changes ... 403").
func (s *Server) rgAdd(w http.ResponseWriter, r *http.Request, g *rgroup) {
	var body struct{ UserName, Role string }
	if !decodeHub(w, r, &body) {
		return
	}
	switch {
	case s.userNamed(body.UserName) == nil || body.Role == "":
		hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "userName of an organisation member and role are required"})
	case g.link != nil && !s.has(ManualChangeToSCIMGroup):
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "this resource group is managed by a SCIM group: change membership in the IdP"})
	default:
		g.members[fold(body.UserName)] = &rgMember{userName: body.UserName, role: body.Role}
		hubJSON(w, http.StatusCreated, map[string]any{"userName": body.UserName, "role": body.Role})
	}
}

func (s *Server) rgRemove(w http.ResponseWriter, g *rgroup, name string) {
	m := g.members[fold(name)]
	switch {
	case m == nil:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": name + " is not in the resource group"})
	case m.scim && !s.has(ManualChangeToSCIMGroup):
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "this membership is managed by a SCIM group: change it in the IdP"})
	default:
		delete(g.members, fold(name))
		w.WriteHeader(http.StatusNoContent)
	}
}

// rgLink links a SCIM group: its members join with the link's role at once
// (backfill), and follow the group from then on. The resource group must
// be empty (HF-SCIM).
func (s *Server) rgLink(w http.ResponseWriter, r *http.Request, g *rgroup) {
	var body struct{ ScimGroup, Role string }
	if !decodeHub(w, r, &body) {
		return
	}
	sg := s.store.all[groupKind][body.ScimGroup]
	switch {
	case sg == nil || body.Role == "":
		hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "scimGroup (a SCIM group id) and role are required"})
		return
	case g.link != nil || (len(g.members) > 0 && !s.has(LinksNonEmptyResourceGroup)):
		hubJSON(w, http.StatusConflict, map[string]any{"detail": "only an empty, unlinked resource group can be linked to a SCIM group"})
		return
	}
	g.link = &rgLink{groupID: body.ScimGroup, role: body.Role}
	if !s.has(LinkSkipsBackfill) {
		for _, id := range groupMemberIDs(sg) {
			s.rgJoin(g, id)
		}
	}
	hubJSON(w, http.StatusOK, map[string]any{"scimGroup": body.ScimGroup, "role": body.Role})
}

// rgSetRole changes the linked group's role, for every member it brought.
func (s *Server) rgSetRole(w http.ResponseWriter, r *http.Request, g *rgroup) {
	var body struct{ Role string }
	if !decodeHub(w, r, &body) {
		return
	}
	if g.link == nil || body.Role == "" {
		hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "a linked resource group and a role are required"})
		return
	}
	g.link.role = body.Role
	if !s.has(RoleChangeSkipsMembers) {
		for _, m := range g.members {
			if m.scim {
				m.role = body.Role
			}
		}
	}
	hubJSON(w, http.StatusOK, map[string]any{"scimGroup": g.link.groupID, "role": body.Role})
}

func (s *Server) rgJoin(g *rgroup, userID string) {
	if u := s.store.all[userKind][userID]; u != nil {
		name := u.str("userName")
		g.members[fold(name)] = &rgMember{userName: name, role: g.link.role, scim: true}
	}
}

func groupMemberIDs(group *resource) []string {
	var ids []string
	members, _ := group.attrs()["members"].([]any)
	for _, el := range members {
		if m, _ := el.(map[string]any); m != nil {
			if id, _ := m["value"].(string); id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// groupChanged keeps the resource groups linked to a SCIM group in step
// with its members after a write (before: the member ids it had), or
// after its deletion (gone). Callers hold the store lock.
func (s *Server) groupChanged(group *resource, before []string, gone bool) {
	after := groupMemberIDs(group)
	if gone {
		after = nil
	}
	for _, g := range s.hub.rgroups {
		if g.link == nil || g.link.groupID != group.id {
			continue
		}
		for _, id := range after {
			if !slices.Contains(before, id) && !s.has(LinkedGroupIgnoresNewMembers) {
				s.rgJoin(g, id)
			}
		}
		if gone && s.has(GroupDeleteKeepsResourceMembers) {
			continue
		}
		for _, id := range before {
			if slices.Contains(after, id) || (!gone && s.has(LeaverKeepsResourceGroup)) {
				continue
			}
			if u := s.store.all[userKind][id]; u != nil {
				delete(g.members, fold(u.str("userName")))
			}
		}
		if gone {
			g.link = nil
		}
	}
}

// leaveResourceGroups removes a deprovisioned user from every resource
// group (HF-SCIM: "from the organization and all its resource groups").
// Callers hold the store lock.
func (s *Server) leaveResourceGroups(name string) {
	if s.has(DeprovisionKeepsResourceGroups) {
		return
	}
	for _, g := range s.hub.rgroups {
		delete(g.members, fold(name))
	}
}
