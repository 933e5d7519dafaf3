package target

import (
	"fmt"
	"net/http"
	"strings"
)

// The two account models of the hub (shared/quirks.md hub-managed,
// hub-invite), chosen with Options.Mode.
const (
	// ModeManaged: the organisation owns the accounts; SCIM creates,
	// updates, deactivates (blocks everywhere) and deletes them.
	ModeManaged = "managed"
	// ModeInvitation: members keep their personal accounts; a SCIM create
	// for an existing account invites it, and it joins only on acceptance.
	ModeInvitation = "invitation"
)

// The hub's own administration API, beside SCIM and behind the same token.
// It is what a vendor's product has and SCIM does not: personal accounts,
// the invitation a person accepts, and the member view with the effective
// role. Paths take the userName as one escaped segment.
const (
	// HubAccountsPath: POST {"userName","email"} signs up a personal
	// account (invitation mode); GET and DELETE …/{userName} read and close
	// it. GET answers {"userName","active","organisation"}.
	HubAccountsPath = "/hub/accounts"
	// HubInvitationsPath: POST …/{userName}/accept is the person accepting
	// their pending invitation.
	HubInvitationsPath = "/hub/invitations"
	// HubMembersPath: GET …/{userName} answers {"userName","state","role",
	// "resourceGroups"}, or 404 for someone who is neither invited nor a member.
	HubMembersPath = "/hub/members"
)

// HubExtensionURN is the schema extension in which an invitation-mode
// target shows a user's membership state (read-only).
const HubExtensionURN = "urn:idpconform:params:scim:schemas:extension:hub:2.0:User"

// Membership states, in the member view and in HubExtensionURN.
const (
	StatePending   = "pending"   // invited, not accepted: no access yet
	StateMember    = "member"    // in the organisation
	StateSuspended = "suspended" // deactivated through SCIM: no access, data kept
	StateNone      = "none"      // the account exists but is not in the organisation
)

// hub is the state SCIM does not hold. Callers hold the store lock.
type hub struct {
	accounts map[string]*account // personal accounts by folded userName (invitation mode)
	invites  map[string]*invite  // by SCIM user id (invitation mode)
	// Fault state: accounts a delete left behind, cancelled invitations that
	// block or stay acceptable, roles that were never taken back.
	ghosts    map[string]string
	cancelled map[string]bool
	granted   map[string]map[string]bool
	// The hub's rules (hubrules.go, resourcegroups.go): repositories by
	// folded name → folded owner, other organisations joined, external
	// collaborators, resource groups by name.
	repos         map[string]string
	otherOrgs     map[string]string
	collaborators map[string]bool
	rgroups       map[string]*rgroup
}

type account struct{ userName, email string }

// invite is one SCIM user of an invitation-mode target: the account it
// invited and whether the person accepted.
type invite struct {
	key      string // folded userName of the account
	accepted bool
}

func newHub() *hub {
	return &hub{accounts: map[string]*account{}, invites: map[string]*invite{}, ghosts: map[string]string{},
		cancelled: map[string]bool{}, granted: map[string]map[string]bool{}, repos: map[string]string{},
		otherOrgs: map[string]string{}, collaborators: map[string]bool{}, rgroups: map[string]*rgroup{}}
}

func fold(userName string) string { return strings.ToLower(userName) }

// invitation says whether the target runs the invitation model.
func (s *Server) invitation() bool { return s.mode == ModeInvitation }

// admit runs before a user is created: in invitation mode the userName
// must name a personal account, since a SCIM create is an invitation.
// Callers hold the store lock.
func (s *Server) admit(k *kind, data map[string]any) *scimError {
	if k != userKind || !s.invitation() {
		return nil
	}
	name, _ := data["userName"].(string)
	key := fold(name)
	if s.has(ReinviteResetsToPending) {
		for _, inv := range s.hub.invites {
			if inv.key == key {
				inv.accepted = false
			}
		}
	}
	if s.has(CancelledInvitationBlocksReinvite) && s.hub.cancelled[key] {
		return errorf(http.StatusConflict, "uniqueness", "userName %q was invited before", name)
	}
	if s.hub.accounts[key] == nil && name != "" {
		if s.has(UnknownAccount500) {
			return errorf(http.StatusInternalServerError, "", "internal error")
		}
		return errorf(http.StatusBadRequest, "invalidValue",
			"no hub account is named %q: only people with a hub account can be invited", name)
	}
	return nil
}

// admitted records the invitation a create just made. Callers hold the
// store lock.
func (s *Server) admitted(res *resource) {
	if res.kind != userKind || !s.invitation() {
		return
	}
	name := res.str("userName")
	s.hub.invites[res.id] = &invite{key: fold(name)}
}

// deprovisioned follows a user's DELETE: in invitation mode it cancels a
// pending invitation or ends a membership, and the personal account stays;
// in managed mode the account is the user and goes with it. Callers hold
// the store lock.
func (s *Server) deprovisioned(res *resource) {
	if res.kind != userKind {
		return
	}
	name := res.str("userName")
	s.leaveResourceGroups(name)
	delete(s.hub.otherOrgs, fold(name))
	if !s.invitation() {
		if s.has(DeleteKeepsAccount) {
			s.hub.ghosts[fold(name)] = name
		}
		if !s.has(ManagedDeleteKeepsContent) {
			s.dropContent(name)
		}
		return
	}
	inv := s.hub.invites[res.id]
	delete(s.hub.invites, res.id)
	if inv != nil && !inv.accepted {
		if s.has(CancelledInvitationAcceptable) {
			s.hub.invites["cancelled:"+res.id] = inv
		}
		if s.has(CancelledInvitationBlocksReinvite) {
			s.hub.cancelled[inv.key] = true
		}
	}
	if s.has(DeprovisionDeletesAccount) {
		delete(s.hub.accounts, fold(name))
	}
}

// reactivating applies to a user about to be stored: the fault
// reactivate-clears-profile loses what the user had when they come back.
func (s *Server) reactivating(res *resource, data map[string]any) {
	if data["active"] == true && res.attrs()["active"] == false && s.has(ReactivateClearsProfile) {
		for key := range data {
			if key != "userName" && key != "active" {
				delete(data, key)
			}
		}
	}
}

// state is a user's membership: pending until accepted in invitation mode,
// suspended while deactivated. Callers hold the store lock.
func (s *Server) state(res *resource) string {
	st := StateMember
	if inv := s.hub.invites[res.id]; s.invitation() && inv != nil && !inv.accepted && !s.has(InvitationCountsAsMember) {
		st = StatePending
	}
	if st == StateMember && res.attrs()["active"] == false && !(s.invitation() && s.has(DeactivatedMemberKeepsAccess)) {
		st = StateSuspended
	}
	return st
}

// renderMembership shows an invitation-mode user's membership state in
// HubExtensionURN. Callers hold the store lock.
func (s *Server) renderMembership(res *resource, out map[string]any) {
	if !s.invitation() {
		return
	}
	out[HubExtensionURN] = map[string]any{"membership": s.state(res)}
	schemas, _ := out["schemas"].([]any)
	out["schemas"] = append(schemas, HubExtensionURN)
}

// listed bends a user as a list shows it (fault list-shows-deactivated-active).
func (s *Server) listed(res *resource, out map[string]any) {
	if res.kind == userKind && s.has(ListShowsDeactivatedActive) && out["active"] == false {
		out["active"] = true
	}
}

// userNamed finds the SCIM user with this userName (case-insensitively,
// as userName is caseExact false). Callers hold the store lock.
func (s *Server) userNamed(name string) *resource {
	for _, res := range s.store.find(userKind, "userName", fold(name)) {
		if fold(res.str("userName")) == fold(name) {
			return res
		}
	}
	return nil
}

// hubAccounts counts what the hub holds beside SCIM, for Stats: accounts,
// and what the hub's rules made (content, resource groups, other
// organisations, collaborators).
func (s *Server) hubAccounts() int {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	n := len(s.hub.accounts) + len(s.hub.ghosts) + len(s.hub.repos) + len(s.hub.otherOrgs) +
		len(s.hub.collaborators) + len(s.hub.rgroups)
	for id := range s.hub.invites {
		if strings.HasPrefix(id, "cancelled:") {
			n++
		}
	}
	return n
}

// checkMode refuses an unknown mode; "" is managed.
func checkMode(mode string) (string, error) {
	switch mode {
	case "", ModeManaged:
		return ModeManaged, nil
	case ModeInvitation:
		return mode, nil
	}
	return "", fmt.Errorf("target: new: mode %q is not managed or invitation", mode)
}
