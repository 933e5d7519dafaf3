package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Text writes the end-of-run summary for a terminal: one line per area,
// then failures grouped by clause, h2spec style, then the totals.
func Text(w io.Writer, r Run) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, a := range r.Areas() {
		line := fmt.Sprintf("%s\t%d passed", a.Area, a.Passed)
		if n := a.Failed + a.Errored + a.Undefined; n > 0 {
			line += fmt.Sprintf("\t%d failed", n)
		}
		if a.Skipped > 0 {
			line += fmt.Sprintf("\t%d skipped", a.Skipped)
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if groups := r.byClause(); len(groups) > 0 {
		fmt.Fprintln(w, "\nFailures:")
		for _, g := range groups {
			fmt.Fprintf(w, "\n%s\n", g.Clause.Title)
			for _, s := range g.Scenarios {
				fmt.Fprintf(w, "  × %s  [%s]\n", s.Name, s.ID)
				if g.Clause.Requirement != "" {
					fmt.Fprintf(w, "    -> %s%s\n", g.Clause.Requirement, alsoCites(s))
				}
				writeFailure(w, s)
			}
		}
	}
	if len(r.Cleanup.Leftovers) > 0 {
		fmt.Fprintf(w, "\nCleanup could not remove %d resources (remove them by hand):\n", len(r.Cleanup.Leftovers))
		for _, l := range r.Cleanup.Leftovers {
			fmt.Fprintf(w, "  - %s\n", l)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	_, err := fmt.Fprintf(w, "\n%s\n", r.Totals())
	return err
}

func writeFailure(w io.Writer, s Scenario) {
	f := s.Failure
	if f == nil {
		fmt.Fprintf(w, "       Status: %s\n", s.Status)
		return
	}
	if f.Step != "" {
		fmt.Fprintf(w, "         Step: %s\n", f.Step)
	}
	if f.Kind == Error || len(f.Expected) == 0 {
		fmt.Fprintf(w, "        Error: %s\n", f.Message)
		return
	}
	for i, e := range f.Expected {
		label := "     Expected:"
		if i > 0 {
			label = "              "
		}
		fmt.Fprintf(w, "%s %s\n", label, e)
	}
	fmt.Fprintf(w, "       Actual: %s\n", strings.ReplaceAll(f.Actual, "\n", " "))
}
