// Package target is idpconform's reference SCIM 2.0 service provider: an
// ML hub's organisation with users (and the enterprise extension), groups
// and a userName policy. It is correct by default; each named fault breaks
// exactly one behaviour so the harness can prove its checks fail.
package target

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure a reference target.
type Options struct {
	Token  string   // required bearer token (also accepted as a basic-auth password)
	Faults []string // names from Faults()
}

// Server is the reference target. It is safe for concurrent use.
type Server struct {
	token  string
	faults map[string]bool
	store  *store
	burst  burst
}

// New checks opts and returns an empty target.
func New(opts Options) (*Server, error) {
	if opts.Token == "" {
		return nil, errors.New("target: a token is required")
	}
	on, err := checkFaults(opts.Faults)
	if err != nil {
		return nil, err
	}
	return &Server{token: opts.Token, faults: on, store: newStore()}, nil
}

func (s *Server) has(fault string) bool { return s.faults[fault] }

// Stats counts what the target holds.
type Stats struct{ Users, Groups int }

// Stats says how many users and groups the target holds now.
func (s *Server) Stats() Stats { return s.store.stats() }

const maxBody = 1 << 20

// ServeHTTP serves SCIM under /scim/v2 and a health probe at /healthz.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok"))
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/scim/v2")
	if !ok {
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint %s", r.URL.Path))
		return
	}
	if !s.authorized(r) {
		s.writeError(w, errorf(http.StatusUnauthorized, "", "a valid bearer token is required"))
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

// authorized checks the bearer token, or basic auth with the token as the
// password (RFC 7644 §2).
func (s *Server) authorized(r *http.Request) bool {
	if s.has("missing-401") {
		return true
	}
	got := ""
	if _, pass, ok := r.BasicAuth(); ok {
		got = pass
	} else if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		got = tok
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
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
	case path == ".search":
		s.only(w, r, http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.search(w, r, userKind) })
	case parts[0] == "Users" || parts[0] == "Groups":
		k := userKind
		if parts[0] == "Groups" {
			k = groupKind
		}
		s.resource(w, r, k, parts[1:])
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
			s.writeError(w, errorf(http.StatusMethodNotAllowed, "", "%s is not allowed on /%s", r.Method, k.Endpoint))
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
			s.writeError(w, errorf(http.StatusMethodNotAllowed, "", "%s is not allowed on a %s", r.Method, k.Name))
		}
	default:
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint %s", r.URL.Path))
	}
}

func (s *Server) only(w http.ResponseWriter, r *http.Request, method string, h http.HandlerFunc) {
	if r.Method != method {
		s.writeError(w, errorf(http.StatusMethodNotAllowed, "", "%s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	h(w, r)
}

// Running is a target served on a loopback port.
type Running struct {
	url string
	srv *http.Server
}

// Listen serves s on addr ("127.0.0.1:0" for a free port) in a goroutine.
func Listen(addr string, s *Server) (*Running, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	return &Running{url: "http://" + l.Addr().String() + "/scim/v2", srv: hs}, nil
}

// URL is the SCIM base URL.
func (r *Running) URL() string { return r.url }

// Close stops serving.
func (r *Running) Close() error { return r.srv.Close() }

// burst counts requests in flight for the rate-limit fault; the clean
// target does not limit.
type burst struct {
	mu       sync.Mutex
	inFlight int
}

// maxInFlight is generous for a suite run (one request per scenario at a
// time) and small for a burst.
const maxInFlight = 8

// limited answers 429 without Retry-After when more than maxInFlight
// requests are in flight, if the rate-limit-no-retry-after fault is on.
// done must be called when the request is finished.
func (s *Server) limited(w http.ResponseWriter) (over bool, done func()) {
	if !s.has("rate-limit-no-retry-after") {
		return false, func() {}
	}
	b := &s.burst
	b.mu.Lock()
	b.inFlight++
	over = b.inFlight > maxInFlight
	b.mu.Unlock()
	done = func() {
		b.mu.Lock()
		b.inFlight--
		b.mu.Unlock()
	}
	if over {
		s.writeError(w, errorf(http.StatusTooManyRequests, "", "too many requests"))
	} else {
		time.Sleep(5 * time.Millisecond) // a loaded service: bursts overlap
	}
	return over, done
}
