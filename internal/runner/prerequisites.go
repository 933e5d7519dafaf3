package runner

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
)

// ssoWords are how a target says SCIM waits for single sign-on.
var ssoWords = regexp.MustCompile(`(?i)\bSSO\b|single sign-on|\bSAML\b`)

// ssoFirst recognises a target that refuses SCIM until SSO is configured
// (the hub enables SCIM only then: shared/quirks.md hub-sso-first): a 403
// whose body speaks of SSO. It returns the reason to report, or "".
func ssoFirst(resp *scim.Response) string {
	if resp.Status != 403 || !ssoWords.Match(resp.Body) {
		return ""
	}
	said := strings.TrimSpace(string(resp.Body))
	if o, err := resp.Object(); err == nil {
		if d := scim.Text(o["detail"]); d != "" {
			said = d
		}
	}
	if len(said) > 200 {
		said = said[:200] + "…"
	}
	return fmt.Sprintf("the target requires single sign-on to be configured before SCIM (GET /ServiceProviderConfig answered 403: %q); "+
		"set up SSO for the organisation, then run again", said)
}
