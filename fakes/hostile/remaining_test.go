package hostile

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
)

func TestRemainingPagesThroughEverything(t *testing.T) {
	_, tg := reference(t)
	ctx := context.Background()
	seed(t, tg)
	create := func(ep string, body map[string]any) {
		t.Helper()
		if _, err := tg.object(ctx, http.MethodPost, "/"+ep, body, http.StatusCreated); err != nil {
			t.Fatal(err)
		}
	}
	// More than one page of strangers first, so the run's users are on page two.
	for i := range pageSize {
		create("Users", map[string]any{"userName": fmt.Sprintf("stranger-%03d", i)})
	}
	create("Users", map[string]any{"userName": "idpc-k7q2-ada"})
	create("Users", map[string]any{"userName": "IDPC-K7Q2-BOB"}) // a target may change case
	create("Users", map[string]any{"userName": "idpc-zzzz-other-run"})
	create("Groups", map[string]any{"displayName": "idpc-k7q2-admins"})

	got, err := Remaining(ctx, tg, "k7q2")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range got {
		if r.ID == "" {
			t.Errorf("%s without an id", r)
		}
		names = append(names, r.Endpoint+" "+r.Name)
	}
	want := []string{"Users idpc-k7q2-ada", "Users IDPC-K7Q2-BOB", "Groups idpc-k7q2-admins"}
	if !slices.Equal(names, want) {
		t.Errorf("Remaining = %q, want %q", names, want)
	}

	none, err := Remaining(ctx, tg, "no-such-token")
	if err != nil || len(none) != 0 {
		t.Errorf("Remaining(no-such-token) = %v, %v; want nothing", none, err)
	}
}
