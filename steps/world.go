package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/optional"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/internal/username"
)

// Deps is what every scenario shares: how to reach the target, what it
// claims, and where cleanup results go.
type Deps struct {
	SCIM scim.Config
	// Claims are the optional features the target supports, from its
	// profile and discovery documents (internal/optional).
	Claims  optional.Claims
	Prefix  string // starts every name the run creates
	Mark    *Mark  // the run's token, which every name it creates carries
	Cleanup *Cleanup
	// Usernames is the target's userName policy, from its profile.
	Usernames profile.Usernames
	// SSO is nil when the profile has no sso section.
	SSO *SSO
	// Fakes are the Okta and Entra fakes; nil runs them in process.
	Fakes provision.Fakes
	// OktaIntegration is the profile's Okta integration kind ("" is OIN).
	OktaIntegration okta.Integration
	// Lifecycle and Roles come from the profile; nil skips their scenarios.
	Lifecycle *profile.Lifecycle
	Roles     *profile.Roles
	// ResourceGroups reaches the target's resource groups; nil skips
	// their scenarios.
	ResourceGroups *profile.ResourceGroups
	// ByTag holds other configurations of the same target: a scenario with
	// the tag runs against those instead (the built-in reference target
	// runs a second instance for what one instance cannot be at once).
	ByTag map[string]*Deps
}

// fakes are the provisioning fakes the scenario drives.
func (d Deps) fakes() provision.Fakes {
	if d.Fakes == nil {
		return provision.InProcess{}
	}
	return d.Fakes
}

// resource is something the scenario created in the target.
type resource struct {
	kind  string // Users or Groups
	alias string // the name the feature file uses
	id    string
}

// World is the state of one scenario. The initializer makes a fresh one per
// scenario, so scenarios may run concurrently.
type World struct {
	deps   Deps
	client *scim.Client
	log    *transcript.Log
	marker string // the run's token and the scenario's number: carried by every name it creates
	prefix string // Deps.Prefix plus the marker: userName sw prefix finds only ours

	made      []*resource          // in creation order; removed in reverse after the scenario
	byAlias   map[string]*resource // "Users/ada" → resource
	last      *scim.Response
	pages     []scim.Object // every page of the last paging walk
	remember  string        // a version remembered for If-Match
	tags      []string      // the scenario's tags, without '@'
	lastAlias string        // the alias of the last created resource
	sentName  string        // the userName the last username step sent
	// checking turns true at the first When or Then step; before it the
	// steps only set the stage, and a failure is a precondition's.
	checking bool

	okta  *oktaState     // set by the first Okta step
	entra *entraState    // set by the first Entra step
	ol    *oneloginState // set by the first OneLogin step
	sso   *ssoState      // set by the first SSO step
	life  *lifeState     // set by the first lifecycle or roles step
}

func newWorld(deps Deps, log *transcript.Log) *World {
	if deps.Mark == nil {
		deps.Mark = NewMark()
	}
	if deps.Cleanup == nil {
		deps.Cleanup = &Cleanup{}
	}
	marker := deps.Mark.next() + "-"
	w := &World{
		deps:    deps,
		log:     log,
		marker:  marker,
		prefix:  deps.Prefix + marker,
		byAlias: map[string]*resource{},
	}
	w.client = w.clientFor(deps.SCIM)
	return w
}

// clientFor is a client of cfg whose guard knows the scenario's marker:
// names stay within tight userName policies (the hub allows 42
// characters), so the marker is short.
func (w *World) clientFor(cfg scim.Config) *scim.Client {
	cfg.Marker = w.marker
	return scim.New(cfg, w.log)
}

// Names derived from an alias. They are the same whether or not the
// resource exists, so a feature can name a rename's target in advance.
func (w *World) userName(alias string) string {
	// Edited to the target's character rule, as HF tells administrators to
	// map userNames in the IdP (shared/idp-behaviour.md HX2).
	return username.Edit(w.deps.Usernames.Rule, w.prefix+alias)
}

// person is who an alias stands for, the same in every IdP's profile and
// in the users the harness creates itself.
type person struct{ UserName, Given, Family, Email string }

func (p person) DisplayName() string { return p.Given + " " + p.Family }

func (w *World) person(alias string) person {
	return person{UserName: w.userName(alias), Given: strings.ToUpper(alias[:1]) + alias[1:], Family: "Tester", Email: w.workEmail(alias)}
}

func (w *World) displayName(alias string) string { return w.prefix + alias }
func (w *World) externalID(alias string) string  { return "ext-" + w.prefix + alias }
func (w *World) workEmail(alias string) string   { return w.prefix + alias + "@example.com" }
func (w *World) homeEmail(alias string) string   { return w.prefix + alias + "@home.example.org" }

// derived resolves "the userName of ada" and the like.
func (w *World) derived(what, alias string) (string, error) {
	switch what {
	case "userName":
		return w.userName(alias), nil
	case "displayName":
		return w.displayName(alias), nil
	case "externalId":
		return w.externalID(alias), nil
	case "workEmail", "work email":
		return w.workEmail(alias), nil
	case "homeEmail", "home email":
		return w.homeEmail(alias), nil
	case "okta id":
		return w.oktaUser(alias).OktaID, nil
	case "object id":
		return w.objectID(alias), nil
	case "id":
		r := w.find(alias)
		if r == nil {
			return "", fmt.Errorf("steps: no resource %q was created in this scenario", alias)
		}
		return r.id, nil
	}
	return "", fmt.Errorf("steps: unknown derived value %q", what)
}

// expand fills {{prefix}}, {{userName:ada}}, {{id:ada}}, {{upper:userName:ada}},
// {{new password}} (made up, hidden from reports) and the other derived
// values into a feature's text.
func (w *World) expand(s string) (string, error) {
	var b strings.Builder
	for {
		start := strings.Index(s, "{{")
		if start < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		end := strings.Index(s[start:], "}}")
		if end < 0 {
			return "", fmt.Errorf("steps: unclosed {{ in %q", s)
		}
		b.WriteString(s[:start])
		v, err := w.placeholder(s[start+2 : start+end])
		if err != nil {
			return "", err
		}
		b.WriteString(v)
		s = s[start+end+2:]
	}
}

func (w *World) placeholder(p string) (string, error) {
	if p == "prefix" {
		return w.prefix, nil
	}
	if p == "new password" {
		return w.password("Idpc"), nil
	}
	if rest, ok := strings.CutPrefix(p, "upper:"); ok {
		v, err := w.placeholder(rest)
		return strings.ToUpper(v), err
	}
	what, alias, ok := strings.Cut(p, ":")
	if !ok {
		return "", fmt.Errorf("steps: unknown placeholder {{%s}}", p)
	}
	return w.derived(what, alias)
}

// find returns the resource created under alias, users first.
func (w *World) find(alias string) *resource {
	if r := w.byAlias["Users/"+alias]; r != nil {
		return r
	}
	return w.byAlias["Groups/"+alias]
}

func (w *World) track(kind, alias, id string) {
	if r := w.byAlias[kind+"/"+alias]; r != nil && r.id == id {
		return
	}
	r := &resource{kind: kind, alias: alias, id: id}
	w.made = append(w.made, r)
	w.byAlias[kind+"/"+alias] = r
	w.lastAlias = alias
}

// do sends a request whose path may hold placeholders and keeps the answer.
func (w *World) do(ctx context.Context, req scim.Request) (*scim.Response, error) {
	path, err := w.expand(req.Path)
	if err != nil {
		return nil, err
	}
	req.Path = path
	if w.deps.SCIM.BaseURL == "" {
		// The runner leaves these scenarios out; a step that still reaches
		// here skips rather than sending to nowhere.
		return nil, skip(NoSCIM)
	}
	if f, _ := optional.ByKey("filter"); !w.deps.Claims.On(f.Key) && strings.Contains(path, "filter=") {
		return nil, skip(f.SkipReason(w.deps.Claims[f.Key]))
	}
	resp, err := w.client.Do(ctx, req)
	var refused *scim.Refused
	if errors.As(err, &refused) {
		// The target's answers led here (a filter or a read gave another
		// resource's id): its finding, and nothing was sent.
		return nil, violated("the target's answers to lead only to resources this run created", "%v", err)
	}
	if err != nil {
		return nil, err
	}
	w.last = resp
	return resp, nil
}

// lastObject decodes the last response, or says why it cannot.
func (w *World) lastObject() (scim.Object, error) {
	if w.last == nil {
		return nil, fmt.Errorf("steps: no request was sent before this check")
	}
	o, err := w.last.Object()
	if err != nil {
		return nil, violated("a JSON body", "%s (%v)", w.last.Brief(), err)
	}
	return o, nil
}
