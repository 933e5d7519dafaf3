package entra

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
)

// Options shape one Entra provisioning job.
type Options struct {
	Compliant bool   // the aadOptscim062020 flag (E9, entra-flag)
	MatchOn   string // "userName" (default) or "externalId" (E3, entra-lookup)
	NoPath    bool   // send updates as one path-less Replace (entra-nopath-object)
	// Active is how the job's mapping sends active besides the dialect's
	// own: "", ActiveAdd, ActiveLower or ActiveSwitch (E13).
	Active string
	// RefreshActive re-sends active=true to every enabled user each
	// incremental cycle, as tenants observe Entra doing (E13).
	RefreshActive bool
	// Rate paces requests at this many a second (E34: gallery apps must
	// sustain 25), across all workers; 0 sends them as fast as the target
	// answers.
	Rate float64
	// Concurrency is how many users a cycle syncs at once (0 or 1: one
	// after another). One user's requests stay in order on one worker
	// (lookup before create, E4, E5); managers and groups follow, one at a
	// time, once every user is done (E28).
	Concurrency int
	// Sleep waits between paced requests; nil sleeps for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// NewGUID makes the random GUIDs of the probes (E1); nil: crypto/rand.
	NewGUID func() string
	Clock   *Clock // default: a virtual clock starting now
	// Usernames is the target's userName character rule (internal/username):
	// the userName mapping HF recommends edits the UPN to it
	// (Replace([mailNickname], ".", …), HF-ENTRA, HX2).
	Usernames string
}

// Job is an Entra provisioning job from one tenant to one target.
type Job struct {
	scim   *scim.Client
	tenant *Tenant
	opts   Options
	d      dialect

	users      map[string]*link // by ObjectID
	groups     map[string]*groupLink
	cycles     []Cycle
	restarted  bool          // the next cycle is an initial one over kept links (E42)
	quarantine int           // cycles in quarantine so far, 0 when not in quarantine
	since      time.Time     // when quarantine began
	disabled   bool          // quarantined past four weeks: the job stopped (E31)
	mu         sync.Mutex    // guards users, paused, the clock and next while users sync at once
	paused     time.Duration // Retry-After waits of the current cycle (E33)
	next       time.Time     // real time the next request is due, for pacing
}

type link struct {
	id     string
	sent   watermark // what the target was last brought to; the watermark of incremental cycles
	active bool
	// managerHeld: the manager was out of scope when this user was
	// provisioned; its reference waits for a restart (E18, ENTRA-KI).
	managerHeld bool
	looked      bool // just found by the lookup before create: no second query (E4)
}

type groupLink struct {
	id      string
	name    string
	members map[string]bool // ObjectIDs sent as members
}

// Op is one provisioning action in a cycle and how it ended.
type Op struct {
	Action string // probe, lookup, create, update, disable, enable, delete, group-create, …
	Object string // the tenant object: UPN or group name
	Status int    // the target's answer, 0 if none
	Err    error  // nil when the target accepted
}

// Cycle is what one run of the job did.
type Cycle struct {
	N           int
	Initial     bool
	At          time.Time
	Ops         []Op
	Failed      int
	Quarantined bool          // the job is in quarantine after this cycle (E31)
	Disabled    bool          // four weeks in quarantine: the job stopped (E31)
	Paused      time.Duration // waited for Retry-After during the cycle (E33)
	Next        time.Duration // until the next cycle
}

// NewJob returns a job provisioning tenant to the target behind c.
func NewJob(c *scim.Client, tenant *Tenant, opts Options) *Job {
	if opts.MatchOn == "" {
		opts.MatchOn = "userName"
	}
	if opts.Clock == nil {
		opts.Clock = NewClock(time.Now())
	}
	if opts.NewGUID == nil {
		opts.NewGUID = randomGUID
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	return &Job{scim: c, tenant: tenant, opts: opts, d: dialect{compliant: opts.Compliant, active: opts.Active},
		users: map[string]*link{}, groups: map[string]*groupLink{}}
}

// TargetID is the target's id for a tenant object, once linked.
func (j *Job) TargetID(objectID string) string {
	if l := j.users[objectID]; l != nil {
		return l.id
	}
	if g := j.groups[objectID]; g != nil {
		return g.id
	}
	return ""
}

// Cycles returns every cycle run so far.
func (j *Job) Cycles() []Cycle { return j.cycles }

// The quarantine schedule (E31, ENTRA-Q): retries after 6, 12 and 24
// hours, then every 24 hours; after four weeks the job is disabled.
var quarantineSteps = []time.Duration{6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

const quarantineLimit = 28 * 24 * time.Hour

// escrowed says whether a cycle's failures put the job in quarantine (E31):
// "most or all" calls failing, or the escrow thresholds from 5,000
// failures: more than 40 %, or more than 40,000.
func escrowed(failed, total int) bool {
	return total > 0 && failed*2 > total || failed >= 5000 && failed*10 > total*4 || failed > 40000
}

// RunCycle runs the next cycle: the initial one first, incremental ones
// after (E29). It starts with the random-GUID probe (E1), then users,
// their managers, and groups (E28). A failing
// operation does not stop the cycle; its object stays dirty and is retried
// next cycle (E30). When most operations fail, the job goes into
// quarantine (E31). The virtual clock advances. A disabled job does
// nothing.
func (j *Job) RunCycle(ctx context.Context) Cycle {
	c := Cycle{N: len(j.cycles) + 1, Initial: len(j.cycles) == 0 || j.restarted, At: j.opts.Clock.Now()}
	if j.disabled {
		c.Disabled = true
		j.cycles = append(j.cycles, c)
		return c
	}
	j.paused = 0
	c.Ops = append(c.Ops, j.probeUser(ctx))
	c.Ops = j.syncUsers(ctx, c.Initial, c.Ops)
	err := j.tenant.eachUser(func(oid string, u User, exists bool) bool {
		c.Ops = append(c.Ops, j.syncManagerOf(ctx, oid, u, exists)...)
		return true
	})
	if err != nil {
		c.Ops = append(c.Ops, Op{Action: "read", Object: "users", Err: fmt.Errorf("entra: %w", err)})
	}
	for _, oid := range j.tenant.order {
		if g, isGroup := j.tenant.groups[oid]; isGroup {
			c.Ops = append(c.Ops, j.syncGroup(ctx, g)...)
		}
	}
	j.restarted = false
	for _, op := range c.Ops {
		if op.Err != nil {
			c.Failed++
		}
	}
	c.Paused = j.paused
	c.Next = Interval
	switch {
	case escrowed(c.Failed, len(c.Ops)):
		if j.quarantine == 0 {
			j.since = c.At
		}
		c.Next = quarantineSteps[min(j.quarantine, len(quarantineSteps)-1)]
		j.quarantine++
		if c.At.Add(c.Next).Sub(j.since) > quarantineLimit {
			j.disabled = true
		}
	case c.Failed == 0:
		j.quarantine = 0
	}
	c.Quarantined, c.Disabled = j.quarantine > 0, j.disabled
	j.cycles = append(j.cycles, c)
	j.opts.Clock.Advance(c.Next)
	return c
}

// syncUsers syncs every tenant user on Options.Concurrency workers,
// appending their operations to ops as they finish.
func (j *Job) syncUsers(ctx context.Context, initial bool, ops []Op) []Op {
	type work struct {
		oid    string
		u      User
		exists bool
	}
	in := make(chan work)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range max(j.opts.Concurrency, 1) {
		wg.Go(func() {
			for w := range in {
				done := j.syncUser(ctx, w.oid, w.u, w.exists, initial)
				mu.Lock()
				ops = append(ops, done...)
				mu.Unlock()
			}
		})
	}
	err := j.tenant.eachUser(func(oid string, u User, exists bool) bool {
		in <- work{oid, u, exists}
		return true
	})
	close(in)
	wg.Wait()
	if err != nil {
		ops = append(ops, Op{Action: "read", Object: "users", Err: fmt.Errorf("entra: %w", err)})
	}
	return ops
}

// link is the job's link to a tenant user, or nil.
func (j *Job) link(oid string) *link {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.users[oid]
}

// setLink links a tenant user, or unlinks it when l is nil.
func (j *Job) setLink(oid string, l *link) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if l == nil {
		delete(j.users, oid)
	} else {
		j.users[oid] = l
	}
}

// TestConnection is what saving the provisioning configuration sends:
// GET /Schemas (E35), then a query for a random user and a random group,
// which must come back empty (E1).
func (j *Job) TestConnection(ctx context.Context) []Op {
	_, schemas := j.send(ctx, "schemas", "/Schemas", scim.Request{Method: http.MethodGet, Path: "/Schemas"}, http.StatusOK)
	ops := []Op{schemas, j.probeUser(ctx)}
	guid := j.opts.NewGUID()
	path := fmt.Sprintf(`/Groups?excludedAttributes=members&filter=displayName eq "%s"`, guid)
	resp, op := j.send(ctx, "probe", guid, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	return append(ops, j.expectEmpty(resp, op, "displayName", guid))
}

// probeUser queries a user that cannot exist (E1): 200 with an empty list.
func (j *Job) probeUser(ctx context.Context) Op {
	guid := j.opts.NewGUID()
	path := fmt.Sprintf(`/Users?filter=%s eq "%s"`, j.opts.MatchOn, guid)
	resp, op := j.send(ctx, "probe", guid, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	return j.expectEmpty(resp, op, j.opts.MatchOn, guid)
}

func (j *Job) expectEmpty(resp *scim.Response, op Op, attr, value string) Op {
	if op.Err != nil {
		return op
	}
	if id, err := matchedID(resp, attr, value); err != nil || id != "" {
		op.Err = fmt.Errorf("entra: probe %s: expected an empty ListResponse for a random GUID, but got %s", value, resp.Brief())
	}
	return op
}

// Outside is the Cycle of operations run outside the cycles (Test
// Connection, provisioning on demand): numbered 0, counted, clock unmoved.
func Outside(ops []Op) Cycle {
	c := Cycle{Ops: ops}
	for _, op := range ops {
		if op.Err != nil {
			c.Failed++
		}
	}
	return c
}

// Restart is "Restart provisioning" (E42): the next cycle is an initial
// one, the watermark is cleared, the links to target objects stay; held
// manager references are sent again (E18).
func (j *Job) Restart() {
	j.restarted, j.disabled, j.quarantine = true, false, 0
	for _, l := range j.users {
		l.managerHeld = false
	}
}

// ProvisionOnDemand provisions one user at once (E41), outside the cycles.
// The compliance flag "doesn't work with on-demand provisioning"
// (ENTRA-COMP): the request is legacy whatever the job's dialect.
func (j *Job) ProvisionOnDemand(ctx context.Context, objectID string) []Op {
	d := j.d
	j.d = dialect{active: d.active}
	defer func() { j.d = d }()
	u, exists := j.tenant.User(objectID)
	return append(j.syncUser(ctx, objectID, u, exists, true), j.syncManagerOf(ctx, objectID, u, exists)...)
}

func randomGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80 // version 4, RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// maxThrottled bounds how often one request is retried after a 429.
const maxThrottled = 3

// maxRetryAfter caps a hostile Retry-After; the wait is virtual anyway.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads Retry-After as seconds or an HTTP date; ok is false
// when there is none.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return min(time.Duration(s)*time.Second, maxRetryAfter), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), maxRetryAfter), true
	}
	return 0, false
}

// send performs one request and says whether the target accepted it. On
// 429 with Retry-After, Entra suspends provisioning for that long and
// retries only the failed request (E33); without Retry-After the request
// fails and waits for the next cycle (E30). Requests are sent with spaces
// in the query as '+' (E2).
func (j *Job) send(ctx context.Context, action, object string, req scim.Request, ok ...int) (*scim.Response, Op) {
	op := Op{Action: action, Object: object}
	req.SpaceAsPlus = true
	var resp *scim.Response
	for attempt := 0; ; attempt++ {
		if err := j.pace(ctx); err != nil {
			op.Err = fmt.Errorf("entra: %s %s: %w", action, object, err)
			return nil, op
		}
		var err error
		if resp, err = j.scim.Do(ctx, req); err != nil {
			op.Err = fmt.Errorf("entra: %s %s: %w", action, object, err)
			return nil, op
		}
		wait, has := retryAfter(resp.Header)
		if resp.Status != http.StatusTooManyRequests || !has || attempt >= maxThrottled {
			break
		}
		j.mu.Lock()
		j.paused += wait
		j.opts.Clock.Advance(wait)
		j.mu.Unlock()
	}
	op.Status = resp.Status
	for _, s := range ok {
		if resp.Status == s {
			return resp, op
		}
	}
	op.Err = fmt.Errorf("entra: %s %s: the target answered %s", action, object, resp.Brief())
	return resp, op
}

// pace waits until the next request is due at Options.Rate: each request
// takes the next slot, 1/Rate after the one before, whichever worker sends it.
func (j *Job) pace(ctx context.Context) error {
	if j.opts.Rate <= 0 {
		return nil
	}
	j.mu.Lock()
	now := time.Now()
	due := j.next
	if due.Before(now) {
		due = now
	}
	j.next = due.Add(time.Duration(float64(time.Second) / j.opts.Rate))
	j.mu.Unlock()
	if d := due.Sub(now); d > 0 {
		return j.opts.Sleep(ctx, d)
	}
	return nil
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("entra: marshal %T: %v", v, err)) // only our own maps are marshalled
	}
	return b
}

// idOf reads the id of a created resource; Entra fails an operation whose
// answer has none (entra-expects).
func idOf(resp *scim.Response) (string, error) {
	o, err := resp.Object()
	if err != nil {
		return "", err
	}
	id := scim.Text(o["id"])
	if id == "" {
		return "", fmt.Errorf("the answer has no id")
	}
	return id, nil
}

// matchedID is the id of the one resource a lookup on attr eq value found,
// or ""; an answer holding anything else is a *scim.FilterMismatch, and
// the job matches nothing rather than someone else's account.
func matchedID(resp *scim.Response, attr, value string) (string, error) {
	found, err := scim.FindOne(resp, attr, value)
	if err != nil || found == nil {
		return "", err
	}
	return scim.Text(found["id"]), nil
}

func patch(ops []any) []byte {
	return marshal(map[string]any{"schemas": []any{patchSchema}, "Operations": ops})
}

var patchOK = []int{http.StatusOK, http.StatusNoContent}
