package runner

import (
	"testing"
)

// TestReplayOfARunMatches records the @users scenarios at the reference
// target, replays them against a fresh one with ids remapped: every
// status matches and the target ends empty.
func TestReplayOfARunMatches(t *testing.T) {
	rec := recordSuite(t, "@users")
	if rec.exchanges < 20 {
		t.Fatalf("only %d exchanges recorded", rec.exchanges)
	}
	got := replaySuite(t, rec)
	for _, d := range got.differences {
		t.Error(sideBySide(d))
	}
	if got.different > 0 || got.sent != rec.exchanges {
		t.Fatalf("%d of %d replayed exchanges differ (%d recorded)", got.different, got.sent, rec.exchanges)
	}
	if got.leftover != nil {
		t.Fatal(got.leftover)
	}
}
