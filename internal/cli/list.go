package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/console"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/internal/spec"
)

func newListCmd() *cobra.Command {
	var (
		clauses, wide bool
		tags, format  string
		dirs          []string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print every scenario with its tags and the spec clause it stands for",
		Example: "  idpconform list                           # one line a scenario, cut to the terminal's width\n" +
			"  idpconform list --wide                    # the full table, with the clauses each scenario cites\n" +
			"  idpconform list --tags '@sso && ~@scim'   # what a profile without a scim section runs\n" +
			"  idpconform list --format json --tags @okta\n" +
			"  idpconform list --clauses",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkTags(tags); err != nil {
				return usageError("%v", err)
			}
			if clauses && tags != "" {
				return usageError("--clauses and --tags exclude each other")
			}
			if format != "text" && format != "json" {
				return usageError("--format must be text or json, not %q", format)
			}
			fsys, err := features.With(dirs...)
			if err != nil {
				return usageError("--features: %v", err)
			}
			all, err := catalog.Load(fsys)
			if err != nil {
				return err
			}
			if clauses {
				return listClauses(cmd, all)
			}
			sel := all
			if tags != "" {
				if sel, err = runner.Selected(fsys, tags); err != nil {
					return err
				}
				if len(sel) == 0 {
					return usageError("no scenario matches --tags %q", tags)
				}
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return listJSON(out, sel)
			}
			width := 0
			if !wide {
				width = console.Width(out)
			}
			var b strings.Builder
			tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
			area := ""
			for _, s := range sel {
				if tags == "" && s.Area != area {
					area = s.Area
					fmt.Fprintf(tw, "\n%s\n", strings.ToUpper(area))
				}
				if !wide {
					// On a terminal, where and what, cut to fit; piped,
					// the tags too, for grep.
					if width > 0 {
						fmt.Fprintf(tw, "%s\t%s\n", s.ID(), s.Name)
					} else {
						fmt.Fprintf(tw, "%s\t%s\t@%s\n", s.ID(), s.Name, strings.Join(s.Tags, " @"))
					}
					continue
				}
				var cites []string
				for _, c := range spec.Clauses(s.Tags) {
					cites = append(cites, c.Title)
				}
				fmt.Fprintf(tw, "  %s\t%s\t@%s\n", s.Name, s.ID(), strings.Join(s.Tags, " @"))
				fmt.Fprintf(tw, "    \t%s\t\n", strings.Join(cites, "; "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, line := range strings.SplitAfter(b.String(), "\n") {
				fmt.Fprint(out, cut(line, width))
			}
			if tags != "" {
				fmt.Fprintf(out, "\n%d of %d scenarios match --tags %q\n", len(sel), len(all), tags)
				return nil
			}
			fmt.Fprintf(out, "\n%d scenarios\n", len(all))
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&clauses, "clauses", false, "print the clause ledger with the scenarios citing each clause")
	f.StringVar(&tags, "tags", "", `print only what this tag expression selects, as run reads it, e.g. "@sso && ~@scim"`)
	f.StringArrayVar(&dirs, "features", nil, "also list the *.feature files in this directory (repeatable), as run --features runs them")
	f.BoolVar(&wide, "wide", false, "print the full table, lines uncut, with the clauses each scenario cites")
	f.StringVar(&format, "format", "text", "text, or json: one object a scenario with its tags and clauses")
	return cmd
}

// cut keeps line within width columns (0: no limit), marking a cut with …;
// a terminal would wrap it instead and break the table.
func cut(line string, width int) string {
	body := strings.TrimSuffix(line, "\n")
	r := []rune(body)
	if width <= 0 || len(r) <= width {
		return line
	}
	return string(r[:width-1]) + "…" + line[len(body):]
}

// listedScenario is one scenario of `list --format json`.
type listedScenario struct {
	ID      string         `json:"id"`
	Name    string         `json:"name"`
	Feature string         `json:"feature"`
	Area    string         `json:"area"`
	Tags    []string       `json:"tags"`
	Clauses []listedClause `json:"clauses"`
}

type listedClause struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

func listJSON(out io.Writer, sel []catalog.Scenario) error {
	list := make([]listedScenario, 0, len(sel))
	for _, s := range sel {
		l := listedScenario{ID: s.ID(), Name: s.Name, Feature: s.Feature, Area: s.Area, Tags: s.Tags, Clauses: []listedClause{}}
		for _, c := range spec.Clauses(s.Tags) {
			l.Clauses = append(l.Clauses, listedClause{ID: c.ID, Title: c.Title, URL: c.URL})
		}
		list = append(list, l)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(list)
}

// listClauses prints every ledger entry under its id (the tag scenarios
// cite, an RFC section or a row of shared/idp-behaviour.md such as
// hub-HX1) with its title, its source URL, so a vendor can check the claim
// there, its requirement and the scenarios citing it.
func listClauses(cmd *cobra.Command, all []catalog.Scenario) error {
	ledger, err := spec.All()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	for _, c := range ledger {
		fmt.Fprintf(out, "@%s  %s  [%s]\n  source: %s\n  %s\n", c.ID, c.Title, c.Level, c.URL, c.Requirement)
		for _, s := range all {
			for _, t := range s.Tags {
				if t == c.ID {
					fmt.Fprintf(out, "    - %s (%s)\n", s.Name, s.ID())
				}
			}
		}
		fmt.Fprintln(out)
	}
	return nil
}
