package reports

import (
	"fmt"
	"io"
	"strings"
)

// summaryLimit is what GitHub accepts in $GITHUB_STEP_SUMMARY per step
// (1 MiB); past it the whole summary is dropped, so Markdown stays under.
const summaryLimit = 1 << 20

// Past these sizes Markdown drops exchanges, then whole scenarios, and
// points to report.html and results.json, which keep everything.
const (
	mdExchangesUpTo = summaryLimit * 3 / 4
	mdScenariosUpTo = summaryLimit - 128<<10
)

// Markdown writes summary.md, sized for a CI job summary
// ($GITHUB_STEP_SUMMARY): the verdict and target, the totals, a table of
// areas (its "could not check" column counts undefined scenarios too), the
// violations, warnings and scenarios that could not be checked grouped by
// clause with their exchanges folded, cleanup and notes.
func Markdown(w io.Writer, r Run) error {
	var b strings.Builder
	verdict := r.Verdict()
	icon := statusIcon(verdict)
	fmt.Fprintf(&b, "# %s idpconform: %s\n\n", icon, verdict)
	if r.Stopped != "" {
		fmt.Fprintf(&b, "> [!CAUTION]\n> **The run stopped before any scenario: nothing was checked.** %s\n\n", mdText(r.Stopped))
	}
	b.WriteString("Target: ")
	if r.Target.Name != "" {
		fmt.Fprintf(&b, "**%s** ", mdText(r.Target.Name))
	}
	if r.Target.SCIMURL != "" {
		b.WriteString(mdCode(r.Target.SCIMURL))
	} else {
		b.WriteString("(SSO only: no SCIM endpoint)")
	}
	if r.Target.Reference {
		b.WriteString(" (built-in reference target)")
	}
	for _, named := range []struct {
		what  string
		names []string
	}{{"faults", r.Target.Faults}, {"liberties", r.Target.Liberties}} {
		if len(named.names) > 0 {
			codes := make([]string, len(named.names))
			for i, f := range named.names {
				codes[i] = mdCode(f)
			}
			fmt.Fprintf(&b, " with %s %s", named.what, strings.Join(codes, ", "))
		}
	}
	// Two trailing spaces: a line break that keeps target, view and
	// totals in one paragraph.
	fmt.Fprintf(&b, "  \n%s  \n%s", mdText(r.ViewLine()), r.Totals())
	if r.Tags != "" {
		fmt.Fprintf(&b, " (tags %s)", mdCode(r.Tags))
	}
	b.WriteString("\n\n")
	if areas := r.Areas(); len(areas) > 0 {
		b.WriteString("| area | passed | violations | warnings | could not check | skipped | status |\n|---|---:|---:|---:|---:|---:|---|\n")
		for _, a := range areas {
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s %s |\n", mdText(a.Area), a.Passed, a.Failed, a.Warned, a.Errored+a.Undefined, a.Skipped, statusIcon(a.Status()), a.Status())
		}
		b.WriteString("\n")
	}
	omitted := 0
	markdownGroups(&b, "Violations", "The target breaks a MUST of these clauses.", r.byClause(isFailure), &omitted)
	markdownGroups(&b, "Warnings", "A SHOULD, or a risk with a named IdP: shown and counted, they do not fail the run unless `--fail-on warnings`.", r.byClause(isWarning), &omitted)
	markdownGroups(&b, "Could not check", "A precondition failed or the target did not answer: these scenarios say nothing about their clause yet, and fail the run until they can be checked.", r.byClause(isError), &omitted)
	if omitted > 0 {
		fmt.Fprintf(&b, "_%s not shown to fit the job summary; report.html and results.json have them all._\n\n", plural(omitted, "more scenario", "more scenarios"))
	}
	if len(r.Features) > 0 {
		b.WriteString("## Optional features\n\nScenarios that need a feature the target does not support are skipped.\n\n| feature | supported | according to |\n|---|---|---|\n")
		for _, f := range r.Features {
			yes := "no"
			if f.Supported {
				yes = "yes"
			}
			fmt.Fprintf(&b, "| %s (`features.%s`) | %s | %s |\n", mdText(f.Label), f.Key, yes, mdText(f.Where))
		}
		b.WriteString("\n")
	}
	if c := r.Cleanup; c.Deleted > 0 || len(c.Leftovers) > 0 {
		b.WriteString("## Cleanup\n\n")
		if c.Deleted > 0 {
			fmt.Fprintf(&b, "Removed %s the run created, each read back as gone.\n\n", plural(c.Deleted, "resource", "resources"))
		}
		if len(c.Leftovers) > 0 {
			fmt.Fprintf(&b, "> [!WARNING]\n> %s may remain on the target; remove by hand:\n", plural(len(c.Leftovers), "resource", "resources"))
			for _, l := range c.Leftovers {
				fmt.Fprintf(&b, "> - %s\n", mdText(l))
			}
			b.WriteString("\n")
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("## Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", mdText(n))
		}
		b.WriteString("\n")
	}
	// Every block above ends with a blank line; the file ends with one
	// line break.
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// markdownGroups writes one section of scenarios grouped by clause, h2spec
// style: the clause linked to its text, its requirement and impact, then
// each scenario. Past the size limits it counts scenarios in omitted
// instead of writing them.
func markdownGroups(b *strings.Builder, heading, intro string, groups []clauseGroup, omitted *int) {
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(b, "## %s\n\n", heading)
	if intro != "" {
		fmt.Fprintf(b, "%s\n\n", intro)
	}
	for _, g := range groups {
		if b.Len() > mdScenariosUpTo {
			*omitted += len(g.Scenarios)
			continue
		}
		title := mdText(g.Clause.Title)
		if g.Clause.URL != "" {
			title = fmt.Sprintf("[%s](%s)", title, mdURL.Replace(g.Clause.URL))
		}
		fmt.Fprintf(b, "### %s\n\n", title)
		if g.Clause.Requirement != "" {
			fmt.Fprintf(b, "> %s\n", mdText(g.Clause.Requirement))
			if g.Clause.Impact != "" {
				fmt.Fprintf(b, ">\n> **Why it matters:** %s\n", mdText(g.Clause.Impact))
			}
			b.WriteString("\n")
		}
		for _, s := range g.Scenarios {
			if b.Len() > mdScenariosUpTo {
				*omitted++
				continue
			}
			markdownScenario(b, s, b.Len() <= mdExchangesUpTo)
		}
	}
}

// markdownScenario writes one scenario as a list item: name and location,
// the failing step, what was expected and what came, and the exchanges in
// a <details> block, folded so a long failure list stays scannable.
func markdownScenario(b *strings.Builder, s Scenario, exchanges bool) {
	fmt.Fprintf(b, "- **%s** %s%s\n", mdText(s.Name), mdCode(location(s)), mdText(alsoCites(s)))
	var detail []string
	if f := s.Failure; f != nil {
		if f.Step != "" {
			fmt.Fprintf(b, "  - step: %s\n", mdText(f.Step))
		}
		if f.Kind != CouldNotCheck && len(f.Expected) > 0 {
			for _, e := range f.Expected {
				detail = append(detail, "Expected: "+fold(e))
			}
			detail = append(detail, "  Actual: "+fold(f.Actual))
		} else {
			detail = append(detail, "Error: "+fold(f.Message))
		}
		if see := seeAlso(f); see != "" {
			fmt.Fprintf(b, "  - precondition %s\n", mdText(see))
		}
	} else if st := undefinedStep(s); st != "" {
		fmt.Fprintf(b, "  - undefined step: %s\n", mdText(st))
	}
	if len(detail) > 0 {
		b.WriteString("\n")
		fenced(b, "text", strings.Join(detail, "\n"))
	}
	switch {
	case len(s.Exchanges) == 0:
	case !exchanges:
		fmt.Fprintf(b, "\n  _%s left out to fit the job summary._\n", plural(len(s.Exchanges), "HTTP exchange", "HTTP exchanges"))
	default:
		fmt.Fprintf(b, "\n  <details><summary>%s</summary>\n\n", plural(len(s.Exchanges), "HTTP exchange", "HTTP exchanges"))
		parts := make([]string, len(s.Exchanges))
		for i, x := range s.Exchanges {
			parts[i] = fmt.Sprintf("#%d %s", i+1, strings.TrimRight(exchangeText(x), "\n"))
		}
		fenced(b, "http", strings.Join(parts, "\n\n"))
		b.WriteString("\n  </details>\n")
	}
	b.WriteString("\n")
}

// fenced writes text as a fenced code block inside a list item. The fence
// is longer than any backtick run in the text, so a body cannot close it.
func fenced(b *strings.Builder, lang, text string) {
	f := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	fmt.Fprintf(b, "  %s%s\n  %s\n  %s\n", f, lang, strings.ReplaceAll(text, "\n", "\n  "), f)
}

func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := range len(s) {
		if s[i] != c {
			n = 0
			continue
		}
		n++
		longest = max(longest, n)
	}
	return longest
}

// mdEscaper backslash-escapes what Markdown would read as markup. '|'
// matters in table cells, '<' and '&' because GitHub passes HTML and
// entities through, newlines because they would end a list item or cell.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`",
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes text for Markdown prose, headings and table cells.
func mdText(s string) string { return mdEscaper.Replace(s) }

// mdCode makes s an inline code span: its delimiter is a backtick run
// longer than any inside s, padded with spaces when s starts or ends with
// a backtick, as CommonMark asks. Not for table cells, where '|' would
// still split the cell.
func mdCode(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	d := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return d + s + d
}

// mdURL keeps a link target in one piece: spaces and parentheses would end
// it early.
var mdURL = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

// statusIcon marks an area's status for a quick scan of the table.
func statusIcon(s Status) string {
	switch s {
	case Passed:
		return "✅"
	case Skipped:
		return "⏭️"
	case Undefined, Warned:
		return "⚠️"
	}
	return "❌"
}
