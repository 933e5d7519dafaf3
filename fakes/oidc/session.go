package oidc

import "net/http"

// session is what one caller set at the provider: who is signed in, whom a
// breakage impersonates, and the breakage armed for the next login.
// Sessions let concurrent scenarios share one provider (its key, issuer
// and clients) without seeing each other.
type session struct {
	user   *User
	victim string
	armed  *Breakage
}

// Session is one session of a Provider, named by an id. The id "" is the
// default session: the Provider's own methods (LoginAs, Arm, ...) use it,
// and so do requests that Options.Session gives no id.
type Session struct {
	p  *Provider
	id string
}

// Session returns the session id; it starts, on first use, with nobody
// signed in, nothing armed and Options.Victim as the victim.
func (p *Provider) Session(id string) Session { return Session{p: p, id: id} }

// with runs f on the session under the provider's lock, starting it if
// need be.
func (s Session) with(f func(*session)) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	ss := s.p.sessions[s.id]
	if ss == nil {
		ss = &session{victim: s.p.opts.Victim}
		s.p.sessions[s.id] = ss
	}
	f(ss)
}

// LoginAs signs the session in as u; there is no login page.
func (s Session) LoginAs(u User) { s.with(func(ss *session) { ss.user = &u }) }

// SetVictim sets whom the session's later breakages impersonate.
func (s Session) SetVictim(name string) { s.with(func(ss *session) { ss.victim = name }) }

// Arm makes the session's next login apply b: its authorization code is
// bound to b, so the token exchange (and the userinfo calls with its
// access token) break, whoever makes them. One Arm breaks one login.
func (s Session) Arm(b Breakage) { s.with(func(ss *session) { ss.armed = &b }) }

// Disarm drops a breakage armed but not yet used.
func (s Session) Disarm() { s.with(func(ss *session) { ss.armed = nil }) }

// End forgets the session; a later use starts it afresh.
func (s Session) End() {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	delete(s.p.sessions, s.id)
}

// takeTurn fills g with the session's user, victim and armed breakage
// (disarming it); false when nobody is signed in.
func (s Session) takeTurn(g *grant) (ok bool) {
	s.with(func(ss *session) {
		if ss.user == nil {
			return
		}
		g.user, g.victim, g.breakage, ok = *ss.user, ss.victim, ss.armed, true
		ss.armed = nil
	})
	return ok
}

// sessionOf is the session a browser request belongs to.
func (p *Provider) sessionOf(r *http.Request) Session {
	if p.opts.Session == nil {
		return p.Session("")
	}
	return p.Session(p.opts.Session(r))
}
