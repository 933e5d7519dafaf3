package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/reports"
)

func readResults(path string) (reports.Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return reports.Run{}, err
	}
	defer f.Close()
	return reports.ReadJSON(f)
}

func newReportCmd() *cobra.Command {
	var md, junit, html string
	cmd := &cobra.Command{
		Use:   "report results.json",
		Short: "Re-render a run's reports from its results.json",
		Example: "  idpconform report idpconform-report/results.json\n" +
			"  idpconform report results.json --md summary.md --junit junit.xml",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			run, err := readResults(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			for _, out := range []struct {
				path   string
				render func(io.Writer, reports.Run) error
			}{{md, reports.Markdown}, {junit, reports.JUnit}, {html, reports.HTML}} {
				if out.path == "" {
					continue
				}
				if err := writeReport(out.path, run, out.render); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", out.path)
			}
			if md == "" && junit == "" && html == "" {
				return reports.Text(cmd.OutOrStdout(), run)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&md, "md", "", "write the Markdown summary to this file")
	cmd.Flags().StringVar(&junit, "junit", "", "write JUnit XML to this file")
	cmd.Flags().StringVar(&html, "html", "", "write the HTML report to this file")
	return cmd
}

func writeReport(path string, run reports.Run, render func(io.Writer, reports.Run) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := render(f, run); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
