package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
)

// Options shape one Entra provisioning job.
type Options struct {
	Compliant bool   // the aadOptscim062020 flag (entra-flag)
	MatchOn   string // "userName" (default) or "externalId" (entra-lookup)
	NoPath    bool   // send updates as one path-less Replace (entra-nopath-object)
	Clock     *Clock // default: a virtual clock starting now
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
	quarantine time.Duration // 0 when not in quarantine, else the current interval
}

type link struct {
	id     string
	sent   User // what the target was last brought to; the watermark of incremental cycles
	active bool
}

type groupLink struct {
	id      string
	name    string
	members map[string]bool // ObjectIDs sent as members
}

// Op is one provisioning action in a cycle and how it ended.
type Op struct {
	Action string // lookup, create, update, disable, enable, delete, group-create, …
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
	Quarantined bool          // the job is in quarantine after this cycle (entra-quarantine)
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
	return &Job{scim: c, tenant: tenant, opts: opts, d: dialect{compliant: opts.Compliant},
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

// maxQuarantine is how far quarantine slows cycles: once a day.
const maxQuarantine = 24 * time.Hour

// RunCycle runs the next cycle: the initial one first, incremental ones
// after (entra-cycles). A failing operation does not stop the cycle; its
// object stays dirty and is retried next cycle (entra-retry). When most
// operations fail, the job enters quarantine and its interval grows
// towards once a day (entra-quarantine). The virtual clock advances.
func (j *Job) RunCycle(ctx context.Context) Cycle {
	c := Cycle{N: len(j.cycles) + 1, Initial: len(j.cycles) == 0, At: j.opts.Clock.Now()}
	for _, oid := range j.tenant.order {
		if _, isGroup := j.tenant.groups[oid]; !isGroup {
			c.Ops = append(c.Ops, j.syncUser(ctx, oid)...)
		}
	}
	for _, oid := range j.tenant.order {
		if g, isGroup := j.tenant.groups[oid]; isGroup {
			c.Ops = append(c.Ops, j.syncGroup(ctx, g)...)
		}
	}
	for _, op := range c.Ops {
		if op.Err != nil {
			c.Failed++
		}
	}
	switch {
	case len(c.Ops) > 0 && c.Failed*2 > len(c.Ops):
		j.quarantine = min(max(2*j.quarantine, 2*Interval), maxQuarantine)
	case c.Failed == 0:
		j.quarantine = 0
	}
	c.Quarantined = j.quarantine > 0
	c.Next = Interval
	if c.Quarantined {
		c.Next = j.quarantine
	}
	j.cycles = append(j.cycles, c)
	j.opts.Clock.Advance(c.Next)
	return c
}

// send performs one request and says whether the target accepted it.
func (j *Job) send(ctx context.Context, action, object string, req scim.Request, ok ...int) (*scim.Response, Op) {
	op := Op{Action: action, Object: object}
	resp, err := j.scim.Do(ctx, req)
	if err != nil {
		op.Err = fmt.Errorf("entra: %s %s: %w", action, object, err)
		return nil, op
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
