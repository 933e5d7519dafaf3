package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
)

const groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"

func registerGroups(sc stepper, w *World) {
	sc.Step(`^a group "([^"]*)" with the members "([^"]*)"$`, w.aGroupWithMembers)
	sc.Step(`^a group "([^"]*)" with no members$`, w.aGroupWithNoMembers)
	sc.Step(`^I create a group "([^"]*)" with the members "([^"]*)"$`, w.iCreateAGroup)
	sc.Step(`^the group "([^"]*)" has exactly the members "([^"]*)" when read back$`, w.theGroupHasExactly)
	sc.Step(`^the group "([^"]*)" has no members when read back$`, w.theGroupHasNoMembers)
	sc.Step(`^the user "([^"]*)" is in the group "([^"]*)" when read back$`, w.theUserIsInTheGroup)
}

func (w *World) createGroup(ctx context.Context, alias, members string) (*scim.Response, error) {
	list := []any{}
	for _, m := range splitList(members) {
		r, err := w.resource("user", m)
		if err != nil {
			return nil, err
		}
		list = append(list, map[string]any{"value": r.id})
	}
	raw, err := json.Marshal(map[string]any{
		"schemas":     []any{groupSchema},
		"displayName": w.displayName(alias),
		"externalId":  w.externalID(alias),
		"members":     list,
	})
	if err != nil {
		return nil, err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodPost, Path: "/Groups", Body: raw})
	if err != nil {
		return nil, err
	}
	return resp, w.trackCreated("Groups", alias, resp)
}

func (w *World) iCreateAGroup(ctx context.Context, alias, members string) error {
	_, err := w.createGroup(ctx, alias, members)
	return err
}

// aGroupWithMembers creates a group as a precondition: a failure means the
// scenario could not be checked; the group scenarios citing RFC 7643 §4.2
// check creation itself.
func (w *World) aGroupWithMembers(ctx context.Context, alias, members string) error {
	resp, err := w.createGroup(ctx, alias, members)
	if err == nil && (!statusOK(resp.Status) || w.byAlias["Groups/"+alias] == nil) {
		err = violated("the group "+alias+" created, with an id", "%s", resp.Brief())
	}
	return precondition("rfc7643-4.2", "create the group "+alias, err)
}

func (w *World) aGroupWithNoMembers(ctx context.Context, alias string) error {
	return w.aGroupWithMembers(ctx, alias, "")
}

// theGroupHasExactly compares the group's member ids with the users named.
func (w *World) theGroupHasExactly(ctx context.Context, alias, members string) error {
	o, err := w.readBack(ctx, "group", alias)
	if err != nil {
		return err
	}
	var want []string
	for _, m := range splitList(members) {
		r, err := w.resource("user", m)
		if err != nil {
			return err
		}
		want = append(want, r.id)
	}
	got := valuesOf(o["members"])
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		return violated(fmt.Sprintf("the members %s (%s)", members, strings.Join(want, ", ")),
			"members %s", w.describeIDs(got))
	}
	return nil
}

func (w *World) theGroupHasNoMembers(ctx context.Context, alias string) error {
	o, err := w.readBack(ctx, "group", alias)
	if err != nil {
		return err
	}
	if got := valuesOf(o["members"]); len(got) > 0 {
		return violated("no members in the group "+alias, "members %s", w.describeIDs(got))
	}
	return nil
}

func (w *World) theUserIsInTheGroup(ctx context.Context, user, group string) error {
	g, err := w.resource("group", group)
	if err != nil {
		return err
	}
	o, err := w.readBack(ctx, "user", user)
	if err != nil {
		return err
	}
	if got := valuesOf(o["groups"]); !slices.Contains(got, g.id) {
		return violated(fmt.Sprintf("groups of %s to contain %s (%s)", user, group, g.id), "groups %s", w.describeIDs(got))
	}
	return nil
}

// valuesOf returns the "value" of each element of a multi-valued attribute.
func valuesOf(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, el := range list {
		if m, ok := el.(map[string]any); ok {
			out = append(out, scim.Text(m["value"]))
		}
	}
	return out
}

// describeIDs names ids by their aliases where the scenario knows them.
func (w *World) describeIDs(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id
		for _, r := range w.made {
			if r.id == id {
				names[i] = r.alias + " (" + id + ")"
			}
		}
	}
	return strings.Join(names, ", ")
}
