package steps

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// TestSchemaMessagesSayWhatCameBack: when /Schemas/{id} answers something
// other than the schema, the violation says what it was, never "none in ".
func TestSchemaMessagesSayWhatCameBack(t *testing.T) {
	for _, tc := range []struct{ name, body, says string }{
		{"a ListResponse", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"Resources":[{"id":"a"},{"id":"b"}]}`,
			"a ListResponse of 2 resources (totalResults 2) instead"},
		{"an empty ListResponse", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}`,
			"a ListResponse of 0 resources (totalResults 0) instead"},
		{"another schema", `{"id":"urn:x","attributes":[{"name":"title"},{"name":"nickName"}]}`, `schema "urn:x" defining only title, nickName`},
		{"no definitions", `{"id":"urn:x"}`, `an answer with no attribute definitions: 200 OK {"id":"urn:x"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(Deps{}, transcript.New(transcript.NewRedactor()))
			w.last = &scim.Response{Status: http.StatusOK, Body: []byte(tc.body)}
			err := w.theAttributeIsDescribed("userName", "required", "true")
			var v *Violation
			if !errors.As(err, &v) || !strings.Contains(v.Actual, tc.says) || strings.HasSuffix(err.Error(), " in ") {
				t.Errorf("got %v, want a violation saying %q", err, tc.says)
			}
		})
	}
}
