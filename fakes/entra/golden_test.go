package entra

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/golden"
	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// Sources of the rows (shared/idp-behaviour.md).
const (
	srcTUT  = "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"
	srcCOMP = "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility"
	srcHOW  = "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works"
	srcQ    = "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status"
	srcKI   = "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/known-issues"
	src429  = "https://learn.microsoft.com/en-us/answers/questions/2284725/understanding-scim-client-request-behavior-and-exp"
	srcE13  = "https://github.com/rancher/rancher/issues/54025"
	srcLA   = "https://github.com/AzureAD/SCIMReferenceCode/blob/master/Microsoft.SCIM.LogicAppValidationTemplate/StandardLogicApp/SCIM-Validation-Test-Overview.md"
	srcE2   = "https://github.com/AzureAD/SCIMReferenceCode/issues/63"
)

// rig is an Entra job in front of the reference target, in process on
// loopback, with a recorder between them. throttle, when set, answers the
// first POSTs 429 behind the recorder.
type rig struct {
	rec    *golden.Recorder
	tenant *Tenant
	opts   Options
	client *scim.Client
	job    *Job
}

func newRig(t *testing.T, opts Options, token string, throttle int, target reftarget.Options) *rig {
	t.Helper()
	target.Token = "t0ken"
	srv, err := reftarget.New(target)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = srv
	noRetryAfter := throttle < 0
	if throttle < 0 {
		throttle = -throttle
	}
	if throttle > 0 {
		var mu sync.Mutex
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			refuse := r.Method == http.MethodPost && throttle > 0
			if refuse {
				throttle--
			}
			mu.Unlock()
			if refuse {
				if !noRetryAfter {
					w.Header().Set("Retry-After", "30")
				}
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			srv.ServeHTTP(w, r)
		})
	}
	rec := golden.NewRecorder(h, "/scim/v2")
	auth := scim.Auth{Type: "bearer", Token: token}
	cfg := scim.Config{BaseURL: rec.Serve(t), Auth: auth, HTTP: scim.NewHTTPClient(auth, 5*time.Second, nil), Timeout: 5 * time.Second}
	n := 0
	opts.NewGUID = func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
	opts.Clock = NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	r := &rig{rec: rec, tenant: NewTenant(), opts: opts, client: scim.New(cfg, transcript.New(nil))}
	r.job = NewJob(r.client, r.tenant, opts)
	return r
}

// user is a tenant user as Entra's tutorial shows them.
func (r *rig) user(alias string) User {
	u := User{ObjectID: "0a21f0f2-8d2a-4f8e-bf98-" + fmt.Sprintf("%012x", alias), UPN: alias + "@contoso.com",
		GivenName: alias, Surname: "Tester", DisplayName: alias + " Tester", Mail: alias + "@contoso.com",
		Department: "Research", Enabled: true, InScope: true}
	r.tenant.PutUser(u)
	return u
}

func (r *rig) change(alias string, f func(*User)) {
	u, _ := r.tenant.User(r.user0(alias))
	f(&u)
	r.tenant.PutUser(u)
}

func (r *rig) user0(alias string) string {
	return "0a21f0f2-8d2a-4f8e-bf98-" + fmt.Sprintf("%012x", alias)
}

func (r *rig) group(alias string, members ...string) Group {
	g := Group{ObjectID: "9c9a5fd1-0c2b-4b1e-8f3a-" + fmt.Sprintf("%012x", alias), DisplayName: alias + " team", InScope: true}
	for _, m := range members {
		g.Members = append(g.Members, r.user0(m))
	}
	r.tenant.PutGroup(g)
	return g
}

// cycle runs a cycle and fails the test when an operation failed.
func (r *rig) cycle(t *testing.T) Cycle {
	t.Helper()
	c := r.job.RunCycle(context.Background())
	if c.Failed != 0 {
		t.Fatalf("cycle %d: %d failed: %+v", c.N, c.Failed, c.Ops)
	}
	return c
}

// quiet runs a setup cycle and forgets its requests.
func (r *rig) quiet(t *testing.T) {
	t.Helper()
	r.cycle(t)
	r.rec.Reset()
}

type goldenRow struct {
	row      golden.Row
	opts     Options
	token    string // "" is the target's
	throttle int    // POSTs answered 429 first; negative: without Retry-After
	target   reftarget.Options
	run      func(t *testing.T, r *rig)
}

// E34: paced at 25 a second, a cycle of 11 requests takes 10 intervals.
func TestPacing(t *testing.T) {
	r := newRig(t, Options{Rate: 25}, "t0ken", 0, reftarget.Options{})
	for _, a := range []string{"a1", "a2", "a3", "a4", "a5"} {
		r.user(a)
	}
	start := time.Now()
	r.cycle(t)
	if took := time.Since(start); took < 10*time.Second/25 {
		t.Errorf("11 requests at 25 a second took %s", took)
	}
}

func TestGoldenTranscripts(t *testing.T) {
	ctx := context.Background()
	row := func(id, title, src string, notes ...string) golden.Row {
		return golden.Row{ID: id, Title: title, Source: src, Notes: notes}
	}
	rows := []goldenRow{
		{row: row("E1", "Test Connection, then a cycle's random-GUID probe", srcTUT),
			run: func(t *testing.T, r *rig) {
				if c := Outside(r.job.TestConnection(ctx)); c.Failed != 0 {
					t.Fatalf("test connection: %+v", c.Ops)
				}
				r.cycle(t)
			}},
		{row: row("E2", "lookup before create, spaces as '+'", srcE2),
			run: func(t *testing.T, r *rig) { r.user("ada"); r.cycle(t) }},
		{row: row("E3", "matching on externalId", srcTUT, "the tutorial's unquoted `externalId eq jyoung` is not sent: RFC 7644 strings are quoted"),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.job = NewJob(r.client, r.tenant, Options{MatchOn: "externalId", NewGUID: r.opts.NewGUID, Clock: r.opts.Clock})
				r.cycle(t)
			}},
		{row: row("E4", "lookup before an incremental change", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) { u.DisplayName = "Countess Ada" })
				r.cycle(t)
			}},
		{row: row("E5", "create body", srcTUT),
			run: func(t *testing.T, r *rig) { r.user("ada"); r.cycle(t) }},
		{row: row("E6", "attributes without a value are left out of the create", srcKI),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.change("ada", func(u *User) { u.Department = "" })
				r.cycle(t)
			}},
		{row: row("E7", "the default attribute mapping: title, phone numbers, work address, employeeNumber", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.change("ada", func(u *User) {
					u.Title, u.EmployeeNumber = "Engineer", "E-1"
					u.Phone, u.Mobile, u.Fax = "+1 425 555 0100", "+1 425 555 0101", "+1 425 555 0102"
					u.StreetAddress, u.PostalCode = "1 Microsoft Way", "98052"
				})
				r.cycle(t)
				r.change("ada", func(u *User) { u.Mobile, u.PostalCode, u.Title = "+1 425 555 0199", "98053", "Architect" })
				r.cycle(t)
			}},
		{row: row("E8", "several attributes, legacy: one Replace each", srcCOMP),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) {
					u.DisplayName, u.GivenName, u.Mail, u.Department = "Countess Ada", "Augusta", "augusta@contoso.com", "Sales"
				})
				r.cycle(t)
			}},
		{row: row("E9", "several attributes with aadOptscim062020: one path-less replace with dotted keys", srcCOMP), opts: Options{Compliant: true},
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.change("ada", func(u *User) { u.EmployeeNumber = "E-1" })
				r.quiet(t)
				r.change("ada", func(u *User) {
					u.DisplayName, u.GivenName, u.Mail, u.Department, u.EmployeeNumber = "Countess Ada", "Augusta", "augusta@contoso.com", "Sales", "E-2"
				})
				r.cycle(t)
			}},
		{row: row("E10", "an attribute that had no value is set with Add (legacy, then with the flag)", srcCOMP),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.change("ada", func(u *User) { u.Department = "" })
				r.quiet(t)
				r.change("ada", func(u *User) { u.Department = "Finance" })
				r.cycle(t)
				r.job.d.compliant = true
				r.change("ada", func(u *User) { u.Title = "Engineer" })
				r.cycle(t)
			}},
		{row: row("E11", "op names Add, Replace, Remove (legacy)", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.change("ada", func(u *User) { u.Department = "" })
				r.user("bob")
				r.group("eng", "ada", "bob")
				r.quiet(t)
				r.change("ada", func(u *User) { u.Department, u.GivenName = "Finance", "Augusta" })
				r.group("eng", "ada")
				r.cycle(t)
			}},
		{row: row("E12", "disable: \"False\" in legacy, false with the flag", srcCOMP),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.quiet(t)
				r.change("ada", func(u *User) { u.Enabled = false })
				r.cycle(t)
				r.job.d.compliant = true
				r.change("bob", func(u *User) { u.Enabled = false })
				r.cycle(t)
			}},
		{row: row("E13", "active as Add, as \"false\", re-sent as true, and from a Switch() mapping with the flag", srcE13,
			"also https://github.com/scimmyjs/scimmy/issues/86, https://github.com/getsentry/sentry-docs/issues/16258, https://huggingface.co/docs/hub/security-sso-entra-id-scim"),
			opts: Options{Active: ActiveAdd},
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) { u.Enabled = false })
				r.cycle(t)
				r.job.d.active = ActiveLower
				r.change("ada", func(u *User) { u.Enabled = true })
				r.cycle(t)
				r.job.d = dialect{compliant: true, active: ActiveSwitch}
				r.change("ada", func(u *User) { u.Enabled = false })
				r.cycle(t)
				r.job.d = dialect{}
				r.job.opts.RefreshActive = true
				r.change("ada", func(u *User) { u.Enabled = true })
				r.cycle(t)
				r.cycle(t)
			}},
		{row: row("E14", "deprovisioning: out of scope and soft delete disable, hard delete deletes", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.quiet(t)
				r.change("bob", func(u *User) { u.SoftDeleted = true })
				r.cycle(t)
				r.tenant.HardDelete(r.user0("bob"))
				r.cycle(t)
			}},
		{row: row("E15", "an unassigned user is disabled, then no longer managed", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) { u.InScope = false })
				r.cycle(t)
				r.tenant.HardDelete(r.user0("ada"))
				r.cycle(t)
			}},
		{row: row("E16", "a disabled user is not provisioned until enabled", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.change("ada", func(u *User) { u.Enabled = false })
				r.cycle(t)
				r.change("ada", func(u *User) { u.Enabled = true })
				r.cycle(t)
			}},
		{row: row("E17", "manager: query, Add on path manager with $ref, removal as an empty Replace", srcTUT, "removal: "+srcLA),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.quiet(t)
				r.change("ada", func(u *User) { u.Manager = r.user0("bob") })
				r.cycle(t)
				r.change("ada", func(u *User) { u.Manager = "" })
				r.cycle(t)
			}},
		{row: row("E18", "a manager out of scope waits for a restart", srcKI),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.change("bob", func(u *User) { u.InScope = false })
				r.change("ada", func(u *User) { u.Manager = r.user0("bob") })
				r.cycle(t)
				r.change("bob", func(u *User) { u.InScope = true })
				r.cycle(t)
				r.job.Restart()
				r.cycle(t)
			}},
		{row: row("E19", "group create with an empty members list, then the members", srcTUT),
			run: func(t *testing.T, r *rig) { r.user("ada"); r.group("eng", "ada"); r.cycle(t) }},
		{row: row("E20", "group lookup by displayName without members", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.group("eng")
				r.quiet(t)
				r.job = NewJob(r.client, r.tenant, Options{NewGUID: r.opts.NewGUID, Clock: r.opts.Clock})
				r.cycle(t)
			}},
		{row: row("E21", "group read without members before a change", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.group("eng")
				r.quiet(t)
				// unchanged: the read comes every cycle
				r.cycle(t)
			}},
		{row: row("E22", "membership queries before each change", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.group("eng", "ada")
				r.quiet(t)
				r.group("eng", "bob")
				r.cycle(t)
			}},
		{row: row("E23", "member add with \"$ref\": null, several in one PATCH", srcTUT),
			run: func(t *testing.T, r *rig) { r.user("ada"); r.user("bob"); r.group("eng", "ada", "bob"); r.cycle(t) }},
		{row: row("E24", "member removal: a value array (legacy), a value filter (flag)", srcCOMP),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.group("eng", "ada", "bob")
				r.quiet(t)
				r.group("eng", "bob")
				r.cycle(t)
				r.job.d.compliant = true
				r.group("eng")
				r.cycle(t)
			}},
		{row: row("E25", "group rename", srcTUT),
			run: func(t *testing.T, r *rig) {
				g := r.group("eng")
				r.quiet(t)
				g.DisplayName = "platform team"
				r.tenant.PutGroup(g)
				r.cycle(t)
			}},
		{row: row("E26", "a group PATCH answered 204 is a success", srcTUT), target: reftarget.Options{Liberties: []string{"patch-204"}},
			run: func(t *testing.T, r *rig) { r.user("ada"); r.group("eng", "ada"); r.cycle(t) }},
		{row: row("E27", "a group out of scope is deleted", srcTUT),
			run: func(t *testing.T, r *rig) {
				g := r.group("eng")
				r.quiet(t)
				g.InScope = false
				r.tenant.PutGroup(g)
				r.cycle(t)
			}},
		{row: row("E28", "users, then the manager, then groups and members", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.change("ada", func(u *User) { u.Manager = r.user0("bob") }) // bob comes after ada
				r.group("eng", "ada")
				r.cycle(t)
			}},
		{row: row("E29", "an initial cycle, then an incremental one with only the changes", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				if c := r.cycle(t); !c.Initial || c.Next != Interval {
					t.Errorf("first cycle initial=%v, next in %s", c.Initial, c.Next)
				}
				r.change("bob", func(u *User) { u.Department = "Sales" })
				if c := r.cycle(t); c.Initial {
					t.Error("second cycle is initial")
				}
			}},
		{row: row("E30", "a refused create is retried in the next cycle", srcHOW), throttle: -1,
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				if c := r.job.RunCycle(ctx); c.Failed != 1 {
					t.Fatalf("first cycle: %d failed, want the create", c.Failed)
				}
				r.cycle(t)
			}},
		{row: row("E31", "every call refused: quarantine, cycles 6 h, 12 h, then 24 h apart", srcQ), token: "revoked",
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				var next []time.Duration
				for range 4 {
					next = append(next, r.job.RunCycle(ctx).Next)
				}
				if fmt.Sprint(next) != "[6h0m0s 12h0m0s 24h0m0s 24h0m0s]" {
					t.Errorf("quarantine intervals %v", next)
				}
			}},
		{row: row("E32", "a probe answered 404 fails, a quarantine reason", srcQ), target: reftarget.Options{Faults: []string{"no-match-filter-404"}},
			run: func(t *testing.T, r *rig) {
				if c := r.job.RunCycle(ctx); c.Failed != 1 || c.Ops[0].Status != http.StatusNotFound {
					t.Fatalf("cycle: %+v", c.Ops)
				}
			}},
		{row: row("E33", "429 with Retry-After: the refused request alone is sent again", src429), throttle: 1,
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				if c := r.cycle(t); c.Paused != 30*time.Second {
					t.Errorf("paused %s, want 30s", c.Paused)
				}
			}},
		{row: row("E34", "a cycle paced at 25 requests a second", srcTUT, "the pacing is in the timing, not in the requests: TestPacing checks it"),
			opts: Options{Rate: 25},
			run:  func(t *testing.T, r *rig) { r.user("ada"); r.user("bob"); r.cycle(t) }},
		{row: row("E35", "GET /Schemas when the configuration is saved", srcTUT),
			run: func(t *testing.T, r *rig) {
				if c := Outside(r.job.TestConnection(ctx)); c.Failed != 0 {
					t.Fatalf("test connection: %+v", c.Ops)
				}
			}},
		{row: row("E36", "a long-lived bearer token on every request", srcTUT),
			run: func(t *testing.T, r *rig) { r.user("ada"); r.cycle(t) }},
		{row: row("E37", "Content-Type: application/scim+json on every body", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) { u.Enabled = false })
				r.cycle(t)
			}},
		{row: row("E38", "filters use eq and and only", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.change("ada", func(u *User) { u.Manager = r.user0("bob") })
				r.group("eng", "ada")
				r.cycle(t)
			}},
		{row: row("E39", "a matched existing user gets every mapped attribute", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.job = NewJob(r.client, r.tenant, Options{NewGUID: r.opts.NewGUID, Clock: r.opts.Clock})
				r.cycle(t)
			}},
		{row: row("E40", "userName change as a Replace", srcTUT),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) { u.UPN = "augusta@contoso.com" })
				r.cycle(t)
			}},
		{row: row("E41", "provisioning on demand: one user, legacy even with the flag", srcCOMP), opts: Options{Compliant: true},
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.quiet(t)
				r.change("ada", func(u *User) { u.GivenName, u.Enabled = "Augusta", false })
				if c := Outside(r.job.ProvisionOnDemand(ctx, r.user0("ada"))); c.Failed != 0 {
					t.Fatalf("on demand: %+v", c.Ops)
				}
			}},
		{row: row("E42", "restart: links kept, every user looked up again, nothing re-created", srcHOW),
			run: func(t *testing.T, r *rig) {
				r.user("ada")
				r.user("bob")
				r.quiet(t)
				r.job.Restart()
				r.change("bob", func(u *User) { u.Surname = "Builder" })
				r.cycle(t)
			}},
	}
	for _, tc := range rows {
		t.Run(tc.row.ID, func(t *testing.T) {
			token := tc.token
			if token == "" {
				token = "t0ken"
			}
			r := newRig(t, tc.opts, token, tc.throttle, tc.target)
			tc.run(t, r)
			golden.Check(t, tc.row.ID, tc.row, r.rec.Transcript())
		})
	}
}
