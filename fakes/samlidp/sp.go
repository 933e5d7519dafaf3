package samlidp

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"os"

	"github.com/crewjam/saml"
)

// AddServiceProvider trusts an SP from its metadata XML, so the IdP will
// answer its AuthnRequests and send IdP-initiated responses to its ACS.
func (idp *IdP) AddServiceProvider(metadata []byte) (entityID string, err error) {
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(metadata, &ed); err != nil {
		return "", fmt.Errorf("samlidp: add service provider: %w", err)
	}
	if ed.EntityID == "" || len(ed.SPSSODescriptors) == 0 {
		return "", fmt.Errorf("samlidp: add service provider: metadata has no entityID or SPSSODescriptor")
	}
	// The pipeline sends plaintext assertions: drop the SP's keys so crewjam
	// never picks an encryption certificate up from them.
	for i := range ed.SPSSODescriptors {
		ed.SPSSODescriptors[i].KeyDescriptors = nil
	}
	idp.mu.Lock()
	defer idp.mu.Unlock()
	idp.sps[ed.EntityID] = &ed
	return ed.EntityID, nil
}

func (idp *IdP) serviceProvider(id string) (*saml.EntityDescriptor, bool) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	ed, ok := idp.sps[id]
	return ed, ok
}

// spLookup adapts the registry to crewjam's ServiceProviderProvider.
type spLookup struct{ idp *IdP }

// GetServiceProvider implements saml.ServiceProviderProvider; crewjam wants
// os.ErrNotExist for an unknown SP.
func (l spLookup) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	if ed, ok := l.idp.serviceProvider(id); ok {
		return ed, nil
	}
	return nil, os.ErrNotExist
}

// postACS returns the SP's first HTTP-POST AssertionConsumerService URL.
func postACS(ed *saml.EntityDescriptor) (string, error) {
	for _, d := range ed.SPSSODescriptors {
		for _, acs := range d.AssertionConsumerServices {
			if acs.Binding == saml.HTTPPostBinding {
				return acs.Location, nil
			}
		}
	}
	return "", fmt.Errorf("samlidp: service provider %s: no HTTP-POST ACS", ed.EntityID)
}
