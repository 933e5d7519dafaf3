package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/cassette"
)

// TestToFeature: created users and groups become aliases, names carry
// {{prefix}}, ids become {alias} in paths and {{id:alias}} in bodies and
// filters, a redacted password a fresh one, and an exchange naming a
// user the cassette did not create is left out as a comment.
func TestToFeature(t *testing.T) {
	r := cassetteOf(t,
		cassette.Exchange{Method: "GET", URI: "/api/scim/v2/Users?filter=userName+eq+%22ada%40example.com%22", Status: 200, ResponseBody: `{"Resources":[]}`},
		cassette.Exchange{Method: "POST", URI: "/api/scim/v2/Users", RequestBody: `{"userName":"ada@example.com","password":"[REDACTED]"}`,
			Status: 201, ResponseBody: `{"id":"u-1","userName":"ada@example.com"}`},
		cassette.Exchange{Method: "POST", URI: "/api/scim/v2/Groups", RequestBody: `{"displayName":"Team A","members":[{"value":"u-1"}]}`,
			Status: 201, ResponseBody: `{"id":"g-1","displayName":"Team A"}`},
		cassette.Exchange{Method: "PATCH", URI: "/api/scim/v2/Users/u-1", RequestBody: `{"Operations":[{"op":"replace","value":{"active":false}}]}`, Status: 204},
		cassette.Exchange{Method: "DELETE", URI: "/api/scim/v2/Users/someone-else", Status: 204},
		cassette.Exchange{Method: "DELETE", URI: "/api/scim/v2/Groups/g-1", Status: 204},
	)
	var b strings.Builder
	notes, err := ToFeature(r, &b, FeatureOptions{Name: "incident", Source: "incident.jsonl", Tags: []string{"okta"}})
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"@regression @must @okta\nFeature: Regression: incident",
		"When the IdP sends `GET /Users?filter=userName eq \"{{prefix}}ada@example.com\"`\n    Then the target answers 2xx",
		"When the IdP sends `POST /Users` creating the user \"ada\" with:",
		`"password": "{{new password}}"`,
		"creating the group \"Team-A\" with:",
		`"value": "{{id:ada}}"`,
		"When the IdP sends `PATCH /Users/{ada}` with:",
		`And the user "ada" has "active" equal to "false" when read back`,
		"# not sent: DELETE /api/scim/v2/Users/someone-else",
		"When the IdP sends `DELETE /Groups/{Team-A}`\n    Then the target answers 2xx\n    And reading the group \"Team-A\" answers 404",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the feature lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "u-1") || strings.Contains(got, "[REDACTED]") {
		t.Errorf("a recorded id or a redacted value is left in the feature:\n%s", got)
	}
	if s := strings.Join(notes, "\n"); !strings.Contains(s, "ada, Team-A") || !strings.Contains(s, "1 exchanges left out") {
		t.Errorf("the notes do not say what was inferred and left out: %s", s)
	}
	if _, err := ToFeature(cassetteOf(t), &b, FeatureOptions{}); err == nil {
		t.Error("an empty cassette made a feature")
	}
}

func TestShiftTimes(t *testing.T) {
	in := `{"a":"2026-01-02T03:04:05Z","b":"2026-01-02T03:04:05.5+01:00","c":"2026-01-02"}`
	want := `{"a":"2026-01-03T04:04:05Z","b":"2026-01-03T04:04:05.5+01:00","c":"2026-01-02"}`
	if got := string(shiftTimes([]byte(in), 25*time.Hour)); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestMissingMembers(t *testing.T) {
	if d := missingMembers(`{"id":"1","meta":{},"active":true}`, `{"id":"2","active":false,"extra":1}`, "the answer", nil); d != "the answer lacks meta, which the recorded one had" {
		t.Errorf("got %q", d)
	}
	if d := missingMembers(`{"id":"1"}`, `not json`, "x", nil); d != "" {
		t.Errorf("a body that is not JSON is not compared, got %q", d)
	}
}
