package sp

import (
	"net/url"
	"strings"
)

// safeRedirect returns where to send the browser after login. Only a local
// path is followed: "/x" yes; "//evil", "/\evil", "https://evil",
// "javascript:" no (catalogue R-01). Anything else lands on the session
// probe.
func (s *SP) safeRedirect(relay string) string {
	if relay == "" || s.has(IgnoresRelayState) {
		return WhoAmIPath
	}
	if s.has(FollowsAnyRelayState) {
		return relay
	}
	if !strings.HasPrefix(relay, "/") || strings.HasPrefix(relay, "//") || strings.HasPrefix(relay, `/\`) {
		return WhoAmIPath
	}
	u, err := url.Parse(relay)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.ContainsAny(relay, "\r\n\t") {
		return WhoAmIPath
	}
	return relay
}
