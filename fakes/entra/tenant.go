// Package entra replays Microsoft Entra ID's SCIM provisioning job: an
// initial cycle, then incremental cycles on a virtual clock, in the PATCH
// dialect Entra really sends, legacy or RFC-compliant. Every behaviour names
// its row in the IdP behaviour catalogue (shared/idp-behaviour.md, E1–E42)
// or its entry in shared/quirks.md (entra-*).
package entra

import "time"

// User is a user in the Entra tenant as the provisioning job maps it.
type User struct {
	ObjectID    string // sent as externalId
	UPN         string // userPrincipalName, sent as userName
	GivenName   string
	Surname     string
	DisplayName string
	Mail        string
	Department  string
	// The rest of the default mapping (E7): title, phone numbers by type,
	// the work address, the enterprise employeeNumber.
	Title          string
	Phone          string // telephoneNumber → phoneNumbers[type eq "work"]
	Mobile         string
	Fax            string // facsimileTelephoneNumber
	StreetAddress  string
	PostalCode     string
	EmployeeNumber string
	Manager        string // the manager's ObjectID, or ""
	Enabled        bool   // accountEnabled; false is sent as active false (E14)
	InScope        bool   // assigned to the app; leaving scope deprovisions (E14, E15)
	SoftDeleted    bool   // in the recycle bin: disabled, not deleted (E14)
}

// Group is a group in the tenant, with its members' ObjectIDs.
type Group struct {
	ObjectID    string
	DisplayName string
	Members     []string
	InScope     bool
}

// Tenant is the source of truth the job provisions from.
type Tenant struct {
	users  map[string]User
	groups map[string]Group
	order  []string // users then groups, in the order they were added: cycles replay in that order
	gone   map[string]bool
	// stream, when set, walks the users before order's, read again on
	// every walk and never held (TenantFrom); users holds only those
	// changed since, which fromStream names.
	stream     func(yield func(User) bool) error
	fromStream map[string]bool
}

// NewTenant returns an empty tenant.
func NewTenant() *Tenant {
	return &Tenant{users: map[string]User{}, groups: map[string]Group{}, gone: map[string]bool{}, fromStream: map[string]bool{}}
}

// PutUser adds or changes a user.
func (t *Tenant) PutUser(u User) {
	if _, ok := t.users[u.ObjectID]; !ok && !t.fromStream[u.ObjectID] {
		t.order = append(t.order, u.ObjectID)
	}
	t.users[u.ObjectID] = u
	delete(t.gone, u.ObjectID)
}

// User returns the tenant's current view of a user. A streamed user is
// found by walking the stream, and held from then on, so that a change
// (PutUser) or HardDelete takes its place in the stream: change a
// streamed user only after reading it here.
func (t *Tenant) User(objectID string) (User, bool) {
	if u, ok := t.users[objectID]; ok || t.stream == nil || t.gone[objectID] {
		return u, ok
	}
	var found User
	ok := false
	_ = t.stream(func(u User) bool {
		found, ok = u, u.ObjectID == objectID
		return !ok
	})
	if ok {
		t.users[objectID], t.fromStream[objectID] = found, true
	}
	return found, ok
}

// eachUser calls fn with every user in cycle order, and with exists false
// for a hard-deleted one, until fn returns false.
func (t *Tenant) eachUser(fn func(oid string, u User, exists bool) bool) error {
	more := true
	if t.stream != nil {
		err := t.stream(func(u User) bool {
			oid := u.ObjectID
			if t.fromStream[oid] {
				u = t.users[oid] // changed since, or hard-deleted (the zero User)
			}
			more = fn(oid, u, !t.gone[oid])
			return more
		})
		if err != nil || !more {
			return err
		}
	}
	for _, oid := range t.order {
		if _, isGroup := t.groups[oid]; !isGroup {
			u, ok := t.users[oid]
			if !fn(oid, u, ok) {
				return nil
			}
		}
	}
	return nil
}

// HardDelete removes a user for good (after the recycle bin): the next
// cycle sends DELETE (entra-disable).
func (t *Tenant) HardDelete(objectID string) {
	if _, ok := t.users[objectID]; !ok && t.stream != nil {
		t.User(objectID) // marks a streamed user fromStream
	}
	delete(t.users, objectID)
	t.gone[objectID] = true
}

// Group returns the tenant's current view of a group.
func (t *Tenant) Group(objectID string) (Group, bool) {
	g, ok := t.groups[objectID]
	return g, ok
}

// PutGroup adds or changes a group.
func (t *Tenant) PutGroup(g Group) {
	if _, ok := t.groups[g.ObjectID]; !ok {
		t.order = append(t.order, g.ObjectID)
	}
	t.groups[g.ObjectID] = g
}

// Interval is the time between incremental cycles (entra-cycles).
const Interval = 40 * time.Minute

// Clock is the job's virtual clock: cycles advance it instead of waiting, so
// "after three cycles" runs instantly.
type Clock struct{ now time.Time }

// NewClock starts a virtual clock at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the virtual time.
func (c *Clock) Now() time.Time { return c.now }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.now = c.now.Add(d) }
