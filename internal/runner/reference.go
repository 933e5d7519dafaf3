package runner

import (
	"errors"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/sp"
	"github.com/idpconform/idpconform/fakes/target"
	"github.com/idpconform/idpconform/internal/profile"
)

// Reference is the built-in reference target running on loopback with its
// SSO half trusting the run's fake IdPs, and the profile that describes it.
// A second, strict instance (no just-in-time provisioning, no IdP-initiated
// logins) serves @jit-off and @no-idp-initiated, since one SP cannot both
// create users at login and refuse to.
type Reference struct {
	Profile    profile.Profile
	Server     *target.Server
	IdPs       *idps.IdPs
	Alternates []Alternate
	closers    []func() error
}

// referenceClientID is the OIDC client the reference target registers as.
const referenceClientID = "idpconform-reference"

// StartReference starts the fake IdPs, then the reference target trusting
// them (opts.Token and opts.Faults as given; opts.SSO is filled in). Pass
// Profile, IdPs and Alternates to Run.
func StartReference(opts target.Options) (*Reference, error) {
	ip, err := idps.Start(idps.Options{SAML: true, OIDC: true})
	if err != nil {
		return nil, err
	}
	r := &Reference{IdPs: ip, closers: []func() error{ip.Close}}
	var strict profile.Profile
	if r.Server, r.Profile, err = r.start(opts, true); err == nil {
		_, strict, err = r.start(opts, false)
	}
	if err != nil {
		return nil, errors.Join(err, r.Close())
	}
	r.Alternates = []Alternate{{Tag: "jit-off", Profile: strict, IdPs: ip}, {Tag: "no-idp-initiated", Profile: strict, IdPs: ip}}
	return r, nil
}

// start runs one instance of the reference target: lenient (JIT and
// IdP-initiated logins on) or strict (both off).
func (r *Reference) start(opts target.Options, lenient bool) (*target.Server, profile.Profile, error) {
	md, err := r.IdPs.SAML.Metadata()
	if err != nil {
		return nil, profile.Profile{}, err
	}
	secret, client := idps.NewSecret(), referenceClientID
	if !lenient {
		client += "-strict" // each instance is its own OIDC client
	}
	opts.SSO = &target.SSOOptions{
		IdPMetadata: md, JIT: lenient, AllowIdPInitiated: lenient,
		OIDC: sp.OIDCOptions{Issuer: r.IdPs.OIDC.Issuer(), ClientID: client, ClientSecret: secret},
	}
	srv, err := target.New(opts)
	if err != nil {
		return nil, profile.Profile{}, err
	}
	running, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		return nil, profile.Profile{}, err
	}
	r.closers = append(r.closers, running.Close)
	base := running.Base()
	p, err := profile.Complete(profile.Profile{
		Name:      "idpconform reference target",
		SCIM:      profile.SCIM{URL: running.URL(), Auth: profile.Auth{Type: "bearer", Token: opts.Token}},
		Usernames: profile.Usernames{MinLength: target.MinUserName, MaxLength: target.MaxUserName},
		SSO: &profile.SSO{
			SAML: &profile.SAML{
				SPMetadataURL: base + sp.SAMLMetadataPath, LoginURL: base + sp.SAMLLoginPath, IdPInitiated: lenient,
			},
			OIDC: &profile.OIDC{
				ClientID: client, ClientSecret: secret,
				RedirectURI: base + sp.OIDCCallbackPath, LoginURL: base + sp.OIDCLoginPath,
			},
			Session:                    profile.Session{URL: base + sp.WhoAmIPath},
			LogoutURL:                  base + sp.LogoutPath,
			JIT:                        lenient,
			LandingPath:                sp.WelcomePath,
			EndsSessionsOnDeactivation: true,
		},
	})
	return srv, p, err
}

// WithReference points cfg at the reference target's IdPs and alternates;
// a nil r leaves cfg as it is.
func (cfg Config) WithReference(r *Reference) Config {
	if r != nil {
		cfg.IdPs, cfg.Alternates = r.IdPs, r.Alternates
	}
	return cfg
}

// Close stops the targets and the IdPs.
func (r *Reference) Close() error {
	var errs []error
	for i := len(r.closers) - 1; i >= 0; i-- {
		errs = append(errs, r.closers[i]())
	}
	return errors.Join(errs...)
}
