package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname  string          `xml:"classname,attr"`
	Name       string          `xml:"name,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitProblem   `xml:"failure,omitempty"`
	Error      *junitProblem   `xml:"error,omitempty"`
	Skipped    *junitSkipped   `xml:"skipped,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes junit.xml: a testsuite per area, a testcase per scenario. A
// target's violation is a <failure>; a check the harness could not make,
// or an undefined step, is an <error>.
func JUnit(w io.Writer, r Run) error {
	total := r.Totals()
	doc := junitSuites{Name: "idpconform", Tests: total.Total, Failures: total.Failed,
		Errors: total.Errored + total.Undefined, Skipped: total.Skipped, Time: seconds(r.duration())}
	index := map[string]int{}
	for _, s := range r.Scenarios {
		i, ok := index[s.Area]
		if !ok {
			i = len(doc.Suites)
			index[s.Area] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: s.Area})
		}
		suite := &doc.Suites[i]
		c := junitCase{Classname: s.Area + "." + s.Feature, Name: s.Name, Time: seconds(s.Duration.Seconds())}
		for _, cl := range s.Clauses {
			c.Properties = append(c.Properties, junitProperty{Name: "clause", Value: cl.ID})
		}
		c.Properties = append(c.Properties, junitProperty{Name: "location", Value: s.ID})
		suite.Tests++
		switch s.Status {
		case Failed:
			suite.Failures++
			c.Failure = &junitProblem{Message: message(s), Type: "violation", Body: problemBody(s)}
		case Errored, Undefined:
			suite.Errors++
			c.Error = &junitProblem{Message: message(s), Type: string(s.Status), Body: problemBody(s)}
		case Skipped:
			suite.Skipped++
			c.Skipped = &junitSkipped{Message: skipReason(s)}
		}
		suite.Cases = append(suite.Cases, c)
	}
	for i := range doc.Suites {
		var t float64
		for _, s := range r.Scenarios {
			if s.Area == doc.Suites[i].Name {
				t += s.Duration.Seconds()
			}
		}
		doc.Suites[i].Time = seconds(t)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("reports: junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

func (r Run) duration() float64 {
	if r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt).Seconds()
}

func message(s Scenario) string {
	if s.Failure == nil {
		return string(s.Status)
	}
	return s.Failure.Message
}

func skipReason(s Scenario) string {
	for _, st := range s.Steps {
		if strings.HasPrefix(st.Text, "skipped: ") {
			return strings.TrimPrefix(st.Text, "skipped: ")
		}
	}
	return "skipped"
}

// problemBody is the text a CI system shows under a failing test: what the
// scenario stands for, where it broke, and the exchanges behind it.
func problemBody(s Scenario) string {
	var b strings.Builder
	for _, c := range s.Clauses {
		fmt.Fprintf(&b, "%s: %s\n", c.Title, c.Requirement)
	}
	fmt.Fprintf(&b, "at %s\n", s.ID)
	if f := s.Failure; f != nil {
		if f.Step != "" {
			fmt.Fprintf(&b, "step: %s\n", f.Step)
		}
		for _, e := range f.Expected {
			fmt.Fprintf(&b, "expected: %s\n", e)
		}
		if f.Actual != "" {
			fmt.Fprintf(&b, "actual: %s\n", f.Actual)
		}
	}
	for i, x := range s.Exchanges {
		fmt.Fprintf(&b, "\n#%d %s", i+1, exchangeText(x))
	}
	return b.String()
}

// exchangeText renders one exchange as plain text, long bodies folded.
func exchangeText(x Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", x.Method, x.URL)
	writeHeaders(&b, x.RequestHeaders)
	if x.RequestBody != "" {
		fmt.Fprintf(&b, "\n%s\n", fold(x.RequestBody))
	}
	if x.Err != "" {
		fmt.Fprintf(&b, "-> no answer: %s\n", x.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "-> %d\n", x.Status)
	writeHeaders(&b, x.ResponseHeaders)
	if x.ResponseBody != "" {
		fmt.Fprintf(&b, "\n%s\n", fold(x.ResponseBody))
	}
	return b.String()
}

func writeHeaders(b *strings.Builder, h map[string][]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(b, "%s: %s\n", k, strings.Join(h[k], ", "))
	}
}

// foldAt is where long bodies are cut in reports meant for reading.
const foldAt = 4 << 10

func fold(s string) string {
	if len(s) <= foldAt {
		return s
	}
	return s[:foldAt] + fmt.Sprintf("\n… (%d bytes more)", len(s)-foldAt)
}
