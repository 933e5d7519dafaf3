package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// junitSuites and the types below are junit.xml as Jenkins, GitLab and
// GitHub test reporters read it.
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
	SystemOut  *junitOutput    `xml:"system-out,omitempty"`
}

type junitOutput struct {
	Body string `xml:",cdata"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitProblem's body is CDATA so junit.xml stays readable: line breaks
// and quotes as they are, not as &#xA; and &#34;. encoding/xml splits any
// "]]>" in it; xmlChars removes what CDATA cannot hold.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes junit.xml: a testsuite per area, a testcase per scenario
// with its clause ids and verdict as properties. A violation is a
// <failure>; a scenario that could not be checked, or an undefined step,
// is an <error>: CI systems (Jenkins, GitLab, GitHub reporters) show both
// as red, told apart, where a <skipped> would hide a gap that fails the
// run. A warning is a passing testcase whose <system-out> holds the
// warning, with the property verdict=warning: it shows without failing.
func JUnit(w io.Writer, r Run) error {
	total := r.Totals()
	name := "idpconform"
	if r.View != "" {
		name += " (" + r.View + " view)"
	}
	doc := junitSuites{Name: name, Tests: total.Total, Failures: total.Failed,
		Errors: total.Errored + total.Undefined, Skipped: total.Skipped, Time: seconds(r.duration())}
	index := map[string]int{}
	suiteTime := map[string]float64{}
	for _, s := range r.Scenarios {
		i, ok := index[s.Area]
		if !ok {
			i = len(doc.Suites)
			index[s.Area] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: s.Area})
		}
		suite := &doc.Suites[i]
		suiteTime[s.Area] += s.Duration.Seconds()
		c := junitCase{Classname: s.Area + "." + s.Feature, Name: s.Name, Time: seconds(s.Duration.Seconds())}
		for _, cl := range s.Clauses {
			c.Properties = append(c.Properties, junitProperty{Name: "clause", Value: cl.ID})
		}
		c.Properties = append(c.Properties, junitProperty{Name: "location", Value: location(s)})
		suite.Tests++
		if s.Failure != nil {
			c.Properties = append(c.Properties, junitProperty{Name: "verdict", Value: string(s.Failure.Kind)})
		}
		switch {
		case s.Status == Passed:
		case isWarning(s.Status):
			c.SystemOut = &junitOutput{Body: xmlChars("warning: " + message(s) + "\n" + problemBody(s))}
		case s.Status == Skipped:
			suite.Skipped++
			c.Skipped = &junitSkipped{Message: skipReason(s)}
		case isFailure(s.Status):
			suite.Failures++
			c.Failure = &junitProblem{Message: message(s), Type: "violation", Body: xmlChars(problemBody(s))}
		default:
			suite.Errors++
			kind := "could-not-check"
			if s.Status == Undefined {
				kind = "undefined"
			}
			c.Error = &junitProblem{Message: message(s), Type: kind, Body: xmlChars(problemBody(s))}
		}
		suite.Cases = append(suite.Cases, c)
	}
	for i := range doc.Suites {
		doc.Suites[i].Time = seconds(suiteTime[doc.Suites[i].Name])
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

// duration is the run's wall-clock time, which with concurrent scenarios
// is less than the sum of theirs.
func (r Run) duration() float64 {
	if r.StartedAt.IsZero() || r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt).Seconds()
}

// message is the one line a CI system shows for a test that did not pass.
func message(s Scenario) string {
	if s.Failure != nil && s.Failure.Message != "" {
		return s.Failure.Message
	}
	if s.Status == Undefined {
		if st := undefinedStep(s); st != "" {
			return "undefined step: " + st
		}
	}
	return string(s.Status)
}

// undefinedStep is the first step no step definition matched.
func undefinedStep(s Scenario) string {
	for _, st := range s.Steps {
		if st.Status == Undefined {
			return st.Text
		}
	}
	return ""
}

// skipReason is the reason the runner files as a last "skipped: " step.
func skipReason(s Scenario) string {
	for _, st := range s.Steps {
		if reason, ok := strings.CutPrefix(st.Text, "skipped: "); ok {
			return reason
		}
	}
	return "skipped"
}

// problemBody is the text a CI system shows under a failing test: what the
// scenario stands for, where it broke, and the exchanges behind it.
func problemBody(s Scenario) string {
	var b strings.Builder
	for _, c := range s.Clauses {
		if c.Requirement == "" {
			fmt.Fprintf(&b, "%s\n", c.Title)
			continue
		}
		fmt.Fprintf(&b, "%s: %s\n", c.Title, c.Requirement)
	}
	fmt.Fprintf(&b, "at %s\n", location(s))
	if f := s.Failure; f != nil {
		if f.Step != "" {
			fmt.Fprintf(&b, "step: %s\n", f.Step)
		}
		if f.Clause != nil {
			fmt.Fprintf(&b, "filed under: %s\n", f.Clause.Title)
		}
		if f.Kind != CouldNotCheck && len(f.Expected) > 0 {
			for _, e := range f.Expected {
				fmt.Fprintf(&b, "Expected: %s\n", e)
			}
			fmt.Fprintf(&b, "  Actual: %s\n", f.Actual)
		} else {
			fmt.Fprintf(&b, "Error: %s\n", f.Message)
		}
		if see := seeAlso(f); see != "" {
			fmt.Fprintf(&b, "precondition %s\n", see)
		}
	} else if st := undefinedStep(s); st != "" {
		fmt.Fprintf(&b, "undefined step: %s\n", st)
	}
	for i, x := range s.Exchanges {
		fmt.Fprintf(&b, "\n#%d %s", i+1, exchangeText(x))
	}
	return b.String()
}

// exchangeText renders one exchange as plain text, long bodies folded:
// the request line, headers and body, then "-> status", headers and body.
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
	fmt.Fprintf(&b, "-> %s\n", strings.TrimSpace(fmt.Sprintf("%d %s", x.Status, http.StatusText(x.Status))))
	writeHeaders(&b, x.ResponseHeaders)
	if x.ResponseBody != "" {
		fmt.Fprintf(&b, "\n%s\n", fold(x.ResponseBody))
	}
	return b.String()
}

// writeHeaders writes headers sorted by name, so reports are stable.
func writeHeaders(b *strings.Builder, h map[string][]string) {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(b, "%s: %s\n", k, strings.Join(h[k], ", "))
	}
}

// foldAt is where long bodies are cut in reports meant for reading;
// results.json keeps them whole.
const foldAt = 4 << 10

// fold keeps the first foldAt bytes of s, cut on a rune boundary so the
// report stays valid UTF-8, and says how much it left out.
func fold(s string) string {
	if len(s) <= foldAt {
		return s
	}
	cut := foldAt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n… (%d bytes more)", len(s)-cut)
}

// xmlChars replaces what XML 1.0 cannot carry at all, escaped or not
// (control characters, invalid UTF-8), with U+FFFD, as encoding/xml does
// for attributes and character data but not for CDATA.
func xmlChars(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
