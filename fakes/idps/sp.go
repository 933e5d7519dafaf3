package idps

// SP is what an administrator tells the IdPs about the target when
// connecting the two: its SAML service provider and its OIDC client. The
// harness's profile says much more; the IdPs need only this.
type SP struct {
	SAML *SAMLSP     `json:"saml,omitempty"`
	OIDC *OIDCClient `json:"oidc,omitempty"`
}

// SAMLSP is the target's SAML side: its metadata, or an entityID and a
// POST ACS URL, and how the IdP shapes what it sends it.
type SAMLSP struct {
	MetadataURL string `json:"metadataUrl,omitempty"`
	EntityID    string `json:"entityId,omitempty"`
	ACSURL      string `json:"acsUrl,omitempty"`
	Sign        string `json:"sign,omitempty"`    // response, assertion, both, or "" as the IdP profile does
	Encrypt     string `json:"encrypt,omitempty"` // auto, true or false
	// MetadataFile receives the IdP's metadata, for a target that reads it
	// from disk.
	MetadataFile string `json:"metadataFile,omitempty"`
}

// OIDCClient is the target's registration at the OpenID Provider.
type OIDCClient struct {
	ID          string `json:"id"`
	Secret      string `json:"secret,omitempty"`
	RedirectURI string `json:"redirectUri"`
}
