// Package profile reads a target profile: where a SCIM service provider
// lives, how to authenticate, and what it claims to support.
package profile

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/idpconform/idpconform/internal/optional"
	"github.com/idpconform/idpconform/internal/scim"
)

// Profile describes one target. Secrets come from ${ENV} references so that
// profile files can be committed. A profile without a scim section (and
// with an sso one) describes an SSO-only target: HasSCIM says which.
type Profile struct {
	Name      string    `yaml:"name"`
	SCIM      SCIM      `yaml:"scim"`
	Usernames Usernames `yaml:"usernames"`
	Features  Features  `yaml:"features"`
	// SSO is the target's SAML service provider and OIDC relying party;
	// nil means the SSO scenarios are skipped.
	SSO *SSO `yaml:"sso"`
	// Lifecycle is the account model (lifecycle.go); nil skips the
	// @managed and @invitation scenarios.
	Lifecycle *Lifecycle `yaml:"lifecycle"`
	// Roles maps IdP groups to roles; nil skips the @roles scenarios.
	Roles *Roles `yaml:"roles"`
	// ResourceGroups reaches the target's resource groups (hubrules.go);
	// nil skips the @resource-groups scenarios.
	ResourceGroups *ResourceGroups `yaml:"resourceGroups"`
	// Okta is how the Okta fake provisions this target.
	Okta Okta `yaml:"okta"`
	// Prefix starts the name of everything the run creates, so a vendor can
	// find and remove it by hand if cleanup ever fails.
	Prefix string `yaml:"prefix"`
}

// Okta is the kind of Okta app integration the @okta scenarios play.
type Okta struct {
	// Integration is "oin" (an app from Okta's catalogue, the default) or
	// "aiw" (made with the App Integration Wizard): it decides whether Okta
	// sends PATCH or PUT (shared/idp-behaviour.md O10).
	Integration string `yaml:"integration"`
}

// SCIM is the target's SCIM endpoint.
type SCIM struct {
	URL     string        `yaml:"url"`
	Auth    Auth          `yaml:"auth"`
	Timeout time.Duration `yaml:"timeout"`
}

// Auth is the credential the harness presents.
type Auth struct {
	Type         string   `yaml:"type"` // bearer (default), basic, oauth2
	Token        string   `yaml:"token"`
	Username     string   `yaml:"username"`
	Password     string   `yaml:"password"`
	TokenURL     string   `yaml:"tokenUrl"`
	ClientID     string   `yaml:"clientId"`
	ClientSecret string   `yaml:"clientSecret"`
	Scopes       []string `yaml:"scopes"`
}

// Usernames is the target's userName policy.
type Usernames struct {
	MinLength  int    `yaml:"minLength"`
	MaxLength  int    `yaml:"maxLength"`
	Pattern    string `yaml:"pattern"`
	DigitsOnly *bool  `yaml:"digitsOnly"` // whether a userName of digits only is allowed
}

// Features are what the target claims, by the keys of the optional
// features' table (internal/optional). A feature left out is taken from
// the target's discovery documents; a value that disagrees with them is
// reported.
type Features map[string]bool

// UnmarshalYAML refuses a key the table does not have, as a misspelt key
// elsewhere in the profile is refused.
func (f *Features) UnmarshalYAML(n *yaml.Node) error {
	var m map[string]bool
	if err := n.Decode(&m); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(optional.Keys(), k.Value) {
			return fmt.Errorf("line %d: features.%s is not an optional feature (one of %s)", k.Line, k.Value, strings.Join(optional.Keys(), ", "))
		}
	}
	*f = m
	return nil
}

// DefaultTimeout bounds each request unless the profile or --timeout says otherwise.
const DefaultTimeout = 10 * time.Second

// DefaultPrefix starts every name the harness creates.
const DefaultPrefix = "idpc-"

// Load reads and checks a profile file, expanding ${ENV} references. A
// profile that cannot be used is an *Error naming the file and line.
func Load(path string) (Profile, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	p, err := Parse(raw)
	if err != nil {
		return p, locate(path, raw, err)
	}
	return p, nil
}

// Parse reads and checks a profile document. ${ENV} references are expanded
// after parsing, in values only (expand.go).
func Parse(raw []byte) (Profile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return Profile{}, syntaxError(err)
	}
	if len(doc.Content) == 0 { // empty, or only comments
		return Complete(Profile{})
	}
	env := &expansion{}
	env.walk(&doc)
	if err := env.err(); err != nil {
		return Profile{}, err
	}
	var p Profile
	// A misspelt key is an error, not a silent default.
	if unknown := unknownKeys(&doc, reflect.TypeOf(p), map[*yaml.Node]bool{}); len(unknown) > 0 {
		return Profile{}, env.clean(fmt.Errorf("profile: %s", strings.Join(unknown, "; ")), p)
	}
	if err := doc.Decode(&p); err != nil {
		return Profile{}, env.clean(decodeError(err), p)
	}
	p, err := Complete(p)
	if err != nil {
		return Profile{}, env.clean(err, p)
	}
	return p, nil
}

// Complete fills in defaults and validates a profile built in code.
func Complete(p Profile) (Profile, error) {
	p.setDefaults()
	return p, p.Validate()
}

// HasSCIM says whether the profile names a SCIM endpoint; without one only
// the SSO scenarios that need no SCIM run.
func (p Profile) HasSCIM() bool { return p.SCIM.URL != "" }

// ssoOnly: no scim section at all, and an sso one.
func (p Profile) ssoOnly() bool {
	return p.SSO != nil && reflect.ValueOf(p.SCIM).IsZero()
}

func (p *Profile) setDefaults() {
	ssoOnly := p.ssoOnly()
	if p.SCIM.Auth.Type == "" && !ssoOnly {
		p.SCIM.Auth.Type = "bearer"
	}
	if p.SCIM.Timeout == 0 && !ssoOnly {
		p.SCIM.Timeout = DefaultTimeout
	}
	if p.Prefix == "" {
		p.Prefix = DefaultPrefix
	}
	p.Okta.Integration = strings.ToLower(p.Okta.Integration)
	if p.Okta.Integration == "" {
		p.Okta.Integration = "oin"
	}
	p.SCIM.URL = strings.TrimRight(p.SCIM.URL, "/")
	if p.SSO != nil {
		p.SSO.setDefaults(p.HasSCIM())
	}
	if p.Lifecycle != nil {
		p.Lifecycle.setDefaults()
	}
	if p.Roles != nil {
		p.Roles.setDefaults()
	}
	if p.ResourceGroups != nil {
		p.ResourceGroups.setDefaults()
	}
}

// Validate says what is missing or wrong, all at once.
func (p Profile) Validate() error {
	var errs []error
	if p.ssoOnly() {
		return p.validateSSOOnly()
	}
	if p.SCIM.URL == "" {
		errs = append(errs, errors.New("scim.url is required (or leave out the scim section and give an sso one, for an SSO-only target)"))
	} else if !strings.HasPrefix(p.SCIM.URL, "http://") && !strings.HasPrefix(p.SCIM.URL, "https://") {
		errs = append(errs, fmt.Errorf("scim.url %q must start with http:// or https://", p.SCIM.URL))
	}
	if i := p.Okta.Integration; i != "oin" && i != "aiw" {
		errs = append(errs, fmt.Errorf("okta.integration %q must be oin or aiw", i))
	}
	a := p.SCIM.Auth
	switch a.Type {
	case "bearer":
		if a.Token == "" {
			errs = append(errs, errors.New("scim.auth.token is required for bearer auth"))
		}
	case "basic":
		if a.Username == "" || a.Password == "" {
			errs = append(errs, errors.New("scim.auth.username and password are required for basic auth"))
		}
	case "oauth2":
		if a.TokenURL == "" || a.ClientID == "" || a.ClientSecret == "" {
			errs = append(errs, errors.New("scim.auth.tokenUrl, clientId and clientSecret are required for oauth2"))
		}
	default:
		errs = append(errs, fmt.Errorf("scim.auth.type %q is not one of bearer, basic, oauth2", a.Type))
	}
	if p.SCIM.Timeout < 0 {
		errs = append(errs, errors.New("scim.timeout must be positive"))
	}
	u := p.Usernames
	if u.MinLength < 0 || (u.MaxLength > 0 && u.MaxLength < u.MinLength) {
		errs = append(errs, fmt.Errorf("usernames: minLength %d and maxLength %d do not make a range", u.MinLength, u.MaxLength))
	}
	if u.Pattern != "" {
		if _, err := regexp.Compile(u.Pattern); err != nil {
			errs = append(errs, fmt.Errorf("usernames.pattern: %w", err))
		}
	}
	if p.SSO != nil {
		errs = append(errs, p.SSO.validate(true))
	}
	if p.Lifecycle != nil {
		errs = append(errs, p.Lifecycle.validate())
	}
	if p.Roles != nil {
		errs = append(errs, p.Roles.validate())
	}
	if p.ResourceGroups != nil {
		errs = append(errs, p.ResourceGroups.validate())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("profile: %s", oneLine(err.Error()))
	}
	return nil
}

// validateSSOOnly checks a profile without a scim section: the sections
// that work through SCIM cannot apply.
func (p Profile) validateSSOOnly() error {
	errs := []error{p.SSO.validate(false)}
	for _, s := range []struct {
		name  string
		given bool
	}{{"lifecycle", p.Lifecycle != nil}, {"roles", p.Roles != nil}, {"resourceGroups", p.ResourceGroups != nil}, {"features", len(p.Features) > 0}} {
		if s.given {
			errs = append(errs, fmt.Errorf("%s needs a scim section (its scenarios work through SCIM)", s.name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("profile: %s", oneLine(err.Error()))
	}
	return nil
}

// ClientAuth converts the profile's auth for the SCIM client.
func (p Profile) ClientAuth() scim.Auth {
	a := p.SCIM.Auth
	return scim.Auth{Type: a.Type, Token: a.Token, Username: a.Username, Password: a.Password,
		TokenURL: a.TokenURL, ClientID: a.ClientID, ClientSecret: a.ClientSecret, Scopes: a.Scopes}
}
