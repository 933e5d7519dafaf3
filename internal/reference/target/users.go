package target

import (
	"net/http"
	"sort"
	"strings"
	"unicode"

	"github.com/idpconform/idpconform/internal/username"
)

// UsernamePolicyURN names the member of /ServiceProviderConfig in which the
// reference target publishes its userName policy (an idpconform convention).
const UsernamePolicyURN = "urn:idpconform:params:scim:usernamePolicy"

// The hub's userName policy (shared/quirks.md hub-usernames), in runes.
const (
	MinUserName = 2
	MaxUserName = 42
)

// checkUser applies the hub's rules to a user about to be stored: userName
// required, MinUserName to MaxUserName characters, not digits only, and
// unique case-insensitively (RFC 7643 §4.1.1: userName is caseExact false,
// uniqueness server). Callers hold the store lock.
func (s *Server) checkUser(data map[string]any, self string) *scimError {
	name, _ := data["userName"].(string)
	if name == "" {
		if s.has(MissingUsernameAccepted) {
			return nil
		}
		return errorf(http.StatusBadRequest, "invalidValue", "userName is required")
	}
	if s.has(UsernameUnicodeMangled) {
		name = strings.Map(func(r rune) rune {
			if r > unicode.MaxASCII {
				return -1
			}
			return r
		}, name)
		data["userName"] = name
	}
	name = s.bendUserName(data, name) // usernames.go: the faults that mangle
	n := s.userNameLength(name)
	if n > MaxUserName && s.has(TruncatesUsername) {
		name = string([]rune(name)[:MaxUserName])
		data["userName"] = name
		n = MaxUserName
	}
	tooShort := n < MinUserName && !s.has(UsernameTooShortAccepted)
	tooLong := n > MaxUserName && !s.has(UsernameTooLongAccepted)
	renaming := self != ""
	lenient := renaming && s.has(RenameSkipsUsernamePolicy)
	if (tooShort || tooLong) && !lenient {
		return errorf(http.StatusBadRequest, "invalidValue", "userName must be %d to %d characters, not %d", MinUserName, MaxUserName, n)
	}
	if !lenient && !s.has(DigitOnlyAccepted) && strings.IndexFunc(name, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return errorf(http.StatusBadRequest, "invalidValue", "userName may not be digits only")
	}
	if err := username.Check(s.rule, name); err != nil && !lenient && !s.has(UsernameRuleIgnored) {
		return errorf(http.StatusBadRequest, "invalidValue", "%v", err)
	}
	if s.has(NoUniqueness) || (renaming && s.has(RenameSkipsUniqueness)) {
		return nil
	}
	taken := s.store.find(userKind, "unique", uniqueKey(name))
	if s.has(UsernameCaseSensitive) {
		taken = s.store.ordered(userKind)
	}
	for _, r := range taken {
		id := r.id
		other := r.str("userName")
		same := strings.EqualFold(other, name)
		if s.has(UsernameCaseSensitive) {
			same = other == name
		}
		if same && id != self {
			// RFC 7644 §3.3: a duplicate is 409 with scimType uniqueness.
			return errorf(http.StatusConflict, "uniqueness", "userName %q is taken", name)
		}
	}
	return nil
}

// groupsOf computes a user's read-only groups attribute from the groups'
// members (RFC 7643 §4.1.2). Callers hold the store lock.
func (s *Server) groupsOf(userID string, r *http.Request) []any {
	if s.has(GroupsAttributeEmpty) {
		return nil
	}
	var out []any
	for _, g := range s.store.all[groupKind] {
		data := g.attrs()
		members, _ := data["members"].([]any)
		for _, el := range members {
			if m, _ := el.(map[string]any); m["value"] == userID {
				out = append(out, map[string]any{"value": g.id, "display": data["displayName"], "$ref": g.location(r), "type": "direct"})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].(map[string]any)["value"].(string) < out[j].(map[string]any)["value"].(string)
	})
	return out
}
