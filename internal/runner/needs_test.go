package runner

import (
	"slices"
	"testing"
)

func TestFakesNeeded(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want []string
	}{
		{"", []string{"entra", "okta"}},
		{"@okta", []string{"okta"}},
		{"@entra", []string{"entra"}},
		{"@okta,@entra", []string{"entra", "okta"}},
		{"@users", nil},
		{"~@okta && ~@entra", nil},
		{"@okta && ~@okta", nil},
	} {
		t.Run(tc.tags, func(t *testing.T) {
			got, err := FakesNeeded(tc.tags)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("FakesNeeded(%q) = %v, want %v", tc.tags, got, tc.want)
			}
		})
	}
}
