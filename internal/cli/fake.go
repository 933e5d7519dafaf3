package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/fakes/onelogin"
	"github.com/idpconform/idpconform/fakes/population"
	"github.com/idpconform/idpconform/internal/cassette"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
)

func newFakeCmd(version string) *cobra.Command {
	var (
		profilePath, usersPath, cycle, integration, template, record string
		headers                                                      []string
		compliant, keep                                              bool
		sso                                                          ssoOptions
		seed                                                         uint64
		rate                                                         float64
		concurrency                                                  int
	)
	cmd := &cobra.Command{
		Use:   "fake okta|entra|onelogin|saml|oidc",
		Short: "Run one provisioning cycle as Okta, Entra or OneLogin would, printing every request and response; or serve a SAML IdP or an OpenID Provider",
		Example: "  idpconform fake entra --target fixtures/targets/reference.yaml --cycle incremental\n" +
			"  idpconform fake okta --target my.yaml --users my-users.json --integration aiw\n" +
			"  idpconform fake entra --target my.yaml --users 100000 --seed 7 --rate 25 --concurrency 4\n" +
			"  idpconform fake onelogin --target my.yaml --template vendor --header 'Content-Type: application/scim+json'\n" +
			"  idpconform fake entra --serve 127.0.0.1:7003\n" +
			"  idpconform fake saml --serve 127.0.0.1:7001 --metadata-out idp.xml --sp-metadata http://127.0.0.1:8080/saml/metadata\n" +
			"  idpconform fake oidc --serve 127.0.0.1:7002 --client-id app --client-secret s --redirect-uri http://127.0.0.1:8080/cb",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"okta", "entra", "onelogin", "saml", "oidc"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(cmd.ValidArgs, args[0]) {
				return usageError("fake: unknown kind %q: okta, entra, onelogin, saml or oidc", args[0])
			}
			if args[0] == "saml" || args[0] == "oidc" {
				return serveIdP(cmd, args[0], sso)
			}
			if sso.serve != "" && args[0] == "onelogin" {
				return usageError("--serve: the OneLogin fake runs in process only")
			}
			if sso.serve != "" {
				return serveProvisioner(cmd, args[0], sso.serve)
			}
			if profilePath == "" {
				return usageError("--target is required")
			}
			prof, err := profile.Load(profilePath)
			if err != nil {
				return usageError("%v", err)
			}
			kind := prof.Okta.Integration
			if cmd.Flags().Changed("integration") {
				kind = integration
			}
			ik, err := okta.ParseIntegration(kind)
			if err != nil && args[0] == "okta" {
				return usageError("--integration must be oin or aiw")
			}
			oneOpts, err := oneloginOptions(template, headers)
			if err != nil && args[0] == "onelogin" {
				return usageError("%v", err)
			}
			if args[0] == "entra" && cycle != "initial" && cycle != "incremental" && cycle != "test-connection" {
				return usageError("--cycle must be initial, incremental or test-connection")
			}
			if rate < 0 || concurrency < 1 {
				return usageError("--rate must be 0 (unthrottled) or more, --concurrency 1 or more")
			}
			// Every name the cycle sends carries the profile's prefix and a
			// fresh token, and the guard lets the fake change only what
			// carries it: pointed at staging, it never touches real accounts.
			marker := randomToken()[:8] + "-"
			src, err := openUsers(usersPath, seed, prof.Usernames, len(prof.Prefix+marker))
			if err != nil {
				return usageError("%v", err)
			}
			src.Mark(prof.Prefix + marker)
			var pop population.Population // the whole population, for the fakes that take it at once
			if args[0] != "entra" {
				if pop, err = src.Collect(); err != nil {
					return usageError("%v", err)
				}
			}
			auth := prof.ClientAuth()
			redact := transcript.NewRedactor(auth.Secrets()...)
			out := cmd.OutOrStdout()
			rec, err := newRecorder(record, version, prof.Prefix+marker, redact)
			if err != nil {
				return err
			}
			log := transcript.NewWindow(redact, printFirst, printLast, rec.write)
			cfg := scim.ConfigFor(prof.SCIM.URL, auth, prof.SCIM.Timeout, redact.Add)
			cfg.Marker = marker
			client := scim.New(cfg, log)
			switch args[0] {
			case "okta":
				err = okta.Cycle(cmd.Context(), okta.New(client, okta.Options{Integration: ik, Usernames: prof.Usernames.Rule}), pop)
			case "entra":
				opts := entra.Options{Compliant: compliant, Usernames: prof.Usernames.Rule, Rate: rate, Concurrency: concurrency}
				err = entraCycle(cmd.Context(), client, log.Reset, src, cycle, opts, out)
			case "onelogin":
				oneOpts.Usernames = prof.Usernames.Rule
				err = onelogin.Cycle(cmd.Context(), onelogin.New(client, oneOpts), pop)
			}
			printExchanges(out, log)
			if rerr := rec.close(out); rerr != nil {
				err = errors.Join(err, rerr)
			}
			if !keep {
				cleanUp(context.WithoutCancel(cmd.Context()), client, out)
			}
			if err != nil {
				return &exitError{code: ExitFailed, err: err}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&profilePath, "target", "", "target profile (YAML)")
	f.StringVar(&usersPath, "users", "", "N (generate N users, see --seed) or a users file (JSON, like fixtures/users/sample.json, read as a stream; default: that sample)")
	f.Uint64Var(&seed, "seed", 1, "--users N: the seed the users are made from; the same seed makes the same users")
	f.Float64Var(&rate, "rate", 0, "entra: requests a second at most (Entra sustains 25, E34); 0 sends as fast as the target answers")
	f.IntVar(&concurrency, "concurrency", 1, "entra: users synced at once, each user's requests in Entra's order")
	f.StringVar(&cycle, "cycle", "initial", "entra: initial, incremental (the initial cycle runs quietly first, then the file's changes), or test-connection (/Schemas and the random-GUID queries)")
	f.BoolVar(&compliant, "compliant", false, "entra: the RFC-compliant dialect (aadOptscim062020) instead of legacy")
	f.StringVar(&integration, "integration", "oin", "okta: the app integration, oin (PATCH for activation and passwords, PUT for profiles) or aiw (PUT for everything); default: the profile's okta.integration, else oin")
	f.StringVar(&record, "record", "", "okta, entra, onelogin: also write the cycle's exchanges to this cassette (as record does; for replay and replay --to-feature)")
	f.StringVar(&template, "template", "enterprise", "onelogin: the app's SCIM JSON template: enterprise (SCIM v2 core and enterprise), vendor (\"id\": null, \"active\" as a string) or core (declares urn:scim:schemas:core:1.0)")
	f.StringArrayVar(&headers, "header", nil, "onelogin: a Custom Headers line of the app, \"Name: value\" (repeatable), e.g. 'Content-Type: application/scim+json'; without one the fake sends application/json")
	f.BoolVar(&keep, "keep", false, "keep what the cycle created instead of deleting it afterwards")
	f.StringVar(&sso.serve, "serve", "", "serve the fake as a long-running service with its control API on this loopback address (saml: default 127.0.0.1:7001, oidc: 127.0.0.1:7002; okta, entra: no default, see README)")
	f.StringVar(&sso.metadataOut, "metadata-out", "", "saml: write the IdP metadata to this file, for SPs that load it from disk")
	f.StringVar(&sso.spMetadata, "sp-metadata", "", "saml: URL of the SP's metadata to trust")
	f.StringVar(&sso.profile, "profile", "okta", "saml: response shape: okta, entra, google or onelogin")
	f.StringVar(&sso.user, "user", "ada@example.com", "saml, oidc: the user the IdP logs in")
	f.StringVar(&sso.clientID, "client-id", "", "oidc: a client to register")
	f.StringVar(&sso.clientSecret, "client-secret", "", "oidc: its secret")
	f.StringVar(&sso.redirectURI, "redirect-uri", "", "oidc: its redirect URI")
	return cmd
}

// openUsers reads --users: a number generates that many users from seed,
// named to the target's userName policy (its rule, and its maximum length
// with the marking prefix of prefixLen characters); anything else is a
// users file, streamed ("" is the built-in sample).
func openUsers(arg string, seed uint64, policy profile.Usernames, prefixLen int) (*population.Stream, error) {
	if n, err := strconv.Atoi(arg); err == nil {
		if n < 1 {
			return nil, fmt.Errorf("--users %d: generate at least one user", n)
		}
		maxLen := 0
		if policy.MaxLength > 0 {
			maxLen = max(policy.MaxLength-prefixLen, 1)
		}
		return population.Generate(n, seed, policy.Rule, maxLen), nil
	}
	return population.Open(arg)
}

// oneloginOptions reads --template and --header.
func oneloginOptions(template string, headers []string) (onelogin.Options, error) {
	tpl, err := onelogin.ParseTemplate(template)
	if err != nil {
		return onelogin.Options{}, err
	}
	opts := onelogin.Options{Template: tpl, Headers: http.Header{}}
	for _, line := range headers {
		name, value, err := onelogin.ParseHeader(line)
		if err != nil {
			return opts, err
		}
		opts.Headers.Add(name, value)
	}
	return opts, nil
}

// entraCycle runs one Entra cycle; for an incremental one it runs the
// initial cycle first, quietly, then applies the file's changes.
func entraCycle(ctx context.Context, client *scim.Client, reset func(), src *population.Stream, cycle string, opts entra.Options, out io.Writer) error {
	tenant := entra.TenantFrom(src)
	job := entra.NewJob(client, tenant, opts) // opts.Usernames: the profile's rule, as HF maps UPNs (HX2)
	if cycle == "test-connection" {
		c := entra.Outside(job.TestConnection(ctx))
		fmt.Fprintf(out, "test connection: %d requests, %d failed\n", len(c.Ops), c.Failed)
		return failedOps(c, out)
	}
	c := job.RunCycle(ctx)
	if cycle == "incremental" {
		fmt.Fprintf(out, "initial cycle: %d operations, %d failed (not printed)\n", len(c.Ops), c.Failed)
		reset()
		entra.ApplyChanges(tenant, src.Changes)
		c = job.RunCycle(ctx)
	}
	fmt.Fprintf(out, "%s cycle %d: %d operations, %d failed\n", cycle, c.N, len(c.Ops), c.Failed)
	return failedOps(c, out)
}

func failedOps(c entra.Cycle, out io.Writer) error {
	for _, op := range c.Ops {
		if op.Err != nil {
			fmt.Fprintf(out, "  failed: %v\n", op.Err)
		}
	}
	if c.Failed > 0 {
		return fmt.Errorf("%d operations failed", c.Failed)
	}
	return nil
}

// recorder writes a fake's exchanges to a new cassette as they happen, as
// record would have seen them: without the harness's marker in names (so
// the cassette reads like the IdP's own traffic), secrets redacted.
// Exchanges that got no answer are left out. A nil recorder records
// nothing.
type recorder struct {
	file   string
	f      *os.File
	w      *cassette.Writer
	unmark *strings.Replacer
	err    error
}

// newRecorder opens file for --record, or returns nil when it is "".
func newRecorder(file, version, marker string, redact *transcript.Redactor) (*recorder, error) {
	if file == "" {
		return nil, nil
	}
	f, err := newCassetteFile("fake --record", file)
	if err != nil {
		return nil, err
	}
	w, err := cassette.NewWriter(f, version, redact)
	return &recorder{file: file, f: f, w: w, unmark: strings.NewReplacer(marker, ""), err: err}, nil
}

// write is the transcript's hook: it sees every exchange, in order.
func (r *recorder) write(x reports.Exchange) {
	if r == nil {
		return
	}
	u, perr := url.Parse(x.URL)
	if r.err != nil || perr != nil || x.Err != "" {
		return
	}
	r.err = r.w.Write(cassette.Exchange{Time: time.Now().UTC(), Method: x.Method, URI: r.unmark.Replace(u.RequestURI()),
		RequestHeaders: x.RequestHeaders, RequestBody: r.unmark.Replace(x.RequestBody), Status: x.Status,
		ResponseHeaders: x.ResponseHeaders, ResponseBody: r.unmark.Replace(x.ResponseBody)})
}

func (r *recorder) close(out io.Writer) error {
	if r == nil {
		return nil
	}
	err := r.err
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--record: %s: %w", r.file, err)
	}
	fmt.Fprintf(out, "record: %d exchanges written to %s\n", r.w.Len(), r.file)
	return nil
}

// cleanUp removes what the cycle created (every create the client's
// ledger saw), reading each removal back.
func cleanUp(ctx context.Context, c *scim.Client, out io.Writer) {
	removed, left := c.ForCleanup().Undo(ctx, nil)
	for _, l := range left {
		fmt.Fprintf(out, "cleanup: may remain: %s\n", l)
	}
	fmt.Fprintf(out, "cleanup: removed %d resources the cycle created, each read back as gone; %d may remain (--keep keeps them)\n", removed, len(left))
}

// A fake prints the first printFirst exchanges and the last printLast,
// and says how many it left out between them: at 100 000 users a full
// transcript is of no use on a terminal (--record keeps them all).
const (
	printFirst = 100
	printLast  = 100
)

// printExchanges prints a transcript as a reader of an IdP's log wants it.
func printExchanges(out io.Writer, log *transcript.Log) {
	first, last, left := log.Window()
	for i, x := range first {
		printExchange(out, i+1, x)
	}
	if left > 0 {
		fmt.Fprintf(out, "\n… %d exchanges left out (use --record FILE to keep them all)\n", left)
	}
	for i, x := range last {
		printExchange(out, len(first)+left+i+1, x)
	}
	fmt.Fprintln(out)
}

func printExchange(out io.Writer, n int, x reports.Exchange) {
	fmt.Fprintf(out, "\n#%d → %s %s\n", n, x.Method, x.URL)
	printHeaders(out, x.RequestHeaders)
	if x.RequestBody != "" {
		fmt.Fprintf(out, "  %s\n", x.RequestBody)
	}
	if x.Err != "" {
		fmt.Fprintf(out, "   ← no answer: %s\n", x.Err)
		return
	}
	fmt.Fprintf(out, "   ← %d %s\n", x.Status, http.StatusText(x.Status))
	if x.ResponseBody != "" {
		fmt.Fprintf(out, "  %s\n", x.ResponseBody)
	}
}

func printHeaders(out io.Writer, h map[string][]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "  %s: %s\n", k, strings.Join(h[k], ", "))
	}
}
