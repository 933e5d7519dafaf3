package idpconform

import (
	"context"
	"testing"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// EntraJob is Microsoft Entra ID's provisioning job from Tenant to a
// target, in Entra's legacy PATCH dialect, on a virtual clock.
type EntraJob struct {
	Tenant *entra.Tenant
	t      testing.TB
	job    *entra.Job
}

// Entra returns an Entra provisioning job to tgt with an empty tenant:
// put users and groups in its Tenant, then run cycles.
func Entra(t testing.TB, tgt Target) *EntraJob {
	t.Helper()
	tenant := entra.NewTenant()
	return &EntraJob{Tenant: tenant, t: t, job: entra.NewJob(client(t, tgt), tenant, entra.Options{})}
}

// Cycle runs one provisioning cycle (the first is the initial one) and
// fails t for every operation the target refused.
func (j *EntraJob) Cycle() entra.Cycle {
	j.t.Helper()
	c := j.job.RunCycle(context.Background())
	for _, op := range c.Ops {
		if op.Err != nil {
			j.t.Errorf("entra cycle %d: %s %s: %v", c.N, op.Action, op.Object, op.Err)
		}
	}
	return c
}

// TargetID is the target's id for a tenant object once a cycle linked it.
func (j *EntraJob) TargetID(objectID string) string { return j.job.TargetID(objectID) }

// Okta returns Okta's provisioning client for an OIN app integration
// pointed at tgt: each method sends what Okta sends for that action.
func Okta(t testing.TB, tgt Target) *okta.Client {
	t.Helper()
	return okta.New(client(t, tgt), okta.Options{})
}

// client reaches tgt with its credentials. The guard that keeps the CLI's
// fakes off accounts a run did not create is off: the target is a test's.
func client(t testing.TB, tgt Target) *scim.Client {
	t.Helper()
	p := profile.Profile{SCIM: profile.SCIM{URL: tgt.URL, Auth: profile.Auth{Type: "bearer", Token: tgt.Token}}}
	var err error
	if tgt.Profile != "" {
		p, err = profile.Load(tgt.Profile)
	} else {
		p, err = profile.Complete(p)
	}
	if err != nil {
		t.Fatalf("idpconform: %v", err)
	}
	auth := p.ClientAuth()
	redact := transcript.NewRedactor(auth.Secrets()...)
	return scim.New(scim.ConfigFor(p.SCIM.URL, auth, p.SCIM.Timeout, redact.Add), transcript.New(redact))
}
