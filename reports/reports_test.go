package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "update golden files")

// sample is a run with one of each outcome, fixed in time so goldens hold.
func sample() Run {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	uniq := Clause{ID: "rfc7644-3.3", Title: "RFC 7644 §3.3 Creating Resources", URL: "https://www.rfc-editor.org/rfc/rfc7644#section-3.3",
		Requirement: "A duplicate userName MUST get 409 with scimType \"uniqueness\".", Impact: "Duplicate accounts are created."}
	caseC := Clause{ID: "rfc7643-4.1.1", Title: "RFC 7643 §4.1.1 Singular Attributes (User)", Requirement: "userName is case-insensitive."}
	return Run{
		Schema: SchemaVersion, Tool: "idpconform", Version: "test",
		Target:    Target{Name: "ref", SCIMURL: "http://127.0.0.1:18080/scim/v2", Reference: true, Faults: []string{"username-case-sensitive"}},
		StartedAt: start, FinishedAt: start.Add(1500 * time.Millisecond),
		Scenarios: []Scenario{
			{ID: "features/users/create.feature:8", Name: "creating a user answers 201", Feature: "Creating users", Area: "users",
				URI: "users/create.feature", Line: 8, Tags: []string{"users", "rfc7644-3.3"}, Clauses: []Clause{uniq},
				Status: Passed, Duration: Duration(12 * time.Millisecond), Steps: []Step{{Text: `I create a user "ada"`, Status: Passed}}},
			{ID: "features/users/uniqueness.feature:15", Name: "a duplicate that differs only in case | <is> refused", Feature: "userName uniqueness",
				Area: "users", URI: "users/uniqueness.feature", Line: 15, Tags: []string{"users", "rfc7643-4.1.1", "rfc7644-3.3"},
				Clauses: []Clause{caseC, uniq}, Status: Failed, Duration: Duration(20 * time.Millisecond),
				Steps: []Step{{Text: `I create a user "ada" with the userName in upper case`, Status: Passed}, {Text: "the response status is 409", Status: Failed}},
				Failure: &Failure{Kind: Violation, Step: "the response status is 409", Message: "expected status 409, but got 201 Created",
					Expected: []string{"status 409"}, Actual: "201 Created {\"id\":\"7\"}"},
				Exchanges: []Exchange{{Method: "POST", URL: "http://127.0.0.1:18080/scim/v2/Users",
					RequestHeaders: map[string][]string{"Authorization": {"Bearer [REDACTED]"}, "Content-Type": {"application/scim+json"}},
					RequestBody:    `{"userName":"IDPC-ADA","note":"a & b < c | d ` + "`x`" + `"}`, Status: 201,
					ResponseHeaders: map[string][]string{"Content-Type": {"application/scim+json"}}, ResponseBody: `{"id":"7"}`,
					Duration: Duration(3 * time.Millisecond)}}},
			{ID: "features/protocol/auth.feature:9", Name: "a request without credentials is refused", Feature: "Authentication",
				Area: "protocol", URI: "protocol/auth.feature", Line: 9, Tags: []string{"rfc7644-2"},
				Clauses: []Clause{{ID: "rfc7644-2", Title: "RFC 7644 §2 Authentication and Authorization"}}, Status: Errored,
				Failure:   &Failure{Kind: CouldNotCheck, Step: "I GET /Users without credentials", Message: "the target did not answer within 10s"},
				Exchanges: []Exchange{{Method: "GET", URL: "http://127.0.0.1:18080/scim/v2/Users", Err: "the target did not answer within 10s"}}},
			{ID: "features/protocol/etags.feature:12", Name: "a read returns the version", Feature: "Versions and ETags", Area: "protocol",
				URI: "protocol/etags.feature", Line: 12, Tags: []string{"rfc7644-3.14"}, Status: Skipped,
				Steps: []Step{{Text: "the target supports ETags", Status: Skipped}, {Text: "skipped: the target does not claim ETags", Status: Skipped}}},
			{ID: "features/patch/operations.feature:20", Name: "replace a user's title", Feature: "PATCH operations", Area: "patch",
				URI: "patch/operations.feature", Line: 20, Tags: []string{"rfc7644-3.5.2.3"},
				Clauses: []Clause{{ID: "rfc7644-3.5.2.3", Title: "RFC 7644 §3.5.2.3 Replace Operation"}}, Status: Errored,
				Steps: []Step{{Text: `a user "ada" exists`, Status: Failed}, {Text: `I PATCH the user "ada" with:`, Status: Skipped}},
				Failure: &Failure{Kind: CouldNotCheck, Step: `a user "ada" exists`,
					Message: "could not check: a precondition failed: could not create the user ada: expected the user ada created, with an id, but got 500 Internal Server Error",
					SeeAlso: []string{"features/users/create.feature:6", "features/users/create.feature:13", "features/users/create.feature:19", "features/users/create.feature:27"}}},
			{ID: "features/pagination/sorting.feature:15", Name: "sortBy orders ascending by default", Feature: "Sorting", Area: "pagination",
				URI: "pagination/sorting.feature", Line: 15, Tags: []string{"rfc7644-3.4.2.3", "should"},
				Clauses: []Clause{{ID: "rfc7644-3.4.2.3", Title: "RFC 7644 §3.4.2.3 Sorting"}}, Status: Warned,
				Steps: []Step{{Text: "the list is in the order \"u1, u2, u3\"", Status: Failed}},
				Failure: &Failure{Kind: Warning, Step: "the list is in the order \"u1, u2, u3\"", Message: "expected u1, u2, u3, but got u2, u3, u1",
					Expected: []string{"u1, u2, u3"}, Actual: "u2, u3, u1"}},
			{ID: "features/entra/cycles.feature:30", Name: "a disabled user is deactivated", Feature: "Entra cycles", Area: "entra",
				URI: "entra/cycles.feature", Line: 30, Tags: []string{"entra", "rfc7644-3.4.2.2"},
				Clauses: []Clause{{ID: "rfc7644-3.4.2.2", Title: "RFC 7644 §3.4.2.2 Filtering"}}, Status: Failed,
				Steps: []Step{{Text: "the cycle succeeded", Status: Failed}},
				Failure: &Failure{Kind: Violation, Step: "the cycle succeeded", Message: "expected every operation of cycle 2 accepted, but got 1 of 1 failed",
					Expected: []string{"every operation of cycle 2 accepted"}, Actual: "1 of 1 failed: disable ada (400)",
					Clause: &Clause{ID: "entra-string-bool", Title: "Entra ID: booleans as strings", Requirement: "Without the compatibility flag Entra sends booleans as the strings \"True\" and \"False\"."}}},
		},
		Cleanup: Cleanup{Deleted: 3, Leftovers: []string{"Users/7 (ada#upper): 500 Internal Server Error"}},
		Notes:   []string{"the profile says etag is not supported but the target's discovery says supported; testing as the profile says"},
		Features: []Feature{{Key: "filter", Label: "filtering", Supported: true, Where: "declared supported by /ServiceProviderConfig filter.supported"},
			{Key: "etag", Label: "ETags", Where: "the profile sets features.etag: false (the target declares otherwise)"}},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run go test ./reports -update after checking the change):\n%s", name, path, got)
	}
}

// passing is a green run on a customer's target, for the ✅ renderings.
func passing() Run {
	r := sample()
	r.Target = Target{Name: "acme-staging", SCIMURL: "https://scim.example.com/v2"}
	r.Scenarios = []Scenario{r.Scenarios[0], r.Scenarios[3]}
	r.Cleanup, r.Notes = Cleanup{Deleted: 1}, nil
	return r
}

// render runs a renderer into a buffer.
func render(t *testing.T, fn func(io.Writer, Run) error, r Run) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := fn(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestJUnit(t *testing.T) {
	golden(t, t.Name()+"_failing", render(t, JUnit, sample()))
}

func TestMarkdown(t *testing.T) {
	golden(t, t.Name()+"_failing", render(t, Markdown, sample()))
	golden(t, t.Name()+"_passing", render(t, Markdown, passing()))
}

func TestText(t *testing.T) {
	golden(t, t.Name()+"_failing", render(t, Text, sample()))
	golden(t, t.Name()+"_passing", render(t, Text, passing()))
}

func TestJSON(t *testing.T) {
	golden(t, t.Name()+"_failing", render(t, WriteJSON, sample()))
}

func TestHTML(t *testing.T) {
	golden(t, t.Name()+"_failing", render(t, HTML, sample()))
}

func TestJSONRoundTrip(t *testing.T) {
	want := sample()
	want.Scenarios[0].Duration = Duration(1234 * time.Microsecond) // a fraction of a millisecond survives
	got, err := ReadJSON(bytes.NewReader(render(t, WriteJSON, want)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the run:\n got %+v\nwant %+v", got, want)
	}
}

func TestWriteJSONSetsSchema(t *testing.T) {
	r := sample()
	r.Schema = 0
	got, err := ReadJSON(bytes.NewReader(render(t, WriteJSON, r)))
	if err != nil || got.Schema != SchemaVersion {
		t.Fatalf("schema = %d, %v; want %d", got.Schema, err, SchemaVersion)
	}
}

func TestDurationJSON(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		json string
		back time.Duration // what reading json gives, to the microsecond
	}{
		{0, "0", 0},
		{12 * time.Millisecond, "12", 12 * time.Millisecond},
		{1001 * time.Microsecond, "1.001", 1001 * time.Microsecond},
		{1234567, "1.235", 1235 * time.Microsecond},
		{90 * time.Second, "90000", 90 * time.Second},
	} {
		b, err := json.Marshal(Duration(tc.d))
		if err != nil || string(b) != tc.json {
			t.Errorf("%v marshals to %s, %v; want %s", tc.d, b, err, tc.json)
		}
		var d Duration
		if err := json.Unmarshal(b, &d); err != nil || time.Duration(d) != tc.back {
			t.Errorf("%s unmarshals to %v, %v; want %v", b, time.Duration(d), err, tc.back)
		}
	}
	var d Duration
	if err := json.Unmarshal([]byte(`"12ms"`), &d); err == nil {
		t.Error("a string duration was accepted")
	}
}

// TestReadJSONReadsSchema1: a schema 1 file (a baseline from an older
// idpconform) reads as schema 2, its "error" failures as could-not-check.
func TestReadJSONReadsSchema1(t *testing.T) {
	in := `{"schema": 1, "scenarios": [{"uri": "a.feature", "name": "x", "status": "error", "failure": {"kind": "error", "message": "no answer"}},
		{"uri": "b.feature", "name": "y", "status": "failed", "failure": {"kind": "violation", "message": "expected 201"}}]}`
	r, err := ReadJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if r.Schema != SchemaVersion || r.Scenarios[0].Failure.Kind != CouldNotCheck || r.Scenarios[1].Failure.Kind != Violation {
		t.Errorf("schema %d, kinds %s and %s; want %d, could-not-check and violation", r.Schema, r.Scenarios[0].Failure.Kind, r.Scenarios[1].Failure.Kind, SchemaVersion)
	}
	if tot := r.Totals(); tot.Errored != 1 || tot.Failed != 1 {
		t.Errorf("totals %+v", tot)
	}
}

func TestReadJSONRefuses(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		// A newer schema is refused before its body is decoded, so a changed
		// field type still yields the upgrade message.
		{"newer schema", `{"schema": 99, "scenarios": "changed shape"}`, "schema 99, but this idpconform reads schema 2 at most: upgrade"},
		{"no schema", `{"tool": "something else"}`, "no schema version"},
		{"cucumber json", `[{"uri": "users/create.feature"}]`, "read results.json"},
		{"truncated", `{"schema": 1, "scenarios": [`, "read results.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// TestJUnitParsesAndCounts checks that junit.xml is well-formed and that its
// counts, overall and per suite, match the run's, undefined included.
func TestJUnitParsesAndCounts(t *testing.T) {
	r := sample()
	r.Scenarios = append(r.Scenarios, Scenario{ID: "features/groups/members.feature:4", Name: "adding a member", Feature: "Members",
		Area: "groups", Status: Undefined, Steps: []Step{{Text: "a group with a member", Status: Undefined}}})
	var doc junitSuites
	if err := xml.Unmarshal(render(t, JUnit, r), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	tot := r.Totals()
	if doc.Tests != tot.Total || doc.Failures != tot.Failed || doc.Errors != tot.Errored+tot.Undefined || doc.Skipped != tot.Skipped {
		t.Errorf("testsuites counts tests=%d failures=%d errors=%d skipped=%d, want %+v", doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tot)
	}
	areas := r.Areas()
	if len(doc.Suites) != len(areas) {
		t.Fatalf("%d suites, want one per area (%d)", len(doc.Suites), len(areas))
	}
	for i, s := range doc.Suites {
		a := areas[i]
		var failures, errs, skips int
		for _, c := range s.Cases {
			failures += btoi(c.Failure != nil)
			errs += btoi(c.Error != nil)
			skips += btoi(c.Skipped != nil)
		}
		if s.Name != a.Area || s.Tests != a.Total || len(s.Cases) != a.Total || s.Failures != a.Failed || failures != a.Failed ||
			s.Errors != a.Errored+a.Undefined || errs != s.Errors || s.Skipped != a.Skipped || skips != a.Skipped {
			t.Errorf("suite %s: tests=%d failures=%d errors=%d skipped=%d, want %+v", s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, a)
		}
	}
	suite := func(name string) junitSuite {
		for _, s := range doc.Suites {
			if s.Name == name {
				return s
			}
		}
		t.Fatalf("no suite %s", name)
		return junitSuite{}
	}
	undefined := suite("groups").Cases[0].Error
	if undefined == nil || undefined.Type != "undefined" || undefined.Message != "undefined step: a group with a member" {
		t.Errorf("an undefined scenario became %+v", undefined)
	}
	uniq := suite("users").Cases[1]
	if uniq.Failure == nil || uniq.Failure.Type != "violation" || len(uniq.Properties) != 4 || uniq.Properties[1].Value != "rfc7644-3.3" ||
		uniq.Properties[3] != (junitProperty{Name: "verdict", Value: "violation"}) {
		t.Errorf("the violation lost its type, clauses or verdict: %+v", uniq)
	}
	pre := suite("patch").Cases[0]
	if pre.Error == nil || pre.Error.Type != "could-not-check" || !strings.Contains(pre.Error.Body, "precondition checked by features/users/create.feature:6") {
		t.Errorf("a precondition that failed became %+v", pre.Error)
	}
	warn := suite("pagination").Cases[0]
	if warn.Failure != nil || warn.Error != nil || warn.Skipped != nil || warn.SystemOut == nil || !strings.HasPrefix(warn.SystemOut.Body, "warning: expected u1") {
		t.Errorf("a warning is not a passing testcase with the warning in system-out: %+v", warn)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// special is a run whose every string is hostile to XML or Markdown.
func special() Run {
	const nasty = "a <b> & c | d `e` ]]> f\x00g"
	return Run{
		Target: Target{SCIMURL: "http://x/`scim`", Faults: []string{"f|g"}, Liberties: []string{"l|m"}},
		Scenarios: []Scenario{{ID: "features/x.feature:1", Name: nasty, Feature: nasty, Area: "a|b", Status: Failed,
			Clauses: []Clause{{ID: "c&1", Title: "T <1> | `t`", URL: "https://example.com/a (b)", Requirement: nasty}},
			Failure: &Failure{Kind: Violation, Step: nasty, Message: nasty, Expected: []string{nasty}, Actual: nasty},
			Exchanges: []Exchange{{Method: "POST", URL: "http://x/Users", RequestBody: "```\n" + nasty, Status: 400,
				ResponseHeaders: map[string][]string{"X-A": {nasty}}, ResponseBody: "````"}}}},
		Cleanup: Cleanup{Leftovers: []string{nasty}},
	}
}

// TestEscaping: strings with <, &, |, backticks, "]]>" and a control
// character come through junit.xml intact and stay inert in summary.md.
func TestEscaping(t *testing.T) {
	r := special()
	nasty := r.Scenarios[0].Name
	readable := strings.ReplaceAll(nasty, "\x00", "\uFFFD") // XML 1.0 cannot carry NUL at all
	var doc junitSuites
	if err := xml.Unmarshal(render(t, JUnit, r), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	c := doc.Suites[0].Cases[0]
	if c.Name != readable || c.Classname != "a|b."+readable || c.Failure.Message != readable || c.Properties[0].Value != "c&1" {
		t.Errorf("junit attributes changed: %+v", c)
	}
	if !strings.Contains(c.Failure.Body, "Expected: "+readable) || !strings.Contains(c.Failure.Body, "```\n"+readable) {
		t.Errorf("junit body changed:\n%s", c.Failure.Body)
	}

	md := string(render(t, Markdown, r))
	for _, want := range []string{
		"| a\\|b | 0 | 1 | 0 | 0 | 0 | ❌ failed |", // the cell's pipe escaped, the row keeps 7 columns
		"- **a &lt;b&gt; &amp; c \\| d \\`e\\` \\]\\]&gt; f\x00g**",
		"### [T &lt;1&gt; \\| \\`t\\`](https://example.com/a%20%28b%29)",
		"with faults `f|g` with liberties `l|m`",
		"`` http://x/`scim` ``", // a code span longer than the backticks inside
		"  `````http\n",         // a fence longer than the body's ````
		"> - a &lt;b&gt;",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary.md lacks %q:\n%s", want, md)
		}
	}
	if prose := outsideFences(md); strings.Contains(prose, "<b>") {
		t.Errorf("an HTML tag reached summary.md unescaped:\n%s", prose)
	}

	text := string(render(t, Text, r))
	if strings.Contains(text, "\x00") || !strings.Contains(text, "× a <b> & c | d `e` ]]> f\\x00g") {
		t.Errorf("a control character reached the terminal:\n%q", text)
	}
}

// outsideFences drops fenced code blocks, where anything is literal.
func outsideFences(md string) string {
	var out []string
	fence := "" // the open fence, "" outside one
	for line := range strings.Lines(md) {
		l := strings.TrimSpace(line)
		switch {
		case fence == "" && strings.HasPrefix(l, "```"):
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
		case fence != "" && strings.Trim(l, "`") == "" && len(l) >= len(fence):
			fence = ""
		case fence == "":
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

func TestCountsString(t *testing.T) {
	for _, tc := range []struct {
		c    Counts
		want string
	}{
		{Counts{Total: 62, Passed: 59, Failed: 2, Skipped: 1}, "62 scenarios: 59 passed, 2 violations, 0 warnings, 0 could not check, 1 skipped"},
		{Counts{Total: 1, Passed: 1}, "1 scenario: 1 passed, 0 violations, 0 warnings, 0 could not check, 0 skipped"},
		{Counts{Total: 5, Passed: 1, Failed: 1, Warned: 1, Errored: 1, Undefined: 1}, "5 scenarios: 1 passed, 1 violation, 1 warning, 1 could not check, 0 skipped, 1 undefined"},
		{Counts{Total: 2, Errored: 2}, "2 scenarios: 0 passed, 0 violations, 0 warnings, 2 could not check, 0 skipped"},
		{Counts{}, "0 scenarios: 0 passed, 0 violations, 0 warnings, 0 could not check, 0 skipped"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestAreas(t *testing.T) {
	r := Run{Scenarios: []Scenario{
		{Area: "users", Status: Passed}, {Area: "filters", Status: Skipped}, {Area: "users", Status: Errored},
		{Area: "groups", Status: Passed}, {Area: "filters", Status: Skipped}, {Area: "patch", Status: Undefined},
	}}
	var got []string
	for _, a := range r.Areas() {
		got = append(got, fmt.Sprintf("%s %d/%d %s", a.Area, a.Passed, a.Total, a.Status()))
	}
	want := []string{"users 1/2 failed", "filters 0/2 skipped", "groups 1/1 passed", "patch 0/1 undefined"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("areas = %q, want %q", got, want)
	}
}

func TestFold(t *testing.T) {
	if s := strings.Repeat("a", foldAt); fold(s) != s {
		t.Error("a body of exactly 4 KiB was folded")
	}
	long := strings.Repeat("a", foldAt-1) + "é" + strings.Repeat("b", 99) // é straddles the cut
	got := fold(long)
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "\n… (101 bytes more)") || !strings.HasPrefix(got, strings.Repeat("a", foldAt-1)+"\n") {
		t.Errorf("fold cut badly: ...%q", got[foldAt-10:])
	}
}

// TestMarkdownFitsStepSummary: a run with many large failures still fits
// $GITHUB_STEP_SUMMARY and says what it left out.
func TestMarkdownFitsStepSummary(t *testing.T) {
	r := sample()
	big := r.Scenarios[1]
	big.Exchanges = append(big.Exchanges, Exchange{Method: "GET", URL: "http://x/Users", Status: 200, ResponseBody: strings.Repeat("x", 8<<10)})
	for range 1000 {
		r.Scenarios = append(r.Scenarios, big)
	}
	md := render(t, Markdown, r)
	if len(md) > summaryLimit {
		t.Errorf("summary.md is %d bytes, over GitHub's %d", len(md), summaryLimit)
	}
	for _, want := range []string{"not shown to fit the job summary", "left out to fit the job summary", "## Could not check", "## Cleanup"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
}

func TestVerdict(t *testing.T) {
	r := sample()
	if r.Verdict() != Failed {
		t.Errorf("verdict = %s, want failed", r.Verdict())
	}
	r.Scenarios = r.Scenarios[:1]
	if r.Verdict() != Passed {
		t.Errorf("verdict = %s, want passed", r.Verdict())
	}
	r.Scenarios = append(r.Scenarios, Scenario{Status: Skipped})
	if r.Verdict() != Passed {
		t.Errorf("a skipped scenario failed the run")
	}
	r.Scenarios = append(r.Scenarios, Scenario{Status: Warned})
	if r.Verdict() != Warned {
		t.Errorf("verdict = %s with a warning and no failure, want warning", r.Verdict())
	}
	r.Scenarios = append(r.Scenarios, Scenario{Status: Undefined})
	if r.Verdict() == Passed {
		t.Errorf("an undefined scenario passed the run")
	}
	if (Run{Notes: []string{"cannot reach"}}).Verdict() != Errored {
		t.Errorf("a run that could not start did not error")
	}
}

// TestHTMLIsSelfContained: no external asset, nothing unescaped.
func TestHTMLIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, sample()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script src", "<link ", "@import", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("report.html loads an external asset: %s", bad)
		}
	}
	if strings.Contains(page, "<is> refused") {
		t.Error("a scenario name reached the page unescaped")
	}
	for _, want := range []string{`id="verdict"`, "Microsoft Entra ID", "not tested", `data-status="failed"`, "Bearer [REDACTED]", "<svg"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
}
