package provision

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// maxJobs bounds the Entra jobs a long-running fake remembers; the oldest
// is forgotten first (a harness closes its jobs after each scenario).
const maxJobs = 256

// maxClients bounds the HTTP clients kept for reuse.
const maxClients = 64

// maxRequest bounds a control request's body (a tenant included).
const maxRequest = 8 << 20

// server is one fake's control API.
type server struct {
	kind string

	mu      sync.Mutex
	clients map[string]*http.Client // by target (as JSON): one per target and credential, so connections are reused
	jobs    map[string]*job
	order   []string // job ids, oldest first

	// redact knows every target's credentials and every token issued to
	// the clients, which outlive one request's transcript.
	redact *transcript.Redactor
}

// job is an Entra job served over the control API, with its own tenant
// (replaced by the request's before each cycle) and virtual clock.
type job struct {
	mu     sync.Mutex
	job    *entra.Job
	tenant *entra.Tenant
	clock  *entra.Clock
	log    *transcript.Log // what the job sent; reset before each cycle
}

// Handler serves the control API of one fake, KindOkta or KindEntra.
func Handler(kind string) (http.Handler, error) {
	s := &server{kind: kind, clients: map[string]*http.Client{}, jobs: map[string]*job{}, redact: transcript.NewRedactor()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"fake": kind})
	})
	switch kind {
	case KindOkta:
		mux.HandleFunc("POST /control/okta/{op}", s.okta)
	case KindEntra:
		mux.HandleFunc("POST /control/entra/cycle", s.entraCycle)
		mux.HandleFunc("DELETE /control/entra/jobs/{id}", s.entraForget)
	default:
		return nil, fmt.Errorf("provision: unknown fake %q: okta or entra", kind)
	}
	return mux, nil
}

// client is a SCIM client to t recording into a fresh transcript, which
// redacts t's credentials.
func (s *server) client(t target) (*scim.Client, *transcript.Log) {
	key, _ := json.Marshal(target{URL: t.URL, Auth: t.Auth, Timeout: t.Timeout}) // one HTTP client whatever the marker
	s.mu.Lock()
	hc := s.clients[string(key)]
	if hc == nil {
		if len(s.clients) >= maxClients { // a revoked token per scenario adds one each
			for k, old := range s.clients {
				old.CloseIdleConnections()
				delete(s.clients, k)
			}
		}
		hc = scim.NewHTTPClient(t.Auth, t.Timeout, s.redact.Add)
		s.clients[string(key)] = hc
	}
	s.mu.Unlock()
	s.redact.Add(t.Auth.Secrets()...)
	log := transcript.New(s.redact)
	cfg := scim.ConfigFor(t.URL, t.Auth, t.Timeout, nil)
	cfg.HTTP, cfg.Marker = hc, t.Marker // one HTTP client per credential, kept
	return scim.New(cfg, log), log
}

func (s *server) okta(w http.ResponseWriter, r *http.Request) {
	var req oktaRequest
	if !decode(w, r, &req) {
		return
	}
	sc, log := s.client(req.Target)
	var waits []time.Duration
	opts := okta.Options{Integration: req.Options.Integration, PageSize: req.Options.PageSize, MaxRetries: req.Options.MaxRetries, Usernames: req.Options.Usernames}
	if req.Options.VirtualWaits {
		opts.Sleep = func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}
	}
	req.Op.Name = r.PathValue("op")
	res, err := okta.New(sc, opts).Do(r.Context(), req.Op)
	if errors.Is(err, okta.ErrUnknownOp) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
		return
	}
	out := oktaResponse{Result: res}
	out.Error, out.Waits, out.Exchanges = errorToWire(err), waits, log.Exchanges()
	writeJSON(w, http.StatusOK, out)
}

func (s *server) entraCycle(w http.ResponseWriter, r *http.Request) {
	var req entraRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Tenant == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "no tenant"})
		return
	}
	j, id, err := s.job(req)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	*j.tenant = *req.Tenant
	j.clock.Advance(req.Now.Sub(j.clock.Now()))
	j.log.Reset()
	var c entra.Cycle
	switch req.Run {
	case "":
		c = j.job.RunCycle(r.Context())
	case "test-connection":
		c = entra.Outside(j.job.TestConnection(r.Context()))
	case "on-demand":
		c = entra.Outside(j.job.ProvisionOnDemand(r.Context(), req.Object))
	case "restart":
		j.job.Restart()
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unknown run " + req.Run})
		return
	}
	links := map[string]string{}
	for _, oid := range j.tenant.ObjectIDs() {
		if tid := j.job.TargetID(oid); tid != "" {
			links[oid] = tid
		}
	}
	writeJSON(w, http.StatusOK, entraResponse{Job: id, Cycle: cycleToWire(c), Links: links, Exchanges: j.log.Exchanges()})
}

// job finds the request's job, or starts one. A job keeps the target and
// credentials it was started with, as an Entra job does.
func (s *server) job(req entraRequest) (*job, string, error) {
	if req.Job != "" {
		s.mu.Lock()
		defer s.mu.Unlock()
		if j := s.jobs[req.Job]; j != nil {
			return j, req.Job, nil
		}
		return nil, "", fmt.Errorf("no Entra job %q (forgotten, or this fake restarted)", req.Job)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	sc, log := s.client(req.Target)
	clock, tenant, o := entra.NewClock(req.Now), entra.NewTenant(), req.Options
	j := &job{tenant: tenant, clock: clock, log: log,
		job: entra.NewJob(sc, tenant, o.options(clock))}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[id] = j
	s.order = append(s.order, id)
	for len(s.order) > maxJobs {
		delete(s.jobs, s.order[0])
		s.order = s.order[1:]
	}
	return j, id, nil
}

func (s *server) entraForget(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	delete(s.jobs, id)
	for i, o := range s.order {
		if o == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, maxRequest)).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad body: " + err.Error()})
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
