package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/profile"
)

type samlOptions struct {
	addr, metadataOut, spMetadata, profile, user string
}

// serveSAML runs the SAML IdP on loopback until interrupted, for trying a
// target's SAML setup by hand: it writes its metadata where asked, trusts
// the SP whose metadata URL it is given, and logs in one user.
func serveSAML(cmd *cobra.Command, o samlOptions) error {
	p, err := samlidp.ProfileByName(o.profile)
	if err != nil {
		return usageError("--profile: %v", err)
	}
	ip, err := idps.Start(idps.Options{SAML: true, SAMLListen: o.addr})
	if err != nil {
		return usageError("%v", err)
	}
	defer ip.Close()
	ip.SAML.SetProfile(p)
	ip.SAML.LoginAs(samlidp.User{UserName: o.user, Email: o.user})
	out := cmd.OutOrStdout()
	if o.metadataOut != "" {
		if err := ip.SAML.WriteMetadata(o.metadataOut); err != nil {
			return usageError("%v", err)
		}
		fmt.Fprintf(out, "metadata written to %s\n", o.metadataOut)
	}
	if o.spMetadata != "" {
		id, err := ip.Trust(cmd.Context(), profile.SSO{SAML: &profile.SAML{SPMetadataURL: o.spMetadata}})
		if err != nil {
			return usageError("--sp-metadata: %v", err)
		}
		fmt.Fprintf(out, "trusting the SP %s\n", id)
	}
	fmt.Fprintf(out, "SAML IdP (%s profile) logging in %s\n  metadata: %s\n  SSO:      %s\nCtrl-C stops it.\n",
		p.Name, o.user, ip.SAML.EntityID(), ip.SAML.SSOURL())
	<-cmd.Context().Done()
	return nil
}
