package provision

import (
	"errors"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/reports"
)

// The control API, as JSON over HTTP on a loopback address:
//
//	GET    /healthz                        200 {"fake": "okta"} once serving
//	POST   /control/okta/{op}              oktaRequest → oktaResponse
//	POST   /control/entra/cycle            entraRequest → entraResponse
//	DELETE /control/entra/jobs/{id}        forget a job
//
// An operation the fake performed answers 200 whatever the target did: its
// outcome (and the target's refusal, as an error) is in the body, with every
// exchange the fake recorded. 400 means the request itself was wrong.
const (
	HealthPath  = "/healthz"
	ControlPath = "/control/"
)

// target is where and how a fake reaches the SCIM target; each request
// names it, so one fake serves any target and credential (a scenario may
// present a revoked token).
type target struct {
	URL     string        `json:"url"`
	Auth    scim.Auth     `json:"auth"`
	Timeout time.Duration `json:"timeout"`
	// Marker is the scenario's: the fake's guard changes only resources
	// whose names carry it (scim.Config.Marker).
	Marker string `json:"marker"`
}

func targetOf(c *scim.Client) target {
	cfg := c.Config()
	return target{URL: cfg.BaseURL, Auth: cfg.Auth, Timeout: cfg.Timeout, Marker: cfg.Marker}
}

// oktaOptions are okta.Options without the function: VirtualWaits makes
// the fake keep its back-off waits instead of sleeping, and report them.
type oktaOptions struct {
	Integration  okta.Integration `json:"integration,omitempty"`
	PageSize     int              `json:"pageSize,omitempty"`
	MaxRetries   int              `json:"maxRetries,omitempty"`
	VirtualWaits bool             `json:"virtualWaits,omitempty"`
}

// oktaRequest carries one Okta operation; its name is also the path's.
type oktaRequest struct {
	Target  target      `json:"target"`
	Options oktaOptions `json:"options"`
	Op      okta.Op     `json:"op"`
}

type oktaResponse struct {
	Result    okta.Result        `json:"result"`
	Error     *wireError         `json:"error,omitempty"`
	Waits     []time.Duration    `json:"waits,omitempty"`
	Exchanges []reports.Exchange `json:"exchanges"`
}

type entraOptions struct {
	Compliant     bool    `json:"compliant,omitempty"`
	MatchOn       string  `json:"matchOn,omitempty"`
	NoPath        bool    `json:"noPath,omitempty"`
	Active        string  `json:"active,omitempty"`
	RefreshActive bool    `json:"refreshActive,omitempty"`
	Rate          float64 `json:"rate,omitempty"`
}

func entraOptionsOf(o entra.Options) entraOptions {
	return entraOptions{Compliant: o.Compliant, MatchOn: o.MatchOn, NoPath: o.NoPath, Active: o.Active, RefreshActive: o.RefreshActive, Rate: o.Rate}
}

func (o entraOptions) options(clock *entra.Clock) entra.Options {
	return entra.Options{Compliant: o.Compliant, MatchOn: o.MatchOn, NoPath: o.NoPath, Active: o.Active,
		RefreshActive: o.RefreshActive, Rate: o.Rate, Clock: clock}
}

// entraRequest runs the next cycle of Job (a new job when empty) over
// Tenant, with the job's virtual clock at Now; or, as Run says, its Test
// Connection, a provisioning on demand of Object, or a restart.
type entraRequest struct {
	Run     string        `json:"run,omitempty"` // "" (a cycle), test-connection, on-demand, restart
	Object  string        `json:"object,omitempty"`
	Job     string        `json:"job,omitempty"`
	Target  target        `json:"target"`
	Options entraOptions  `json:"options"`
	Now     time.Time     `json:"now"`
	Tenant  *entra.Tenant `json:"tenant"`
}

type entraResponse struct {
	Job       string             `json:"job"`
	Cycle     wireCycle          `json:"cycle"`
	Links     map[string]string  `json:"links"` // tenant ObjectID → the target's id
	Exchanges []reports.Exchange `json:"exchanges"`
}

type wireCycle struct {
	N           int           `json:"n"`
	Initial     bool          `json:"initial"`
	At          time.Time     `json:"at"`
	Ops         []wireOp      `json:"ops"`
	Failed      int           `json:"failed"`
	Quarantined bool          `json:"quarantined"`
	Disabled    bool          `json:"disabled,omitempty"`
	Paused      time.Duration `json:"paused,omitempty"`
	Next        time.Duration `json:"next"`
}

type wireOp struct {
	Action string `json:"action"`
	Object string `json:"object"`
	Status int    `json:"status,omitempty"`
	Err    string `json:"error,omitempty"`
}

func cycleToWire(c entra.Cycle) wireCycle {
	w := wireCycle{N: c.N, Initial: c.Initial, At: c.At, Failed: c.Failed, Quarantined: c.Quarantined, Disabled: c.Disabled, Paused: c.Paused, Next: c.Next}
	for _, op := range c.Ops {
		o := wireOp{Action: op.Action, Object: op.Object, Status: op.Status}
		if op.Err != nil {
			o.Err = op.Err.Error()
		}
		w.Ops = append(w.Ops, o)
	}
	return w
}

func (w wireCycle) cycle() entra.Cycle {
	c := entra.Cycle{N: w.N, Initial: w.Initial, At: w.At, Failed: w.Failed, Quarantined: w.Quarantined, Disabled: w.Disabled, Paused: w.Paused, Next: w.Next}
	for _, o := range w.Ops {
		op := entra.Op{Action: o.Action, Object: o.Object, Status: o.Status}
		if o.Err != "" {
			op.Err = errors.New(o.Err)
		}
		c.Ops = append(c.Ops, op)
	}
	return c
}

// wireError is an operation's error with the type the steps tell apart:
// the target's refusal (okta.StatusError), no answer (scim.NoAnswer), or
// anything else the fake did not accept.
type wireError struct {
	Message  string `json:"message"`
	Op       string `json:"op,omitempty"`
	Status   int    `json:"status,omitempty"`
	Body     string `json:"body,omitempty"`
	NoAnswer string `json:"noAnswer,omitempty"`
	// GroupsProbe marks an *okta.GroupsProbeError around the rest.
	GroupsProbe bool `json:"groupsProbe,omitempty"`
}

func errorToWire(err error) *wireError {
	if err == nil {
		return nil
	}
	w := &wireError{Message: err.Error()}
	var gp *okta.GroupsProbeError
	w.GroupsProbe = errors.As(err, &gp)
	var se *okta.StatusError
	var none *scim.NoAnswer
	switch {
	case errors.As(err, &se):
		w.Op, w.Status, w.Body = se.Op, se.Status, se.Body
	case errors.As(err, &none):
		w.NoAnswer = none.Error()
	}
	return w
}

func (w *wireError) err() error {
	if w != nil && w.GroupsProbe {
		inner := *w
		inner.GroupsProbe = false
		return &okta.GroupsProbeError{Err: inner.err()}
	}
	switch {
	case w == nil:
		return nil
	case w.Status != 0:
		return &okta.StatusError{Op: w.Op, Status: w.Status, Body: w.Body}
	case w.NoAnswer != "":
		return &remoteError{msg: w.Message, cause: scim.NewNoAnswer(w.NoAnswer)}
	}
	return errors.New(w.Message)
}

// remoteError keeps the fake's message and the type of its cause.
type remoteError struct {
	msg   string
	cause error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.cause }
