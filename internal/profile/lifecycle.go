package profile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The account models a target's organisation may use.
const (
	ModeManaged    = "managed"    // the organisation owns the accounts: SCIM creates, deactivates, deletes them
	ModeInvitation = "invitation" // members keep personal accounts: a SCIM create invites, the person accepts
)

// Lifecycle is the target's account model and how the harness reaches what
// SCIM does not: the personal accounts people sign up for themselves, the
// acceptance of an invitation, and membership state.
type Lifecycle struct {
	Mode       string     `yaml:"mode"`
	Accounts   Accounts   `yaml:"accounts"`
	Accept     *Accept    `yaml:"accept"`
	Membership Membership `yaml:"membership"`
	// Rules are the hub's organisation rules the target follows
	// (hubrules.go); nil skips their scenarios.
	Rules *Rules `yaml:"rules"`
}

// Accounts are the target's own accounts, outside SCIM.
type Accounts struct {
	// Create signs up the personal account a scenario then invites
	// (invitation mode), as the person would on the target's sign-up page.
	Create *Call `yaml:"create"`
	// Read answers 2xx with a JSON object while the account exists and 404
	// once it is gone.
	Read *Call `yaml:"read"`
	// ActiveField is the JSON field of Read's answer saying whether the
	// account can be used (default active).
	ActiveField string `yaml:"activeField"`
	// Delete closes an account Create made, after the scenario.
	Delete *Call `yaml:"delete"`
}

// Accept is how a test user accepts an invitation: an HTTP call, or
// "automatic" for a target that accepts on the person's behalf.
type Accept struct {
	Automatic bool
	Call      Call
}

// UnmarshalYAML reads `accept: automatic` or an HTTP call mapping, strictly:
// yaml.v3 does not check a custom unmarshaler's keys for it.
func (a *Accept) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Value != "automatic" {
			return fmt.Errorf("line %d: lifecycle.accept is %q: give automatic or an HTTP call (method, url, headers, body)", n.Line, n.Value)
		}
		a.Automatic = true
		return nil
	}
	if unknown := unknownKeys(n, reflect.TypeOf(a.Call), map[*yaml.Node]bool{}); len(unknown) > 0 {
		return &yaml.TypeError{Errors: unknown}
	}
	return n.Decode(&a.Call)
}

// Membership is how to read whether someone is in the organisation: a
// SCIM attribute of the user, or an HTTP probe.
type Membership struct {
	// Attribute is a path on the SCIM user, e.g.
	// urn:idpconform:params:scim:schemas:extension:hub:2.0:User:membership.
	Attribute string `yaml:"attribute"`
	// Probe answers 404 for someone neither invited nor a member, else a
	// JSON object whose Field holds the state.
	Probe *Call  `yaml:"probe"`
	Field string `yaml:"field"` // default state
	// The values that mean a pending invitation and a member (defaults
	// pending and member); any other value means no access.
	Pending string `yaml:"pending"`
	Member  string `yaml:"member"`
}

// Roles maps IdP groups (pushed as SCIM groups) to the target's roles and
// resource groups, and says how to read a member's effective role.
type Roles struct {
	Mappings []RoleMapping `yaml:"mappings"`
	// Precedence lists the roles highest first: a member of several mapped
	// groups has the highest of their roles.
	Precedence []string `yaml:"precedence"`
	// DefaultRole is the role of a member in no mapped group ("" for none).
	DefaultRole string `yaml:"defaultRole"`
	// Probe answers a JSON object with the member's role and resource groups.
	Probe               Call   `yaml:"probe"`
	RoleField           string `yaml:"roleField"`           // default role
	ResourceGroupsField string `yaml:"resourceGroupsField"` // default resourceGroups
}

// RoleMapping is one rule: members of a group whose displayName matches
// Group (one * stands for any text; the harness puts its per-scenario
// prefix there) get Role and, if set, ResourceGroup.
type RoleMapping struct {
	Group         string `yaml:"group"`
	Role          string `yaml:"role"`
	ResourceGroup string `yaml:"resourceGroup"`
}

// Matches says whether the mapping's group pattern (at most one *, for any
// text) names a group of this displayName, compared case-insensitively as
// RFC 7643 §4.2 makes displayName caseExact false.
func (m RoleMapping) Matches(displayName string) bool {
	pattern, name := strings.ToLower(m.Group), strings.ToLower(displayName)
	before, after, star := strings.Cut(pattern, "*")
	if !star {
		return pattern == name
	}
	return len(name) >= len(before)+len(after) && strings.HasPrefix(name, before) && strings.HasSuffix(name, after)
}

// Call is an HTTP call template. {{userName}}, {{email}}, {{id}} (the
// SCIM id), and for resource groups {{group}}, {{groupId}} (the SCIM
// group's id) and {{role}} are filled in: path-escaped in the URL,
// JSON-escaped in the body, as they are in headers.
type Call struct {
	Method  string            `yaml:"method"` // default GET, or POST with a body
	URL     string            `yaml:"url"`
	Headers map[string]string `yaml:"headers"`
	Body    string            `yaml:"body"`
}

// Vars are the values a Call's placeholders take.
type Vars struct{ UserName, Email, ID, Group, GroupID, Role string }

// placeholders are the names a Call may use, with their values in v.
func (v Vars) placeholders() map[string]string {
	return map[string]string{"userName": v.UserName, "email": v.Email, "id": v.ID,
		"group": v.Group, "groupId": v.GroupID, "role": v.Role}
}

var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z]+)\s*\}\}`)

// Request builds the HTTP request of the call for v.
func (c Call) Request(ctx context.Context, v Vars) (*http.Request, error) {
	fill := func(s string, esc func(string) string) string {
		return placeholder.ReplaceAllStringFunc(s, func(m string) string {
			if val, ok := v.placeholders()[placeholder.FindStringSubmatch(m)[1]]; ok {
				return esc(val)
			}
			return m
		})
	}
	jsonEsc := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	}
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(fill(c.Body, jsonEsc))
	}
	req, err := http.NewRequestWithContext(ctx, c.method(), fill(c.URL, url.PathEscape), body)
	if err != nil {
		return nil, fmt.Errorf("profile: call %s: %w", c.URL, err)
	}
	for k, h := range c.Headers {
		req.Header.Set(k, fill(h, func(s string) string { return s }))
	}
	if c.Body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

func (c Call) method() string {
	switch {
	case c.Method != "":
		return strings.ToUpper(c.Method)
	case c.Body != "":
		return http.MethodPost
	}
	return http.MethodGet
}

func (c *Call) check(field string) error {
	var errs []error
	if err := checkURL(field+".url", c.URL, true); err != nil {
		errs = append(errs, err)
	}
	for _, s := range append([]string{c.URL, c.Body}, mapValues(c.Headers)...) {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if _, ok := (Vars{}).placeholders()[m[1]]; !ok {
				errs = append(errs, fmt.Errorf("%s: unknown placeholder {{%s}} (use {{userName}}, {{email}}, {{id}}, {{group}}, {{groupId}} or {{role}})", field, m[1]))
			}
		}
	}
	return errors.Join(errs...)
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func (l *Lifecycle) setDefaults() {
	if l.Accounts.ActiveField == "" {
		l.Accounts.ActiveField = "active"
	}
	m := &l.Membership
	if m.Field == "" {
		m.Field = "state"
	}
	if m.Pending == "" {
		m.Pending = "pending"
	}
	if m.Member == "" {
		m.Member = "member"
	}
}

func (l *Lifecycle) validate() error {
	var errs []error
	check := func(field string, c *Call) {
		if c != nil {
			errs = append(errs, c.check(field))
		}
	}
	check("lifecycle.accounts.create", l.Accounts.Create)
	check("lifecycle.accounts.read", l.Accounts.Read)
	check("lifecycle.accounts.delete", l.Accounts.Delete)
	check("lifecycle.membership.probe", l.Membership.Probe)
	if l.Accept != nil && !l.Accept.Automatic {
		check("lifecycle.accept", &l.Accept.Call)
	}
	if l.Rules != nil {
		errs = append(errs, l.Rules.validate())
	}
	switch l.Mode {
	case ModeManaged:
	case ModeInvitation:
		if l.Accounts.Create == nil {
			errs = append(errs, errors.New("lifecycle.accounts.create is required in invitation mode: it signs up the personal account a scenario invites"))
		}
		if l.Accounts.Read == nil {
			errs = append(errs, errors.New("lifecycle.accounts.read is required in invitation mode: it shows the personal account outlives its membership"))
		}
		if l.Accept == nil {
			errs = append(errs, errors.New("lifecycle.accept is required in invitation mode: give automatic or an HTTP call"))
		}
		if (l.Membership.Attribute == "") == (l.Membership.Probe == nil) {
			errs = append(errs, errors.New("lifecycle.membership: give exactly one of attribute or probe"))
		}
	case "":
		errs = append(errs, errors.New("lifecycle.mode is required: managed or invitation"))
	default:
		errs = append(errs, fmt.Errorf("lifecycle.mode %q is not managed or invitation", l.Mode))
	}
	return errors.Join(errs...)
}

func (r *Roles) setDefaults() {
	if r.RoleField == "" {
		r.RoleField = "role"
	}
	if r.ResourceGroupsField == "" {
		r.ResourceGroupsField = "resourceGroups"
	}
}

func (r *Roles) validate() error {
	var errs []error
	if len(r.Mappings) == 0 {
		errs = append(errs, errors.New("roles.mappings: give at least one group → role mapping"))
	}
	for i, m := range r.Mappings {
		if m.Group == "" || m.Role == "" {
			errs = append(errs, fmt.Errorf("roles.mappings[%d]: group and role are required", i))
		}
		if strings.Count(m.Group, "*") > 1 {
			errs = append(errs, fmt.Errorf("roles.mappings[%d].group %q: at most one *", i, m.Group))
		}
		if !slices.Contains(r.Precedence, m.Role) {
			errs = append(errs, fmt.Errorf("roles.precedence does not list the role %q of roles.mappings[%d]", m.Role, i))
		}
	}
	if r.DefaultRole != "" && !slices.Contains(r.Precedence, r.DefaultRole) {
		errs = append(errs, fmt.Errorf("roles.precedence does not list the defaultRole %q", r.DefaultRole))
	}
	errs = append(errs, r.Probe.check("roles.probe"))
	return errors.Join(errs...)
}

// Rank is a role's place in Precedence (0 is highest), or -1.
func (r *Roles) Rank(role string) int { return slices.Index(r.Precedence, role) }
