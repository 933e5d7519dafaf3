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
		t.PutUser(User{ObjectID: PopulationOID(u.Key), UPN: u.UserName, GivenName: u.GivenName, Surname: u.FamilyName,
			DisplayName: u.DisplayName(), Mail: u.Email, Department: u.Department,
			Manager: PopulationOID(u.Manager), Enabled: true, InScope: true})
	}
	for _, g := range pop.Groups {
		var members []string
		for _, m := range g.Members {
			members = append(members, PopulationOID(m))
		}
		t.PutGroup(Group{ObjectID: PopulationOID(g.Key), DisplayName: g.DisplayName, Members: members, InScope: true})
	}
	return t
}

// ApplyChanges makes the file's changes in t, as an admin would between
// two cycles.
func ApplyChanges(t *Tenant, pop population.Population) {
	for _, ch := range pop.Changes {
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
