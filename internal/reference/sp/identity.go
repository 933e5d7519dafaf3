package sp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Identity is what an IdP asserted about the person logging in.
type Identity struct {
	UserName   string
	Email      string
	GivenName  string
	FamilyName string
	Groups     []string
	HasGroups  bool // groups were asserted (possibly empty)
	// SessionEnds bounds the session (SAML SessionNotOnOrAfter); zero: none.
	SessionEnds time.Time
}

// login ends a successful assertion check: find or provision the user,
// start a session and redirect. Every path that does not reach
// startSession leaves no session behind.
func (s *SP) login(w http.ResponseWriter, r *http.Request, id Identity, relay string) {
	if s.has(RefusesEveryLogin) {
		s.deny(w, fmt.Errorf("sp: login: every login is refused"))
		return
	}
	user, err := s.provision(r.Context(), id)
	if err != nil {
		s.deny(w, err)
		return
	}
	if err := s.startSession(w, r, user.UserName, s.sessionTTL(id)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, s.safeRedirect(relay), http.StatusSeeOther)
}

// sessionTTL is how long a session from id lasts: the SP's own lifetime,
// cut at the IdP's SessionNotOnOrAfter (SAML Core §2.7.2).
func (s *SP) sessionTTL(id Identity) time.Duration {
	if id.SessionEnds.IsZero() || s.has(IgnoresSessionNotOnOrAfter) {
		return sessionTTL
	}
	return min(sessionTTL, id.SessionEnds.Sub(s.now()))
}

// provision applies JIT rules (catalogue 1G): create on first login when JIT
// is on, update attributes and replace groups on later logins, and never
// let a login by a deactivated user through or reactivate them.
func (s *SP) provision(ctx context.Context, id Identity) (User, error) {
	if id.UserName == "" {
		return User{}, fmt.Errorf("sp: login: no user name asserted")
	}
	if s.has(ReadsFirst50Groups) && len(id.Groups) > 50 {
		id.Groups = id.Groups[:50]
	}
	dir := s.opts.Directory
	u, err := dir.FindUser(ctx, id.UserName)
	switch {
	case errors.Is(err, ErrNotFound):
		if !s.opts.JIT && !s.has(JITIgnoresSetting) {
			return User{}, fmt.Errorf("sp: login: unknown user %q and JIT is off", id.UserName)
		}
		nu := User{UserName: id.UserName, Email: id.Email, GivenName: id.GivenName, FamilyName: id.FamilyName, Active: true}
		if s.has(JITDropsAttributes) {
			nu = User{UserName: id.UserName, Active: true}
		}
		u, err = dir.CreateUser(ctx, nu)
		if err != nil {
			return User{}, fmt.Errorf("sp: jit create %q: %w", id.UserName, err)
		}
		if id.HasGroups {
			if err := dir.SetGroups(ctx, u.ID, id.Groups); err != nil {
				return User{}, fmt.Errorf("sp: jit groups of %q: %w", id.UserName, err)
			}
		}
		return u, nil
	case err != nil:
		return User{}, fmt.Errorf("sp: login: find %q: %w", id.UserName, err)
	}
	if !u.Active && !s.has(JITReactivates) {
		return User{}, fmt.Errorf("sp: login: user %q is deactivated", u.UserName)
	}
	if !s.opts.JIT {
		return u, nil
	}
	u.Active = true
	if !s.has(JITSkipsUpdates) {
		setIf(&u.Email, id.Email)
		setIf(&u.GivenName, id.GivenName)
		setIf(&u.FamilyName, id.FamilyName)
	}
	if err := dir.UpdateUser(ctx, u); err != nil {
		return User{}, fmt.Errorf("sp: jit update %q: %w", u.UserName, err)
	}
	if id.HasGroups {
		groups := id.Groups
		if s.has(JITAppendsGroups) {
			groups = union(u.Groups, id.Groups)
		}
		if err := dir.SetGroups(ctx, u.ID, groups); err != nil {
			return User{}, fmt.Errorf("sp: jit groups of %q: %w", u.UserName, err)
		}
	}
	return u, nil
}

func setIf(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, g := range b {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, g) }) {
			out = append(out, g)
		}
	}
	return out
}
