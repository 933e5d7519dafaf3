package samlidp

import "net/url"

// session is what one caller set at the IdP: who is signed in, the profile
// imitated, whom attacks impersonate, what is armed for the next response,
// and the last response sent. Sessions let concurrent scenarios share one
// IdP (its keys, entityID and trusted SPs) without seeing each other.
type session struct {
	profile Profile
	victim  string
	user    *User
	armed   Tamper
	last    *Draft
}

// Session is one session of an IdP, named by an id. The id "" is the
// default session: the IdP's own methods (LoginAs, Arm, ...) use it, and
// so do requests that Options.Session gives no id.
type Session struct {
	idp *IdP
	id  string
}

// Session returns the session id; it starts, on first use, from the IdP's
// Options (Okta's shape unless Options.Profile says otherwise, nothing
// armed, nobody signed in).
func (idp *IdP) Session(id string) Session { return Session{idp: idp, id: id} }

// with runs f on the session under the IdP's lock, starting it if need be.
func (s Session) with(f func(*session)) {
	s.idp.mu.Lock()
	defer s.idp.mu.Unlock()
	ss := s.idp.sessions[s.id]
	if ss == nil {
		ss = &session{profile: s.idp.opts.Profile, victim: s.idp.opts.Victim}
		s.idp.sessions[s.id] = ss
	}
	f(ss)
}

// Profile returns the profile the session imitates.
func (s Session) Profile() (p Profile) {
	s.with(func(ss *session) { p = ss.profile })
	return p
}

// SetProfile switches the profile for the session's later responses.
func (s Session) SetProfile(p Profile) { s.with(func(ss *session) { ss.profile = p }) }

// LoginAs sets the user the session is signed in as; there is no login page.
func (s Session) LoginAs(u User) { s.with(func(ss *session) { ss.user = &u }) }

// SetVictim sets whom the session's later attacks impersonate.
func (s Session) SetVictim(name string) { s.with(func(ss *session) { ss.victim = name }) }

// Arm makes the session's next response go through t (an Attack, usually).
// Passing nil disarms.
func (s Session) Arm(t Tamper) { s.with(func(ss *session) { ss.armed = t }) }

// Last returns the last response of the session (nil before the first), so
// a scenario can replay it.
func (s Session) Last() (d *Draft) {
	s.with(func(ss *session) { d = ss.last })
	return d
}

// End forgets the session; a later use starts it afresh.
func (s Session) End() {
	s.idp.mu.Lock()
	defer s.idp.mu.Unlock()
	delete(s.idp.sessions, s.id)
}

// takeTurn returns the signed-in user, the armed tamper (disarming it, so
// that one Arm affects exactly one response) and what a draft needs.
func (s Session) takeTurn() (u User, t Tamper, v view, err error) {
	err = errNoUser
	s.with(func(ss *session) {
		if ss.user != nil {
			u, t, v, err = *ss.user, ss.armed, s.view(ss), nil
			ss.armed = nil
		}
	})
	return u, t, v, err
}

func (s Session) view(ss *session) view {
	return view{id: s.id, profile: ss.profile, victim: ss.victim}
}

// view is what a draft takes from its session.
type view struct {
	id      string
	profile Profile
	victim  string
}

// canaryURL is Options.CanaryURL, naming the session so that the harness
// counts each session's fetches apart.
func (idp *IdP) canaryURL(session string) string {
	if session == "" || idp.opts.CanaryURL == "" {
		return idp.opts.CanaryURL
	}
	return idp.opts.CanaryURL + "?session=" + url.QueryEscape(session)
}
