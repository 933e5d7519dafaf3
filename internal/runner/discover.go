package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/idpconform/idpconform/internal/optional"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/internal/username"
)

// usernamePolicyURN is where a target may publish its userName policy in
// /ServiceProviderConfig (an idpconform convention; the reference target does).
const usernamePolicyURN = "urn:idpconform:params:scim:usernamePolicy"

// discovered is what discovery learned besides the claims.
type discovered struct {
	usernames profile.Usernames
}

// discover reads /ServiceProviderConfig and /ResourceTypes (RFC 7644 §4) to
// learn which optional features the target supports (internal/optional's
// table says where each is declared), and its userName policy if it
// publishes one. The profile's claims win; where they contradict discovery
// a note says so. An error means the target cannot be used at all: unreachable, or our
// credentials refused.
func discover(ctx context.Context, sc scim.Config, claimed profile.Features, redact *transcript.Redactor) (optional.Claims, []string, discovered, error) {
	var more discovered
	c := scim.New(sc, transcript.New(redact))
	resp, err := c.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/ServiceProviderConfig"})
	if err != nil {
		return nil, nil, more, fmt.Errorf("cannot reach the target at %s: %w", redact.String(sc.BaseURL), err)
	}
	if reason := ssoFirst(resp); reason != "" {
		return nil, nil, more, errors.New(reason)
	}
	if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		return nil, nil, more, fmt.Errorf("the target refused the profile's credentials: GET /ServiceProviderConfig answered %d", resp.Status)
	}
	if reason := notSCIM(ctx, c, resp); reason != "" {
		return nil, nil, more, fmt.Errorf("not a SCIM endpoint: %s: %s; the URL should be the SCIM base, the part before /Users",
			redact.String(sc.BaseURL), reason)
	}
	var notes []string
	var spc, types scim.Object
	if resp.Status != http.StatusOK {
		notes = append(notes, fmt.Sprintf("GET /ServiceProviderConfig answered %d; the optional features it declares come from the profile only", resp.Status))
	} else if o, err := resp.Object(); err != nil {
		notes = append(notes, "GET /ServiceProviderConfig did not answer JSON; the optional features it declares come from the profile only")
	} else {
		spc = o
		if p, ok := o[usernamePolicyURN].(map[string]any); ok {
			minLen, _ := p["minLength"].(float64)
			maxLen, _ := p["maxLength"].(float64)
			digits, _ := p["digitsOnly"].(bool)
			rule, _ := p["rule"].(string)
			if !username.Known(rule) {
				notes = append(notes, fmt.Sprintf("the published userName policy names the rule %q, which the harness does not know; no character rule is applied", rule))
				rule = ""
			}
			more.usernames = profile.Usernames{MinLength: int(minLen), MaxLength: int(maxLen), DigitsOnly: &digits, Rule: rule}
		}
	}
	if resp, err := c.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/ResourceTypes"}); err == nil && resp.Status == http.StatusOK {
		types, _ = resp.Object()
	}
	cl, more2 := optional.Resolve(claimed, spc, types)
	notes = append(notes, more2...)
	return cl, notes, more, nil
}

// spcMembers are members only a ServiceProviderConfig has (RFC 7643 §5).
var spcMembers = []string{"patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes"}

// notSCIM says why a base URL whose /ServiceProviderConfig answered spc is
// not a SCIM endpoint at all (a typo in the path, a web page), or "". Only a
// 404, or a 200 that is no ServiceProviderConfig, count, and only when GET
// /Users is no ListResponse either: a SCIM endpoint with broken discovery
// is still tested, and its discovery scenarios say what is wrong.
func notSCIM(ctx context.Context, c *scim.Client, spc *scim.Response) string {
	var reason string
	switch o, err := spc.Object(); {
	case spc.Status == http.StatusNotFound:
		reason = "GET /ServiceProviderConfig answered 404"
	case spc.Status != http.StatusOK:
		return "" // a SCIM endpoint in trouble, perhaps: the scenarios tell
	case err != nil:
		reason = "GET /ServiceProviderConfig answered something other than JSON"
		if mt := spc.MediaType(); mt != "" {
			reason = fmt.Sprintf("GET /ServiceProviderConfig answered %s, not JSON", mt)
		}
	case slices.ContainsFunc(spcMembers, func(m string) bool { _, ok := o.Lookup(m); return ok }):
		return ""
	default:
		reason = "GET /ServiceProviderConfig answered JSON that is not a ServiceProviderConfig"
	}
	users, err := c.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/Users?startIndex=1&count=1"})
	if err == nil && users.Status == http.StatusOK {
		if o, err := users.Object(); err == nil {
			if _, ok := o.Lookup("totalResults"); ok {
				return ""
			}
		}
	}
	return reason
}
