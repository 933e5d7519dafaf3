package provision

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/internal/scim"
)

// maxAnswer bounds a control answer (an import with its exchanges).
const maxAnswer = 32 << 20

// Client drives fakes served elsewhere through their control API: an Okta
// fake at OktaURL and an Entra fake at EntraURL, either of which may be
// absent (""). What the fakes sent is recorded into the scenario's
// transcript as though the scenario had sent it.
type Client struct {
	OktaURL, EntraURL string
	http              *http.Client
}

var _ Fakes = (*Client)(nil)

// Dial returns a Client for fakes served by `idpconform fake okta|entra --serve`.
func Dial(oktaURL, entraURL string) *Client {
	return &Client{
		OktaURL: strings.TrimSuffix(oktaURL, "/"), EntraURL: strings.TrimSuffix(entraURL, "/"),
		// No proxy, ever: the fakes listen on loopback.
		http: &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 16}},
	}
}

// call posts body to base+path and decodes the answer into out; a failure
// to get a 200 wraps ErrControl.
func (c *Client) call(ctx context.Context, method, base, kind, path string, body, out any) error {
	if base == "" {
		return fmt.Errorf("%w: no %s fake is running (container mode starts one only when the selected scenarios are tagged @%s)", ErrControl, kind, kind)
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("provision: %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrControl, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", ErrControl, method, base+path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", ErrControl, method, base+path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		_ = json.Unmarshal(raw, &e)
		return fmt.Errorf("%w: %s %s: %s: %s", ErrControl, method, base+path, resp.Status, e.Error)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%w: %s %s: %w", ErrControl, method, base+path, err)
		}
	}
	return nil
}

// Okta implements Fakes.
func (c *Client) Okta(target *scim.Client, opts okta.Options) Okta {
	return &remoteOkta{c: c, target: target, opts: opts}
}

// remoteOkta is an Okta integration whose requests the Okta fake sends.
type remoteOkta struct {
	c      *Client
	target *scim.Client
	opts   okta.Options
}

// Do runs one operation in the Okta fake: its exchanges go into the
// scenario's transcript, its back-off waits through opts.Sleep, its error
// typed again.
func (o *remoteOkta) Do(ctx context.Context, op okta.Op) (okta.Result, error) {
	req := oktaRequest{Target: targetOf(o.target), Op: op,
		Options: oktaOptions{Integration: o.opts.Integration, PageSize: o.opts.PageSize, MaxRetries: o.opts.MaxRetries, VirtualWaits: o.opts.Sleep != nil}}
	var out oktaResponse
	if err := o.c.call(ctx, http.MethodPost, o.c.OktaURL, KindOkta, "/control/okta/"+op.Name, req, &out); err != nil {
		return out.Result, err
	}
	o.target.Record(out.Exchanges...)
	scim.NoteExchanges(ctx, out.Exchanges)
	for _, d := range out.Waits {
		if err := o.opts.Sleep(ctx, d); err != nil {
			return out.Result, err
		}
	}
	return out.Result, out.Error.err()
}

// Entra implements Fakes. The tenant stays here, where the steps change
// it; each cycle sends it whole.
func (c *Client) Entra(target *scim.Client, tenant *entra.Tenant, opts entra.Options) Entra {
	if opts.Clock == nil {
		opts.Clock = entra.NewClock(time.Now())
	}
	return &remoteEntra{c: c, target: target, tenant: tenant, opts: opts}
}

// remoteEntra is an Entra job that runs in the Entra fake.
type remoteEntra struct {
	c      *Client
	target *scim.Client
	tenant *entra.Tenant
	opts   entra.Options
	job    string            // the fake's id for the job, after the first cycle
	links  map[string]string // from the last cycle
}

func (e *remoteEntra) RunCycle(ctx context.Context) (entra.Cycle, error) { return e.run(ctx, "", "") }

func (e *remoteEntra) TestConnection(ctx context.Context) (entra.Cycle, error) {
	return e.run(ctx, "test-connection", "")
}

func (e *remoteEntra) ProvisionOnDemand(ctx context.Context, objectID string) (entra.Cycle, error) {
	return e.run(ctx, "on-demand", objectID)
}

func (e *remoteEntra) Restart(ctx context.Context) error {
	_, err := e.run(ctx, "restart", "")
	return err
}

// run asks the fake for one run of the job: a cycle, or what Run names.
func (e *remoteEntra) run(ctx context.Context, run, object string) (entra.Cycle, error) {
	req := entraRequest{
		Run: run, Object: object,
		Job: e.job, Target: targetOf(e.target), Now: e.opts.Clock.Now(), Tenant: e.tenant,
		Options: entraOptionsOf(e.opts),
	}
	var out entraResponse
	if err := e.c.call(ctx, http.MethodPost, e.c.EntraURL, KindEntra, "/control/entra/cycle", req, &out); err != nil {
		return entra.Cycle{}, err
	}
	e.target.Record(out.Exchanges...)
	scim.NoteExchanges(ctx, out.Exchanges)
	e.job, e.links = out.Job, out.Links
	c := out.Cycle.cycle()
	e.opts.Clock.Advance(c.Paused + c.Next) // as the in-process job advances the shared clock
	return c, nil
}

func (e *remoteEntra) TargetID(objectID string) string { return e.links[objectID] }

func (e *remoteEntra) Close(ctx context.Context) error {
	if e.job == "" {
		return nil
	}
	err := e.c.call(ctx, http.MethodDelete, e.c.EntraURL, KindEntra, "/control/entra/jobs/"+e.job, nil, nil)
	e.job = ""
	return err
}
