package steps

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/scim"
)

func registerDiscovery(sc *godog.ScenarioContext, w *World) {
	sc.Step(`^the resource type "([^"]*)" has endpoint "([^"]*)" and schema "([^"]*)"$`, w.theResourceTypeHas)
	sc.Step(`^the schema "([^"]*)" defines the attribute "([^"]*)"$`, w.theSchemaDefines)
	sc.Step(`^every schema named by the resource types is published at /Schemas$`, w.everySchemaIsPublished)
	sc.Step(`^the attribute "([^"]*)" of the schema is described with "([^"]*)" equal to "([^"]*)"$`, w.theAttributeIsDescribed)
}

// listed finds the resource in the last ListResponse whose field equals v.
func (w *World) listed(field, v string) (scim.Object, error) {
	o, err := w.listResponse()
	if err != nil {
		return nil, err
	}
	for _, m := range resources(o) {
		if strings.EqualFold(scim.Text(m[field]), v) {
			return m, nil
		}
	}
	return nil, violated(fmt.Sprintf("a listed resource with %s %q", field, v), "%s", w.last.Brief())
}

func (w *World) theResourceTypeHas(name, endpoint, schema string) error {
	rt, err := w.listed("name", name)
	if err != nil {
		return err
	}
	if got := scim.Text(rt["endpoint"]); got != endpoint {
		return violated(fmt.Sprintf("resource type %s at endpoint %s", name, endpoint), "endpoint %q", got)
	}
	if got := scim.Text(rt["schema"]); got != schema {
		return violated(fmt.Sprintf("resource type %s with schema %s", name, schema), "schema %q", got)
	}
	return nil
}

func (w *World) theSchemaDefines(id, attr string) error {
	s, err := w.listed("id", id)
	if err != nil {
		return err
	}
	if attribute(s, attr) == nil {
		return violated(fmt.Sprintf("schema %s to define %s", id, attr), "no such attribute")
	}
	return nil
}

// attribute finds an attribute definition in a schema (RFC 7643 §7).
func attribute(schema scim.Object, name string) map[string]any {
	list, _ := schema["attributes"].([]any)
	for _, el := range list {
		if m, ok := el.(map[string]any); ok && strings.EqualFold(scim.Text(m["name"]), name) {
			return m
		}
	}
	return nil
}

// everySchemaIsPublished cross-checks /ResourceTypes against /Schemas: each
// schema and schema extension a resource type names must be defined.
func (w *World) everySchemaIsPublished(ctx context.Context) error {
	types, err := w.listResponse()
	if err != nil {
		return err
	}
	var named []string
	for _, rt := range resources(types) {
		named = append(named, scim.Text(rt["schema"]))
		exts, _ := rt["schemaExtensions"].([]any)
		for _, e := range exts {
			if m, ok := e.(map[string]any); ok {
				named = append(named, scim.Text(m["schema"]))
			}
		}
	}
	if len(named) == 0 {
		return violated("resource types that name their schemas", "%s", w.last.Brief())
	}
	if _, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/Schemas"}); err != nil {
		return err
	}
	schemas, err := w.listResponse()
	if err != nil {
		return err
	}
	published := map[string]bool{}
	for _, s := range resources(schemas) {
		published[scim.Text(s["id"])] = true
	}
	var missing []string
	for _, n := range named {
		if !published[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return violated("/Schemas to define "+strings.Join(named, ", "), "missing %s", strings.Join(missing, ", "))
	}
	return nil
}

func (w *World) theAttributeIsDescribed(attr, characteristic, want string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if _, isList := o["Resources"]; isList {
		return violated("one schema, with a definition of "+attr, "a ListResponse of %d resources (totalResults %s) instead", len(resources(o)), scim.Text(o["totalResults"]))
	}
	a := attribute(o, attr)
	if a == nil {
		return violated("a definition of "+attr, "none in %s", w.last.Brief())
	}
	if got := scim.Text(a[characteristic]); got != want {
		return violated(fmt.Sprintf("%s.%s = %s", attr, characteristic, want), "%s", got)
	}
	return nil
}
