package samlidp

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/crewjam/saml"
)

// crewjam returns the crewjam IdentityProvider view of idp: it parses and
// validates AuthnRequests and renders metadata; the pipeline does the rest.
func (idp *IdP) crewjam() *saml.IdentityProvider {
	meta, _ := url.Parse(idp.url(MetadataPath))
	sso, _ := url.Parse(idp.url(SSOPath))
	return &saml.IdentityProvider{
		Key:                     idp.keys.Key,
		Certificate:             idp.keys.Cert,
		MetadataURL:             *meta,
		SSOURL:                  *sso,
		ServiceProviderProvider: spLookup{idp},
		SignatureMethod:         signatureMethod,
	}
}

// Metadata returns the IdP's metadata XML (EntityDescriptor).
func (idp *IdP) Metadata() ([]byte, error) {
	ed := idp.crewjam().Metadata()
	ed.ValidUntil = idp.opts.Clock().Add(48 * time.Hour)
	ed.IDPSSODescriptors[0].NameIDFormats = []saml.NameIDFormat{saml.NameIDFormat(idp.Profile().NameIDFormat)}
	b, err := xml.MarshalIndent(ed, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("samlidp: marshal metadata: %w", err)
	}
	return b, nil
}

// WriteMetadata writes the metadata XML to path, for SPs configured from a file.
func (idp *IdP) WriteMetadata(path string) error {
	b, err := idp.Metadata()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("samlidp: write metadata: %w", err)
	}
	return nil
}

func (idp *IdP) serveMetadata(w http.ResponseWriter, _ *http.Request) {
	b, err := idp.Metadata()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, _ = w.Write(b)
}
