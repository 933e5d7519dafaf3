package transcript

import (
	"bytes"
	"testing"
)

// FuzzPlainBodiesNeedNoWalk: the shortcut that skips decoding a body
// redacts exactly what decoding and walking it would.
func FuzzPlainBodiesNeedNoWalk(f *testing.F) {
	for _, s := range []string{
		`{"userName":"ada","active":true,"emails":[{"value":"ada@example.com"}]}`,
		`{"Password":"hunter22"}`,
		`{"note":"s3cr3t-token"}`,
		`{"note":"s3cr\u0033t-token"}`,
		`{"a\/b":"s3cr3t\/token"}`,
		`{"meta":{"version":"W/\"3\""}}`,
		`{"note":"se\"cret"}`,
		`{"SAMLResponse":"PHNhbWw+"}`,
		`{"id_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlc2lnbmF0dXJl"}`,
		`{"url":"https://x/cb?code=abc&state=1"}`,
		`{"xml":"<ds:SignatureValue>abc</ds:SignatureValue>"}`,
		`[1, 2.50, "x"] `,
		`{} {}`,
		`not json`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range []*Redactor{NewRedactor("s3cr3t-token"), NewRedactor(`se"cret`)} {
			got, gotOK := r.JSON(b)
			want, wantOK := r.walked(b)
			if gotOK != wantOK || gotOK && !bytes.Equal(got, want) {
				t.Errorf("JSON(%q) = %q, %v; decoded and walked: %q, %v", b, got, gotOK, want, wantOK)
			}
		}
	})
}
