package reports

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
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
				Failure:   &Failure{Kind: Error, Step: "I GET /Users without credentials", Message: "the target did not answer within 10s"},
				Exchanges: []Exchange{{Method: "GET", URL: "http://127.0.0.1:18080/scim/v2/Users", Err: "the target did not answer within 10s"}}},
			{ID: "features/protocol/etags.feature:12", Name: "a read returns the version", Feature: "Versions and ETags", Area: "protocol",
				URI: "protocol/etags.feature", Line: 12, Tags: []string{"rfc7644-3.14"}, Status: Skipped,
				Steps: []Step{{Text: "the target supports ETags", Status: Skipped}, {Text: "skipped: the target does not claim ETags", Status: Skipped}}},
		},
		Cleanup: Cleanup{Deleted: 3, Leftovers: []string{"Users/7 (ada#upper): 500 Internal Server Error"}},
		Notes:   []string{"the profile says etag is not supported but the target's discovery says supported; testing as the profile says"},
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

func TestRenderers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		render func(*bytes.Buffer, Run) error
	}{
		{"TestJUnit_failing", func(b *bytes.Buffer, r Run) error { return JUnit(b, r) }},
		{"TestMarkdown_failing", func(b *bytes.Buffer, r Run) error { return Markdown(b, r) }},
		{"TestText_failing", func(b *bytes.Buffer, r Run) error { return Text(b, r) }},
		{"TestJSON_failing", func(b *bytes.Buffer, r Run) error { return WriteJSON(b, r) }},
		{"TestHTML_failing", func(b *bytes.Buffer, r Run) error { return HTML(b, r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.render(&b, sample()); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if want := sample(); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the run:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadJSONRefusesNewerSchema(t *testing.T) {
	_, err := ReadJSON(strings.NewReader(`{"schema": 99}`))
	if err == nil || !strings.Contains(err.Error(), "schema 99") {
		t.Fatalf("err = %v, want a schema error", err)
	}
}

// TestJUnitParsesAndCounts checks the XML is well-formed, special
// characters included, and that its counts match the run's.
func TestJUnitParsesAndCounts(t *testing.T) {
	var b bytes.Buffer
	r := sample()
	if err := JUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	tot := r.Totals()
	if doc.Tests != tot.Total || doc.Failures != tot.Failed || doc.Errors != tot.Errored || doc.Skipped != tot.Skipped {
		t.Errorf("counts %+v, want %+v", doc, tot)
	}
	var failure *junitProblem
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failure = c.Failure
			}
		}
	}
	if failure == nil || !strings.Contains(failure.Body, `a & b < c | d`) || failure.Type != "violation" {
		t.Errorf("the violation did not survive escaping: %+v", failure)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := Markdown(&b, sample()); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if !strings.Contains(md, `differs only in case \| &lt;is&gt; refused`) {
		t.Errorf("a scenario name with | and <> is not escaped:\n%s", md)
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
