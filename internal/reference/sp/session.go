package sp

import (
	"encoding/json"
	"net"
	"net/http"
	"time"
)

const (
	sessionCookie = "idpc_sp_session"
	sessionTTL    = 8 * time.Hour
)

// startSession logs userName in for ttl: a fresh random token in an
// HttpOnly cookie.
func (s *SP) startSession(w http.ResponseWriter, r *http.Request, userName string, ttl time.Duration) error {
	tok, err := token(s.opts.Rand, 32)
	if err != nil {
		return err
	}
	s.sessions.put(tok, userName, ttl)
	if s.has(SessionsByAddress) {
		s.sessions.put(addressKey(r), userName, ttl)
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// sessionUser returns the logged-in userName, if any. A session ends as
// soon as its user is deactivated or removed from the directory.
func (s *SP) sessionUser(r *http.Request) (string, bool) {
	key := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		key = c.Value
	} else if s.has(SessionsByAddress) {
		key = addressKey(r)
	}
	if key == "" {
		return "", false
	}
	name, ok := s.sessions.get(key)
	if !ok || s.has(SessionsSurviveDeactivation) {
		return name, ok
	}
	if u, err := s.opts.Directory.FindUser(r.Context(), name); err != nil || !u.Active {
		s.sessions.del(key)
		return "", false
	}
	return name, true
}

// WhoAmI is the body of GET /sso/whoami.
type WhoAmI struct {
	UserName string `json:"userName"`
}

// serveWhoAmI is the session probe: 200 with the userName, or 401.
func (s *SP) serveWhoAmI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	user, ok := s.sessionUser(r)
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"no session"}` + "\n"))
		return
	}
	_ = json.NewEncoder(w).Encode(WhoAmI{UserName: user})
}

// serveLogout ends the local session (SP-side logout; no SLO messages).
func (s *SP) serveLogout(w http.ResponseWriter, r *http.Request) {
	if s.has(LogoutKeepsSession) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.del(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

// addressKey keys a session by the client's host, as SessionsByAddress does.
func addressKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}
