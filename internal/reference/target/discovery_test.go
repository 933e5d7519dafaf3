package target

import (
	"net/url"
	"testing"
)

func TestDiscovery(t *testing.T) {
	c := newTarget(t)
	t.Run("ServiceProviderConfig", func(t *testing.T) {
		r := c.do("GET", "/ServiceProviderConfig", nil).want(t, 200)
		for path, want := range map[string]any{
			"patch.supported": true, "bulk.supported": true, "bulk.maxOperations": 10.0, "bulk.maxPayloadSize": 65536.0,
			"filter.supported": true, "filter.maxResults": 200.0, "changePassword.supported": true, "sort.supported": true,
			"etag.supported": true, "authenticationSchemes.0.type": "oauthbearertoken", "authenticationSchemes.1.type": "httpbasic",
			"meta.resourceType": "ServiceProviderConfig", "schemas.0": spcURN,
		} {
			if r.at(path) != want {
				t.Errorf("%s = %#v, want %#v", path, r.at(path), want)
			}
		}
	})
	t.Run("ResourceTypes", func(t *testing.T) {
		r := c.do("GET", "/ResourceTypes", nil).want(t, 200)
		if r.num("totalResults") != 2 || r.str("Resources.0.endpoint") != "/Users" || r.str("Resources.1.endpoint") != "/Groups" ||
			r.str("Resources.0.schemaExtensions.0.schema") != enterpriseURN || r.at("Resources.0.schemaExtensions.0.required") != false {
			t.Errorf("%s", r.raw)
		}
		u := c.do("GET", "/ResourceTypes/User", nil).want(t, 200)
		if u.str("schema") != userURN || u.str("name") != "User" || u.str("schemas.0") != rtURN {
			t.Errorf("%s", u.raw)
		}
		c.do("GET", "/ResourceTypes/Nope", nil).want(t, 404)
	})
	t.Run("Schemas", func(t *testing.T) {
		r := c.do("GET", "/Schemas?filter="+url.QueryEscape(`id eq "x"`), nil).want(t, 200) // filter ignored
		if r.num("totalResults") != 3 {
			t.Fatalf("%s", r.raw)
		}
		ids := map[string]bool{}
		for _, s := range r.list("Resources") {
			ids[dig(s, "id").(string)] = true
		}
		if !ids[userURN] || !ids[groupURN] || !ids[enterpriseURN] {
			t.Errorf("schemas %v", ids)
		}
		u := c.do("GET", "/Schemas/"+userURN, nil).want(t, 200)
		var userName, emails, password map[string]any
		for _, a := range u.list("attributes") {
			m := a.(map[string]any)
			switch m["name"] {
			case "userName":
				userName = m
			case "emails":
				emails = m
			case "password":
				password = m
			}
		}
		if userName["uniqueness"] != "server" || userName["required"] != true || userName["caseExact"] != false ||
			userName["mutability"] != "readWrite" || userName["returned"] != "default" || userName["type"] != "string" || userName["description"] == "" {
			t.Errorf("userName %v", userName)
		}
		if emails["multiValued"] != true || len(emails["subAttributes"].([]any)) < 4 {
			t.Errorf("emails %v", emails)
		}
		if password["returned"] != "never" || password["mutability"] != "writeOnly" {
			t.Errorf("password %v", password)
		}
		c.do("GET", "/Schemas/"+enterpriseURN, nil).want(t, 200)
		c.do("GET", "/Schemas/urn:nope", nil).want(t, 404)
	})
}
