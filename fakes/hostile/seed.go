package hostile

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

const (
	userURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupURN      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// Ref names one resource on the target.
type Ref struct {
	Endpoint string // "Users" or "Groups"
	ID       string
	Name     string // userName or displayName
}

func (r Ref) String() string { return r.Endpoint + "/" + r.ID + " (" + r.Name + ")" }

// person is one seeded user: someone a staging system could hold.
type person struct {
	given, family, title, dept string
	active                     bool
}

// userName is the person's work address, as many IdPs provision it.
func (p person) userName() string {
	return strings.ToLower(p.given + "." + p.family + "@acme-corp.example")
}

var people = []person{
	{"Maria", "Garcia", "Finance Manager", "Finance", true},
	{"James", "Smith", "Site Reliability Engineer", "Operations", true},
	{"Aiko", "Tanaka", "Staff Engineer", "Engineering", true},
	{"Oluwaseun", "Adeyemi", "Platform Engineer", "Operations", true},
	{"Lena", "Schmidt", "Accountant", "Finance", true},
	{"Rahul", "Mehta", "Software Engineer", "Engineering", true},
	{"Sofia", "Rossi", "Engineering Manager", "Engineering", true},
	{"Liam", "O'Brien", "Contractor", "Engineering", false}, // a leaver: active false must stay false
	{"Chen", "Wei", "Security Analyst", "Operations", true},
	{"Ana", "Souza", "Controller", "Finance", true},
}

// teams are the seeded groups, members by index into people.
var teams = []struct {
	name    string
	members []int
}{
	{"ops-admins", []int{1, 3, 8}},
	{"engineering", []int{2, 5, 6, 7}},
	{"finance-approvers", []int{0, 4, 9}},
}

// Seed creates 10 users and 3 groups with members on tg, none of them
// named like anything a run creates (no "idpc-" prefix): the "real" data a
// run must leave alone. It returns them in the order created, users first.
func Seed(ctx context.Context, tg Target) ([]Ref, error) {
	var refs []Ref
	for i, p := range people {
		name := p.userName()
		res, err := tg.object(ctx, http.MethodPost, "/Users", map[string]any{
			"schemas":    []any{userURN, enterpriseURN},
			"userName":   name,
			"externalId": "emp-" + strconv.Itoa(1001+i),
			"name": map[string]any{
				"givenName": p.given, "familyName": p.family, "formatted": p.given + " " + p.family,
			},
			"displayName":  p.given + " " + p.family,
			"title":        p.title,
			"active":       p.active,
			"emails":       []any{map[string]any{"value": name, "type": "work", "primary": true}},
			"phoneNumbers": []any{map[string]any{"value": fmt.Sprintf("+1-555-01%02d", i), "type": "work"}},
			enterpriseURN: map[string]any{
				"employeeNumber": strconv.Itoa(1001 + i), "department": p.dept, "organization": "Acme Corp",
			},
		}, http.StatusCreated)
		if err != nil {
			return refs, fmt.Errorf("hostile: seed %s: %w", name, err)
		}
		refs = append(refs, Ref{"Users", fmt.Sprint(res["id"]), name})
	}
	for _, team := range teams {
		var members []any
		for _, i := range team.members {
			members = append(members, map[string]any{"value": refs[i].ID})
		}
		res, err := tg.object(ctx, http.MethodPost, "/Groups", map[string]any{
			"schemas": []any{groupURN}, "displayName": team.name, "members": members,
		}, http.StatusCreated)
		if err != nil {
			return refs, fmt.Errorf("hostile: seed %s: %w", team.name, err)
		}
		refs = append(refs, Ref{"Groups", fmt.Sprint(res["id"]), team.name})
	}
	return refs, nil
}

// Resource is one resource as read by id; Body is nil if it was gone.
type Resource struct {
	Ref
	Body map[string]any
}

// Snapshot reads every resource in refs back by id (a 404 is recorded as
// gone), so that two snapshots can be compared with Diff.
func Snapshot(ctx context.Context, tg Target, refs []Ref) ([]Resource, error) {
	out := make([]Resource, 0, len(refs))
	for _, ref := range refs {
		path := "/" + ref.Endpoint + "/" + ref.ID
		status, b, err := tg.do(ctx, http.MethodGet, path, nil)
		if err != nil {
			return nil, err
		}
		res := Resource{Ref: ref}
		switch status {
		case http.StatusNotFound:
		case http.StatusOK:
			if err := json.Unmarshal(b, &res.Body); err != nil || res.Body == nil {
				return nil, fmt.Errorf("hostile: snapshot %s: the answer is not a JSON object: %.200s", ref, b)
			}
		default:
			return nil, fmt.Errorf("hostile: snapshot %s: status %d: %.200s", ref, status, b)
		}
		out = append(out, res)
	}
	return out, nil
}

// Diff lists, one readable line each, how after differs from before:
// "Users/abc (maria.garcia@acme-corp.example): active true → false",
// "Groups/x (ops-admins) deleted". Every attribute counts, meta included:
// reading a resource must not change it. Nil means nothing changed.
func Diff(before, after []Resource) []string {
	now := map[string]Resource{}
	for _, r := range after {
		now[r.Endpoint+"/"+r.ID] = r
	}
	var out []string
	for _, b := range before {
		a, ok := now[b.Endpoint+"/"+b.ID]
		switch {
		case !ok:
			out = append(out, b.Ref.String()+" not read back")
		case b.Body != nil && a.Body == nil:
			out = append(out, b.Ref.String()+" deleted")
		case b.Body == nil && a.Body != nil:
			out = append(out, b.Ref.String()+" reappeared")
		default:
			for _, d := range diffValue("", b.Body, a.Body) {
				out = append(out, b.Ref.String()+": "+d)
			}
		}
	}
	return out
}

// diffValue compares two decoded JSON values and names each difference by
// its path ("name.givenName", "emails[0].value").
func diffValue(path string, a, b any) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var out []string
		for _, k := range sorted {
			p := k
			if path != "" {
				p = path + "." + k
			}
			out = append(out, diffValue(p, am[k], bm[k])...)
		}
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		var out []string
		for i := range al {
			out = append(out, diffValue(fmt.Sprintf("%s[%d]", path, i), al[i], bl[i])...)
		}
		return out
	}
	if show(a) == show(b) {
		return nil
	}
	return []string{path + " " + show(a) + " → " + show(b)}
}

// show renders a JSON value compactly; a missing one is "(absent)".
func show(v any) string {
	if v == nil {
		return "(absent)"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
