package runner

import (
	"strings"
	"testing"
)

// TestReplayOfARunMatches records the @users scenarios at the reference
// target and replays them against a fresh one with ids remapped: every
// status matches and the target ends empty. The negative controls replay
// the same cassette against a target with a fault that changes a status:
// the replay finds the difference.
func TestReplayOfARunMatches(t *testing.T) {
	rec := recordSuite(t, "@users", 4)
	if rec.exchanges < 20 {
		t.Fatalf("only %d exchanges recorded", rec.exchanges)
	}
	got := replaySuite(t, rec)
	for _, d := range got.differences {
		t.Error(sideBySide(d))
	}
	if got.different > 0 || got.foreign > 0 || got.sent != rec.exchanges {
		t.Fatalf("%d of %d replayed exchanges differ, %d not sent (%d recorded)", got.different, got.sent, got.foreign, rec.exchanges)
	}
	if got.leftover != nil {
		t.Fatal(got.leftover)
	}
	for fault, want := range map[string]string{
		"create-returns-200": "status 200, recorded 201",
		"no-uniqueness":      "status 201, recorded 409",
	} {
		t.Run(fault, func(t *testing.T) {
			got := replaySuite(t, rec, fault)
			if got.different == 0 {
				t.Fatalf("the replay against %s found no difference", fault)
			}
			found := false
			for _, d := range got.differences {
				found = found || d.Reason == want
			}
			if !found {
				t.Fatalf("no difference reads %q; the first: %s", want, sideBySide(got.differences[0]))
			}
			if s := sideBySide(got.differences[0]); !strings.Contains(s, "recorded:") || !strings.Contains(s, "replayed:") {
				t.Fatalf("a difference does not show both exchanges: %s", s)
			}
		})
	}
}
