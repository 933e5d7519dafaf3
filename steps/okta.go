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
	created    map[string]bool   // alias → whether Okta's last assign created the user
	names      map[string]string // group alias → the displayName Okta pushed last
	imported   []okta.Imported
	importKind string // Users or Groups
	importPage int    // the count Okta asked for
	createErr  error  // what Okta's last bare create ended with (O7)
	burst      []*scim.Response
	connection error         // what the last test connection ended with
	waited     time.Duration // simulated back-off
}

func registerOkta(sc stepper, w *World) {
	sc.Step(`^the Okta app is an? (OIN|AIW) integration$`, w.oktaIntegration)
	sc.Step(`^Okta creates the user "([^"]*)" as after a lookup that found nothing$`, w.oktaCreates)
	sc.Step(`^Okta's create failed with 409, which stops Okta's job$`, w.oktaCreateConflicted)
	sc.Step(`^Okta imports the scenario's groups with pages of (\d+)$`, w.oktaImportsGroups)
	sc.Step(`^Okta's group import holds exactly the groups "([^"]*)", each once$`, w.oktaGroupImportHolds)
	sc.Step(`^Okta removes "([^"]*)" and adds "([^"]*)" in one change to the group "([^"]*)"$`, w.oktaChangesMembers)
	sc.Step(`^Okta replaces the members of the group "([^"]*)" with "([^"]*)"$`, w.oktaReplacesMembers)
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
		w.okta = &oktaState{created: map[string]bool{}, names: map[string]string{}}
		w.okta.opts.Integration = w.deps.OktaIntegration
		w.okta.opts.Usernames = w.deps.Usernames.Rule // the admin edits usernames to the target's rule (HX2)
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
	p := w.person(alias)
	return okta.User{
		Login: p.UserName, GivenName: p.Given, FamilyName: p.Family, Email: p.Email,
		DisplayName: p.DisplayName(), Locale: "en-US", OktaID: "00u" + strings.TrimSuffix(w.prefix, "-") + alias,
	}
}

// fakeFailed turns an IdP operation's error into a violation: whatever the
// target answered made the IdP fail. A request with no answer at all, or a
// fake that could not be driven, stays a harness error.
func fakeFailed(what string, err error) error {
	var none *scim.NoAnswer
	if errors.As(err, &none) || errors.Is(err, provision.ErrControl) {
		return err
	}
	var se *okta.StatusError
	if errors.As(err, &se) {
		return violated(fmt.Sprintf("the target to accept Okta's %s", what), "%d %s %s", se.Status, http.StatusText(se.Status), clip(se.Body))
	}
	return violated(fmt.Sprintf("the target to answer Okta's %s as Okta expects", what), "%v", err)
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func (w *World) oktaIntegration(kind string) error {
	w.oktaClient()
	w.okta.opts.Integration = okta.Integration(strings.ToLower(kind))
	return nil
}

// oktaCreates sends Okta's create of a user its check did not find (O5,
// O7), whatever the target already holds.
func (w *World) oktaCreates(ctx context.Context, alias string) error {
	r, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpCreate, User: w.oktaUser(alias)})
	id := r.ID
	var none *scim.NoAnswer
	if errors.As(err, &none) || errors.Is(err, provision.ErrControl) {
		return err
	}
	if id != "" {
		w.track("Users", alias+"#okta", id)
	}
	w.okta.createErr = err
	return nil
}

func (w *World) oktaCreateConflicted() error {
	var se *okta.StatusError
	switch err := w.okta.createErr; {
	case errors.As(err, &se) && se.Status == http.StatusConflict:
		return nil
	case err == nil:
		return violated("409 to a create of a userName the target holds, so that Okta stops the job (RFC 7644 §3.3; Okta O7)", "the target created a second user")
	default:
		return violated("409 to a create of a userName the target holds (RFC 7644 §3.3; Okta O7)", "%v", err)
	}
}

func (w *World) oktaTestsTheConnection(ctx context.Context) error {
	_, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpTestConnection})
	var none *scim.NoAnswer
	if errors.As(err, &none) || errors.Is(err, provision.ErrControl) {
		return err // no answer at all: the harness could not check
	}
	w.okta.connection = err
	return nil
}

func (w *World) oktaAcceptsTheConnection() error {
	var gp *okta.GroupsProbeError
	if err := w.okta.connection; errors.As(err, &gp) {
		// Okta sends it (O1) but does not say that a failure stops it.
		return warned("okta-O1", "a ListResponse to Okta's second Test Connection request, GET /Groups?startIndex=1&count=100", "%v", gp.Err)
	}
	if err := w.okta.connection; err != nil {
		return &Violation{Expected: []string{"a ListResponse to Okta's test connection (GET /Users?startIndex=1&count=2)"}, Actual: err.Error()}
	}
	return nil
}

func (w *World) oktaAssigns(ctx context.Context, list string) error {
	c := w.oktaClient()
	for _, alias := range splitList(list) {
		r, err := c.Do(ctx, okta.Op{Name: okta.OpAssign, User: w.oktaUser(alias)})
		id, created := r.ID, r.Created
		if err != nil {
			// Assigning is Okta's lookup and create: in a Background it is a
			// precondition, and the okta-create scenarios check it.
			return under("okta-create", fakeFailed("assignment of "+alias, err))
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
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpPush, ID: r.id, User: u}); err != nil {
		return fakeFailed("profile push", err)
	}
	return nil
}

func (w *World) oktaSetsActive(ctx context.Context, how, alias string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpSetActive, ID: r.id, Active: how == "reactivates"}); err != nil {
		return fakeFailed(strings.TrimSuffix(how, "s")+"ion", err)
	}
	return nil
}

func (w *World) oktaSyncsPassword(ctx context.Context, alias string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpSetPassword, ID: r.id, Password: w.password("Okta")}); err != nil {
		return fakeFailed("password sync", err)
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
	res, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpLookup, Login: login})
	id := res.ID
	if err != nil {
		return fakeFailed("lookup", err)
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
	return w.oktaImport(ctx, "Users", size)
}

func (w *World) oktaImportsGroups(ctx context.Context, size int) error {
	return w.oktaImport(ctx, "Groups", size)
}

// oktaImport runs Okta's import (O16) over the scenario's own resources:
// the filter keeps other scenarios' out on a shared target.
func (w *World) oktaImport(ctx context.Context, kind string, size int) error {
	w.oktaClient()
	w.okta.opts.PageSize = size
	c := w.oktaClient()
	op := okta.Op{Name: okta.OpImport, Filter: `userName sw "` + w.prefix + `"`}
	if kind == "Groups" {
		op = okta.Op{Name: okta.OpImportGroups, Filter: `displayName sw "` + w.prefix + `"`}
	}
	r, err := c.Do(ctx, op)
	if err != nil {
		return fakeFailed("import", err)
	}
	w.okta.imported = r.Imported
	w.okta.importKind, w.okta.importPage = kind, size
	return nil
}

func (w *World) oktaImportHolds(names string) error { return w.oktaImportHeld("Users", names) }

func (w *World) oktaGroupImportHolds(names string) error { return w.oktaImportHeld("Groups", names) }

func (w *World) oktaImportHeld(kind, names string) error {
	var list []map[string]any
	for _, r := range w.okta.imported {
		for range r.Times { // a resource the pages held twice shows twice
			list = append(list, map[string]any{"id": r.ID})
		}
	}
	got := w.aliasesOf(list)
	want := splitList(names)
	slices.Sort(got)
	slices.Sort(want)
	if slices.Equal(got, want) {
		return nil
	}
	expected := "Okta's import to hold " + strings.Join(want, ", ") + ", each once"
	if len(got) < len(want) && w.pagesShort(kind) {
		// RFC 7644 §3.4.2.4 lets a page hold fewer than count; Okta still
		// advances startIndex by count (O16), so it never sees the rest.
		return warnedFor("okta-O16", "okta", expected+" (Okta advances startIndex by count, whatever a page held)",
			"%s: the target's pages hold fewer than the %d Okta asks for, and Okta skips the rest", describeList(got), w.okta.importPage)
	}
	return violated(expected, "%s", describeList(got))
}

// pagesShort reports whether the target answers a page of the scenario's
// resources with fewer than the count asked while more remain.
func (w *World) pagesShort(kind string) bool {
	attr := "userName"
	if kind == "Groups" {
		attr = "displayName"
	}
	path := fmt.Sprintf(`/%s?filter=%s sw "%s"&startIndex=1&count=%d`, kind, attr, w.prefix, w.okta.importPage)
	resp, err := w.client.Do(context.Background(), scim.Request{Method: http.MethodGet, Path: path})
	if err != nil || resp.Status != http.StatusOK {
		return false
	}
	o, err := resp.Object()
	if err != nil {
		return false
	}
	total, _ := o["totalResults"].(float64)
	held, _ := o["Resources"].([]any)
	return len(held) < min(w.okta.importPage, int(total))
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
	name := w.displayName(alias)
	r, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpPushGroup, Group: name, Members: ms})
	id, created := r.ID, r.Created
	if id != "" {
		w.track("Groups", alias, id)
	}
	if err != nil {
		return fakeFailed("group push", err)
	}
	w.okta.created["group:"+alias] = created
	w.okta.names[alias] = name
	return nil
}

// oktaGroup is a pushed group's id and the name Okta knows it by, which
// Okta sends again with every membership change (O20).
func (w *World) oktaGroup(alias string) (id, name string, err error) {
	r, err := w.resource("group", alias)
	if err != nil {
		return "", "", err
	}
	name = w.okta.names[alias]
	if name == "" {
		name = w.displayName(alias)
	}
	return r.id, name, nil
}

func (w *World) oktaRenamesGroup(ctx context.Context, alias, to string) error {
	id, _, err := w.oktaGroup(alias)
	if err != nil {
		return err
	}
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpRenameGroup, ID: id, Group: w.displayName(to)}); err != nil {
		return fakeFailed("group rename", err)
	}
	w.okta.names[alias] = w.displayName(to)
	return nil
}

func (w *World) oktaAddsMembers(ctx context.Context, members, group string) error {
	return w.oktaChangesMembers(ctx, "", members, group)
}

func (w *World) oktaRemovesMember(ctx context.Context, members, group string) error {
	return w.oktaChangesMembers(ctx, members, "", group)
}

// oktaChangesMembers is one membership change: removals and additions in
// one PATCH (O21), or one PUT in an AIW app (O22).
func (w *World) oktaChangesMembers(ctx context.Context, remove, add, group string) error {
	id, name, err := w.oktaGroup(group)
	if err != nil {
		return err
	}
	adds, err := w.oktaMembers(add)
	if err != nil {
		return err
	}
	gone, err := w.oktaMembers(remove)
	if err != nil {
		return err
	}
	var ids []string
	for _, m := range gone {
		ids = append(ids, m.ID)
	}
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpUpdateMembers, ID: id, Group: name, Members: adds, Remove: ids}); err != nil {
		return fakeFailed("membership change", err)
	}
	return nil
}

func (w *World) oktaReplacesMembers(ctx context.Context, group, members string) error {
	id, name, err := w.oktaGroup(group)
	if err != nil {
		return err
	}
	ms, err := w.oktaMembers(members)
	if err != nil {
		return err
	}
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpReplaceMembers, ID: id, Group: name, Members: ms}); err != nil {
		return fakeFailed("membership replace", err)
	}
	return nil
}

func (w *World) oktaDeletesGroup(ctx context.Context, alias string) error {
	r, err := w.resource("group", alias)
	if err != nil {
		return err
	}
	if _, err := w.oktaClient().Do(ctx, okta.Op{Name: okta.OpDeleteGroup, ID: r.id}); err != nil {
		return fakeFailed("group delete", err)
	}
	return nil
}
