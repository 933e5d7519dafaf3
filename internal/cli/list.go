package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/spec"
)

func newListCmd() *cobra.Command {
	var clauses bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print every scenario with its tags and the spec clause it stands for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := catalog.Load(features.FS)
			if err != nil {
				return err
			}
			if clauses {
				return listClauses(cmd, all)
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
	return cmd
}

func listClauses(cmd *cobra.Command, all []catalog.Scenario) error {
	ledger, err := spec.All()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	for _, c := range ledger {
		fmt.Fprintf(out, "%s  [%s]\n  %s\n  %s\n", c.Title, c.Level, c.Requirement, c.URL)
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
