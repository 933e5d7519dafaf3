package cli

import (
	"fmt"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/internal/spec"
)

func newListCmd() *cobra.Command {
	var (
		clauses bool
		tags    string
		dirs    []string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print every scenario with its tags and the spec clause it stands for",
		Example: "  idpconform list\n" +
			"  idpconform list --tags '@sso && ~@scim'   # what a profile without a scim section runs\n" +
			"  idpconform list --clauses",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkTags(tags); err != nil {
				return usageError("%v", err)
			}
			if clauses && tags != "" {
				return usageError("--clauses and --tags exclude each other")
			}
			fsys, err := features.With(dirs...)
			if err != nil {
				return usageError("--features: %v", err)
			}
			all, err := catalog.Load(fsys)
			if err != nil {
				return usageError("--features: %v", err)
			}
			if clauses {
				return listClauses(cmd, all)
			}
			if tags != "" {
				return listSelected(cmd, fsys, tags, len(all))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			area := ""
			for _, s := range all {
				if s.Area != area {
					area = s.Area
					fmt.Fprintf(tw, "\n%s\n", strings.ToUpper(area))
				}
				var cites []string
				for _, c := range spec.Clauses(s.Tags) {
					cites = append(cites, c.Title)
				}
				fmt.Fprintf(tw, "  %s\t%s\t@%s\n", s.Name, s.ID(), strings.Join(s.Tags, " @"))
				fmt.Fprintf(tw, "    \t%s\t\n", strings.Join(cites, "; "))
			}
			fmt.Fprintf(tw, "\n%d scenarios\n", len(all))
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&clauses, "clauses", false, "print the clause ledger with the scenarios citing each clause")
	cmd.Flags().StringArrayVar(&dirs, "features", nil, "also list the *.feature files in this directory (repeatable), as run --features runs them")
	cmd.Flags().StringVar(&tags, "tags", "", `print only what this tag expression selects, as run reads it, e.g. "@sso && ~@scim"`)
	return cmd
}

// listSelected prints what tags selects, one scenario a line: where it
// is, its name and its tags. It reads tags as run does (runner.Selected).
func listSelected(cmd *cobra.Command, fsys fs.FS, tags string, total int) error {
	sel, err := runner.Selected(fsys, tags)
	if err != nil {
		return err
	}
	if len(sel) == 0 {
		return usageError("no scenario matches --tags %q", tags)
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	for _, s := range sel {
		fmt.Fprintf(tw, "%s\t%s\t@%s\n", s.ID(), s.Name, strings.Join(s.Tags, " @"))
	}
	fmt.Fprintf(tw, "\n%d of %d scenarios match --tags %q\n", len(sel), total, tags)
	return tw.Flush()
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
