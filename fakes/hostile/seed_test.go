package hostile

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/reference/target"
)

const token = "tok-hostile"

// reference is an empty reference target and a Target reaching it in process.
func reference(t *testing.T) (*target.Server, Target) {
	t.Helper()
	ref, err := target.New(target.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return ref, Direct(ref, token)
}

func seed(t *testing.T, tg Target) []Ref {
	t.Helper()
	refs, err := Seed(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

func snapshot(t *testing.T, tg Target, refs []Ref) []Resource {
	t.Helper()
	snap, err := Snapshot(context.Background(), tg, refs)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestSeedCreatesForeignLookingData(t *testing.T) {
	ref, tg := reference(t)
	refs := seed(t, tg)
	if st := ref.Stats(); st.Users != 10 || st.Groups != 3 {
		t.Fatalf("target holds %+v, want 10 users and 3 groups", st)
	}
	for _, r := range refs {
		if r.ID == "" || strings.HasPrefix(strings.ToLower(r.Name), "idpc-") {
			t.Errorf("seeded %s: want an id and a name without the run's prefix", r)
		}
	}
	snap := snapshot(t, tg, refs)
	for _, res := range snap {
		if res.Body == nil {
			t.Fatalf("%s not found right after seeding", res.Ref)
		}
	}
	if got := snap[0].Body; got["userName"] != "maria.garcia@acme-corp.example" || got["active"] != true || got["emails"] == nil || got["groups"] == nil {
		t.Errorf("first user = %v, want maria.garcia with emails and groups", got)
	}
	ops := snap[10]
	if members, _ := ops.Body["members"].([]any); ops.Name != "ops-admins" || len(members) != 3 {
		t.Errorf("first group = %s with members %v, want ops-admins with 3 members", ops.Ref, ops.Body["members"])
	}
}

func TestSnapshotIsStableAndDiffFindsChanges(t *testing.T) {
	_, tg := reference(t)
	refs := seed(t, tg)
	before := snapshot(t, tg, refs)
	if d := Diff(before, snapshot(t, tg, refs)); d != nil {
		t.Fatalf("reading twice changed something: %q", d)
	}

	ctx := context.Background()
	maria, ops := refs[0], refs[10]
	patch := map[string]any{
		"schemas":    []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "path": "active", "value": false}},
	}
	if _, err := tg.object(ctx, http.MethodPatch, "/Users/"+maria.ID, patch, http.StatusOK); err != nil {
		t.Fatal(err)
	}
	if status, b, err := tg.do(ctx, http.MethodDelete, "/Groups/"+ops.ID, nil); err != nil || status != http.StatusNoContent {
		t.Fatalf("delete ops-admins: %d %s %v", status, b, err)
	}
	d := Diff(before, snapshot(t, tg, refs))
	for _, want := range []string{
		"Users/" + maria.ID + " (maria.garcia@acme-corp.example): active true → false",
		"Groups/" + ops.ID + " (ops-admins) deleted",
	} {
		if !slices.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, strings.Join(d, "\n"))
		}
	}
	// ops-admins' members lose it from their groups attribute: that counts too.
	james := refs[1]
	if !slices.ContainsFunc(d, func(l string) bool { return strings.HasPrefix(l, james.String()+": groups") }) {
		t.Errorf("diff does not show %s leaving ops-admins:\n%s", james, strings.Join(d, "\n"))
	}
}

func TestDiffNamesEachChange(t *testing.T) {
	u := Ref{"Users", "abc", "maria.garcia@acme-corp.example"}
	g := Ref{"Groups", "x", "ops-admins"}
	before := []Resource{
		{u, map[string]any{"active": true, "name": map[string]any{"givenName": "Maria"}, "emails": []any{map[string]any{"value": "a"}}}},
		{g, map[string]any{"displayName": "ops-admins"}},
	}
	after := []Resource{
		{u, map[string]any{"active": false, "name": map[string]any{"givenName": "Maria"}, "emails": []any{map[string]any{"value": "b"}}, "title": "x"}},
		{g, nil},
	}
	want := []string{
		"Users/abc (maria.garcia@acme-corp.example): active true → false",
		`Users/abc (maria.garcia@acme-corp.example): emails[0].value "a" → "b"`,
		`Users/abc (maria.garcia@acme-corp.example): title (absent) → "x"`,
		"Groups/x (ops-admins) deleted",
	}
	if got := Diff(before, after); !slices.Equal(got, want) {
		t.Errorf("Diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := Diff(before, before); got != nil {
		t.Errorf("Diff of a snapshot with itself = %q", got)
	}
}
