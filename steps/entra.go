package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/scim"
)

// entraState is a scenario's Entra tenant and provisioning job.
type entraState struct {
	tenant *entra.Tenant
	opts   entra.Options
	job    provision.Entra // in process or in the Entra fake's container
	token  string          // a credential replacing the profile's, for quarantine scenarios
	last   entra.Cycle
	known  []string // "Users/ada", "Groups/eng": every tenant object the scenario added
	// refused are the UPNs the scenario made the target refuse on purpose
	// (a userName too long): a setting-up cycle may fail for them.
	refused map[string]bool
}

func registerEntra(sc stepper, w *World) {
	sc.Step(`^an Entra tenant with the users "([^"]*)" in scope$`, w.anEntraTenant)
	sc.Step(`^an Entra group "([^"]*)" in scope with the members "([^"]*)"$`, w.anEntraGroup)
	sc.Step(`^the Entra job uses the (legacy|compliant) PATCH dialect$`, w.entraDialect)
	sc.Step(`^the Entra job matches users on (userName|externalId)$`, w.entraMatchesOn)
	sc.Step(`^the Entra job sends updates without a path$`, w.entraNoPath)
	sc.Step(`^the Entra job sends active (with op Add|as lower-case strings|through a Switch\(\) mapping)$`, w.entraActiveVariant)
	sc.Step(`^the Entra job re-sends active=true every cycle$`, w.entraRefreshActive)
	sc.Step(`^the Entra job sends (\d+) requests a second$`, w.entraRate)
	sc.Step(`^an Entra tenant with (\d+) more users in scope$`, w.entraManyUsers)
	sc.Step(`^the Entra users carry the full default mapping$`, w.entraFullMapping)
	sc.Step(`^Entra tests the connection$`, w.entraTestsConnection)
	sc.Step(`^Entra provisions "([^"]*)" on demand$`, w.entraOnDemand)
	sc.Step(`^the connection test succeeded$`, w.theCycleSucceeded)
	sc.Step(`^the Entra job is disabled after four weeks in quarantine$`, w.theJobIsDisabled)
	sc.Step(`^the Entra job authenticates with a revoked token$`, w.entraRevokedToken)
	sc.Step(`^the Entra job runs (?:its initial|an incremental) cycle$`, w.entraRunsACycle)
	sc.Step(`^the Entra job runs (\d+) cycles$`, w.entraRunsCycles)
	sc.Step(`^the Entra job runs cycles until it is disabled$`, w.entraRunsUntilDisabled)
	sc.Step(`^the Entra provisioning is restarted$`, w.entraRestarts)
	sc.Step(`^the cycle succeeded$`, w.theCycleSucceeded)
	sc.Step(`^the Entra job linked "([^"]*)" to the user "([^"]*)"$`, w.entraLinked)
	sc.Step(`^the cycle sent no (create|update|delete|lookup|group-create)$`, w.theCycleSentNo)
	sc.Step(`^the cycle sent no (create|update|delete) of "([^"]*)"$`, w.theCycleSentNoOf)
	sc.Step(`^the cycle failed for "([^"]*)" only$`, w.theCycleFailedOnlyFor)
	sc.Step(`^the Entra job is in quarantine, its next cycle at least (\d+) hours away$`, w.theJobIsInQuarantine)
	sc.Step(`^in Entra, "([^"]*)" gets the (department|givenName|surname|displayName|mail|userPrincipalName|jobTitle|telephoneNumber|mobile|facsimileTelephoneNumber|streetAddress|postalCode|employeeId) "([^"]*)"$`, w.inEntraSet)
	sc.Step(`^in Entra, "([^"]*)" gets the userPrincipalName of "([^"]*)"$`, w.inEntraRename)
	sc.Step(`^in Entra, "([^"]*)" gets the manager "([^"]*)"$`, w.inEntraManager)
	sc.Step(`^in Entra, "([^"]*)" loses the manager$`, w.inEntraNoManager)
	sc.Step(`^in Entra, "([^"]*)" is (disabled|enabled|removed from the app's scope|soft-deleted|hard-deleted|restored)$`, w.inEntraState)
	sc.Step(`^in Entra, the group "([^"]*)" gets the members "([^"]*)"$`, w.inEntraMembers)
	sc.Step(`^in Entra, the group "([^"]*)" gets the displayName of "([^"]*)"$`, w.inEntraGroupRename)
	sc.Step(`^in Entra, the group "([^"]*)" is removed from the app's scope$`, w.inEntraGroupOut)
	sc.Step(`^in Entra, "([^"]*)" gets a userName longer than the target allows$`, w.inEntraTooLong)
}

func (w *World) entraState() *entraState {
	if w.entra == nil {
		w.entra = &entraState{tenant: entra.NewTenant(), opts: entra.Options{Clock: entra.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)),
			Usernames: w.deps.Usernames.Rule}} // the userName mapping edits UPNs to the target's rule (HX2)
	}
	return w.entra
}

func (w *World) objectID(alias string) string { return "oid-" + w.prefix + alias }

func (w *World) entraUser(alias string) entra.User {
	p := w.person(alias)
	return entra.User{
		ObjectID: w.objectID(alias), UPN: p.UserName, GivenName: p.Given, Surname: p.Family,
		DisplayName: p.DisplayName(), Mail: p.Email, Department: "Research", Enabled: true, InScope: true,
	}
}

func (w *World) anEntraTenant(list string) error {
	st := w.entraState()
	for _, alias := range splitList(list) {
		st.tenant.PutUser(w.entraUser(alias))
		st.known = append(st.known, "Users/"+alias)
	}
	return nil
}

func (w *World) anEntraGroup(alias, members string) error {
	st := w.entraState()
	g := entra.Group{ObjectID: w.objectID(alias), DisplayName: w.displayName(alias), InScope: true}
	for _, m := range splitList(members) {
		g.Members = append(g.Members, w.objectID(m))
	}
	st.tenant.PutGroup(g)
	st.known = append(st.known, "Groups/"+alias)
	return nil
}

// entraOption sets one option of the job before it is made. Once a cycle
// made the job, the option would be silently ignored and the scenario
// would test something other than it claims: a harness error instead, so
// the feature file gets fixed (set options before the first cycle).
func (w *World) entraOption(what string, set func(*entraState)) error {
	st := w.entraState()
	if st.job != nil {
		return fmt.Errorf("steps: %q cannot take effect: the Entra job already ran a cycle with its options fixed; set it before the scenario's (or Background's) first cycle", what)
	}
	set(st)
	return nil
}

func (w *World) entraDialect(d string) error {
	return w.entraOption("the Entra job uses the "+d+" PATCH dialect", func(st *entraState) { st.opts.Compliant = d == "compliant" })
}

func (w *World) entraMatchesOn(attr string) error {
	return w.entraOption("the Entra job matches users on "+attr, func(st *entraState) { st.opts.MatchOn = attr })
}

func (w *World) entraNoPath() error {
	return w.entraOption("the Entra job sends updates without a path", func(st *entraState) { st.opts.NoPath = true })
}

func (w *World) entraRevokedToken() error {
	return w.entraOption("the Entra job authenticates with a revoked token", func(st *entraState) { st.token = "revoked-" + randomLetters(6) })
}

// entraJob makes the job on first use, so Given steps can still set options.
func (w *World) entraJob() provision.Entra {
	st := w.entraState()
	if st.job == nil {
		c := w.client
		if st.token != "" {
			c = c.WithToken(st.token)
		}
		st.job = w.deps.fakes().Entra(c, st.tenant, st.opts)
	}
	return st.job
}

// entraRunsACycle runs one cycle and links what it provisioned to the
// scenario's aliases, for read-back and cleanup.
func (w *World) entraRunsACycle(ctx context.Context) error {
	c, err := w.entraJob().RunCycle(ctx)
	if err != nil {
		return err // the fake could not be driven: the harness could not check
	}
	return w.entraJudgeable(ctx, c)
}

// entraJudgeable keeps c as the last run, links what it provisioned to the
// scenario's aliases, and says whether its outcome can be judged.
func (w *World) entraJudgeable(ctx context.Context, c entra.Cycle) error {
	st := w.entraState()
	st.last = c
	// Linked first, even when interrupted: cleanup must know what it made.
	for _, key := range st.aliases() {
		kind, alias, _ := strings.Cut(key, "/")
		if id := st.job.TargetID(w.objectID(alias)); id != "" {
			w.track(kind, alias, id)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// A request of the cycle that got no answer, or stayed rate-limited,
	// leaves nothing to judge: the harness could not check.
	for _, op := range c.Ops {
		var none *scim.NoAnswer
		var throttled *scim.Throttled
		if errors.As(op.Err, &none) || errors.As(op.Err, &throttled) {
			return fmt.Errorf("Entra's cycle %d could not be judged: %w", c.N, op.Err) //nolint:staticcheck // Entra is a name
		}
	}
	if !w.checking {
		return st.setUpFailed(c)
	}
	return nil
}

// setUpFailed is the failure of a cycle that only sets the stage (a Given
// step): the scenario could not be checked, and the report points at the
// scenarios of the clause the refused operation stands for, so a refused
// disable never reads as a broken filter. Operations the scenario made the
// target refuse on purpose do not count.
func (st *entraState) setUpFailed(c entra.Cycle) error {
	for _, op := range c.Ops {
		if op.Err == nil || st.refused[op.Object] {
			continue
		}
		p := &Precondition{What: fmt.Sprintf("set up with Entra's cycle %d (%s of %s)", c.N, op.Action, op.Object), Clause: opClauses[op.Action],
			Err: violated(fmt.Sprintf("every operation of cycle %d accepted", c.N), "%s", op.Err)}
		if (op.Action == "disable" || op.Action == "enable") && !st.opts.Compliant {
			p.Clause, p.IdP = "entra-string-bool", "entra" // Entra's "False": a warning for the RFCs
		}
		return p
	}
	return nil
}

// opClauses are the clauses whose scenarios check each operation of an
// Entra cycle (ledger ids: TestOpClausesAreInTheLedger).
var opClauses = map[string]string{
	"create": "rfc7644-3.3", "group-create": "rfc7644-3.3",
	"lookup": "rfc7644-3.4.2.2", "group-lookup": "rfc7644-3.4.2.2", "group-read": "rfc7644-3.4.1",
	"update": "rfc7644-3.5.2", "manager": "rfc7644-3.5.2", "disable": "rfc7643-4.1.1", "enable": "rfc7643-4.1.1",
	"member-add": "rfc7644-3.5.2.1", "member-remove": "rfc7644-3.5.2.2", "group-rename": "rfc7644-3.5.2.3",
	"delete": "rfc7644-3.6", "group-delete": "rfc7644-3.6",
}

// aliases lists "Users/ada" and "Groups/eng" for every tenant object ever
// added, so linking after a cycle needs no reverse mapping.
func (st *entraState) aliases() []string { return st.known }

// entraRestarts is Entra's "Restart provisioning" (E42): the watermark
// goes, the links stay, and the next cycle is an initial one that looks
// every user up again.
func (w *World) entraRestarts(ctx context.Context) error {
	return w.entraJob().Restart(ctx)
}

func (w *World) entraActiveVariant(v string) error {
	w.entraState().opts.Active = map[string]string{
		"with op Add": entra.ActiveAdd, "as lower-case strings": entra.ActiveLower, "through a Switch() mapping": entra.ActiveSwitch,
	}[v]
	return nil
}

func (w *World) entraRefreshActive() error {
	w.entraState().opts.RefreshActive = true
	return nil
}

func (w *World) entraRate(n int) error {
	w.entraState().opts.Rate = float64(n)
	return nil
}

// maxLoadUsers bounds the load scenario (E34): a cycle sends about two
// requests per user.
const maxLoadUsers = 50

func (w *World) entraManyUsers(n int) error {
	if n > maxLoadUsers {
		return fmt.Errorf("steps: at most %d users, not %d", maxLoadUsers, n)
	}
	var aliases []string
	for i := range n {
		aliases = append(aliases, fmt.Sprintf("load%02d", i+1))
	}
	return w.anEntraTenant(strings.Join(aliases, ", "))
}

// entraFullMapping gives every tenant user the rest of Entra's default
// mapping (E7): a title, three phone numbers, a work address and an
// employee number.
func (w *World) entraFullMapping() error {
	st := w.entraState()
	for _, key := range st.known {
		kind, alias, _ := strings.Cut(key, "/")
		if kind != "Users" {
			continue
		}
		if err := w.changeTenantUser(alias, func(u *entra.User) {
			u.Title, u.EmployeeNumber = "Engineer", "E-"+alias
			u.Phone, u.Mobile, u.Fax = "+1 425 555 0100", "+1 425 555 0101", "+1 425 555 0102"
			u.StreetAddress, u.PostalCode = "1 Microsoft Way", "98052"
		}); err != nil {
			return err
		}
	}
	return nil
}

// entraTestsConnection saves the configuration (E35) and tests the
// connection (E1); the result is judged like a cycle.
func (w *World) entraTestsConnection(ctx context.Context) error {
	c, err := w.entraJob().TestConnection(ctx)
	if err != nil {
		return err
	}
	return w.entraJudgeable(ctx, c)
}

// entraOnDemand provisions one user at once (E41).
func (w *World) entraOnDemand(ctx context.Context, alias string) error {
	c, err := w.entraJob().ProvisionOnDemand(ctx, w.objectID(alias))
	if err != nil {
		return err
	}
	return w.entraJudgeable(ctx, c)
}

func (w *World) theJobIsDisabled() error {
	c := w.entraState().last
	if !c.Disabled {
		return violated("the job disabled after four weeks in quarantine",
			"cycle %d: quarantined=%v, %d of %d operations failed", c.N, c.Quarantined, c.Failed, len(c.Ops))
	}
	return nil
}

// entraDone forgets the scenario's job, also in the Entra fake's container.
func (w *World) entraDone(ctx context.Context) {
	if w.entra != nil && w.entra.job != nil {
		_ = w.entra.job.Close(ctx)
		w.entra.job = nil
	}
}

func (w *World) entraRunsCycles(ctx context.Context, n int) error {
	for range n {
		if err := w.entraRunsACycle(ctx); err != nil {
			return err
		}
	}
	return nil
}

// maxQuarantineCycles bounds a job's way to being disabled: 6 h, 12 h, then
// daily for four weeks is about 30 cycles.
const maxQuarantineCycles = 40

func (w *World) entraRunsUntilDisabled(ctx context.Context) error {
	for range maxQuarantineCycles {
		if err := w.entraRunsACycle(ctx); err != nil || w.entraState().last.Disabled {
			return err
		}
	}
	return nil
}

func (w *World) entraLinked(alias, existing string) error {
	r, err := w.resource("user", existing)
	if err != nil {
		return err
	}
	if got := w.entraJob().TargetID(w.objectID(alias)); got != r.id {
		return violated(fmt.Sprintf("Entra to match %s to the existing user %s (%s)", alias, existing, r.id), "it linked %q", got)
	}
	return nil
}

func describeOps(ops []entra.Op) string {
	var parts []string
	for _, op := range ops {
		if op.Err != nil {
			parts = append(parts, op.Err.Error())
		}
	}
	return strings.Join(parts, "; ")
}

// theCycleSucceeded checks every operation of the last cycle was accepted.
// When only legacy disables and enables failed, the target refused Entra's
// string booleans: a warning filed under entra-string-bool, not a
// violation of an RFC clause the refusal does not break.
func (w *World) theCycleSucceeded() error {
	st := w.entraState()
	c := st.last
	if c.Failed == 0 {
		return nil
	}
	if err := unansweredOp(c.Ops); err != nil {
		return err
	}
	if !st.opts.Compliant && onlyActiveChangesFailed(c.Ops) {
		// RFC 7643 §2.3.2 makes a boolean true or false, so refusing
		// "False" keeps the RFC; it breaks Entra, whose legacy dialect
		// sends it: a warning, a violation in the entra view.
		return warnedFor("entra-string-bool", "entra", fmt.Sprintf("every operation of cycle %d accepted, also Entra's string booleans", c.N),
			"%d of %d failed: %s", c.Failed, len(c.Ops), describeOps(c.Ops))
	}
	if onlyThrottled(c.Ops) {
		// A 429 with Retry-After is how RFC 6585 limits a client; Entra
		// retries after it (E33) and gives up after a few. Sustaining 25
		// requests a second is asked of gallery apps only (E34): a
		// warning, a violation in the entra view.
		return warnedFor("entra-E34", "entra", fmt.Sprintf("every operation of cycle %d accepted within Entra's retries after 429", c.N),
			"%d of %d still limited: %s", c.Failed, len(c.Ops), describeOps(c.Ops))
	}
	return violated(fmt.Sprintf("every operation of cycle %d accepted", c.N), "%d of %d failed: %s", c.Failed, len(c.Ops), describeOps(c.Ops))
}

// unansweredOp is the error of the first operation the target did not
// answer: the cycle's outcome says nothing then, so the check could not be
// made (not a violation).
func unansweredOp(ops []entra.Op) error {
	for _, op := range ops {
		var none *scim.NoAnswer
		if errors.As(op.Err, &none) {
			return op.Err
		}
	}
	return nil
}

// onlyThrottled says whether every failed operation was answered 429.
func onlyThrottled(ops []entra.Op) bool {
	for _, op := range ops {
		if op.Err != nil && op.Status != http.StatusTooManyRequests {
			return false
		}
	}
	return true
}

func onlyActiveChangesFailed(ops []entra.Op) bool {
	for _, op := range ops {
		if op.Err != nil && op.Action != "disable" && op.Action != "enable" {
			return false
		}
	}
	return true
}

func (w *World) theCycleSentNo(action string) error {
	c := w.entraState().last
	for _, op := range c.Ops {
		if op.Action == action {
			return violated(fmt.Sprintf("cycle %d to send no %s", c.N, action), "a %s of %s (answered %d)", action, op.Object, op.Status)
		}
	}
	return nil
}

func (w *World) theCycleSentNoOf(action, alias string) error {
	c := w.entraState().last
	u, err := w.tenantUser(alias)
	if err != nil {
		return err
	}
	for _, op := range c.Ops {
		if op.Action == action && op.Object == u.UPN {
			return violated(fmt.Sprintf("cycle %d to send no %s of %s", c.N, action, alias), "a %s (answered %d)", action, op.Status)
		}
	}
	return nil
}

func (w *World) theCycleFailedOnlyFor(alias string) error {
	c := w.entraState().last
	name := w.userName(alias)
	if u, err := w.tenantUser(alias); err == nil {
		name = u.UPN
	}
	if err := unansweredOp(c.Ops); err != nil {
		return err
	}
	failedFor := false
	for _, op := range c.Ops {
		if op.Err == nil {
			continue
		}
		if op.Object != name {
			return violated(fmt.Sprintf("only %s's operations to fail in cycle %d", alias, c.N), "%s", op.Err)
		}
		failedFor = true
	}
	if !failedFor {
		return violated(fmt.Sprintf("the target to refuse %s in cycle %d", alias, c.N), "it accepted every operation")
	}
	return nil
}

func (w *World) theJobIsInQuarantine(hours int) error {
	c := w.entraState().last
	if !c.Quarantined || c.Next < time.Duration(hours)*time.Hour {
		return violated(fmt.Sprintf("quarantine with the next cycle at least %dh away", hours),
			"quarantined=%v, next cycle in %s, %d of %d operations failed", c.Quarantined, c.Next, c.Failed, len(c.Ops))
	}
	return nil
}

// tenantUser returns a tenant user for changing.
func (w *World) tenantUser(alias string) (entra.User, error) {
	u, ok := w.entraState().tenant.User(w.objectID(alias))
	if !ok {
		return u, fmt.Errorf("steps: %q is not a user of the Entra tenant", alias)
	}
	return u, nil
}

func (w *World) changeTenantUser(alias string, change func(*entra.User)) error {
	u, err := w.tenantUser(alias)
	if err != nil {
		return err
	}
	change(&u)
	w.entraState().tenant.PutUser(u)
	return nil
}

func (w *World) inEntraSet(alias, attr, v string) error {
	v, err := w.expand(v)
	if err != nil {
		return err
	}
	return w.changeTenantUser(alias, func(u *entra.User) {
		switch attr {
		case "department":
			u.Department = v
		case "givenName":
			u.GivenName = v
		case "surname":
			u.Surname = v
		case "displayName":
			u.DisplayName = v
		case "mail":
			u.Mail = v
		case "userPrincipalName":
			u.UPN = v
		case "jobTitle":
			u.Title = v
		case "telephoneNumber":
			u.Phone = v
		case "mobile":
			u.Mobile = v
		case "facsimileTelephoneNumber":
			u.Fax = v
		case "streetAddress":
			u.StreetAddress = v
		case "postalCode":
			u.PostalCode = v
		case "employeeId":
			u.EmployeeNumber = v
		}
	})
}

func (w *World) inEntraRename(alias, to string) error {
	return w.changeTenantUser(alias, func(u *entra.User) { u.UPN = w.userName(to) })
}

func (w *World) inEntraTooLong(alias string) error {
	limit := w.deps.Usernames.MaxLength
	if limit <= 0 {
		return skip("the profile declares no usernames.maxLength")
	}
	st := w.entraState()
	upn := w.prefix + alias + strings.Repeat("x", limit)
	if st.refused == nil {
		st.refused = map[string]bool{}
	}
	st.refused[upn] = true
	return w.changeTenantUser(alias, func(u *entra.User) { u.UPN = upn })
}

func (w *World) inEntraManager(alias, manager string) error {
	return w.changeTenantUser(alias, func(u *entra.User) { u.Manager = w.objectID(manager) })
}

func (w *World) inEntraNoManager(alias string) error {
	return w.changeTenantUser(alias, func(u *entra.User) { u.Manager = "" })
}

func (w *World) inEntraState(alias, state string) error {
	if state == "hard-deleted" {
		w.entraState().tenant.HardDelete(w.objectID(alias))
		return nil
	}
	return w.changeTenantUser(alias, func(u *entra.User) {
		switch state {
		case "disabled":
			u.Enabled = false
		case "enabled":
			u.Enabled = true
		case "removed from the app's scope":
			u.InScope = false
		case "soft-deleted":
			u.SoftDeleted = true
		case "restored":
			u.SoftDeleted, u.InScope, u.Enabled = false, true, true
		}
	})
}

func (w *World) tenantGroup(alias string, change func(*entra.Group)) error {
	st := w.entraState()
	g, ok := st.tenant.Group(w.objectID(alias))
	if !ok {
		return fmt.Errorf("steps: %q is not a group of the Entra tenant", alias)
	}
	change(&g)
	st.tenant.PutGroup(g)
	return nil
}

func (w *World) inEntraMembers(alias, members string) error {
	return w.tenantGroup(alias, func(g *entra.Group) {
		g.Members = nil
		for _, m := range splitList(members) {
			g.Members = append(g.Members, w.objectID(m))
		}
	})
}

func (w *World) inEntraGroupRename(alias, to string) error {
	return w.tenantGroup(alias, func(g *entra.Group) { g.DisplayName = w.displayName(to) })
}

func (w *World) inEntraGroupOut(alias string) error {
	return w.tenantGroup(alias, func(g *entra.Group) { g.InScope = false })
}
