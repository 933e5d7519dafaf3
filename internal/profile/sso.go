package profile

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// SSO is how the target logs people in. The harness runs its own fake IdPs
// on loopback addresses the profile names, so the target can be configured
// once to trust them; their keys are new every run, so the target must read
// the IdP's metadata (or the OP's discovery) from the URL or file each run.
type SSO struct {
	SAML *SAML `yaml:"saml"`
	OIDC *OIDC `yaml:"oidc"`
	// Session is how the harness asks the target who is logged in.
	Session Session `yaml:"session"`
	// LogoutURL ends the session of the browser that visits it.
	LogoutURL string `yaml:"logoutUrl"`
	// JIT says whether the first login of an unknown user creates them.
	JIT bool `yaml:"jit"`
	// LandingPath is a same-origin page a RelayState may name, e.g. /welcome.
	LandingPath string `yaml:"landingPath"`
	// EndsSessionsOnDeactivation: a SCIM deactivation logs the user out at
	// once (checked only where claimed).
	EndsSessionsOnDeactivation bool `yaml:"endsSessionsOnDeactivation"`
}

// SAML is the target's SAML service provider.
type SAML struct {
	// SPMetadataURL is the target's SP metadata; or give EntityID and ACSURL.
	SPMetadataURL string `yaml:"spMetadataUrl"`
	EntityID      string `yaml:"entityId"`
	ACSURL        string `yaml:"acsUrl"`
	// LoginURL starts an SP-initiated login.
	LoginURL string `yaml:"loginUrl"`
	// IdPInitiated says whether the target accepts unsolicited responses.
	IdPInitiated bool `yaml:"idpInitiated"`
	// IdP is where the harness's IdP listens and writes its metadata.
	IdP IdPEndpoint `yaml:"idp"`
	// Sign forces the signing shape of every response: response, assertion
	// or both. Unset, each IdP profile signs as its vendor does, and the
	// assertion is signed when the SP's metadata says WantAssertionsSigned.
	Sign string `yaml:"sign"`
	// Encrypt is auto (encrypt assertions when the SP's metadata has a
	// KeyDescriptor use="encryption"), true or false.
	Encrypt string `yaml:"encrypt"`
}

// IdPEndpoint places one of the harness's fake IdPs.
type IdPEndpoint struct {
	// Listen is a loopback host:port; the target reads the IdP's metadata at
	// http://LISTEN/saml/metadata (SAML) or its discovery document at
	// http://LISTEN/.well-known/openid-configuration (OIDC). Default: a free port.
	Listen string `yaml:"listen"`
	// MetadataFile, if set, receives the SAML IdP metadata at the start of
	// each run, for targets that load it from disk.
	MetadataFile string `yaml:"metadataFile"`
}

// OIDC is the target's OpenID Connect relying party.
type OIDC struct {
	ClientID     string      `yaml:"clientId"`
	ClientSecret string      `yaml:"clientSecret"`
	RedirectURI  string      `yaml:"redirectUri"`
	LoginURL     string      `yaml:"loginUrl"`
	OP           IdPEndpoint `yaml:"op"`
}

// Session is the target's "who is logged in" probe: a GET with the
// browser's cookies that answers 2xx with a JSON object naming the user, or
// 401/403 (or a redirect to a login page) for nobody.
type Session struct {
	URL string `yaml:"url"`
	// UserNameField is the JSON field holding the userName (default userName).
	UserNameField string `yaml:"userNameField"`
}

func (s *SSO) setDefaults() {
	if s.Session.UserNameField == "" {
		s.Session.UserNameField = "userName"
	}
}

func (s *SSO) validate() error {
	var errs []error
	if s.SAML == nil && s.OIDC == nil {
		errs = append(errs, errors.New("sso: give saml, oidc or both"))
	}
	errs = append(errs, checkURL("sso.session.url", s.Session.URL, true))
	errs = append(errs, checkURL("sso.logoutUrl", s.LogoutURL, false))
	if s.LandingPath != "" && !strings.HasPrefix(s.LandingPath, "/") {
		errs = append(errs, fmt.Errorf("sso.landingPath %q must be a path starting with /", s.LandingPath))
	}
	if m := s.SAML; m != nil {
		errs = append(errs, checkURL("sso.saml.loginUrl", m.LoginURL, true))
		if m.SPMetadataURL == "" && (m.EntityID == "" || m.ACSURL == "") {
			errs = append(errs, errors.New("sso.saml: give spMetadataUrl, or entityId and acsUrl"))
		}
		errs = append(errs, checkURL("sso.saml.spMetadataUrl", m.SPMetadataURL, false))
		errs = append(errs, checkURL("sso.saml.acsUrl", m.ACSURL, false))
		errs = append(errs, checkListen("sso.saml.idp.listen", m.IdP.Listen))
		if !slices.Contains([]string{"", "response", "assertion", "both"}, m.Sign) {
			errs = append(errs, fmt.Errorf("sso.saml.sign %q must be response, assertion or both", m.Sign))
		}
		if !slices.Contains([]string{"", "auto", "true", "false"}, m.Encrypt) {
			errs = append(errs, fmt.Errorf("sso.saml.encrypt %q must be auto, true or false", m.Encrypt))
		}
	}
	if o := s.OIDC; o != nil {
		if o.ClientID == "" || o.RedirectURI == "" {
			errs = append(errs, errors.New("sso.oidc: clientId and redirectUri are required"))
		}
		errs = append(errs, checkURL("sso.oidc.loginUrl", o.LoginURL, true))
		errs = append(errs, checkURL("sso.oidc.redirectUri", o.RedirectURI, false))
		errs = append(errs, checkListen("sso.oidc.op.listen", o.OP.Listen))
	}
	return errors.Join(errs...)
}

func checkURL(field, raw string, required bool) error {
	if raw == "" {
		if required {
			return fmt.Errorf("%s is required", field)
		}
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q must be an absolute http(s) URL", field, raw)
	}
	return nil
}

// checkListen allows loopback addresses only: the fake IdPs never listen
// where another machine could reach them.
func checkListen(field, addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q: %v", field, addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s %q must be a loopback address (127.0.0.1:PORT)", field, addr)
	}
	return nil
}
