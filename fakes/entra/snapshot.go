package entra

import "encoding/json"

// snapshot is a Tenant as JSON: what a job running elsewhere (a fake in a
// container) needs to run the same cycle.
type snapshot struct {
	Users  []User   `json:"users"`
	Groups []Group  `json:"groups"`
	Order  []string `json:"order"` // cycles replay objects in this order
	Gone   []string `json:"gone"`  // hard-deleted users, deleted by the next cycle
}

// MarshalJSON writes the whole tenant, in the order cycles replay it.
func (t *Tenant) MarshalJSON() ([]byte, error) {
	s := snapshot{Order: t.order}
	for _, oid := range t.order {
		if u, ok := t.users[oid]; ok {
			s.Users = append(s.Users, u)
		}
		if g, ok := t.groups[oid]; ok {
			s.Groups = append(s.Groups, g)
		}
	}
	for oid := range t.gone {
		s.Gone = append(s.Gone, oid)
	}
	return json.Marshal(s)
}

// UnmarshalJSON replaces the tenant with the one in b.
func (t *Tenant) UnmarshalJSON(b []byte) error {
	var s snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = *NewTenant()
	for _, u := range s.Users {
		t.users[u.ObjectID] = u
	}
	for _, g := range s.Groups {
		t.groups[g.ObjectID] = g
	}
	for _, oid := range s.Gone {
		t.gone[oid] = true
	}
	t.order = s.Order
	return nil
}

// ObjectIDs lists every object the tenant ever held, in the order cycles
// replay them.
func (t *Tenant) ObjectIDs() []string { return append([]string(nil), t.order...) }
