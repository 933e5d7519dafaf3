package reports

import (
	"bytes"
	"io"
	"testing"
)

// FuzzReadResults feeds any file to ReadJSON, as `idpconform report` and
// the baseline comparison do. Nothing panics; a file it accepts writes back
// with WriteJSON, reads again, and writes the same bytes; every report
// renders from it, and it serves as a baseline.
func FuzzReadResults(f *testing.F) {
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := ReadJSON(bytes.NewReader(file))
		if err != nil {
			return
		}
		var once bytes.Buffer
		if err := WriteJSON(&once, r); err != nil {
			t.Fatalf("an accepted results.json does not write back: %v", err)
		}
		back, err := ReadJSON(bytes.NewReader(once.Bytes()))
		if err != nil {
			t.Fatalf("WriteJSON wrote what ReadJSON refuses: %v\n%s", err, once.Bytes())
		}
		var twice bytes.Buffer
		if err := WriteJSON(&twice, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("the round trip changed the file:\n%s\nthen\n%s", once.Bytes(), twice.Bytes())
		}
		for name, render := range map[string]func(io.Writer, Run) error{"text": Text, "markdown": Markdown, "junit": JUnit, "html": HTML} {
			if err := render(io.Discard, r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if err := Compare(r, sample()).WriteText(io.Discard); err != nil {
			t.Fatalf("baseline comparison: %v", err)
		}
	})
}
