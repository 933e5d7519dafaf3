package reports

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes summary.md, sized for a CI job summary
// ($GITHUB_STEP_SUMMARY): verdict, areas, failures by clause with their
// exchanges folded, cleanup and notes.
func Markdown(w io.Writer, r Run) error {
	var b strings.Builder
	icon := "✅"
	if r.Verdict() != Passed {
		icon = "❌"
	}
	fmt.Fprintf(&b, "# %s idpconform: %s\n\n", icon, r.Verdict())
	fmt.Fprintf(&b, "Target: `%s`", mdCode(r.Target.SCIMURL))
	if r.Target.Reference {
		b.WriteString(" (built-in reference target)")
	}
	if len(r.Target.Faults) > 0 {
		fmt.Fprintf(&b, " with faults %s", mdCode(strings.Join(r.Target.Faults, ", ")))
	}
	fmt.Fprintf(&b, "  \n%s", r.Totals())
	if r.Tags != "" {
		fmt.Fprintf(&b, " (tags `%s`)", mdCode(r.Tags))
	}
	b.WriteString("\n\n")
	if areas := r.Areas(); len(areas) > 0 {
		b.WriteString("| area | passed | failed | skipped | status |\n|---|---:|---:|---:|---|\n")
		for _, a := range areas {
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", mdCell(a.Area), a.Passed, a.Failed+a.Errored+a.Undefined, a.Skipped, a.Status())
		}
		b.WriteString("\n")
	}
	if groups := r.byClause(); len(groups) > 0 {
		b.WriteString("## Failures\n")
		for _, g := range groups {
			title := mdText(g.Clause.Title)
			if g.Clause.URL != "" {
				title = fmt.Sprintf("[%s](%s)", title, g.Clause.URL)
			}
			fmt.Fprintf(&b, "\n### %s\n\n", title)
			if g.Clause.Requirement != "" {
				fmt.Fprintf(&b, "> %s\n", mdText(g.Clause.Requirement))
				if g.Clause.Impact != "" {
					fmt.Fprintf(&b, ">\n> **Why it matters:** %s\n", mdText(g.Clause.Impact))
				}
				b.WriteString("\n")
			}
			for _, s := range g.Scenarios {
				markdownScenario(&b, s)
			}
		}
	}
	if r.Cleanup.Deleted > 0 || len(r.Cleanup.Leftovers) > 0 {
		fmt.Fprintf(&b, "\n## Cleanup\n\nRemoved %d resources the run created.\n", r.Cleanup.Deleted)
		if len(r.Cleanup.Leftovers) > 0 {
			fmt.Fprintf(&b, "\n> [!WARNING]\n> Could not remove %d resources; remove them by hand:\n", len(r.Cleanup.Leftovers))
			for _, l := range r.Cleanup.Leftovers {
				fmt.Fprintf(&b, "> - %s\n", mdText(l))
			}
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", mdText(n))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownScenario(b *strings.Builder, s Scenario) {
	fmt.Fprintf(b, "- **%s** `%s`%s\n", mdText(s.Name), mdCode(s.ID), mdText(alsoCites(s)))
	if f := s.Failure; f != nil {
		if f.Step != "" {
			fmt.Fprintf(b, "  - step: %s\n", mdText(f.Step))
		}
		b.WriteString("\n  ```text\n")
		if f.Kind == Error || len(f.Expected) == 0 {
			fmt.Fprintf(b, "  Error: %s\n", indent(f.Message))
		} else {
			for _, e := range f.Expected {
				fmt.Fprintf(b, "  Expected: %s\n", indent(e))
			}
			fmt.Fprintf(b, "    Actual: %s\n", indent(f.Actual))
		}
		b.WriteString("  ```\n")
	}
	if len(s.Exchanges) > 0 {
		fmt.Fprintf(b, "\n  <details><summary>%s</summary>\n\n  ```http\n", plural(len(s.Exchanges), "HTTP exchange", "HTTP exchanges"))
		for i, x := range s.Exchanges {
			fmt.Fprintf(b, "  #%d %s\n", i+1, indent(strings.TrimRight(exchangeText(x), "\n")))
		}
		b.WriteString("  ```\n\n  </details>\n")
	}
	b.WriteString("\n")
}

// indent keeps multi-line text inside a list item's code block, and breaks
// any fence inside it.
func indent(s string) string {
	s = strings.ReplaceAll(s, "```", "`\u200b``")
	return strings.ReplaceAll(s, "\n", "\n  ")
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "`", "\\`")

// mdText escapes text for Markdown prose and table cells.
func mdText(s string) string { return mdEscaper.Replace(s) }

func mdCell(s string) string { return mdText(s) }

// mdCode makes s safe inside an inline code span.
func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }
