package env

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/internal/reference/target"
)

// Reference is the built-in reference target running on loopback with its
// SSO half trusting the run's fake IdPs, and the profile that describes it.
// A second, strict instance (no just-in-time provisioning, no IdP-initiated
// logins) serves @jit-off and @no-idp-initiated, since one SP cannot both
// create users at login and refuse to. The first two run the managed
// account model; a third in the invitation model serves @invitation.
type Reference struct {
	Profile    profile.Profile
	Server     *target.Server
	Invitation *target.Server
	IdPs       idps.Control
	SP         string // the SP's entityID, as the fake SAML IdP knows it
	Alternates []Alternate
	closers    []func() error
}

// Endpoints are where a run's SAML IdP and OpenID Provider are served.
type Endpoints struct{ SAML, OIDC string }

// Alternate is another configuration of the target under test, for the
// scenarios tagged Tag: the built-in reference target runs a second,
// strict instance for @jit-off and @no-idp-initiated.
type Alternate struct {
	Tag     string
	Profile profile.Profile
	IdPs    idps.Control
	// SP is the entityID the IdPs know the alternate by, once trusted;
	// SSOErr is why they could not be introduced to it.
	SP     string
	SSOErr error
}

// referenceClientID is the OIDC client the reference target registers as.
const referenceClientID = "idpconform-reference"

// StartReference starts the fake IdPs in process, then the reference
// target trusting them (opts.Token and opts.Faults as given; opts.SSO is
// filled in, keeping only its SAML policy). Start uses it for a run
// against the built-in reference target; tests use it directly.
func StartReference(ctx context.Context, opts target.Options) (*Reference, error) {
	ip, err := idps.Start(idps.Options{SAML: true, OIDC: true})
	if err != nil {
		return nil, err
	}
	r, err := StartReferenceWith(ctx, opts, Endpoints{SAML: ip.SAMLURL(), OIDC: ip.OIDCURL()}, ip)
	if err != nil {
		return nil, errors.Join(err, ip.Close())
	}
	r.closers = append([]func() error{ip.Close}, r.closers...)
	return r, nil
}

// StartReferenceWith starts the reference target trusting IdPs that run
// elsewhere (in containers), driven through ctl, and introduces the IdPs
// to each of its instances.
func StartReferenceWith(ctx context.Context, opts target.Options, ep Endpoints, ctl idps.Control) (*Reference, error) {
	md, err := IdPMetadata(ep.SAML)
	if err != nil {
		return nil, err
	}
	r := &Reference{IdPs: ctl}
	var strict, invitation profile.Profile
	if r.Server, r.Profile, err = r.start(opts, md, ep.OIDC, true); err == nil {
		_, strict, err = r.start(opts, md, ep.OIDC, false)
	}
	if err == nil {
		r.Invitation, invitation, err = r.startInvitation(opts)
	}
	var hubRule profile.Profile
	if err == nil && opts.Usernames == "" {
		hubRule, err = r.startHubRule(opts)
	}
	if err != nil {
		return nil, errors.Join(err, r.Close())
	}
	r.Alternates = []Alternate{{Tag: "jit-off", Profile: strict, IdPs: ctl}, {Tag: "no-idp-initiated", Profile: strict, IdPs: ctl},
		{Tag: InvitationTag, Profile: invitation}}
	if hubRule.SCIM.URL != "" {
		r.Alternates = append(r.Alternates, Alternate{Tag: HubRuleTag, Profile: hubRule})
	}
	if r.SP, err = Trust(ctx, ctl, r.Profile); err == nil {
		for i := range r.Alternates {
			a := &r.Alternates[i]
			if a.SP, err = Trust(ctx, a.IdPs, a.Profile); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, errors.Join(err, r.Close())
	}
	return r, nil
}

// Trust introduces the IdPs ctl drives to the target p describes, as an
// administrator connecting the two does, and returns the SP's entityID.
// A profile without an sso section needs no IdP.
func Trust(ctx context.Context, ctl idps.Control, p profile.Profile) (string, error) {
	switch {
	case p.SSO == nil:
		return "", nil
	case ctl == nil:
		return "", errors.New("the profile has an sso section but the run has no fake IdPs")
	}
	return ctl.Trust(ctx, spOf(*p.SSO))
}

// spOf is what the IdPs learn of the target from the profile's sso section.
func spOf(s profile.SSO) idps.SP {
	var sp idps.SP
	if m := s.SAML; m != nil {
		sp.SAML = &idps.SAMLSP{MetadataURL: m.SPMetadataURL, EntityID: m.EntityID, ACSURL: m.ACSURL,
			Sign: m.Sign, Encrypt: m.Encrypt, MetadataFile: m.IdP.MetadataFile}
	}
	if o := s.OIDC; o != nil {
		sp.OIDC = &idps.OIDCClient{ID: o.ClientID, Secret: o.ClientSecret, RedirectURI: o.RedirectURI}
	}
	return sp
}

// IdPMetadata reads the SAML IdP's metadata, as an SP does when it is set up.
func IdPMetadata(base string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+samlidp.MetadataPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := browser.LoopbackClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("env: read the IdP metadata: %w", err)
	}
	defer resp.Body.Close()
	md, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	if err != nil {
		return nil, fmt.Errorf("env: read the IdP metadata: %w", err)
	}
	return md, nil
}

// listen serves one instance on a free loopback port until Close.
func (r *Reference) listen(opts target.Options) (*target.Server, *target.Running, error) {
	srv, err := target.New(opts)
	if err != nil {
		return nil, nil, err
	}
	running, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		return nil, nil, err
	}
	r.closers = append(r.closers, running.Close)
	return srv, running, nil
}

// start runs one instance of the reference target: lenient (JIT and
// IdP-initiated logins on) or strict (both off).
func (r *Reference) start(opts target.Options, md []byte, issuer string, lenient bool) (*target.Server, profile.Profile, error) {
	secret, client := idps.NewSecret(), referenceClientID
	if !lenient {
		client += "-strict" // each instance is its own OIDC client
	}
	var policy sp.SAMLPolicy
	if opts.SSO != nil {
		policy = opts.SSO.SAML
	}
	opts.SSO = &target.SSOOptions{
		IdPMetadata: md, JIT: lenient, AllowIdPInitiated: lenient, SAML: policy,
		OIDC: sp.OIDCOptions{Issuer: issuer, ClientID: client, ClientSecret: secret},
	}
	srv, running, err := r.listen(opts)
	if err != nil {
		return nil, profile.Profile{}, err
	}
	base := running.Base()
	life, roles := HubSections(base, opts.Token, target.ModeManaged)
	p, err := profile.Complete(profile.Profile{
		Lifecycle:      life,
		Roles:          roles,
		ResourceGroups: HubResourceGroups(base, opts.Token),
		Name:           "idpconform reference target",
		// No discovery document declares POST .search; the reference
		// target serves it (RFC 7644 §3.4.3).
		Features:  profile.Features{"search": true},
		SCIM:      profile.SCIM{URL: running.URL(), Auth: profile.Auth{Type: "bearer", Token: opts.Token}},
		Usernames: usernamesOf(opts),
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
			ClockURL:                   base + sp.TestClockPath,
			JIT:                        lenient,
			LandingPath:                sp.WelcomePath,
			EndsSessionsOnDeactivation: true,
		},
	})
	return srv, p, err
}

// Close stops the targets and the in-process IdPs.
func (r *Reference) Close() error {
	var errs []error
	for i := len(r.closers) - 1; i >= 0; i-- {
		errs = append(errs, r.closers[i]())
	}
	return errors.Join(errs...)
}
