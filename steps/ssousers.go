package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/profile"
)

// NoSCIM is why a scenario that needs SCIM does not run against a profile
// without a scim section.
const NoSCIM = "the profile has no scim: section; this scenario provisions over SCIM"

// usersFrom says where the scenario's users come from: over SCIM, unless
// it is an SSO scenario that does not need SCIM (no @scim tag), which
// takes them from the profile's sso.users.
func (w *World) usersFrom() string {
	s := w.deps.SSO
	if s == nil || s.Profile.Users == "" || !slices.Contains(w.tags, "sso") || slices.Contains(w.tags, "scim") {
		return profile.UsersSCIM
	}
	return s.Profile.Users
}

// ssoUserExists makes alias a person the target knows, without SCIM:
// with jit nothing is needed (the first login creates them); with
// preexisting, alias is bound to one of the profile's test users.
func (w *World) ssoUserExists(ctx context.Context, alias string) error {
	_, err := w.ssoDeps(ctx)
	if err != nil || w.usersFrom() != profile.UsersPreexisting {
		return err
	}
	u, err := w.bindTestUser(alias)
	if err != nil {
		return err
	}
	if alias == "victim" {
		// Attacks impersonate the victim: a listed user, not a made-up
		// name. Nothing is armed or shaped yet, so a reset loses nothing.
		return w.sso.idp.Reset(ctx, u.UserName)
	}
	return nil
}

// bindTestUser gives alias the next test user no other alias of the
// scenario has. An alias that extends another ("victim.evil.com" of
// "victim") needs the test user whose NameID extends that one's the same
// way, and only it takes such an account; without one the scenario skips.
func (w *World) bindTestUser(alias string) (samlidp.User, error) {
	if u, ok := w.sso.bound[alias]; ok {
		return u, nil
	}
	list := w.deps.SSO.Profile.TestUsers
	used := func(t profile.TestUser) bool {
		for _, u := range w.sso.bound {
			if strings.EqualFold(u.UserName, t.NameID) {
				return true
			}
		}
		return false
	}
	pick := func(t profile.TestUser) samlidp.User {
		u := samlidp.User{UserName: t.NameID, Email: t.Email, GivenName: t.GivenName, FamilyName: t.FamilyName}
		if w.sso.bound == nil {
			w.sso.bound = map[string]samlidp.User{}
		}
		w.sso.bound[alias] = u
		return u
	}
	for base, b := range w.sso.bound {
		if rest, ok := strings.CutPrefix(alias, base); ok && strings.HasPrefix(rest, ".") {
			want := b.UserName + rest
			for _, t := range list {
				if strings.EqualFold(t.NameID, want) && !used(t) {
					return pick(t), nil
				}
			}
			return samlidp.User{}, skip(fmt.Sprintf("this scenario needs a second account whose NameID is %s (the %s one's plus %q); sso.testUsers has none", want, base, rest))
		}
	}
	// An account whose NameID extends another's is kept for the alias
	// that extends that one's.
	derived := func(t profile.TestUser) bool {
		return slices.ContainsFunc(list, func(o profile.TestUser) bool {
			return len(t.NameID) > len(o.NameID)+1 && strings.HasPrefix(strings.ToLower(t.NameID), strings.ToLower(o.NameID)+".")
		})
	}
	for _, t := range list {
		if !used(t) && !derived(t) {
			return pick(t), nil
		}
	}
	return samlidp.User{}, skip(fmt.Sprintf("this scenario needs more accounts than the %d in sso.testUsers", len(list)))
}

// asserted is who the IdPs assert for alias: the alias's person, or the
// test user bound to it.
func (w *World) asserted(alias string) (samlidp.User, error) {
	if w.usersFrom() != profile.UsersPreexisting {
		p := w.person(alias)
		return samlidp.User{UserName: p.UserName, Email: p.Email, GivenName: p.Given, FamilyName: p.Family}, nil
	}
	if w.sso != nil {
		if u, ok := w.sso.bound[alias]; ok {
			return u, nil
		}
	}
	return samlidp.User{}, skip(fmt.Sprintf("this scenario logs in %q, someone the target does not have yet; with sso.users preexisting the harness logs in only as sso.testUsers", alias))
}

// isPerson says whether the session probe's answer names alias, by
// userName or email (sso.session.userNameField may be either).
func (w *World) isPerson(got, alias string) (bool, error) {
	p, err := w.asserted(alias)
	if err != nil {
		return false, err
	}
	return got != "" && (strings.EqualFold(got, p.UserName) || (p.Email != "" && strings.EqualFold(got, p.Email))), nil
}
