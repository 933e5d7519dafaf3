package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/scim"
)

// oktaState is what a scenario's Okta org remembers.
type oktaState struct {
	opts       okta.Options
	created    map[string]bool // alias → whether Okta's last assign created the user
	imported   []scim.Object
	burst      []*scim.Response
	connection error         // what the last test connection ended with
	waited     time.Duration // simulated back-off
}

func registerOkta(sc stepper, w *World) {
	sc.Step(`^Okta pushes profile updates with (PUT|PATCH)$`, w.oktaUpdatesWith)
	sc.Step(`^Okta tests the connection$`, w.oktaTestsTheConnection)
	sc.Step(`^Okta accepts the connection$`, w.oktaAcceptsTheConnection)
	sc.Step(`^Okta assigns the users? "([^"]*)"(?: again)?$`, w.oktaAssigns)
	sc.Step(`^Okta created the user "([^"]*)"$`, w.oktaCreated)
	sc.Step(`^Okta linked the existing (user|group) "([^"]*)" instead of creating one$`, w.oktaLinked)
	sc.Step(`^Okta pushes a profile change of "([^"]*)" setting (givenName|familyName|displayName|email) to "([^"]*)"$`, w.oktaPushes)
	sc.Step(`^Okta (deactivates|reactivates) the user "([^"]*)"$`, w.oktaSetsActive)
	sc.Step(`^Okta syncs a new password for "([^"]*)"$`, w.oktaSyncsPassword)
	sc.Step(`^Okta finds the user "([^"]*)" by lookup( with the login in upper case)?$`, w.oktaFinds)
	sc.Step(`^Okta imports the scenario's users with pages of (\d+)$`, w.oktaImports)
	sc.Step(`^Okta's import holds exactly the users "([^"]*)", each once$`, w.oktaImportHolds)
	sc.Step(`^Okta sends (\d+) lookups at once$`, w.oktaBurst)
	sc.Step(`^every answer is 200, or 429 with a Retry-After header$`, w.everyAnswerIsOKOrLimited)
	sc.Step(`^Okta pushes the group "([^"]*)" with the members "([^"]*)"(?: again)?$`, w.oktaPushesGroup)
	sc.Step(`^Okta renames the group "([^"]*)" to the displayName of "([^"]*)"$`, w.oktaRenamesGroup)
	sc.Step(`^Okta adds "([^"]*)" to the group "([^"]*)"$`, w.oktaAddsMembers)
	sc.Step(`^Okta removes "([^"]*)" from the group "([^"]*)"$`, w.oktaRemovesMember)
	sc.Step(`^Okta deletes the group "([^"]*)"$`, w.oktaDeletesGroup)
}

// oktaClient is the scenario's Okta integration, in process or in the Okta
// fake's container.
func (w *World) oktaClient() provision.Okta {
	if w.okta == nil {
		w.okta = &oktaState{created: map[string]bool{}}
		// Okta's back-off is simulated like Entra's clock: the waits are
		// kept, not slept, so retries cost the run no time.
		w.okta.opts.Sleep = func(_ context.Context, d time.Duration) error {
			w.okta.waited += d
			return nil
		}
	}
	return w.deps.fakes().Okta(w.client, w.okta.opts)
}

// oktaUser is the Okta profile of an alias: the same login, emails and
// names as users the harness creates directly.
func (w *World) oktaUser(alias string) okta.User {
	given := strings.ToUpper(alias[:1]) + alias[1:]
	return okta.User{
		Login: w.userName(alias), GivenName: given, FamilyName: "Tester", Email: w.workEmail(alias),
		DisplayName: given + " Tester", Locale: "en-US", OktaID: "00u" + strings.TrimSuffix(w.prefix, "-") + alias,
	}
}

// fakeFailed turns an IdP operation's error into a violation: whatever the
// target answered made the IdP fail. A request with no answer at all, or a
// fake that could not be driven, stays a harness error.
func fakeFailed(idp, what string, err error) error {
	var none *scim.NoAnswer
	if errors.As(err, &none) || errors.Is(err, provision.ErrControl) {
		return err
	}
	var se *okta.StatusError
	if errors.As(err, &se) {
		return violated(fmt.Sprintf("the target to accept %s's %s", idp, what), "%d %s %s", se.Status, http.StatusText(se.Status), clip(se.Body))
	}
	return violated(fmt.Sprintf("the target to answer %s's %s as %s expects", idp, what, idp), "%v", err)
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func (w *World) oktaUpdatesWith(how string) error {
	w.oktaClient()
	w.okta.opts.Update = okta.Update(strings.ToLower(how))
	return nil
}

func (w *World) oktaTestsTheConnection(ctx context.Context) error {
	err := w.oktaClient().TestConnection(ctx)
	var none *scim.NoAnswer
	if errors.As(err, &none) || errors.Is(err, provision.ErrControl) {
		return err // no answer at all: the harness could not check
	}
	w.okta.connection = err
	return nil
}

func (w *World) oktaAcceptsTheConnection() error {
	if err := w.okta.connection; err != nil {
		return &Violation{Expected: []string{"a ListResponse to Okta's test connection (GET /Users?startIndex=1&count=2)"}, Actual: err.Error()}
	}
	return nil
}

func (w *World) oktaAssigns(ctx context.Context, list string) error {
	c := w.oktaClient()
	for _, alias := range splitList(list) {
		id, created, err := c.Assign(ctx, w.oktaUser(alias))
		if err != nil {
			// Assigning is Okta's lookup and create: in a Background it is a
			// precondition, and the okta-create scenarios check it.
			return under("okta-create", fakeFailed("Okta", "assignment of "+alias, err))
		}
		w.okta.created[alias] = created
		w.track("Users", alias, id)
	}
	return nil
}

func (w *World) oktaCreated(alias string) error {
	if created, ok := w.okta.created[alias]; !ok || !created {
		return violated("Okta to create "+alias+" (its lookup found nothing)", "Okta found and linked an existing user")
	}
	return nil
}

func (w *World) oktaLinked(kind, alias string) error {
	key := alias
	if kind == "group" {
		key = "group:" + alias
	}
	if w.okta.created[key] {
		return violated("Okta's lookup to find the existing "+alias+" and link it", "the lookup found nothing and Okta created a second user")
	}
	return nil
}

func (w *World) oktaPushes(ctx context.Context, alias, attr, v string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	u := w.oktaUser(alias)
	path := map[string]string{"givenName": "name.givenName", "familyName": "name.familyName", "displayName": "displayName", "email": `emails[type eq "work"].value`}[attr]
	switch attr {
	case "givenName":
		u.GivenName = v
	case "familyName":
		u.FamilyName = v
	case "displayName":
		u.DisplayName = v
	case "email":
		u.Email = v
	}
	if err := w.oktaClient().Push(ctx, r.id, u, map[string]any{path: v}); err != nil {
		return fakeFailed("Okta", "profile push", err)
	}
	return nil
}

func (w *World) oktaSetsActive(ctx context.Context, how, alias string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	if err := w.oktaClient().SetActive(ctx, r.id, how == "reactivates"); err != nil {
		return fakeFailed("Okta", strings.TrimSuffix(how, "s")+"ion", err)
	}
	return nil
}

func (w *World) oktaSyncsPassword(ctx context.Context, alias string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	if err := w.oktaClient().SetPassword(ctx, r.id, w.password("Okta")); err != nil {
		return fakeFailed("Okta", "password sync", err)
	}
	return nil
}

func (w *World) oktaFinds(ctx context.Context, alias, upper string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	login := w.userName(alias)
	if upper != "" {
		login = strings.ToUpper(login)
	}
	id, err := w.oktaClient().Lookup(ctx, login)
	if err != nil {
		return fakeFailed("Okta", "lookup", err)
	}
	if id != r.id {
		found := "nothing"
		if id != "" {
			found = "the user " + id
		}
		return violated(fmt.Sprintf("Okta's lookup of %s to find %s", login, r.id), "%s", found)
	}
	return nil
}

func (w *World) oktaImports(ctx context.Context, size int) error {
	w.oktaClient()
	w.okta.opts.PageSize = size
	got, err := w.oktaClient().Import(ctx, `userName sw "`+w.prefix+`"`)
	if err != nil {
		return fakeFailed("Okta", "import", err)
	}
	w.okta.imported = got
	return nil
}

func (w *World) oktaImportHolds(names string) error {
	list := make([]map[string]any, len(w.okta.imported))
	for i, o := range w.okta.imported {
		list[i] = o
	}
	got := w.aliasesOf(list)
	want := splitList(names)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return violated("Okta's import to hold "+strings.Join(want, ", ")+", each once", "%s", describeList(got))
	}
	return nil
}

// oktaBurst sends Okta-shaped lookups concurrently, without retries, to see
// how the target answers load (okta-rate). Bounded: at most 100.
func (w *World) oktaBurst(ctx context.Context, n int) error {
	w.oktaClient()
	n = min(n, 100)
	responses := make([]*scim.Response, n)
	errs := make([]error, n)
	// The burst checks the 429s themselves: the harness must not retry them.
	c := w.client.WithoutRetry()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := fmt.Sprintf(`/Users?filter=userName eq "%sburst%d"&startIndex=1&count=100`, w.prefix, i)
			responses[i], errs[i] = c.Do(ctx, scim.Request{Method: http.MethodGet, Path: path})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	w.okta.burst = responses
	return nil
}

func (w *World) everyAnswerIsOKOrLimited() error {
	for _, r := range w.okta.burst {
		switch {
		case r.Status == http.StatusOK:
		case r.Status == http.StatusTooManyRequests && r.Header.Get("Retry-After") != "":
		default:
			return violated("200, or 429 with Retry-After so that Okta knows when to retry", "%s (Retry-After %q)", r.Brief(), r.Header.Get("Retry-After"))
		}
	}
	return nil
}

func (w *World) oktaMembers(list string) ([]okta.Member, error) {
	var out []okta.Member
	for _, alias := range splitList(list) {
		r, err := w.resource("user", alias)
		if err != nil {
			return nil, err
		}
		out = append(out, okta.Member{ID: r.id, Login: w.userName(alias)})
	}
	return out, nil
}

func (w *World) oktaPushesGroup(ctx context.Context, alias, members string) error {
	ms, err := w.oktaMembers(members)
	if err != nil {
		return err
	}
	id, created, err := w.oktaClient().PushGroup(ctx, w.displayName(alias), ms)
	if err != nil {
		return fakeFailed("Okta", "group push", err)
	}
	w.okta.created["group:"+alias] = created
	w.track("Groups", alias, id)
	return nil
}

func (w *World) oktaRenamesGroup(ctx context.Context, alias, to string) error {
	r, err := w.resource("group", alias)
	if err != nil {
		return err
	}
	if err := w.oktaClient().RenameGroup(ctx, r.id, w.displayName(to)); err != nil {
		return fakeFailed("Okta", "group rename", err)
	}
	return nil
}

func (w *World) oktaAddsMembers(ctx context.Context, members, group string) error {
	r, err := w.resource("group", group)
	if err != nil {
		return err
	}
	ms, err := w.oktaMembers(members)
	if err != nil {
		return err
	}
	if err := w.oktaClient().AddMembers(ctx, r.id, ms...); err != nil {
		return fakeFailed("Okta", "member add", err)
	}
	return nil
}

func (w *World) oktaRemovesMember(ctx context.Context, member, group string) error {
	g, err := w.resource("group", group)
	if err != nil {
		return err
	}
	u, err := w.resource("user", member)
	if err != nil {
		return err
	}
	if err := w.oktaClient().RemoveMember(ctx, g.id, u.id); err != nil {
		return fakeFailed("Okta", "member removal", err)
	}
	return nil
}

func (w *World) oktaDeletesGroup(ctx context.Context, alias string) error {
	r, err := w.resource("group", alias)
	if err != nil {
		return err
	}
	if err := w.oktaClient().DeleteGroup(ctx, r.id); err != nil {
		return fakeFailed("Okta", "group delete", err)
	}
	return nil
}
