package reports

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Text writes the end-of-run summary for a terminal, h2spec style and
// without colour: one line per area, the violations, warnings and the
// scenarios that could not be checked grouped by clause, cleanup
// leftovers, notes, and the totals line last,
// where the eye lands when the run ends. No exchanges: results.json and
// report.html have them.
func Text(w io.Writer, r Run) error {
	var b strings.Builder
	if r.Stopped != "" {
		fmt.Fprintf(&b, "%s\n", r.StoppedLine())
	}
	b.WriteString(areaTable(r.Areas()))
	textGroups(&b, "Violations:", "×", r.byClause(isFailure))
	textGroups(&b, "Warnings (they do not fail the run):", "!", r.byClause(isWarning))
	textGroups(&b, "Could not check (the clause is not blamed):", "?", r.byClause(isError))
	if n := len(r.Cleanup.Leftovers); n == 0 && r.Cleanup.Deleted > 0 {
		fmt.Fprintf(&b, "\nCleanup: removed %s the run created, each read back as gone.\n", plural(r.Cleanup.Deleted, "resource", "resources"))
	} else if n > 0 {
		fmt.Fprintf(&b, "\nCleanup: removed %s (each read back as gone); %s may remain on the target, remove by hand:\n",
			plural(r.Cleanup.Deleted, "resource", "resources"), plural(n, "resource", "resources"))
		for _, l := range r.Cleanup.Leftovers {
			fmt.Fprintf(&b, "  - %s\n", oneLine(l))
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", oneLine(n))
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", r.ViewLine(), r.Totals())
	_, err := io.WriteString(w, b.String())
	return err
}

// areaTable lines the areas up in columns: the name left-aligned, each
// count right-aligned so the numbers stack; a count that is zero leaves
// its column blank, except passed.
func areaTable(areas []AreaSummary) string {
	rows := make([][]string, len(areas))
	for i, a := range areas {
		count := func(n int, one, many string) string {
			if n == 0 {
				return ""
			}
			return plural(n, one, many)
		}
		rows[i] = []string{oneLine(a.Area), fmt.Sprintf("%d passed", a.Passed), count(a.Failed, "violation", "violations"),
			count(a.Warned, "warning", "warnings"), count(a.Errored, "could not check", "could not check"),
			count(a.Skipped, "skipped", "skipped"), count(a.Undefined, "undefined", "undefined")}
	}
	var widths [7]int
	for _, row := range rows {
		for j, cell := range row {
			widths[j] = max(widths[j], len([]rune(cell)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for j, cell := range row {
			if widths[j] == 0 {
				continue // a column no area needs
			}
			if j == 0 {
				fmt.Fprintf(&line, "%-*s", widths[j], cell)
				continue
			}
			fmt.Fprintf(&line, "  %*s", widths[j], cell)
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	return b.String()
}

// textGroups writes one section of scenarios grouped by clause.
func textGroups(b *strings.Builder, heading, mark string, groups []clauseGroup) {
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", heading)
	for _, g := range groups {
		fmt.Fprintf(b, "\n%s\n", oneLine(g.Clause.Title))
		for _, s := range g.Scenarios {
			fmt.Fprintf(b, "  %s %s  [%s]\n", mark, oneLine(s.Name), oneLine(location(s)))
			if g.Clause.Requirement != "" {
				fmt.Fprintf(b, "    -> %s%s\n", oneLine(g.Clause.Requirement), oneLine(alsoCites(s)))
			}
			textFailure(b, s)
		}
	}
}

// textFailure writes the labelled detail lines, labels right-aligned so
// the values start in one column.
func textFailure(b *strings.Builder, s Scenario) {
	label := func(l, v string) { fmt.Fprintf(b, "%16s %s\n", l, oneLine(v)) }
	f := s.Failure
	if f == nil {
		if st := undefinedStep(s); st != "" {
			label("Undefined:", st)
			return
		}
		label("Status:", string(s.Status))
		return
	}
	if f.Step != "" {
		label("Step:", f.Step)
	}
	if f.Kind == CouldNotCheck || len(f.Expected) == 0 {
		label("Error:", f.Message)
		if see := seeAlso(f); see != "" {
			label("Precondition:", see)
		}
		return
	}
	for i, e := range f.Expected {
		if i == 0 {
			label("Expected:", e)
		} else {
			label("", e)
		}
	}
	label("Actual:", f.Actual)
}

// oneLine keeps a value on its line and makes it safe for a terminal:
// line breaks and other control characters show escaped (\n, \x1b), so
// the layout holds and a target's answer cannot move the cursor or
// recolour the screen. Spaces stay as they are: they can be the very
// thing a scenario checks (padded userNames).
func oneLine(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
