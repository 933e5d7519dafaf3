package optional

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/scim"
)

func object(t *testing.T, s string) scim.Object {
	t.Helper()
	var o scim.Object
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestResolve: the profile wins over discovery, with a note where they
// disagree; discovery decides the rest, each from the document the table
// names; a feature nobody declares is off, with a note; a "true" string
// declares nothing.
func TestResolve(t *testing.T) {
	spc := object(t, `{"filter":{"supported":true},"sort":{"supported":false},"etag":{"supported":"true"},"patch":{"supported":true},
		"bulk":{"supported":false},"changePassword":{"supported":true}}`)
	types := object(t, `{"Resources":[{"name":"User","endpoint":"/Users","schemaExtensions":[{"schema":"`+EnterpriseSchema+`"}]}]}`)
	c, notes := Resolve(map[string]bool{"sort": true, "filter": true}, spc, types)
	want := map[string]bool{"filter": true, "sort": true, "etag": false, "patch": true, "bulk": false, "changePassword": true, "groups": false, "enterprise": true, "search": false}
	for key, on := range want {
		if c.On(key) != on {
			t.Errorf("%s: %v (%s), want %v", key, c.On(key), c[key].Where, on)
		}
	}
	if !strings.Contains(c["sort"].Where, "features.sort") || !strings.Contains(c["groups"].Where, "/ResourceTypes") ||
		!strings.Contains(c["bulk"].Where, "/ServiceProviderConfig bulk.supported") {
		t.Errorf("where: sort %q, groups %q, bulk %q", c["sort"].Where, c["groups"].Where, c["bulk"].Where)
	}
	joined := strings.Join(notes, "\n")
	for _, says := range []string{"the profile says sorting is supported but", "whether the target supports ETags", "whether the target supports POST .search"} {
		if !strings.Contains(joined, says) {
			t.Errorf("notes %q do not say %q", joined, says)
		}
	}
	if strings.Contains(joined, "filtering") {
		t.Errorf("a profile that agrees with discovery got a note: %q", joined)
	}
	// Unreadable documents: only the profile speaks.
	c, _ = Resolve(map[string]bool{"groups": true}, nil, nil)
	if !c.On("groups") || c.On("filter") || !strings.Contains(c["filter"].Where, "neither") {
		t.Errorf("without discovery: groups %v, filter %+v", c.On("groups"), c["filter"])
	}
}

// TestEveryFeatureGatesScenarios: the table and the feature files agree:
// each feature's step gates some scenario, so a feature the table lists is
// not forgotten, and the skip reason names the feature and its source.
func TestEveryFeatureGatesScenarios(t *testing.T) {
	var all strings.Builder
	err := fs.WalkDir(features.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".feature") {
			return err
		}
		b, err := fs.ReadFile(features.FS, p)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Table {
		if !strings.Contains(all.String(), f.Step()+"\n") {
			t.Errorf("no scenario says %q", f.Step())
		}
		if f.Key == "" || f.Label == "" || f.Section == "" || f.Declared == "" {
			t.Errorf("%+v: every column of the table is needed", f)
		}
		reason := f.SkipReason(Support{Where: "declared not supported by " + f.Declared})
		if !strings.Contains(reason, f.Label) || !strings.Contains(reason, f.Declared) {
			t.Errorf("skip reason %q does not name %s and %s", reason, f.Label, f.Declared)
		}
	}
}
