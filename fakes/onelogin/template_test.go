package onelogin

import (
	"strings"
	"testing"
)

func TestRenderFillsPlaceholdersAsText(t *testing.T) {
	u := User{Username: `a"b@example.com`, FirstName: "Zoë <&>", Active: false}
	got, err := Vendor.Render(u)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id":null`, `"active":"false"`, `"userName":"a\"b@example.com"`, `"givenName":"Zoë <&>"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("vendor body %s lacks %s", got, want)
		}
	}
	for _, tpl := range []Template{Enterprise, Vendor, Core} {
		body, err := tpl.Render(u)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), "groups") || strings.Contains(string(body), "{$") {
			t.Errorf("%s: %s carries groups (L4) or an unfilled placeholder", tpl, body)
		}
	}
	core, _ := Core.Render(u)
	if !strings.Contains(string(core), `"schemas":["urn:scim:schemas:core:1.0"]`) {
		t.Errorf("core body %s does not declare the SCIM 1.1 URN (L3)", core)
	}
}

func TestParseTemplateAndHeader(t *testing.T) {
	if tpl, err := ParseTemplate(""); err != nil || tpl != Enterprise {
		t.Errorf(`ParseTemplate("") = %q, %v`, tpl, err)
	}
	if _, err := ParseTemplate("scim1"); err == nil {
		t.Error("ParseTemplate accepted an unknown template")
	}
	if n, v, err := ParseHeader(" Content-Type : application/scim+json "); err != nil || n != "Content-Type" || v != "application/scim+json" {
		t.Errorf("ParseHeader = %q %q %v", n, v, err)
	}
	for _, bad := range []string{"Content-Type", ": x", "Content Type: x"} {
		if _, _, err := ParseHeader(bad); err == nil {
			t.Errorf("ParseHeader(%q) accepted it", bad)
		}
	}
}
