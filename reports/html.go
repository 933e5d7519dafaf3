package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
)

//go:embed html.tmpl
var htmlTemplate string

// idps are the identity providers the compatibility matrix shows, by the
// tag their scenarios carry.
var idps = []struct{ Tag, Name string }{
	{"okta", "Okta"}, {"entra", "Microsoft Entra ID"}, {"google", "Google Workspace"}, {"onelogin", "OneLogin"},
}

// htmlView is what html.tmpl renders: the run plus what the page derives.
type htmlView struct {
	ChartHeight int
	Run         Run
	Verdict     Status
	Totals      Counts
	Areas       []areaBar
	IdPs        []idpCell
	Failing     []Scenario
	Passing     []Scenario
	AreaList    []string
}

type areaBar struct {
	AreaSummary
	Y                                int // row offset in the chart
	PassW, FailW, WarnW, ErrW, SkipW int // bar widths in px
	FailX, WarnX, ErrX, SkipX        int // where each part starts
	LabelX                           int
}

type idpCell struct {
	Name, Tag string
	Tested    int
	Issues    int
}

// Verdict is the cell's text: "compatible", "3 issues" or "not tested".
func (c idpCell) Verdict() string {
	switch {
	case c.Tested == 0:
		return "not tested"
	case c.Issues == 0:
		return "compatible"
	case c.Issues == 1:
		return "1 issue"
	}
	return fmt.Sprintf("%d issues", c.Issues)
}

// HTML writes report.html: one self-contained page (no external assets)
// with the verdict, scores per area as an inline SVG chart, the IdP
// compatibility matrix, every failure with its clause and exchanges, the
// passing scenarios folded, and filters by area, IdP and status.
func HTML(w io.Writer, r Run) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"idpsOf": idpsOf,
		"impactOf": func(s Scenario) string {
			for _, c := range s.Clauses {
				if c.Impact != "" {
					return c.Impact
				}
			}
			return ""
		},
		"join":    strings.Join,
		"fold":    fold,
		"headers": headerLines,
		"lower":   func(s Status) string { return strings.ToLower(string(s)) },
		"add":     func(a, b int) int { return a + b },
		"verdict": verdictName,
		"seeAlso": seeAlso,
	}).Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("reports: html template: %w", err)
	}
	v := htmlView{Run: r, Verdict: r.Verdict(), Totals: r.Totals()}
	for i, a := range r.Areas() {
		const width, left, row = 360, 120, 24
		scale := func(n int) int { return n * width / max(a.Total, 1) }
		b := areaBar{AreaSummary: a, Y: i * row, PassW: scale(a.Passed), FailW: scale(a.Failed), WarnW: scale(a.Warned),
			ErrW: scale(a.Errored + a.Undefined), SkipW: scale(a.Skipped)}
		b.FailX = left + b.PassW
		b.WarnX = b.FailX + b.FailW
		b.ErrX = b.WarnX + b.WarnW
		b.SkipX = b.ErrX + b.ErrW
		b.LabelX = left + width + 10
		v.Areas = append(v.Areas, b)
		v.AreaList = append(v.AreaList, a.Area)
		v.ChartHeight = (i + 1) * row
	}
	for _, idp := range idps {
		c := idpCell{Name: idp.Name, Tag: idp.Tag}
		for _, s := range r.Scenarios {
			if slices.Contains(s.Tags, idp.Tag) && s.Status != Skipped {
				c.Tested++
				if bad(s.Status) {
					c.Issues++
				}
			}
		}
		v.IdPs = append(v.IdPs, c)
	}
	for _, s := range r.Scenarios {
		if bad(s.Status) || s.Status == Warned {
			v.Failing = append(v.Failing, s)
		} else {
			v.Passing = append(v.Passing, s)
		}
	}
	return t.Execute(w, v)
}

// verdictName is how the page names a status: the three verdicts in words.
func verdictName(s Status) string {
	switch s {
	case Failed:
		return "violation"
	case Warned:
		return "warning"
	case Errored:
		return "could not check"
	}
	return string(s)
}

// idpsOf names the IdP tags a scenario carries, for the page's filter.
func idpsOf(s Scenario) string {
	var out []string
	for _, idp := range idps {
		if slices.Contains(s.Tags, idp.Tag) {
			out = append(out, idp.Tag)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " ")
}

func headerLines(h map[string][]string) string {
	var b strings.Builder
	writeHeaders(&b, h)
	return b.String()
}
