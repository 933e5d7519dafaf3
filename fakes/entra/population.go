package entra

import "github.com/idpconform/idpconform/fakes/population"

// PopulationOID is the objectId a users file's key gets in the tenant.
func PopulationOID(key string) string {
	if key == "" {
		return ""
	}
	return "oid-" + key
}

// TenantOf is a tenant holding a users file's users and groups, all
// assigned to the app.
func TenantOf(pop population.Population) *Tenant {
	t := NewTenant()
	for _, u := range pop.Users {
		t.PutUser(userOf(u))
	}
	putGroups(t, pop.Groups)
	return t
}

// TenantFrom is TenantOf for a stream: its users are read from s on every
// walk of a cycle, never held (only those changed later are).
func TenantFrom(s *population.Stream) *Tenant {
	t := NewTenant()
	t.stream = func(yield func(User) bool) error {
		return s.Each(func(u population.User) bool { return yield(userOf(u)) })
	}
	putGroups(t, s.Groups)
	return t
}

func userOf(u population.User) User {
	return User{ObjectID: PopulationOID(u.Key), UPN: u.UserName, GivenName: u.GivenName, Surname: u.FamilyName,
		DisplayName: u.DisplayName(), Mail: u.Email, Department: u.Department,
		Manager: PopulationOID(u.Manager), Enabled: true, InScope: true}
}

func putGroups(t *Tenant, groups []population.Group) {
	for _, g := range groups {
		var members []string
		for _, m := range g.Members {
			members = append(members, PopulationOID(m))
		}
		t.PutGroup(Group{ObjectID: PopulationOID(g.Key), DisplayName: g.DisplayName, Members: members, InScope: true})
	}
}

// ApplyChanges makes a users file's changes in t, as an admin would
// between two cycles.
func ApplyChanges(t *Tenant, changes []population.Change) {
	for _, ch := range changes {
		if u, ok := t.User(PopulationOID(ch.User)); ok && ch.User != "" {
			if ch.Department != "" {
				u.Department = ch.Department
			}
			if ch.DisplayName != "" {
				u.DisplayName = ch.DisplayName
			}
			if ch.Enabled != nil {
				u.Enabled = *ch.Enabled
			}
			t.PutUser(u)
		}
		if g, ok := t.Group(PopulationOID(ch.Group)); ok && ch.Group != "" {
			if ch.Members != nil {
				g.Members = nil
				for _, m := range ch.Members {
					g.Members = append(g.Members, PopulationOID(m))
				}
			}
			if ch.DisplayName != "" {
				g.DisplayName = ch.DisplayName
			}
			t.PutGroup(g)
		}
	}
}
