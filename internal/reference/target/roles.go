package target

import (
	"slices"
	"sort"
	"strings"
)

// RoleMapping maps IdP groups, pushed as SCIM groups, to a role in the
// organisation and optionally a resource group (shared/quirks.md
// hub-mapping). Group is a displayName in which one * stands for any text.
type RoleMapping struct {
	Group         string
	Role          string
	ResourceGroup string
}

// The reference target's organisation settings: what its profile states.
var (
	roleMappings = []RoleMapping{
		{Group: "*admins", Role: "admin"},
		{Group: "*research", Role: "write", ResourceGroup: "research"},
	}
	rolePrecedence = []string{"admin", "write", "read"} // highest first
)

// DefaultRole is the role of a member in no mapped group.
const DefaultRole = "read"

// RoleMappings lists the reference target's mappings.
func RoleMappings() []RoleMapping { return slices.Clone(roleMappings) }

// RolePrecedence lists the roles, highest first: a member in several
// mapped groups has the highest of their roles.
func RolePrecedence() []string { return slices.Clone(rolePrecedence) }

// matchGroup matches a displayName against a pattern with at most one *,
// case-insensitively as displayName is caseExact false. The harness reads
// patterns with profile.RoleMapping.Matches; the target under test keeps
// its own reading, so that one bug cannot agree with itself.
func matchGroup(pattern, name string) bool {
	pattern, name = strings.ToLower(pattern), strings.ToLower(name)
	before, after, star := strings.Cut(pattern, "*")
	if !star {
		return pattern == name
	}
	return len(name) >= len(before)+len(after) && strings.HasPrefix(name, before) && strings.HasSuffix(name, after)
}

// effectiveRole is a member's role and resource groups from the groups
// they are a direct member of now. Callers hold the store lock.
func (s *Server) effectiveRole(userID string) (string, []any) {
	roles := map[string]bool{}
	rgs := map[string]bool{}
	for _, g := range s.store.all[groupKind] {
		data := g.attrs()
		members, _ := data["members"].([]any)
		if !slices.ContainsFunc(members, func(el any) bool { m, _ := el.(map[string]any); return m["value"] == userID }) {
			continue
		}
		name, _ := data["displayName"].(string)
		for _, m := range roleMappings {
			if matchGroup(m.Group, name) {
				roles[m.Role] = true
				if m.ResourceGroup != "" && !s.has(ResourceGroupsIgnored) {
					rgs[m.ResourceGroup] = true
				}
			}
		}
	}
	if s.has(RoleKeptAfterGroupRemoval) {
		// The bug: grants are recorded and never taken back.
		if s.hub.granted[userID] == nil {
			s.hub.granted[userID] = map[string]bool{}
		}
		for r := range roles {
			s.hub.granted[userID][r] = true
		}
		for r := range s.hub.granted[userID] {
			roles[r] = true
		}
	}
	order := slices.Clone(rolePrecedence)
	if s.has(RolesLowestWins) {
		slices.Reverse(order)
	}
	role := DefaultRole
	if s.has(DefaultRoleMissing) {
		role = ""
	}
	for _, r := range order {
		if roles[r] {
			role = r
			break
		}
	}
	groups := make([]any, 0, len(rgs))
	for g := range rgs {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].(string) < groups[j].(string) })
	return role, groups
}
