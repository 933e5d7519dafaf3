package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/env"
)

type ssoOptions struct {
	serve, metadataOut, spMetadata, profile, user string
	clientID, clientSecret, redirectURI           string
}

// serveIdP runs the SAML IdP or the OpenID Provider on loopback until
// interrupted, with its control API under /control/ (how container mode
// drives it). By hand: it writes the SAML metadata where asked, trusts the
// SP or client it is given, and logs one user in.
func serveIdP(cmd *cobra.Command, kind string, o ssoOptions) error {
	p, err := samlidp.ProfileByName(o.profile)
	if err != nil {
		return usageError("--profile: %v", err)
	}
	if o.serve == "" {
		o.serve = map[string]string{"saml": "127.0.0.1:7001", "oidc": "127.0.0.1:7002"}[kind]
	}
	ip, err := env.StartIdP(kind, o.serve)
	if err != nil {
		return usageError("%v", err)
	}
	defer ip.Close()
	ctx := cmd.Context()
	if err := ip.Default().LoginAs(ctx, samlidp.User{UserName: o.user, Email: o.user}); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if kind == "oidc" {
		if o.clientID != "" {
			client := idps.SP{OIDC: &idps.OIDCClient{ID: o.clientID, Secret: o.clientSecret, RedirectURI: o.redirectURI}}
			if _, err := ip.Trust(ctx, client); err != nil {
				return usageError("%v", err)
			}
		}
		fmt.Fprintf(out, "OpenID Provider logging in %s\n  issuer:  %s\n  control: %s%s\nCtrl-C stops it.\n",
			o.user, ip.OIDCURL(), ip.OIDCURL(), idps.ControlPath)
		<-ctx.Done()
		return nil
	}
	if err := ip.Default().SetSAMLProfile(ctx, p.Name); err != nil {
		return err
	}
	if o.metadataOut != "" {
		if err := ip.SAML.WriteMetadata(o.metadataOut); err != nil {
			return usageError("%v", err)
		}
		fmt.Fprintf(out, "metadata written to %s\n", o.metadataOut)
	}
	if o.spMetadata != "" {
		id, err := ip.Trust(ctx, idps.SP{SAML: &idps.SAMLSP{MetadataURL: o.spMetadata}})
		if err != nil {
			return usageError("--sp-metadata: %v", err)
		}
		fmt.Fprintf(out, "trusting the SP %s\n", id)
	}
	fmt.Fprintf(out, "SAML IdP (%s profile) logging in %s\n  metadata: %s\n  SSO:      %s\n  control:  %s%s\nCtrl-C stops it.\n",
		p.Name, o.user, ip.SAML.EntityID(), ip.SAML.SSOURL(), ip.SAMLURL(), idps.ControlPath)
	<-ctx.Done()
	return nil
}
