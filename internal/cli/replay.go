package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/internal/cassette"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/replay"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
)

type replayOptions struct {
	target, out, prefix string
	until               int
	only, faults        []string
	shift               string
	readBack            bool
	// toFeature prints a regression scenario instead of replaying.
	toFeature bool
	name      string
	tags      []string
}

func newReplayCmd(version string) *cobra.Command {
	var o replayOptions
	cmd := &cobra.Command{
		Use:   "replay CASSETTE",
		Short: "Send a cassette's requests to a target in order, ids remapped, and report every answer that differs from the recorded one",
		Example: "  idpconform replay incident.jsonl --target staging.yaml --prefix replay1-\n" +
			"  idpconform replay incident.jsonl --only 'PATCH /Users/*' --until 200\n" +
			"  idpconform replay cycle.jsonl --fault create-returns-200   # against the built-in reference target\n" +
			"  idpconform replay --to-feature incident.jsonl > features/regressions/incident.feature",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.toFeature {
				return writeFeature(args[0], o, cmd.OutOrStdout(), cmd.ErrOrStderr())
			}
			return replayCassette(cmd.Context(), args[0], o, version, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.target, "target", "", "target profile (YAML); default: a fresh built-in reference target")
	f.StringVar(&o.out, "out", "idpconform-replay-report", "report directory")
	f.StringVar(&o.prefix, "prefix", "", "put this before every userName and externalId sent, so a replay never collides with real data")
	f.IntVar(&o.until, "until", 0, "stop after the first N exchanges of the cassette")
	f.StringArrayVar(&o.only, "only", nil, `replay only the exchanges matching "METHOD /Path/*" (repeatable; * in the path is one segment; the method may be *)`)
	f.BoolVar(&o.toFeature, "to-feature", false, "print the cassette as a Gherkin regression scenario (for run --features DIR) instead of replaying it")
	f.StringVar(&o.name, "name", "", "--to-feature: the scenario's name (default: the cassette's file name)")
	f.StringArrayVar(&o.tags, "tag", nil, "--to-feature: a tag beside @regression (repeatable), e.g. entra-disable")
	f.StringVar(&o.shift, "shift", "", `move every timestamp in the requests by this duration ("720h", "-1h30m"), or "now": by the time since the cassette was recorded`)
	f.BoolVar(&o.readBack, "read-back", false, "read every user and group a successful write touched back: the active flag the request set and the members the recorded answer had must be there")
	f.StringSliceVar(&o.faults, "fault", nil, "fault to switch on in the built-in reference target (without --target)")
	return cmd
}

// only says whether an exchange matches one of the --only patterns: the
// method, then a path glob matched against the end of the recorded path
// (so /Users/* matches /scim/v2/Users/42).
func only(patterns []string, x cassette.Exchange) bool {
	if len(patterns) == 0 {
		return true
	}
	p, _, _ := strings.Cut(x.URI, "?")
	for _, pat := range patterns {
		method, glob, ok := strings.Cut(strings.TrimSpace(pat), " ")
		if !ok {
			method, glob = "*", method
		}
		if method != "*" && !strings.EqualFold(method, x.Method) {
			continue
		}
		for i := 0; i < len(p); i++ {
			if p[i] != '/' {
				continue
			}
			if m, _ := path.Match(glob, p[i:]); m {
				return true
			}
		}
	}
	return false
}

// openCassette checks the --only patterns and opens the cassette.
func openCassette(file string, o replayOptions) (*cassette.Reader, io.Closer, error) {
	for _, pat := range o.only {
		if _, err := path.Match(strings.TrimSpace(pat[strings.LastIndex(pat, " ")+1:]), "/"); err != nil {
			return nil, nil, usageError("--only %q: %v", pat, err)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, usageError("replay: %v", err)
	}
	r, err := cassette.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, usageError("replay: %s: %v", file, err)
	}
	return r, f, nil
}

// writeFeature prints the cassette as a regression scenario on out and
// what it inferred on notes.
func writeFeature(file string, o replayOptions, out, notes io.Writer) error {
	if o.target != "" || len(o.faults) > 0 || o.prefix != "" {
		return usageError("--to-feature sends nothing: --target, --fault and --prefix do not apply (the scenario carries the run's prefix)")
	}
	r, f, err := openCassette(file, o)
	if err != nil {
		return err
	}
	defer f.Close()
	name := o.name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	said, err := replay.ToFeature(r, out, replay.FeatureOptions{Name: name, Source: filepath.Base(file), Tags: o.tags, Until: o.until,
		Skip: func(_ int, x cassette.Exchange) bool { return !only(o.only, x) }})
	if err != nil {
		return usageError("replay --to-feature: %s: %v", file, err)
	}
	for _, s := range said {
		fmt.Fprintln(notes, "to-feature:", s)
	}
	return nil
}

func replayCassette(ctx context.Context, file string, o replayOptions, version string, out io.Writer) error {
	r, f, err := openCassette(file, o)
	if err != nil {
		return err
	}
	defer f.Close()
	shift, err := shiftOf(o.shift, r.Header.Created)
	if err != nil {
		return err
	}
	var prof profile.Profile
	tgt := reports.Target{}
	if o.target != "" {
		if len(o.faults) > 0 {
			return usageError("--fault applies to the built-in reference target only")
		}
		if prof, err = profile.Load(o.target); err != nil {
			return usageError("%v", err)
		}
		tgt.Name = prof.Name
	} else {
		bare, err := env.StartBare(o.faults)
		if err != nil {
			return usageError("%v", err)
		}
		defer bare.Close()
		prof.SCIM.URL, prof.SCIM.Auth = bare.URL, profile.Auth{Type: "bearer", Token: bare.Token}
		tgt = reports.Target{Name: "idpconform reference target", Reference: true, Faults: o.faults}
	}
	tgt.SCIMURL = prof.SCIM.URL
	u, err := url.Parse(prof.SCIM.URL)
	if err != nil || u.Host == "" {
		return usageError("replay: the profile's scim.url %q is not a URL", prof.SCIM.URL)
	}
	root := u.Scheme + "://" + u.Host
	auth := prof.ClientAuth()
	redact := transcript.NewRedactor(auth.Secrets()...)
	header := http.Header{}
	switch auth.Type {
	case "basic":
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(auth.Username+":"+auth.Password)))
	case "oauth2": // the client sets it
	default:
		header.Set("Authorization", "Bearer "+auth.Token)
	}
	timeout := prof.SCIM.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	client := scim.NewHTTPClient(auth, timeout, redact.Add)
	client.Timeout = timeout

	run := reports.Run{Schema: reports.SchemaVersion, Tool: "idpconform", Version: version, Target: tgt, StartedAt: time.Now().UTC()}
	const maxSteps = 5000
	whole := reports.Scenario{ID: filepath.Base(file), Name: "replay of " + filepath.Base(file), Feature: "replay", Area: "replay",
		URI: file, Status: reports.Passed}
	var created []string
	fmt.Fprintf(out, "idpconform %s: replaying %s (recorded by %s) against %s\n", version, file, r.Header.Recorder, prof.SCIM.URL)
	start := time.Now()
	res, err := replay.Run(ctx, r, replay.Options{
		Base: root, Client: client, Header: header, Prefix: o.prefix, Until: o.until, MaxDifferences: 1000,
		Shift: shift, ReadBack: o.readBack,
		RewriteURI: replay.Rebase(strings.TrimSuffix(u.Path, "/")),
		Skip:       func(_ int, x cassette.Exchange) bool { return !only(o.only, x) },
		Observe: func(i int, rec, got cassette.Exchange, diff string) {
			text := fmt.Sprintf("#%d %s %s answers %d (recorded %d)", i, rec.Method, rec.URI, got.Status, rec.Status)
			st := reports.Passed
			switch {
			case got.Status == 0:
				text, st = fmt.Sprintf("#%d %s %s: %s", i, rec.Method, rec.URI, diff), reports.Skipped
			case diff != "":
				st = reports.Failed
				run.Scenarios = append(run.Scenarios, difference(file, i, text, diff, rec, got, root))
			}
			if len(whole.Steps) < maxSteps {
				whole.Steps = append(whole.Steps, reports.Step{Text: text, Status: st})
			}
			if got.Method == http.MethodPost && got.Status >= 200 && got.Status < 300 {
				if loc := createdAt(got, root); loc != "" {
					created = append(created, loc)
				}
			}
		},
	})
	whole.Duration = reports.Duration(time.Since(start))
	if err != nil {
		whole.Status = reports.Errored
		whole.Failure = &reports.Failure{Kind: reports.CouldNotCheck, Message: redact.Error(err).Error()}
	} else if res.Different > 0 {
		whole.Status = reports.Failed
		whole.Failure = &reports.Failure{Kind: reports.Violation, Message: fmt.Sprintf("%d of %d exchanges answered otherwise than recorded", res.Different, res.Sent)}
	}
	if n := res.Sent + res.Foreign; n > maxSteps {
		run.Notes = append(run.Notes, fmt.Sprintf("the report lists the first %d exchanges of %d", maxSteps, n))
	}
	if res.Foreign > 0 {
		run.Notes = append(run.Notes, fmt.Sprintf("%d exchanges not sent: they name resources created outside the cassette (by an SSO login, or before recording started)", res.Foreign))
	}
	run.Scenarios = append([]reports.Scenario{whole}, run.Scenarios...)
	run.Cleanup = undoCreated(client, header, created)
	run.FinishedAt = time.Now().UTC()
	redact.Run(&run)
	if werr := runner.WriteReports(o.out, run); werr != nil {
		err = errors.Join(err, werr)
	}
	fmt.Fprintf(out, "%d sent, %d differ, %d left out by --only, %d not sent (created outside the cassette); cleanup: %d deleted, %d left\n",
		res.Sent, res.Different, res.Skipped, res.Foreign, run.Cleanup.Deleted, len(run.Cleanup.Leftovers))
	for _, l := range run.Cleanup.Leftovers {
		fmt.Fprintln(out, "  left:", l)
	}
	abs, _ := filepath.Abs(o.out)
	fmt.Fprintf(out, "Reports: %s\n", abs)
	if err != nil {
		return &exitError{code: ExitUsage, err: redact.Error(err)}
	}
	if res.Different > 0 {
		return &exitError{code: ExitFailed, err: errors.New("answers differ from the recording")}
	}
	return nil
}

// shiftOf reads --shift: a duration, or "now" (the time since the
// cassette was created).
func shiftOf(s string, created time.Time) (time.Duration, error) {
	switch s {
	case "":
		return 0, nil
	case "now":
		return time.Since(created).Round(time.Second), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, usageError("--shift %q: want a duration such as 720h, or now", s)
	}
	return d, nil
}

// difference is a finding: one exchange, recorded and replayed side by side.
func difference(file string, i int, text, diff string, rec, got cassette.Exchange, root string) reports.Scenario {
	ex := func(x cassette.Exchange, base string) reports.Exchange {
		return reports.Exchange{Method: x.Method, URL: base + x.URI, RequestHeaders: x.RequestHeaders, RequestBody: x.RequestBody,
			Status: x.Status, ResponseHeaders: x.ResponseHeaders, ResponseBody: x.ResponseBody}
	}
	return reports.Scenario{ID: fmt.Sprintf("%s#%d", filepath.Base(file), i), Name: text, Feature: "replay", Area: "replay", URI: file, Line: i,
		Status: reports.Failed, Steps: []reports.Step{{Text: text, Status: reports.Failed}},
		Failure: &reports.Failure{Kind: reports.Violation, Step: text, Message: "the answer differs from the recorded one: " + diff,
			Expected: []string{fmt.Sprintf("status %d and the recorded answer's members", rec.Status)}, Actual: diff},
		Exchanges: []reports.Exchange{ex(rec, "(recorded) "), ex(got, root)}}
}

// createdAt is where a created user or group lives, from the Location
// header or the answer's id.
func createdAt(got cassette.Exchange, root string) string {
	p, _, _ := strings.Cut(got.URI, "?")
	if !strings.HasSuffix(p, "/Users") && !strings.HasSuffix(p, "/Groups") {
		return "" // a bulk request's creations are not tracked
	}
	var id struct {
		ID string `json:"id"`
	}
	if jsonErr := decodeJSON(got.ResponseBody, &id); jsonErr != nil || id.ID == "" || strings.ContainsAny(id.ID, "/?#") {
		return ""
	}
	return root + p + "/" + url.PathEscape(id.ID)
}

// undoCreated deletes what the replay created, groups before users, and says
// what it could not.
func undoCreated(client *http.Client, header http.Header, created []string) reports.Cleanup {
	var c reports.Cleanup
	var groups, users []string
	for _, loc := range created {
		if strings.Contains(loc, "/Groups/") {
			groups = append(groups, loc)
		} else {
			users = append(users, loc)
		}
	}
	for _, loc := range append(groups, users...) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, loc, nil)
		if err == nil {
			req.Header = header.Clone()
			var resp *http.Response
			if resp, err = client.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusNoContent, http.StatusOK, http.StatusNotFound:
					c.Deleted++
				default:
					err = fmt.Errorf("DELETE answered %s", resp.Status)
				}
			}
		}
		cancel()
		if err != nil {
			c.Leftovers = append(c.Leftovers, fmt.Sprintf("%s: %v", loc, err))
		}
	}
	return c
}

func decodeJSON(s string, v any) error { return json.Unmarshal([]byte(s), v) }
