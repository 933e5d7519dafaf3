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
	)
	cmd := &cobra.Command{
		Use:   "fake okta|entra|onelogin|saml|oidc",
		Short: "Run one provisioning cycle as Okta, Entra or OneLogin would, printing every request and response; or serve a SAML IdP or an OpenID Provider",
		Example: "  idpconform fake entra --target fixtures/targets/reference.yaml --cycle incremental\n" +
			"  idpconform fake okta --target my.yaml --users my-users.json --integration aiw\n" +
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
			pop, err := population.Load(usersPath)
			if err != nil {
				return usageError("%v", err)
			}
			// Every name the cycle sends carries the profile's prefix and a
			// fresh token, and the guard lets the fake change only what
			// carries it: pointed at staging, it never touches real accounts.
			marker := randomToken()[:8] + "-"
			pop.Mark(prof.Prefix + marker)
			auth := prof.ClientAuth()
			redact := transcript.NewRedactor(auth.Secrets()...)
			log := transcript.New(redact)
			cfg := scim.ConfigFor(prof.SCIM.URL, auth, prof.SCIM.Timeout, redact.Add)
			cfg.Marker = marker
			client := scim.New(cfg, log)
			out := cmd.OutOrStdout()
			if _, serr := os.Stat(record); record != "" && serr == nil {
				return usageError("fake --record: %s exists: a cassette is never overwritten, give another file", record)
			}
			var initial []reports.Exchange // an incremental cycle's initial one, which the cassette keeps
			reset := func() {
				if record != "" {
					initial = log.Exchanges()
				}
				log.Reset()
			}
			switch args[0] {
			case "okta":
				kind := prof.Okta.Integration
				if cmd.Flags().Changed("integration") {
					kind = integration
				}
				ik, perr := okta.ParseIntegration(kind)
				if perr != nil {
					return usageError("--integration must be oin or aiw")
				}
				err = okta.Cycle(cmd.Context(), okta.New(client, okta.Options{Integration: ik, Usernames: prof.Usernames.Rule}), pop)
			case "entra":
				if cycle != "initial" && cycle != "incremental" && cycle != "test-connection" {
					return usageError("--cycle must be initial, incremental or test-connection")
				}
				err = entraCycle(cmd.Context(), client, reset, pop, cycle, entra.Options{Compliant: compliant, Usernames: prof.Usernames.Rule}, out)
			case "onelogin":
				opts, oerr := oneloginOptions(template, headers)
				if oerr != nil {
					return usageError("%v", oerr)
				}
				opts.Usernames = prof.Usernames.Rule
				err = onelogin.Cycle(cmd.Context(), onelogin.New(client, opts), pop)
			default:
				return usageError("unknown IdP %q: okta, entra or onelogin", args[0])
			}
			printExchanges(out, log.Exchanges())
			if record != "" {
				if rerr := recordCycle(record, version, prof.Prefix+marker, append(initial, log.Exchanges()...), redact, out); rerr != nil {
					err = errors.Join(err, rerr)
				}
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
	f.StringVar(&usersPath, "users", "", "users file (JSON, like fixtures/users/sample.json; default: that sample)")
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
func entraCycle(ctx context.Context, client *scim.Client, reset func(), pop population.Population, cycle string, opts entra.Options, out io.Writer) error {
	tenant := entra.TenantOf(pop)
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
		entra.ApplyChanges(tenant, pop)
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

// recordCycle writes a fake's exchanges to a new cassette, as record would
// have seen them: without the harness's marker in names (so the cassette
// reads like the IdP's own traffic), secrets redacted. Exchanges that got
// no answer are left out.
func recordCycle(file, version, marker string, xs []reports.Exchange, redact *transcript.Redactor, out io.Writer) error {
	f, err := newCassetteFile("fake --record", file)
	if err != nil {
		return err
	}
	w, err := cassette.NewWriter(f, version, redact)
	unmark := strings.NewReplacer(marker, "")
	for _, x := range xs {
		u, perr := url.Parse(x.URL)
		if err != nil || perr != nil || x.Err != "" {
			continue
		}
		err = w.Write(cassette.Exchange{Time: time.Now().UTC(), Method: x.Method, URI: unmark.Replace(u.RequestURI()),
			RequestHeaders: x.RequestHeaders, RequestBody: unmark.Replace(x.RequestBody), Status: x.Status,
			ResponseHeaders: x.ResponseHeaders, ResponseBody: unmark.Replace(x.ResponseBody)})
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--record: %s: %w", file, err)
	}
	fmt.Fprintf(out, "record: %d exchanges written to %s\n", w.Len(), file)
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

// printExchanges prints a transcript as a reader of an IdP's log wants it.
func printExchanges(out io.Writer, xs []reports.Exchange) {
	for i, x := range xs {
		fmt.Fprintf(out, "\n#%d → %s %s\n", i+1, x.Method, x.URL)
		printHeaders(out, x.RequestHeaders)
		if x.RequestBody != "" {
			fmt.Fprintf(out, "  %s\n", x.RequestBody)
		}
		if x.Err != "" {
			fmt.Fprintf(out, "   ← no answer: %s\n", x.Err)
			continue
		}
		fmt.Fprintf(out, "   ← %d %s\n", x.Status, http.StatusText(x.Status))
		if x.ResponseBody != "" {
			fmt.Fprintf(out, "  %s\n", x.ResponseBody)
		}
	}
	fmt.Fprintln(out)
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
