// Package optional is the one table of the SCIM features RFC 7643 and RFC
// 7644 leave to the service provider: for each, how a target declares it
// (/ServiceProviderConfig or /ResourceTypes), the profile key that
// overrides the declaration, the step that gates a scenario on it, and the
// label reports use. The profile, discovery, the steps and the reports all
// read this table, so they cannot drift apart.
package optional

import (
	"fmt"
	"slices"

	"github.com/idpconform/idpconform/internal/scim"
)

// EnterpriseSchema is the enterprise User extension (RFC 7643 §4.3).
const EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

// Feature is one optional feature.
type Feature struct {
	Key     string // the profile key under features:, e.g. "filter"
	Label   string // how steps and reports name it: "filtering"
	Section string // where the RFC makes it optional
	// Declared says where a target declares it, as skip reasons quote it.
	Declared string
	// declared reads it from the discovery documents: known is false when
	// they say nothing (or could not be read).
	declared func(spc, types scim.Object) (on, known bool)
}

// Step is the step phrase that skips a scenario unless the target
// supports f: "the target supports filtering".
func (f Feature) Step() string { return "the target supports " + f.Label }

// Table lists every optional feature.
var Table = []Feature{
	fromSPC("filter", "filtering", "RFC 7644 §3.4.2.2"),
	fromSPC("sort", "sorting", "RFC 7644 §3.4.2.3"),
	fromSPC("etag", "ETags", "RFC 7644 §3.14"),
	fromSPC("patch", "PATCH", "RFC 7644 §3.5.2"),
	fromSPC("bulk", "bulk", "RFC 7644 §3.7"),
	fromSPC("changePassword", "changing passwords", "RFC 7643 §5"),
	{Key: "groups", Label: "groups", Section: "RFC 7643 §6",
		Declared: "/ResourceTypes (a Group resource type)", declared: hasGroups},
	{Key: "enterprise", Label: "the enterprise extension", Section: "RFC 7643 §6",
		Declared: "/ResourceTypes (the User type's schemaExtensions)", declared: hasEnterprise},
	// No discovery document declares /.search: only the profile can.
	{Key: "search", Label: "POST .search", Section: "RFC 7644 §3.4.3",
		Declared: "no discovery document declares it"},
}

// fromSPC is a feature /ServiceProviderConfig declares as KEY.supported
// (RFC 7643 §5).
func fromSPC(key, label, section string) Feature {
	return Feature{Key: key, Label: label, Section: section,
		Declared: "/ServiceProviderConfig " + key + ".supported",
		declared: func(spc, _ scim.Object) (bool, bool) {
			v, ok := spc.Lookup(key + ".supported")
			b, isBool := v.(bool) // "true" as a string declares nothing
			return b, ok && isBool
		}}
}

func resourceTypes(types scim.Object) ([]map[string]any, bool) {
	list, ok := types["Resources"].([]any)
	var out []map[string]any
	for _, el := range list {
		if m, isMap := el.(map[string]any); isMap {
			out = append(out, m)
		}
	}
	return out, ok
}

func hasGroups(_, types scim.Object) (bool, bool) {
	list, ok := resourceTypes(types)
	return slices.ContainsFunc(list, func(rt map[string]any) bool {
		return scim.Text(rt["name"]) == "Group" || scim.Text(rt["endpoint"]) == "/Groups"
	}), ok
}

func hasEnterprise(_, types scim.Object) (bool, bool) {
	list, ok := resourceTypes(types)
	for _, rt := range list {
		if scim.Text(rt["name"]) != "User" {
			continue
		}
		exts, _ := rt["schemaExtensions"].([]any)
		for _, e := range exts {
			if m, _ := e.(map[string]any); scim.Text(m["schema"]) == EnterpriseSchema {
				return true, true
			}
		}
	}
	return false, ok
}

// Keys lists the profile keys, in table order.
func Keys() []string {
	out := make([]string, len(Table))
	for i, f := range Table {
		out[i] = f.Key
	}
	return out
}

// ByKey finds a feature by its profile key.
func ByKey(key string) (Feature, bool) {
	i := slices.IndexFunc(Table, func(f Feature) bool { return f.Key == key })
	if i < 0 {
		return Feature{}, false
	}
	return Table[i], true
}

// ByLabel finds a feature by its label, as a step names it.
func ByLabel(label string) (Feature, bool) {
	i := slices.IndexFunc(Table, func(f Feature) bool { return f.Label == label })
	if i < 0 {
		return Feature{}, false
	}
	return Table[i], true
}

// Support is whether the target supports a feature, and who said so.
type Support struct {
	On    bool
	Where string // "/ServiceProviderConfig filter.supported", "the profile's features.filter", …
}

// Claims are the target's answers for every feature, by key.
type Claims map[string]Support

// On says whether the target supports the feature key.
func (c Claims) On(key string) bool { return c[key].On }

// All claims every feature, as the profile of a target that supports
// everything would.
func All(where string) Claims {
	c := Claims{}
	for _, f := range Table {
		c[f.Key] = Support{On: true, Where: where}
	}
	return c
}

// SkipReason says why a scenario needing f skips on a target with s.
func (f Feature) SkipReason(s Support) string {
	return fmt.Sprintf("the target does not support %s (%s makes it optional): %s", f.Label, f.Section, s.Where)
}

// Resolve decides each feature: the profile's value wins, else the
// discovery documents' (spc or types may be nil when they could not be
// read); where they disagree, or neither says, a note tells.
func Resolve(profile map[string]bool, spc, types scim.Object) (Claims, []string) {
	c := Claims{}
	var notes []string
	for _, f := range Table {
		claim, inProfile := profile[f.Key]
		var found, known bool
		if f.declared != nil && (spc != nil || types != nil) {
			found, known = f.declared(spc, types)
		}
		switch {
		case inProfile && known && claim != found:
			notes = append(notes, fmt.Sprintf("the profile says %s is %s but the target's %s says %s; testing as the profile says",
				f.Label, supported(claim), f.Declared, supported(found)))
			c[f.Key] = Support{On: claim, Where: fmt.Sprintf("the profile sets features.%s: %v (the target declares otherwise)", f.Key, claim)}
		case inProfile:
			c[f.Key] = Support{On: claim, Where: fmt.Sprintf("the profile sets features.%s: %v", f.Key, claim)}
		case known:
			c[f.Key] = Support{On: found, Where: "declared " + supported(found) + " by " + f.Declared}
		case f.declared == nil:
			notes = append(notes, fmt.Sprintf("the profile does not say whether the target supports %s, which %s; its scenarios are skipped: set features.%s in the profile",
				f.Label, f.Declared, f.Key))
			c[f.Key] = Support{Where: "the profile does not set features." + f.Key + ", and " + f.Declared}
		default:
			notes = append(notes, fmt.Sprintf("neither the profile nor discovery says whether the target supports %s (%s); its scenarios are skipped: set features.%s in the profile",
				f.Label, f.Declared, f.Key))
			c[f.Key] = Support{Where: "neither the profile's features." + f.Key + " nor " + f.Declared + " says it is supported"}
		}
	}
	return c, notes
}

func supported(b bool) string {
	if b {
		return "supported"
	}
	return "not supported"
}
