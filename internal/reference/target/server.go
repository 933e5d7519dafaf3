// Package target is idpconform's reference SCIM 2.0 service provider
// (RFC 7643, RFC 7644): an ML hub's organisation with users (and the
// enterprise extension), groups and the hub's userName policy. It is
// correct by default; each named fault (faults.go) breaks exactly one
// behaviour so the harness's self-test can prove its checks can fail, and
// each liberty (liberties.go) makes one other choice the RFCs allow.
package target

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/internal/username"
)

// Options configure a reference target.
type Options struct {
	Token  string   // required bearer token (also accepted as a basic-auth password)
	Faults []string // fault names from Faults()
	// Liberties are names from Liberties(), or AllLiberties: legal choices
	// other than the strict ones the target makes by default.
	Liberties []string
	// SSO, if set, serves a SAML SP and an OIDC RP under /sso/ (sso.go).
	SSO *SSOOptions
	// Mode is the account model, ModeManaged ("" too) or ModeInvitation
	// (lifecycle.go).
	Mode string
	// RequireSSO makes SCIM answer 403 until SSO is configured (SSO set),
	// as the hub does (shared/quirks.md hub-sso-first).
	RequireSSO bool
	// Usernames names a userName character rule of internal/username
	// ("hub"), enforced besides the length and digits-only rules.
	Usernames string
	// Wrap, if set, wraps the handler Listen serves (a benchmark records
	// the traffic with it).
	Wrap func(http.Handler) http.Handler
}

// Server is the reference target. It is safe for concurrent use.
type Server struct {
	token  string
	faults map[string]bool // the faults and liberties switched on
	store  *store
	burst  burst
	window window

	ssoOpts  *SSOOptions
	spFaults []string
	sp       atomic.Pointer[sp.SP] // set by Listen once the base URL is known

	mode       string
	hub        *hub // guarded by store.mu
	requireSSO bool
	rule       string // the userName character rule (Options.Usernames)
	wrap       func(http.Handler) http.Handler

	scanAll bool // tests: answer every list by scanning the store, no index
}

// New checks opts and returns an empty target. It fails on an empty token
// or an unknown fault name.
func New(opts Options) (*Server, error) {
	if opts.Token == "" {
		return nil, errors.New("target: new: a token is required")
	}
	on, err := checkFaults(opts.Faults)
	if err == nil {
		err = checkLiberties(opts.Liberties, on)
	}
	if err != nil {
		return nil, err
	}
	mode, err := checkMode(opts.Mode)
	if err != nil {
		return nil, err
	}
	if !username.Known(opts.Usernames) {
		return nil, fmt.Errorf("target: new: unknown userName rule %q (want one of %s)", opts.Usernames, strings.Join(username.Rules, ", "))
	}
	_, spFaults := splitFaults(opts.Faults)
	return &Server{token: opts.Token, faults: on, store: newStore(on["numeric-ids"]), ssoOpts: opts.SSO, spFaults: spFaults,
		mode: mode, hub: newHub(), requireSSO: opts.RequireSSO && opts.SSO == nil, rule: opts.Usernames, wrap: opts.Wrap}, nil
}

// has says whether a fault or a liberty is switched on; each is asked for
// at the one place it bends.
func (s *Server) has(fault string) bool { return s.faults[fault] }

// Stats counts what the target holds; Accounts is what the hub holds
// outside SCIM: personal accounts (lifecycle.go) and what its rules made
// (content, resource groups, collaborators; hubrules.go).
type Stats struct{ Users, Groups, Accounts int }

// Stats says how many users, groups and hub accounts the target holds now.
func (s *Server) Stats() Stats {
	st := s.store.stats()
	st.Accounts = s.hubAccounts()
	return st
}

// maxBody is the largest request body served; larger ones get 413.
const maxBody = 1 << 20

// ServeHTTP serves SCIM under /scim/v2 and a health probe at /healthz.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
		return
	}
	if strings.HasPrefix(r.URL.Path, "/sso/") {
		s.serveSSO(w, r) // the SP has its own sessions; the SCIM token is not asked for
		return
	}
	if strings.HasPrefix(r.URL.Path, "/hub/") {
		s.serveHub(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/scim/v2")
	if !ok || (rest != "" && rest[0] != '/') {
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint %s", r.URL.Path))
		return
	}
	if !s.authorized(r) {
		s.writeError(w, errorf(http.StatusUnauthorized, "", "a valid bearer token is required"))
		return
	}
	if s.requireSSO {
		s.writeError(w, errorf(http.StatusForbidden, "", "SCIM is disabled until single sign-on (SSO) is configured for the organisation"))
		return
	}
	over, done := s.limited(w)
	defer done()
	if over {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	s.route(w, r, strings.Trim(rest, "/"))
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, path string) {
	parts := strings.Split(path, "/")
	switch {
	case path == "ServiceProviderConfig":
		s.only(w, r, http.MethodGet, s.serviceProviderConfig)
	case parts[0] == "ResourceTypes" && len(parts) <= 2:
		s.only(w, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) { s.resourceTypes(w, r, parts[1:]) })
	case parts[0] == "Schemas" && len(parts) <= 2:
		s.only(w, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) { s.schemas(w, r, parts[1:]) })
	case path == "Bulk":
		s.only(w, r, http.MethodPost, s.bulk)
	case path == ".search":
		// RFC 7644 §3.4.3: a search at the root spans every resource type.
		s.only(w, r, http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.search(w, r, userKind, groupKind) })
	case parts[0] == userKind.Endpoint:
		s.resource(w, r, userKind, parts[1:])
	case parts[0] == groupKind.Endpoint:
		s.resource(w, r, groupKind, parts[1:])
	default:
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint /%s", path))
	}
}

func (s *Server) resource(w http.ResponseWriter, r *http.Request, k *kind, rest []string) {
	switch {
	case len(rest) == 0:
		switch r.Method {
		case http.MethodGet:
			s.list(w, r, k)
		case http.MethodPost:
			s.create(w, r, k)
		default:
			s.notAllowed(w, r)
		}
	case len(rest) == 1 && rest[0] == ".search":
		s.only(w, r, http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.search(w, r, k) })
	case len(rest) == 1:
		switch r.Method {
		case http.MethodGet:
			s.get(w, r, k, rest[0])
		case http.MethodPut:
			s.replace(w, r, k, rest[0])
		case http.MethodPatch:
			s.patch(w, r, k, rest[0])
		case http.MethodDelete:
			s.delete(w, r, k, rest[0])
		default:
			s.notAllowed(w, r)
		}
	default:
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint %s", r.URL.Path))
	}
}

func (s *Server) only(w http.ResponseWriter, r *http.Request, method string, h http.HandlerFunc) {
	if r.Method != method {
		s.notAllowed(w, r)
		return
	}
	h(w, r)
}

func (s *Server) notAllowed(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, errorf(http.StatusMethodNotAllowed, "", "%s is not allowed on %s", r.Method, r.URL.Path))
}
