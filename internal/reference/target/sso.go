package target

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/idpconform/idpconform/internal/reference/sp"
)

// SSOOptions switch on the target's SSO half (internal/reference/sp) under /sso/: a SAML
// service provider and an OIDC relying party whose users are the SCIM users,
// so what JIT does is visible through SCIM and SCIM deactivation ends SSO.
type SSOOptions struct {
	IdPMetadata       []byte // the SAML IdP's metadata; nil: no SAML
	OIDC              sp.OIDCOptions
	JIT               bool
	AllowIdPInitiated bool
	// SAML is the SP's policy on signatures and encryption.
	SAML sp.SAMLPolicy
}

// ssoFault is a target fault that switches on SP faults (internal/reference/sp). The XML
// signature wrapping shapes need two bugs at once in an SP that also counts
// assertions, so two faults combine them.
type ssoFault struct {
	Fault
	sp []string
}

// ssoFaults are the reference target's SSO faults; their names start with
// saml- or oidc- or sso-.
func ssoFaults() []ssoFault {
	var out []ssoFault
	for _, f := range sp.Faults() {
		if f.Name == sp.FindsSignedElementByID {
			continue // only ever wrong together with another fault, below
		}
		tf := Fault{Name: ssoPrefix(f.Name) + f.Name, Description: f.Description, Clauses: f.Clauses}
		// These refuse the good login every scenario's positive twin
		// needs, so they fail SSO scenarios of every clause.
		tf.Broad = f.Name == sp.RequiresSignedResponse || f.Name == sp.FailsWhenBothSigned || f.Name == sp.OmitsPKCE ||
			f.Name == sp.SessionsByAddress || f.Name == sp.RefusesEveryLogin || f.Name == sp.SignsWithUnpublishedKey
		out = append(out, ssoFault{tf, []string{f.Name}})
	}
	return append(out,
		ssoFault{Fault: Fault{Name: ssoCaseSensitive, Clauses: []string{"J-09", "okta-case"},
			Description: "a login finds its user only by the exact case of the userName, so a differently cased NameID misses the SCIM user"}},
		ssoFault{Fault{Name: "saml-xsw-response", Clauses: []string{"XSW1", "XSW2", "SIG-08", "XSW-M", "saml-core-5.4"},
			Description: "the signed element is found by ID anywhere and the last Response/Assertion is read: response wrapping works"},
			[]string{sp.FindsSignedElementByID, sp.TakesLastAssertion}},
		ssoFault{Fault{Name: "saml-xsw-assertion", Clauses: []string{"XSW3", "XSW4", "XSW5", "XSW6", "XSW7", "XSW8", "SIG-08", "saml-core-5.4"},
			Description: "the signed element is found by ID anywhere and the first assertion is read: assertion wrapping works"},
			[]string{sp.FindsSignedElementByID, sp.TakesFirstAssertion}},
	)
}

// ssoCaseSensitive is a fault of the target's user store, not of the SP.
const ssoCaseSensitive = "sso-matches-case-sensitively"

// ssoPrefix says which half of SSO an SP fault bends.
func ssoPrefix(name string) string {
	switch name {
	case sp.SkipsIDTokenSignature, sp.AcceptsAlgNone, sp.AcceptsHS256PublicKey, sp.SkipsIDTokenIssuer,
		sp.SkipsIDTokenAudience, sp.SkipsIDTokenExpiry, sp.SkipsNonce, sp.IgnoresKid, sp.SkipsUserinfoSub, sp.OmitsPKCE,
		sp.WideIDTokenLeeway, sp.SkipsIDTokenIat, sp.AcceptsFutureIat, sp.SkipsIDTokenSub, sp.AcceptsExtraAudiences:
		return "oidc-"
	case sp.JITReactivates, sp.JITAppendsGroups, sp.JITDropsAttributes, sp.JITSkipsUpdates, sp.JITIgnoresSetting,
		sp.SessionsSurviveDeactivation, sp.LogoutKeepsSession, sp.SessionsByAddress, sp.ReadsFirst50Groups, sp.RefusesEveryLogin:
		return "sso-"
	}
	return "saml-"
}

// splitFaults separates SP faults (as internal/reference/sp names) from SCIM ones.
func splitFaults(names []string) (scimFaults, spFaults []string) {
	byName := map[string][]string{}
	for _, f := range ssoFaults() {
		byName[f.Name] = f.sp
	}
	for _, n := range names {
		if s, ok := byName[n]; ok {
			spFaults = append(spFaults, s...)
		} else {
			scimFaults = append(scimFaults, n)
		}
	}
	return scimFaults, spFaults
}

// startSSO builds the SP once the target's base URL is known.
func (s *Server) startSSO(base string) error {
	if s.ssoOpts == nil {
		return nil
	}
	o := s.ssoOpts
	p, err := sp.New(sp.Options{
		BaseURL: base, Faults: s.spFaults, IdPMetadata: o.IdPMetadata, OIDC: o.OIDC,
		JIT: o.JIT, AllowIdPInitiated: o.AllowIdPInitiated, SAML: o.SAML, Directory: directory{s},
		TestClock: true, // the reference target is a test target: let scenarios move its clock
	})
	if err != nil {
		return fmt.Errorf("target: sso: %w", err)
	}
	s.sp.Store(p)
	return nil
}

// serveSSO hands /sso/ to the SP; without SSO there is nothing there.
func (s *Server) serveSSO(w http.ResponseWriter, r *http.Request) {
	p := s.sp.Load()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	p.ServeHTTP(w, r)
}

// directory is sp.Directory over the SCIM store: JIT users are SCIM users.
type directory struct{ s *Server }

func (d directory) FindUser(_ context.Context, key string) (sp.User, error) {
	st := d.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	res := d.lookup(key)
	if res == nil {
		return sp.User{}, fmt.Errorf("%w: %q", sp.ErrNotFound, key)
	}
	return d.user(res), nil
}

// lookup finds a user by userName, then by email, case-insensitively.
// Callers hold the store lock.
func (d directory) lookup(key string) *resource {
	// The unique index folds as EqualFold compares.
	for _, res := range d.s.store.find(userKind, "unique", uniqueKey(key)) {
		name := res.str("userName")
		if strings.EqualFold(name, key) && (name == key || !d.s.has(ssoCaseSensitive)) {
			return res
		}
	}
	for _, res := range d.s.store.all[userKind] {
		if strings.EqualFold(emailOf(res.attrs()), key) && key != "" {
			return res
		}
	}
	return nil
}

func (d directory) user(res *resource) sp.User {
	data := res.attrs()
	u := sp.User{ID: res.id, Email: emailOf(data)}
	u.UserName, _ = data["userName"].(string)
	u.Active, _ = data["active"].(bool)
	if name, ok := data["name"].(map[string]any); ok {
		u.GivenName, _ = name["givenName"].(string)
		u.FamilyName, _ = name["familyName"].(string)
	}
	for _, g := range d.s.store.all[groupKind] {
		if hasMember(g.attrs(), res.id) {
			u.Groups = append(u.Groups, g.str("displayName"))
		}
	}
	slices.Sort(u.Groups)
	return u
}

func (d directory) CreateUser(_ context.Context, u sp.User) (sp.User, error) {
	st := d.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	data := map[string]any{
		"schemas":  []any{userURN},
		"userName": u.UserName,
		"active":   u.Active,
	}
	setProfile(data, u)
	if serr := d.s.checkUser(data, ""); serr != nil {
		return sp.User{}, fmt.Errorf("target: jit create %q: %s", u.UserName, serr.detail)
	}
	res := st.add(userKind, data, "")
	return d.user(res), nil
}

func (d directory) UpdateUser(_ context.Context, u sp.User) error {
	st := d.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	res := st.all[userKind][u.ID]
	if res == nil {
		return fmt.Errorf("target: jit update %q: %w", u.ID, sp.ErrNotFound)
	}
	data := res.attrs()
	data["active"] = u.Active
	setProfile(data, u)
	st.setData(res, data)
	res.touch()
	return nil
}

// SetGroups replaces the user's membership among the target's groups by
// display name; names no group has are ignored (JIT does not create groups).
func (d directory) SetGroups(_ context.Context, id string, groups []string) error {
	st := d.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.all[userKind][id] == nil {
		return fmt.Errorf("target: jit groups of %q: %w", id, sp.ErrNotFound)
	}
	for _, g := range st.all[groupKind] {
		data := g.attrs()
		dn, _ := data["displayName"].(string)
		want := slices.ContainsFunc(groups, func(n string) bool { return strings.EqualFold(n, dn) })
		if want == hasMember(data, id) {
			continue
		}
		members, _ := data["members"].([]any)
		if want {
			data["members"] = append(members, map[string]any{"value": id, "type": "User"})
		} else {
			kept := slices.DeleteFunc(slices.Clone(members), func(el any) bool {
				m, _ := el.(map[string]any)
				return m["value"] == id
			})
			if len(kept) == 0 {
				delete(data, "members")
			} else {
				data["members"] = kept
			}
		}
		st.setData(g, data)
		g.touch()
	}
	return nil
}

// hasMember says whether a group's attributes list id as a member.
func hasMember(group map[string]any, id string) bool {
	members, _ := group["members"].([]any)
	return slices.ContainsFunc(members, func(el any) bool {
		m, _ := el.(map[string]any)
		return m["value"] == id
	})
}

// setProfile writes what an assertion carries: names and the work email.
func setProfile(data map[string]any, u sp.User) {
	if u.GivenName != "" || u.FamilyName != "" {
		name, _ := data["name"].(map[string]any)
		if name == nil {
			name = map[string]any{}
		}
		if u.GivenName != "" {
			name["givenName"] = u.GivenName
		}
		if u.FamilyName != "" {
			name["familyName"] = u.FamilyName
		}
		data["name"] = name
	}
	if u.Email != "" && !strings.EqualFold(emailOf(data), u.Email) {
		data["emails"] = []any{map[string]any{"value": u.Email, "type": "work", "primary": true}}
	}
}

// emailOf is the primary email, or the first one.
func emailOf(data map[string]any) string {
	emails, _ := data["emails"].([]any)
	first := ""
	for _, el := range emails {
		m, _ := el.(map[string]any)
		v, _ := m["value"].(string)
		if m["primary"] == true {
			return v
		}
		if first == "" {
			first = v
		}
	}
	return first
}
