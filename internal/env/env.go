// Package env sets a run up and tears it down: the built-in reference
// target's instances, the fake IdPs (in process or in containers), a
// target from --target-image, and the files these leave. Everything Start
// starts, Close stops, in reverse order; a Start that fails half-way, or
// is interrupted, has stopped all it started before it returns. The CLI
// only turns flags into Options, and the runner only drives godog against
// what an Env holds. The other subcommands' servers start here too
// (Listen, StartIdP, StartBare), so nothing else listens.
package env

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/username"
	"github.com/idpconform/idpconform/reports"
)

// Options say what a run tests and where its fakes run; `idpconform run`
// fills them from its flags.
type Options struct {
	// The target: a profile (ProfilePath, or Profile already loaded), a
	// SCIM base URL with a bearer Token (default $SCIM_TOKEN), or, with
	// none of these, the built-in reference target.
	ProfilePath string
	Profile     *profile.Profile
	SCIMURL     string
	Token       string
	// Faults, Liberties and SPPolicy change the built-in reference target
	// (--fault, --liberty, --reference-sp).
	Faults, Liberties, SPPolicy []string
	// Usernames puts the built-in reference target under a userName
	// character rule of internal/username (--reference-usernames hub).
	Usernames string
	// Fakes is where the Okta and Entra fakes and the SSO IdPs run:
	// "in-process" (also "") or "container"; Tags tells which of them the
	// scenarios need, so that container mode starts only those.
	Fakes string
	Tags  string
	// Image is a target to start from a Docker image (--target-image).
	Image ImageOptions
	// Timeout, if set, bounds each request instead of the profile's.
	Timeout time.Duration
	// OutDir receives target.log, the output of Image's container.
	OutDir string
	// Output is told where each container serves (default: discarded).
	Output io.Writer
}

// ImageOptions describe a target started from a Docker image.
type ImageOptions struct {
	Name   string   // the image; "idpconform" is the reference target's
	Env    []string // KEY=VALUE
	Port   int      // loopback port, passed as $PORT (default: a free one)
	Health string   // path that answers below 500 once up (default "/")
	Token  string   // bearer token, passed as $SCIM_TOKEN (default: a fresh one)
}

// Env is a run's set-up: what the runner tests and drives.
type Env struct {
	Profile profile.Profile
	Target  reports.Target // what the report says was tested
	// IdPs are the fake IdPs, started for the profile's sso section (nil
	// without one) and introduced to the target. SSOErr is why they could
	// not be started or introduced: the run reports it.
	IdPs   idps.Control
	SSOErr error
	// SP is the entityID the IdPs know the target by, once trusted.
	SP string
	// Alternates are other configurations of the same target, each for the
	// scenarios with its tag (the reference target's strict instance).
	Alternates []Alternate
	// Fakes are the Okta and Entra fakes in containers; nil runs them in
	// process.
	Fakes provision.Fakes

	output  io.Writer
	mu      sync.Mutex     // containers start at once
	closers []func() error // in the order started
}

// Interrupted is a Start stopped by its context, When saying at which
// step ("while its containers started").
type Interrupted struct{ When string }

func (e *Interrupted) Error() string { return "the run was interrupted " + e.When }

// Start sets up what o asks for. On failure or interruption (an
// *Interrupted error) it has already stopped all it started.
func Start(ctx context.Context, o Options) (_ *Env, err error) {
	if o.Output == nil {
		o.Output = io.Discard
	}
	e := &Env{output: o.Output}
	defer func() {
		if err == nil {
			return
		}
		if cerr := e.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	cr, err := startContainers(ctx, e, &o)
	if ctx.Err() != nil {
		return nil, &Interrupted{When: "while its containers started"}
	}
	if err != nil {
		return nil, err
	}
	err = e.resolve(ctx, o, cr)
	if ctx.Err() != nil {
		return nil, &Interrupted{When: "while it set up the target"}
	}
	if err != nil {
		return nil, err
	}
	if o.Timeout > 0 {
		e.Profile.SCIM.Timeout = o.Timeout
	}
	return e, nil
}

// Close stops everything Start started, last started first. It may be
// called more than once.
func (e *Env) Close() error {
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		errs = append(errs, e.closers[i]())
	}
	e.closers = nil
	return errors.Join(errs...)
}

// onClose registers what Close undoes.
func (e *Env) onClose(f func() error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closers = append(e.closers, f)
}

// resolve builds the profile from a profile, a SCIM URL, or the built-in
// reference target, which it starts on free loopback ports with the fake
// IdPs its SSO half trusts.
func (e *Env) resolve(ctx context.Context, o Options, cr *containerRun) error {
	external := o.ProfilePath != "" || o.Profile != nil || o.SCIMURL != ""
	switch {
	case o.ProfilePath != "" && o.SCIMURL != "":
		return errors.New("--target and --scim-url exclude each other")
	case external && len(o.Faults) > 0:
		return errors.New("--fault applies to the built-in reference target only")
	case external && len(o.Liberties) > 0:
		return errors.New("--liberty applies to the built-in reference target only")
	case external && len(o.SPPolicy) > 0:
		return errors.New("--reference-sp applies to the built-in reference target only")
	case external && o.Usernames != "":
		return errors.New("--reference-usernames applies to the built-in reference target only; a profile states its rule in usernames.rule")
	case !username.Known(o.Usernames):
		return fmt.Errorf("--reference-usernames %q: want one of %s", o.Usernames, strings.Join(username.Rules, ", "))
	case o.ProfilePath != "" || o.Profile != nil:
		p := profile.Profile{}
		if o.Profile != nil {
			p = *o.Profile
		} else {
			var err error
			if p, err = profile.Load(o.ProfilePath); err != nil {
				return err
			}
		}
		e.Profile, e.Target = p, reports.Target{Name: p.Name, SCIMURL: p.SCIM.URL}
		if p.SSO != nil {
			return e.startIdPs(ctx, *p.SSO, cr)
		}
		return nil
	case o.SCIMURL != "":
		tok := o.Token
		if tok == "" {
			tok = os.Getenv("SCIM_TOKEN")
		}
		p, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: o.SCIMURL, Auth: profile.Auth{Type: "bearer", Token: tok}}})
		if err != nil {
			return fmt.Errorf("%w (give --token or set SCIM_TOKEN)", err)
		}
		e.Profile, e.Target = p, reports.Target{Name: o.SCIMURL, SCIMURL: p.SCIM.URL}
		return nil
	}
	return e.startReference(ctx, o, cr)
}

// startIdPs starts the fake IdPs a profile's sso section configures, unless
// they run in containers already, in process on the loopback addresses its
// listen fields name. An IdP that cannot start is e.SSOErr, which the run
// reports.
func (e *Env) startIdPs(ctx context.Context, s profile.SSO, cr *containerRun) error {
	if ip := cr.ssoIdPs(); ip != nil {
		e.IdPs = ip.Client
		e.SP, e.SSOErr = Trust(ctx, e.IdPs, e.Profile)
		return nil
	}
	opts := idps.Options{SAML: s.SAML != nil, OIDC: s.OIDC != nil}
	if s.SAML != nil {
		opts.SAMLListen = s.SAML.IdP.Listen
	}
	if s.OIDC != nil {
		opts.OIDCListen = s.OIDC.OP.Listen
	}
	in, err := idps.Start(opts)
	if err != nil {
		e.SSOErr = err
		return nil
	}
	e.onClose(in.Close)
	e.IdPs = in
	e.SP, e.SSOErr = Trust(ctx, e.IdPs, e.Profile)
	return nil
}

// startReference starts the built-in reference target and the fake IdPs
// it trusts.
func (e *Env) startReference(ctx context.Context, o Options, cr *containerRun) error {
	liberties := target.ExpandLiberties(o.Liberties)
	policy, err := SPPolicy(o.SPPolicy)
	if err != nil {
		return fmt.Errorf("--reference-sp: %w", err)
	}
	opts := target.Options{Token: NewToken(), Faults: o.Faults, Liberties: liberties, SSO: &target.SSOOptions{SAML: policy}, Usernames: o.Usernames}
	ip := cr.ssoIdPs()
	var ref *Reference
	if ip != nil {
		ref, err = StartReferenceWith(ctx, opts, Endpoints{SAML: ip.SAMLURL, OIDC: ip.OIDCURL}, ip.Client)
	} else {
		ref, err = StartReference(ctx, opts)
	}
	if err != nil {
		return fmt.Errorf("start the reference target: %w", err)
	}
	e.onClose(ref.Close)
	name := ref.Profile.Name
	if len(o.SPPolicy) > 0 {
		name += " (SAML SP: " + strings.Join(o.SPPolicy, ", ") + ")"
	}
	if o.Usernames != "" {
		name += " (userName rule: " + o.Usernames + ")"
	}
	e.Profile, e.IdPs, e.SP, e.Alternates = ref.Profile, ref.IdPs, ref.SP, ref.Alternates
	e.Target = reports.Target{Name: name, SCIMURL: ref.Profile.SCIM.URL, Reference: true, Faults: o.Faults, Liberties: liberties}
	return nil
}

// SPPolicy reads --reference-sp.
func SPPolicy(names []string) (sp.SAMLPolicy, error) {
	var p sp.SAMLPolicy
	for _, n := range names {
		switch n {
		case "sign-requests":
			p.SignAuthnRequests = true
		case "want-signed-assertions":
			p.RequireSignedAssertions = true
		case "want-encrypted-assertions":
			p.RequireEncryptedAssertions = true
		case "strict":
			p.SignAuthnRequests, p.RequireSignedAssertions = true, true
		default:
			return p, fmt.Errorf("%q: want sign-requests, want-signed-assertions, want-encrypted-assertions or strict", n)
		}
	}
	return p, nil
}

// NewToken is a fresh random bearer token.
func NewToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
