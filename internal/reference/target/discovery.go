package target

import (
	"net/http"
	"net/url"
)

// serviceProviderConfig describes what the target supports (RFC 7643 §5).
func (s *Server) serviceProviderConfig(w http.ResponseWriter, r *http.Request) {
	yes, no := any(true), any(false)
	if s.has(SpcStringBooleans) {
		yes, no = "true", "false"
	}
	// RFC 7643 §5 spells them specURI and documentationUri: HTTP URLs.
	specURI, docURI, docs := "specUri", "documentationUri", "https://github.com/idpconform/idpconform"
	if s.has(SpcURISpelledURL) {
		specURI, docURI = "specUrl", "documentationUrl"
	}
	if s.has(SpcDocumentationNotURL) {
		docs = "N/A"
	}
	// claim says whether an optional feature is supported: yes unless the
	// liberty that takes it away is on.
	claim := func(liberty string) any {
		if s.has(liberty) {
			return no
		}
		return yes
	}
	limit := maxResults
	if s.has("small-pages") {
		limit = smallPage
	}
	s.writeJSON(w, http.StatusOK, map[string]any{
		"schemas":          []any{spcURN},
		"documentationUri": docs,
		"patch":            map[string]any{"supported": yes},
		"bulk":             map[string]any{"supported": yes, "maxOperations": maxBulkOperations, "maxPayloadSize": maxBulkPayload},
		"filter":           map[string]any{"supported": claim("filter-unsupported"), "maxResults": limit},
		"changePassword":   map[string]any{"supported": claim("change-password-unsupported")},
		"sort":             map[string]any{"supported": claim("sort-unsupported")},
		"etag":             map[string]any{"supported": claim("etag-unsupported")},
		"authenticationSchemes": []any{
			map[string]any{"type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "A bearer token in the Authorization header.", "primary": true,
				specURI: "https://www.rfc-editor.org/rfc/rfc6750", docURI: docs},
			map[string]any{"type": "httpbasic", "name": "HTTP Basic", "description": "Any user name, the token as the password.",
				specURI: "https://www.rfc-editor.org/rfc/rfc7617"},
		},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": baseURL(r) + "/ServiceProviderConfig"},
		// Not in RFC 7643: the harness's own convention for publishing a
		// userName policy, read when a profile does not give one.
		UsernamePolicyURN: s.usernamePolicy(),
	})
}

// usernamePolicy is the policy published under UsernamePolicyURN.
func (s *Server) usernamePolicy() map[string]any {
	p := map[string]any{"minLength": MinUserName, "maxLength": MaxUserName, "digitsOnly": false}
	if s.rule != "" {
		p["rule"] = s.rule
	}
	return p
}

func (s *Server) resourceType(k *kind, r *http.Request) map[string]any {
	endpoint := "/" + k.Endpoint
	if k == userKind && s.has(ResourcetypesWrongEndpoint) {
		endpoint = "/Accounts"
	}
	schema := k.Schema
	if k == groupKind && s.has(ResourcetypeSchemaNotURI) {
		schema = k.Name
	}
	rt := map[string]any{
		"schemas": []any{rtURN}, "id": k.Name, "name": k.Name, "endpoint": endpoint, "schema": schema,
		"meta": map[string]any{"resourceType": "ResourceType", "location": baseURL(r) + "/ResourceTypes/" + k.Name},
	}
	var exts []any
	for _, urn := range s.extensionURNs(k) {
		exts = append(exts, map[string]any{"schema": urn, "required": false})
	}
	if len(exts) > 0 {
		rt["schemaExtensions"] = exts
	}
	return rt
}

// resourceTypes is /ResourceTypes and /ResourceTypes/{name} (RFC 7643 §6).
func (s *Server) resourceTypes(w http.ResponseWriter, r *http.Request, rest []string) {
	kinds := []*kind{userKind, groupKind}
	if len(rest) == 1 && !s.has(DiscoveryByIDLists) {
		for _, k := range kinds {
			if k.Name == rest[0] {
				s.writeJSON(w, http.StatusOK, s.resourceType(k, r))
				return
			}
		}
		s.writeError(w, errorf(http.StatusNotFound, "", "no resource type %q", rest[0]))
		return
	}
	var list []any
	for _, k := range kinds {
		list = append(list, s.resourceType(k, r))
	}
	s.writeAll(w, list)
}

// writeAll answers a discovery list, which is never paged.
func (s *Server) writeAll(w http.ResponseWriter, list []any) { s.writeList(w, len(list), 1, list) }

// schemas is /Schemas and /Schemas/{urn} (RFC 7643 §7).
func (s *Server) schemas(w http.ResponseWriter, r *http.Request, rest []string) {
	defs := []struct {
		id, name, desc string
		attrs          []attr
	}{
		{userURN, "User", "User Account", append(append([]attr(nil), userAttrs...), common[1])},
		{groupURN, "Group", "Group", append(append([]attr(nil), groupAttrs...), common[1])},
		{enterpriseURN, "EnterpriseUser", "Enterprise User", enterpriseAttrs},
	}
	if s.has(DiscoveryByIDLists) {
		rest = nil
	}
	var list []any
	for _, d := range defs {
		if (d.id == userURN && s.has(SchemasMissingUser)) || (d.id == enterpriseURN && s.has("no-enterprise")) {
			continue
		}
		doc := map[string]any{
			"schemas": []any{schemaURN}, "id": d.id, "name": d.name, "description": d.desc, "attributes": s.describeReturned(describe(d.attrs)),
			"meta": map[string]any{"resourceType": "Schema", "location": baseURL(r) + "/Schemas/" + d.id},
		}
		if len(rest) == 1 {
			if d.id == enterpriseURN && s.has(ExtensionSchemaByID404) {
				continue
			}
			if id, _ := url.PathUnescape(rest[0]); id == d.id {
				s.writeJSON(w, http.StatusOK, doc)
				return
			}
			continue
		}
		list = append(list, doc)
	}
	if len(rest) == 1 {
		s.writeError(w, errorf(http.StatusNotFound, "", "no schema %q", rest[0]))
		return
	}
	s.writeAll(w, list)
}

// describe renders attribute characteristics (RFC 7643 §7).
func describe(attrs []attr) []any {
	out := make([]any, 0, len(attrs))
	for _, a := range attrs {
		d := map[string]any{
			"name": a.Name, "type": a.Type, "multiValued": a.Multi, "required": a.Required, "caseExact": a.CaseExact,
			"mutability": or(a.Mutability, "readWrite"), "returned": or(a.Returned, "default"),
			"uniqueness": or(a.Uniqueness, "none"), "description": a.Description,
		}
		if len(a.Sub) > 0 {
			d["subAttributes"] = describe(a.Sub)
		}
		if a.Type == "reference" {
			d["referenceTypes"] = []any{"external"}
		}
		out = append(out, d)
	}
	return out
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// extensionURNs are the schema extensions k offers: none under the
// no-enterprise liberty.
func (s *Server) extensionURNs(k *kind) []string {
	if s.has("no-enterprise") {
		return nil
	}
	return k.extensionURNs()
}

// describeReturned marks the attributes-always liberty's choices in a
// schema's attribute definitions. displayName is "always" for groups only:
// a user's displayName stays "default".
func (s *Server) describeReturned(attrs []any) []any {
	if !s.has("attributes-always") {
		return attrs
	}
	names := map[string]bool{}
	for _, a := range attrs {
		names[a.(map[string]any)["name"].(string)] = true
	}
	for _, a := range attrs {
		d := a.(map[string]any)
		name := d["name"].(string)
		if name == "userName" || (name == "displayName" && !names["userName"] && names["members"]) {
			d["returned"] = "always"
		}
	}
	return attrs
}
