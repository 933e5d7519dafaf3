package target

import (
	"encoding/json"
	"net/http"
	"reflect"
)

// The Hugging Face Hub's organisation rules (shared/idp-behaviour.md, Hub
// section): what a personal account and a managed one may do outside SCIM.
const (
	// HubLoginPath: POST {"userName"} signs in with the account's own
	// password, not SSO: 200, or 403 for a managed account (H4, H5).
	HubLoginPath = "/hub/login"
	// HubReposPath: POST {"owner","name","private"} creates a repository
	// (content); GET …/{name} reads it. A managed user cannot create public
	// content (H6); a managed user's content goes with the account (HX5).
	HubReposPath = "/hub/repos"
	// HubOrgsPath: POST …/{org}/members {"userName"} joins another
	// organisation: 403 for a managed user, who belongs to one (H7).
	HubOrgsPath = "/hub/orgs"
	// HubCollaboratorsPath: POST {"userName"} makes a personal account an
	// external collaborator on the organisation's resources (H19).
	HubCollaboratorsPath = "/hub/collaborators"
)

// decodeHub reads a hub API body into v, or answers 400.
func decodeHub(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(v); err != nil {
		hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "a JSON body is required: " + err.Error()})
		return false
	}
	return true
}

// managedUser says whether name is an account the organisation owns: a
// SCIM user of a managed-mode hub. Callers hold the store lock.
func (s *Server) managedUser(name string) bool {
	return !s.invitation() && s.userNamed(name) != nil
}

// login is a sign-in with the account's own password. Managed accounts have
// only the organisation's IdP (SEED-2, H4); personal accounts keep their
// own login, also as members (H5).
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var body struct{ UserName string }
	if !decodeHub(w, r, &body) {
		return
	}
	key := fold(body.UserName)
	switch {
	case s.managedUser(body.UserName) && !s.has(ManagedPasswordLogin):
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "a managed account signs in through the organisation's SSO only"})
	case s.managedUser(body.UserName):
		hubJSON(w, http.StatusOK, map[string]any{"userName": body.UserName, "method": "password"})
	case s.hub.accounts[key] == nil:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no account " + body.UserName})
	case s.has(InvitedAccountLosesOwnLogin) && s.invitedNamed(body.UserName):
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "members sign in through the organisation's SSO"})
	default:
		hubJSON(w, http.StatusOK, map[string]any{"userName": body.UserName, "method": "password"})
	}
}

// invitedNamed says whether SCIM invited the account name (pending or
// member). Callers hold the store lock.
func (s *Server) invitedNamed(name string) bool {
	inv, _ := s.inviteOf(name)
	return inv != nil
}

// createRepo creates content. A managed user's content stays inside the
// organisation: private only (SEED-1, SEED-2, H6).
func (s *Server) createRepo(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Owner, Name string
		Private     bool
	}
	if !decodeHub(w, r, &body) {
		return
	}
	if body.Name == "" || (s.userNamed(body.Owner) == nil && s.hub.accounts[fold(body.Owner)] == nil) {
		hubJSON(w, http.StatusBadRequest, map[string]any{"detail": "name and the owner's account are required"})
		return
	}
	if s.managedUser(body.Owner) && !body.Private && !s.has(ManagedPublicContent) {
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "managed users can only create private content inside their organisation"})
		return
	}
	if _, taken := s.hub.repos[fold(body.Name)]; taken {
		hubJSON(w, http.StatusConflict, map[string]any{"detail": "the repository " + body.Name + " exists"})
		return
	}
	s.hub.repos[fold(body.Name)] = fold(body.Owner)
	hubJSON(w, http.StatusCreated, map[string]any{"name": body.Name, "owner": body.Owner, "private": body.Private})
}

func (s *Server) readRepo(w http.ResponseWriter, name string) {
	owner, ok := s.hub.repos[fold(name)]
	if !ok {
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no repository " + name})
		return
	}
	hubJSON(w, http.StatusOK, map[string]any{"name": name, "owner": owner})
}

// dropContent deletes what an account owned: a managed account's content
// goes with it (HF-SCIM, HX5), as does a closed personal account's.
// Callers hold the store lock.
func (s *Server) dropContent(name string) {
	for repo, owner := range s.hub.repos {
		if owner == fold(name) {
			delete(s.hub.repos, repo)
		}
	}
}

// joinOrg is an account joining another organisation: a managed user
// belongs to its managing organisation only (SEED-2, H7).
func (s *Server) joinOrg(w http.ResponseWriter, r *http.Request, org string) {
	var body struct{ UserName string }
	if !decodeHub(w, r, &body) {
		return
	}
	switch {
	case s.managedUser(body.UserName) && !s.has(ManagedUserJoinsOtherOrg):
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "a managed user belongs to its managing organisation only"})
	case s.userNamed(body.UserName) == nil && s.hub.accounts[fold(body.UserName)] == nil:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no account " + body.UserName})
	default:
		s.hub.otherOrgs[fold(body.UserName)] = org
		hubJSON(w, http.StatusCreated, map[string]any{"userName": body.UserName, "organisation": org})
	}
}

// addCollaborator makes a personal account an external collaborator: the
// hub allows them in both SSO models (SEED-2, H19).
func (s *Server) addCollaborator(w http.ResponseWriter, r *http.Request) {
	var body struct{ UserName string }
	if !decodeHub(w, r, &body) {
		return
	}
	switch {
	case s.hub.accounts[fold(body.UserName)] == nil:
		hubJSON(w, http.StatusNotFound, map[string]any{"detail": "no personal account " + body.UserName})
	case s.has(ExternalCollaboratorRefused):
		hubJSON(w, http.StatusForbidden, map[string]any{"detail": "only members who sign in through SSO may access the organisation's resources"})
	default:
		s.hub.collaborators[fold(body.UserName)] = true
		hubJSON(w, http.StatusCreated, map[string]any{"userName": body.UserName, "collaborator": true})
	}
}

// profileFields are what an invited member's SCIM user may not change:
// the person's name, email and username stay theirs (HF-SCIM, HX3).
var profileFields = []string{"userName", "name", "displayName", "emails"}

// keepProfile refuses, in the invitation model, a write that changes a
// member's profile: only active and externalId are the IdP's. 400
// mutability is RFC 7644 §3.12's answer to a modification "not compatible
// with the target attribute's mutability or current state"; HF-SCIM says
// SCIM "cannot modify" them. Callers hold the store lock.
func (s *Server) keepProfile(res *resource, data map[string]any) *scimError {
	if res.kind != userKind || !s.invitation() {
		return nil
	}
	stored := res.attrs()
	if s.has(ExternalIDReadOnly) && !reflect.DeepEqual(stored["externalId"], data["externalId"]) {
		return errorf(http.StatusBadRequest, "mutability", "externalId cannot be changed through SCIM")
	}
	if s.has(SCIMEditsPersonalProfile) {
		return nil
	}
	for _, f := range profileFields {
		if !reflect.DeepEqual(stored[f], data[f]) {
			return errorf(http.StatusBadRequest, "mutability",
				"%s belongs to the member's own account: SCIM may change only active and externalId", f)
		}
	}
	return nil
}
