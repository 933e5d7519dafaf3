package transcript

import (
	"regexp"
	"strings"
	"testing"
)

// samlParamExpr is the expression samlParams replaced; the hand-written
// scanner must find exactly what it finds.
var samlParamExpr = regexp.MustCompile(`(SAMLResponse(?:=|:\[|:|"\s*:\s*"|"\s+value="))([A-Za-z0-9%+/=_&#;-]+)`)

func samlParamsByExpr(s string) string {
	return samlParamExpr.ReplaceAllStringFunc(s, func(m string) string {
		sub := samlParamExpr.FindStringSubmatch(m)
		return sub[1] + samlValue(sub[2])
	})
}

var samlSeeds = []string{
	"SAMLResponse=PHNhbWw+PGRzOlNpZ25hdHVyZVZhbHVlPmFiYzwvZHM6U2lnbmF0dXJlVmFsdWU+PC9zYW1sPg%3D%3D&RelayState=x",
	`map[RelayState:[/] SAMLResponse:[PHNhbWw+]]`,
	`SAMLResponse: PHNhbWw+`,
	`{"SAMLResponse" : "PHNhbWw+"}`,
	`<input type="hidden" name="SAMLResponse"  value="PHNhbWw&#43;PC9zYW1sPg=="/>`,
	`SAMLResponse"value="PHNhbWw+"`,
	`SAMLResponse"	:	"`,
	`SAMLResponse:[]`,
	`SAMLResponse=`,
	`SAMLResponseSAMLResponse=PHNhbWw+ SAMLResponse:[PHNhbWw+`,
	`no saml here`,
}

// TestSAMLParamsAsTheExpression and FuzzSAMLParamsAsTheExpression hold
// the scanner to the expression.
func TestSAMLParamsAsTheExpression(t *testing.T) {
	for _, s := range samlSeeds {
		if got, want := samlParams(s), samlParamsByExpr(s); got != want {
			t.Errorf("samlParams(%q) = %q, the expression gives %q", s, got, want)
		}
	}
	if got := samlParams(samlSeeds[0]); strings.Contains(got, "PHNhbWw+PGRzOlNpZ25hdHVyZVZhbHVlPmFiYz") {
		t.Errorf("the signature survived: %q", got)
	}
}

func FuzzSAMLParamsAsTheExpression(f *testing.F) {
	for _, s := range samlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := samlParams(s), samlParamsByExpr(s); got != want {
			t.Errorf("samlParams(%q) = %q, the expression gives %q", s, got, want)
		}
	})
}

// FuzzHasFold: the word search that avoids lower-casing a body finds what
// lower-casing finds.
func FuzzHasFold(f *testing.F) {
	for _, s := range []string{"Password", "x_TOKEN", "client_secreT", "CODE=1", "_to\u212aen", "pa\u017fsword", "passwor", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range []string{"password", "_token", "client_secret", "code="} {
			if got, want := hasFold(s, w), strings.Contains(strings.ToLower(s), w); got != want {
				t.Errorf("hasFold(%q, %q) = %v, want %v", s, w, got, want)
			}
		}
	})
}
