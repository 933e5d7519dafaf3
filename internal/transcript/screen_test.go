package transcript

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTheScreenMissesNoSecret: the screen that spares the replacer finds
// a secret, in each of its encodings, wherever it sits in a string, and
// says no only when no form is there.
func TestTheScreenMissesNoSecret(t *testing.T) {
	secrets := []string{"s3cr3t-token", "pw/1", `se"cret`, "ZmFrZQ==", "abcd"}
	r := NewRedactor(secrets...)
	var forms []string
	for _, s := range secrets {
		forms = append(forms, encodings(s)...)
	}
	rng := rand.New(rand.NewPCG(7, 9))
	const alphabet = `abcdst3%2F/"\-=ZmFrZQ`
	for i := range 20000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if i%3 == 0 { // plant a form, or most of one
			f := forms[rng.IntN(len(forms))]
			if i%2 == 0 {
				f = f[:len(f)-1]
			}
			at := rng.IntN(len(s) + 1)
			s = s[:at] + f + s[at:]
		}
		want := false
		for _, f := range forms {
			want = want || strings.Contains(s, f)
		}
		if got := r.screen.holds(s); got != want {
			t.Fatalf("holds(%q) = %v, want %v", s, got, want)
		}
		if !want && r.String(s) != signatures(s) {
			t.Fatalf("String(%q) changed a string the screen passed", s)
		}
	}
	if !newScreen([]string{"ab"}).holds("xyz") {
		t.Error("a form under four bytes must make every string suspect")
	}
}
