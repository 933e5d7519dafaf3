// Package provision is how scenarios reach the provisioning IdP fakes (Okta
// and Entra): in process (InProcess), or through the control API of fakes
// served by `idpconform fake okta|entra --serve` (Client, Handler), as when
// they run in containers. Either way the fake sends the same requests to the
// target and the scenario's transcript records each of them.
package provision

import (
	"context"
	"errors"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/internal/scim"
)

// Kinds of provisioning fakes, as `idpconform fake KIND` names them.
const (
	KindOkta  = "okta"
	KindEntra = "entra"
)

// Fakes makes the Okta and Entra fakes a scenario drives. target is the
// scenario's SCIM client: its target, its credentials and its transcript.
type Fakes interface {
	Okta(target *scim.Client, opts okta.Options) Okta
	Entra(target *scim.Client, tenant *entra.Tenant, opts entra.Options) Entra
}

// Okta is an Okta app integration provisioning to a target. Its
// operations are data (okta.Op), so this seam stays one method wide
// whatever Okta learns: *okta.Client runs them in process, the Okta fake's
// control API in its container.
type Okta interface {
	Do(ctx context.Context, op okta.Op) (okta.Result, error)
}

var _ Okta = (*okta.Client)(nil)

// Entra is an Entra provisioning job from a tenant to a target. Steps
// change the tenant between cycles; each cycle provisions what it holds.
type Entra interface {
	// RunCycle runs the next cycle; an error means the fake could not be
	// driven at all (the target's refusals are in the Cycle).
	RunCycle(ctx context.Context) (entra.Cycle, error)
	// TestConnection is what saving the configuration sends (E1, E35),
	// as a Cycle numbered 0 that moves no clock.
	TestConnection(ctx context.Context) (entra.Cycle, error)
	// ProvisionOnDemand provisions one user at once (E41), likewise.
	ProvisionOnDemand(ctx context.Context, objectID string) (entra.Cycle, error)
	// Restart is "Restart provisioning": links kept, next cycle initial (E42).
	Restart(ctx context.Context) error
	// TargetID is the target's id of a tenant object, once linked.
	TargetID(objectID string) string
	// Close forgets the job.
	Close(ctx context.Context) error
}

// ErrControl marks a failure to drive a fake through its control API: the
// harness could not check, the target did nothing wrong.
var ErrControl = errors.New("provision: the fake's control API failed")

// InProcess runs the fakes inside the harness's process.
type InProcess struct{}

var _ Fakes = InProcess{}

// Okta implements Fakes. The fakes retry by their own policies, so the
// harness's retrying must not hide the target's 429s from them.
func (InProcess) Okta(target *scim.Client, opts okta.Options) Okta {
	return okta.New(target.WithoutRetry(), opts)
}

// Entra implements Fakes.
func (InProcess) Entra(target *scim.Client, tenant *entra.Tenant, opts entra.Options) Entra {
	return localJob{entra.NewJob(target.WithoutRetry(), tenant, opts)}
}

// localJob is an in-process Entra job: a cycle cannot fail to run.
type localJob struct{ *entra.Job }

func (j localJob) RunCycle(ctx context.Context) (entra.Cycle, error) { return j.Job.RunCycle(ctx), nil }

func (j localJob) TestConnection(ctx context.Context) (entra.Cycle, error) {
	return entra.Outside(j.Job.TestConnection(ctx)), nil
}

func (j localJob) ProvisionOnDemand(ctx context.Context, objectID string) (entra.Cycle, error) {
	return entra.Outside(j.Job.ProvisionOnDemand(ctx, objectID)), nil
}

func (j localJob) Restart(context.Context) error { j.Job.Restart(); return nil }

func (localJob) Close(context.Context) error { return nil }
