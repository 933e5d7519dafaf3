package onelogin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Template is the SCIM JSON template an admin pastes into the app's
// Configuration tab (L2): the body of every user OneLogin sends, with
// {$user.…} and {$parameters.…} placeholders filled in as text.
type Template string

// The templates the fake knows, each from a source of row L1–L3.
const (
	// Enterprise is a "SCIM Provisioner with SAML (SCIM v2 Enterprise)"
	// template: core 2.0 and the enterprise extension, no groups (L4).
	Enterprise Template = "enterprise"
	// Vendor is the template vendors publish for OneLogin (Keepnet's):
	// "id": null and "active" as a string placeholder (L2).
	Vendor Template = "vendor"
	// Core is scim.dev's template for "SCIM Provisioner with SAML (Core
	// Schema)", which declares the SCIM 1.1 URN (L3).
	Core Template = "core"
)

// ParseTemplate reads a template name; "" is Enterprise.
func ParseTemplate(s string) (Template, error) {
	switch t := Template(strings.ToLower(s)); t {
	case "":
		return Enterprise, nil
	case Enterprise, Vendor, Core:
		return t, nil
	}
	return "", fmt.Errorf("onelogin: unknown template %q: enterprise, vendor or core", s)
}

// texts are the templates as admins paste them.
var texts = map[Template]string{
	Enterprise: `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "userName": "{$parameters.scimusername}",
  "name": {"givenName": "{$user.firstname}", "familyName": "{$user.lastname}"},
  "emails": [{"value": "{$user.email}", "type": "work", "primary": true}],
  "displayName": "{$user.display_name}",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "{$user.department}"}
}`,
	Vendor: `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "id": null,
  "userName": "{$parameters.scimusername}",
  "name": {"givenName": "{$user.firstname}", "familyName": "{$user.lastname}"},
  "emails": [{"value": "{$user.email}", "type": "work", "primary": true}],
  "active": "{$user.active}"
}`,
	Core: `{
  "schemas": ["urn:scim:schemas:core:1.0"],
  "userName": "{$parameters.scimusername}",
  "name": {"givenName": "{$user.firstname}", "familyName": "{$user.lastname}", "formatted": "{$user.display_name}"}
}`,
}

// User is a OneLogin user with the values the placeholders name.
type User struct {
	Username    string // {$parameters.scimusername}: the app's SCIM username parameter
	FirstName   string
	LastName    string
	DisplayName string
	Email       string
	Department  string
	Active      bool
}

// values maps each placeholder to its text.
func (u User) values() map[string]string {
	return map[string]string{
		"parameters.scimusername": u.Username,
		"user.firstname":          u.FirstName,
		"user.lastname":           u.LastName,
		"user.display_name":       u.DisplayName,
		"user.email":              u.Email,
		"user.department":         u.Department,
		"user.active":             fmt.Sprint(u.Active),
	}
}

var placeholder = regexp.MustCompile(`\{\$([a-z_]+\.[a-z_]+)\}`)

// Render fills t's placeholders with u's values, JSON-escaped inside the
// template's quotes as OneLogin substitutes text, and compacts the result.
func (t Template) Render(u User) ([]byte, error) {
	text, ok := texts[t]
	if !ok {
		return nil, fmt.Errorf("onelogin: unknown template %q", t)
	}
	vals := u.values()
	var missing string
	out := placeholder.ReplaceAllStringFunc(text, func(p string) string {
		v, ok := vals[placeholder.FindStringSubmatch(p)[1]]
		if !ok {
			missing = p
		}
		return escape(v)
	})
	if missing != "" {
		return nil, fmt.Errorf("onelogin: template %s: unknown placeholder %s", t, missing)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(out)); err != nil {
		return nil, fmt.Errorf("onelogin: template %s: %w", t, err)
	}
	return b.Bytes(), nil
}

// escape is s as the inside of a JSON string.
func escape(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	q := strings.TrimSpace(b.String())
	return q[1 : len(q)-1]
}
