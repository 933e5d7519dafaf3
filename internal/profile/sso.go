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
	// ClockURL is an optional test hook that moves the target's clock, so
	// scenarios where time must pass (a SessionNotOnOrAfter) need not wait:
	// POST advance=<Go duration> moves it forward, reset=1 puts it back.
	// Without it those scenarios wait in real time, for a bounded while.
	ClockURL string `yaml:"clockUrl"`
	// Users is where the people the SSO scenarios log in come from:
	// UsersSCIM (the default with a scim section), UsersJIT (the default
	// without one when jit is claimed) or UsersPreexisting (TestUsers).
	Users string `yaml:"users"`
	// TestUsers are the target's own accounts the scenarios log in as
	// when Users is preexisting, in the order scenarios take them.
	TestUsers []TestUser `yaml:"testUsers"`
}

// Where the users the SSO scenarios log in come from.
const (
	// UsersSCIM: the scenario provisions them over SCIM first.
	UsersSCIM = "scim"
	// UsersJIT: the target creates them at their first login.
	UsersJIT = "jit"
	// UsersPreexisting: they already exist in the target (TestUsers).
	UsersPreexisting = "preexisting"
)

// TestUser is an account that already exists in the target.
type TestUser struct {
	// NameID is what the IdPs assert: the SAML NameID and the OIDC sub and
	// preferred_username.
	NameID string `yaml:"nameId"`
	// Email is the asserted email (default: NameID).
	Email      string `yaml:"email"`
	GivenName  string `yaml:"givenName"`
	FamilyName string `yaml:"familyName"`
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

func (s *SSO) setDefaults(hasSCIM bool) {
	if s.Session.UserNameField == "" {
		s.Session.UserNameField = "userName"
	}
	switch {
	case s.Users == UsersJIT:
		s.JIT = true // relying on JIT is claiming it
	case s.Users != "":
	case hasSCIM:
		s.Users = UsersSCIM
	case s.JIT:
		s.Users = UsersJIT
	}
	for i, u := range s.TestUsers {
		if u.Email == "" {
			s.TestUsers[i].Email = u.NameID
		}
	}
}

// validate checks the section; hasSCIM says whether the profile has a
// scim section, without which users cannot come from SCIM.
func (s *SSO) validate(hasSCIM bool) error {
	var errs []error
	switch s.Users {
	case UsersSCIM:
		if !hasSCIM {
			errs = append(errs, errors.New("sso.users scim needs a scim section"))
		}
	case UsersJIT, UsersPreexisting:
	case "":
		errs = append(errs, errors.New("sso.users is required without a scim section: jit (the target creates users at login) or preexisting (with sso.testUsers)"))
	default:
		errs = append(errs, fmt.Errorf("sso.users %q is not one of jit, scim, preexisting", s.Users))
	}
	if s.Users == UsersPreexisting && len(s.TestUsers) == 0 {
		errs = append(errs, errors.New("sso.users preexisting needs sso.testUsers: the accounts to log in as"))
	}
	if s.Users != UsersPreexisting && len(s.TestUsers) > 0 {
		errs = append(errs, errors.New("sso.testUsers apply only with sso.users preexisting"))
	}
	seen := map[string]bool{}
	for i, u := range s.TestUsers {
		key := strings.ToLower(u.NameID)
		switch {
		case u.NameID == "":
			errs = append(errs, fmt.Errorf("sso.testUsers[%d].nameId is required", i))
		case seen[key]:
			errs = append(errs, fmt.Errorf("sso.testUsers[%d].nameId %q is listed twice", i, u.NameID))
		}
		seen[key] = true
	}
	if s.SAML == nil && s.OIDC == nil {
		errs = append(errs, errors.New("sso: give saml, oidc or both"))
	}
	errs = append(errs, checkURL("sso.session.url", s.Session.URL, true))
	errs = append(errs, checkURL("sso.logoutUrl", s.LogoutURL, false))
	errs = append(errs, checkURL("sso.clockUrl", s.ClockURL, false))
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
		return fmt.Errorf("%s %q: %w", field, addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s %q must be a loopback address (127.0.0.1:PORT)", field, addr)
	}
	return nil
}
