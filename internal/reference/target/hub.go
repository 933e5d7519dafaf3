package target

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// serveHub is the hub's administration API (lifecycle.go lists the paths).
func (s *Server) serveHub(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		hubJSON(w, http.StatusUnauthorized, map[string]any{"detail": "a valid bearer token is required"})
		return
	}
	var parts []string
	for _, p := range strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")[1:] {
		seg, err := url.PathUnescape(p)
		if err != nil {
			hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "bad path segment " + p})
			return
		}
		parts = append(parts, seg)
	}
	route := func(resource string, n int, method string) bool {
		return len(parts) == n && parts[0] == resource && r.Method == method
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	switch {
	case route("accounts", 1, http.MethodPost):
		s.signUp(w, r)
	case route("accounts", 2, http.MethodGet):
		s.readAccount(w, parts[1])
	case route("accounts", 2, http.MethodDelete):
		s.closeAccount(w, parts[1])
	case route("invitations", 3, http.MethodPost) && parts[2] == "accept":
		s.accept(w, parts[1])
	case route("members", 2, http.MethodGet):
		s.member(w, parts[1])
	case route("login", 1, http.MethodPost):
		s.login(w, r)
	case route("repos", 1, http.MethodPost):
		s.createRepo(w, r)
	case route("repos", 2, http.MethodGet):
		s.readRepo(w, parts[1])
	case route("orgs", 3, http.MethodPost) && parts[2] == "members":
		s.joinOrg(w, r, parts[1])
	case route("collaborators", 1, http.MethodPost):
		s.addCollaborator(w, r)
	case len(parts) > 0 && parts[0] == "resource-groups":
		s.serveResourceGroups(w, r, parts)
	default:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no such endpoint " + r.Method + " " + r.URL.Path})
	}
}

// signUp creates a personal account, as a person does on the hub's sign-up
// page. Beside a managed organisation such an account is outside it (an
// external collaborator, H19); a SCIM user already owns its name.
func (s *Server) signUp(w http.ResponseWriter, r *http.Request) {
	var body struct{ UserName, Email string }
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&body); err != nil || body.UserName == "" {
		hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "a JSON body with userName is required"})
		return
	}
	key := fold(body.UserName)
	if s.hub.accounts[key] != nil || s.managedUser(body.UserName) {
		hubJSON(w, http.StatusConflict, map[string]any{"detail": "the account " + body.UserName + " exists"})
		return
	}
	s.hub.accounts[key] = &account{userName: body.UserName, email: body.Email}
	hubJSON(w, http.StatusCreated, map[string]any{"userName": body.UserName, "email": body.Email, "active": true})
}

// readAccount says whether an account exists and can be used: in managed
// mode the account is the SCIM user, blocked while deactivated.
func (s *Server) readAccount(w http.ResponseWriter, name string) {
	if s.invitation() {
		a := s.hub.accounts[fold(name)]
		if a == nil {
			hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no account " + name})
			return
		}
		org := StateNone
		if inv, res := s.inviteOf(name); inv != nil {
			org = StatePending
			if res != nil {
				org = s.state(res)
			} else if inv.accepted {
				org = StateMember
			}
		}
		hubJSON(w, http.StatusOK, map[string]any{"userName": a.userName, "email": a.email, "active": true, "organisation": org})
		return
	}
	if res := s.userNamed(name); res != nil {
		data := res.attrs()
		active := data["active"] != false || s.has(DeactivatedAccountUsable)
		hubJSON(w, http.StatusOK, map[string]any{"userName": data["userName"], "active": active, "managed": true})
		return
	}
	if ghost, ok := s.hub.ghosts[fold(name)]; ok {
		hubJSON(w, http.StatusOK, map[string]any{"userName": ghost, "active": true, "managed": true})
		return
	}
	if a := s.hub.accounts[fold(name)]; a != nil {
		hubJSON(w, http.StatusOK, map[string]any{"userName": a.userName, "email": a.email, "active": true, "managed": false})
		return
	}
	hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no account " + name})
}

// closeAccount deletes a personal account (its owner leaving the hub), and
// with it any invitation or membership.
func (s *Server) closeAccount(w http.ResponseWriter, name string) {
	key := fold(name)
	_, had := s.hub.accounts[key]
	_, ghost := s.hub.ghosts[key]
	if !had && !ghost {
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no account " + name})
		return
	}
	delete(s.hub.accounts, key)
	delete(s.hub.ghosts, key)
	delete(s.hub.cancelled, key)
	delete(s.hub.collaborators, key)
	delete(s.hub.otherOrgs, key)
	s.dropContent(name)
	for id, inv := range s.hub.invites {
		if inv.key == key {
			delete(s.hub.invites, id)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// accept is the person accepting their invitation.
func (s *Server) accept(w http.ResponseWriter, name string) {
	inv, _ := s.inviteOf(name)
	if inv == nil || !s.invitation() {
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no pending invitation for " + name})
		return
	}
	if !s.has(AcceptanceIgnored) {
		inv.accepted = true
	}
	hubJSON(w, http.StatusOK, map[string]any{"userName": name, "state": StateMember})
}

// member is the organisation's view of a person: membership state and, for
// members, the effective role and resource groups (roles.go).
func (s *Server) member(w http.ResponseWriter, name string) {
	res := s.userNamed(name)
	inv, _ := s.inviteOf(name)
	state := ""
	switch {
	case res != nil:
		state = s.state(res)
	case inv != nil && inv.accepted:
		state = StateMember
	case inv != nil:
		state = StatePending
	default:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": name + " is not invited to nor a member of the organisation"})
		return
	}
	body := map[string]any{"userName": name, "state": state, "role": nil, "resourceGroups": []any{}}
	if state == StateMember && res != nil {
		role, groups := s.effectiveRole(res.id)
		body["role"], body["resourceGroups"] = role, groups
	}
	hubJSON(w, http.StatusOK, body)
}

// inviteOf finds the invitation of an account, and its SCIM user if it
// still has one. Callers hold the store lock.
func (s *Server) inviteOf(name string) (*invite, *resource) {
	for id, inv := range s.hub.invites {
		if inv.key == fold(name) {
			return inv, s.store.all[userKind][id]
		}
	}
	return nil, nil
}

func hubJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
