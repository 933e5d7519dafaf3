package steps

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
)

func registerDiscovery(sc stepper, w *World) {
	sc.Step(`^the resource type "([^"]*)" has endpoint "([^"]*)" and schema "([^"]*)"$`, w.theResourceTypeHas)
	sc.Step(`^the schema "([^"]*)" defines the attribute "([^"]*)"$`, w.theSchemaDefines)
	sc.Step(`^every schema named by the resource types is published at /Schemas$`, w.everySchemaIsPublished)
	sc.Step(`^every schema named by the resource types is served at /Schemas/\{id\}$`, w.everySchemaIsServed)
	sc.Step(`^the response body spells its URI attributes as RFC 7643 does$`, w.theURIAttributesAreSpelled)
	sc.Step(`^every URI attribute of the response body is an absolute URL$`, w.everyURIIsAURL)
	sc.Step(`^every listed resource has "([^"]*)" holding an absolute URI$`, w.everyListedHoldsAURI)
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

// namedSchemas are the schemas and schema extensions the resource types of
// the last answer (a /ResourceTypes list) name.
func (w *World) namedSchemas() ([]string, error) {
	types, err := w.listResponse()
	if err != nil {
		return nil, err
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
		return nil, violated("resource types that name their schemas", "%s", w.last.Brief())
	}
	return named, nil
}

// everySchemaIsServed reads each schema the resource types name by its id
// (RFC 7644 §4: /Schemas/{id}), as clients that fetch one schema do.
func (w *World) everySchemaIsServed(ctx context.Context) error {
	named, err := w.namedSchemas()
	if err != nil {
		return err
	}
	for _, id := range named {
		resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/Schemas/" + id})
		if err != nil {
			return err
		}
		o, _ := resp.Object()
		if resp.Status != http.StatusOK || scim.Text(o["id"]) != id {
			return violated("GET /Schemas/"+id+" to answer that schema", "%s", resp.Brief())
		}
	}
	return nil
}

// uriNames are the URI attributes of RFC 7643 §5 (ServiceProviderConfig
// and its authenticationSchemes), lower-cased.
var uriNames = map[string]string{"specuri": "specUri", "documentationuri": "documentationUri"}

// walk calls f for every key of every object nested in v, with its path.
func walk(v any, path string, f func(path, key string, val any) error) error {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(t)) {
			if err := f(path, k, t[k]); err != nil {
				return err
			}
			if err := walk(t[k], strings.TrimPrefix(path+"."+k, "."), f); err != nil {
				return err
			}
		}
	case []any:
		for i, el := range t {
			if err := walk(el, fmt.Sprintf("%s[%d]", path, i), f); err != nil {
				return err
			}
		}
	}
	return nil
}

// theURIAttributesAreSpelled catches "specUrl" for "specUri": names are
// case-insensitive (RFC 7643 §2.1), but another word is another attribute,
// and the one the RFC defines is then missing.
func (w *World) theURIAttributesAreSpelled() error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	return walk(map[string]any(o), "", func(path, key string, _ any) error {
		lk := strings.ToLower(key)
		if want, ok := uriNames[strings.TrimSuffix(lk, "url")+"uri"]; ok && strings.HasSuffix(lk, "url") {
			return violated(fmt.Sprintf("%q as RFC 7643 §5 spells it", want), "%q in %s", key, or(path, "the body"))
		}
		return nil
	})
}

// everyURIIsAURL checks specUri and documentationUri hold HTTP-addressable
// URLs (RFC 7643 §5).
func (w *World) everyURIIsAURL() error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	return walk(map[string]any(o), "", func(path, key string, val any) error {
		if _, ok := uriNames[strings.ToLower(key)]; !ok {
			return nil
		}
		u, err := url.Parse(scim.Text(val))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return violated(key+" as an absolute http(s) URL", "%s %q in %s", key, scim.Text(val), or(path, "the body"))
		}
		return nil
	})
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// everyListedHoldsAURI checks a URI attribute (a resource type's schema,
// a schema's id; RFC 7643 §6, §7) is absolute: it has a scheme ("urn:").
func (w *World) everyListedHoldsAURI(attr string) error {
	list, err := w.someListed()
	if err != nil {
		return err
	}
	for _, m := range list {
		v := scim.Text(m[attr])
		if u, err := url.Parse(v); err != nil || u.Scheme == "" {
			return violated(attr+" as an absolute URI (urn:…) on every listed resource", "%s %q on %s", attr, v, scim.Text(m["name"]))
		}
	}
	return nil
}

// everySchemaIsPublished cross-checks /ResourceTypes against /Schemas: each
// schema and schema extension a resource type names must be defined.
func (w *World) everySchemaIsPublished(ctx context.Context) error {
	named, err := w.namedSchemas()
	if err != nil {
		return err
	}
	published, err := w.publishedSchemas(ctx)
	if err != nil {
		return err
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

// publishedSchemas are the ids of the schemas /Schemas defines.
func (w *World) publishedSchemas(ctx context.Context) (map[string]bool, error) {
	if _, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/Schemas"}); err != nil {
		return nil, err
	}
	schemas, err := w.listResponse()
	if err != nil {
		return nil, err
	}
	published := map[string]bool{}
	for _, s := range resources(schemas) {
		published[scim.Text(s["id"])] = true
	}
	return published, nil
}

func (w *World) theAttributeIsDescribed(attr, characteristic, want string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if isListResponse(o) {
		return violated("one schema, with a definition of "+attr, "a ListResponse of %d resources (totalResults %s) instead: %s",
			len(resources(o)), or(scim.Text(o["totalResults"]), "none"), w.last.Brief())
	}
	a := attribute(o, attr)
	if a == nil {
		return violated("a definition of "+attr, "%s", describeSchema(o, w.last))
	}
	if got := scim.Text(a[characteristic]); got != want {
		return violated(fmt.Sprintf("%s.%s = %s", attr, characteristic, want), "%s", got)
	}
	return nil
}

// isListResponse says whether o is a ListResponse (RFC 7644 §3.4.2), also
// an empty one, which may leave Resources out.
func isListResponse(o scim.Object) bool {
	_, hasResources := o["Resources"]
	_, hasTotal := o["totalResults"]
	schemas, _ := o["schemas"].([]any)
	return hasResources || hasTotal || slices.ContainsFunc(schemas, func(s any) bool { return scim.Text(s) == listResponseURN })
}

const listResponseURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

// describeSchema says what a schema answer defines, for a check that found
// no definition it needed: its id and attribute names, or the answer itself.
func describeSchema(o scim.Object, resp *scim.Response) string {
	list, _ := o["attributes"].([]any)
	var names []string
	for _, el := range list {
		if m, ok := el.(map[string]any); ok {
			names = append(names, scim.Text(m["name"]))
		}
	}
	if len(names) == 0 {
		return "an answer with no attribute definitions: " + resp.Brief()
	}
	return fmt.Sprintf("schema %q defining only %s", scim.Text(o["id"]), strings.Join(names, ", "))
}
