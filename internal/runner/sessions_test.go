package runner

import (
	"net/http"
	"sync"
)

// cookieSessions is the session store of the test apps around SP and RP
// libraries we did not write: a random cookie names who logged in.
type cookieSessions struct {
	cookie string
	mu     sync.Mutex
	who    map[string]string // cookie value -> the name the app shows
}

func newCookieSessions(cookie string) *cookieSessions {
	return &cookieSessions{cookie: cookie, who: map[string]string{}}
}

func (s *cookieSessions) start(w http.ResponseWriter, name string) {
	tok := randomHex(32)
	s.mu.Lock()
	s.who[tok] = name
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (s *cookieSessions) get(r *http.Request) (string, bool) {
	c, err := r.Cookie(s.cookie)
	if err != nil {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name, ok := s.who[c.Value]
	return name, ok
}

func (s *cookieSessions) end(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.cookie); err == nil {
		s.mu.Lock()
		delete(s.who, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Path: "/", MaxAge: -1})
}
