package sp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// User is what the SP knows of a person. The reference SCIM target
// implements Directory over its own users, so JIT changes are visible
// through SCIM.
type User struct {
	ID         string
	UserName   string
	Email      string
	GivenName  string
	FamilyName string
	Groups     []string // group display names
	Active     bool
}

// ErrNotFound is returned by Directory.FindUser for an unknown user.
var ErrNotFound = errors.New("sp: user not found")

// Directory is the user store behind SSO: the seam between the SSO half and
// the SCIM half of the reference target.
type Directory interface {
	// FindUser finds a user by userName, or failing that by email; both
	// compare case-insensitively. It returns ErrNotFound if there is none.
	FindUser(ctx context.Context, userNameOrEmail string) (User, error)
	// CreateUser adds u and returns it with its ID.
	CreateUser(ctx context.Context, u User) (User, error)
	// UpdateUser replaces the attributes (not the groups) of the user with u.ID.
	UpdateUser(ctx context.Context, u User) error
	// SetGroups replaces the user's group membership.
	SetGroups(ctx context.Context, id string, groups []string) error
}

// MemoryDirectory is an in-memory Directory for tests.
type MemoryDirectory struct {
	mu    sync.Mutex
	users []User
}

// FindUser implements Directory.
func (d *MemoryDirectory) FindUser(_ context.Context, key string) (User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, match := range []func(User) string{
		func(u User) string { return u.UserName },
		func(u User) string { return u.Email },
	} {
		for _, u := range d.users {
			if strings.EqualFold(match(u), key) {
				return clone(u), nil
			}
		}
	}
	return User{}, fmt.Errorf("%w: %q", ErrNotFound, key)
}

// CreateUser implements Directory.
func (d *MemoryDirectory) CreateUser(_ context.Context, u User) (User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, x := range d.users {
		if strings.EqualFold(x.UserName, u.UserName) {
			return User{}, fmt.Errorf("sp: create user %q: already exists", u.UserName)
		}
	}
	u.ID = fmt.Sprintf("u%d", len(d.users)+1)
	d.users = append(d.users, clone(u))
	return clone(u), nil
}

// UpdateUser implements Directory.
func (d *MemoryDirectory) UpdateUser(_ context.Context, u User) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.users {
		if d.users[i].ID == u.ID {
			groups := d.users[i].Groups
			d.users[i] = clone(u)
			d.users[i].Groups = groups
			return nil
		}
	}
	return fmt.Errorf("sp: update user %q: %w", u.ID, ErrNotFound)
}

// SetGroups implements Directory.
func (d *MemoryDirectory) SetGroups(_ context.Context, id string, groups []string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.users {
		if d.users[i].ID == id {
			d.users[i].Groups = slices.Clone(groups)
			return nil
		}
	}
	return fmt.Errorf("sp: set groups of %q: %w", id, ErrNotFound)
}

// Users returns a copy of every user, for assertions in tests.
func (d *MemoryDirectory) Users() []User {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]User, len(d.users))
	for i, u := range d.users {
		out[i] = clone(u)
	}
	return out
}

// Put adds or replaces a user as the SCIM side would (by userName).
func (d *MemoryDirectory) Put(u User) User {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.users {
		if strings.EqualFold(d.users[i].UserName, u.UserName) {
			u.ID = d.users[i].ID
			d.users[i] = clone(u)
			return clone(u)
		}
	}
	u.ID = fmt.Sprintf("u%d", len(d.users)+1)
	d.users = append(d.users, clone(u))
	return clone(u)
}

func clone(u User) User {
	u.Groups = slices.Clone(u.Groups)
	return u
}
