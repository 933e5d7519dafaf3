package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/internal/importlog"
)

func newImportCmd(version string) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "import entra|okta LOG",
		Short: "Turn Entra provisioning logs or Okta System Log events (JSON) into the nearest cassette the fakes would have sent, saying what was inferred",
		Example: "  idpconform import entra provisioning-logs.json --out incident.jsonl\n" +
			"  idpconform import okta system-log.json --out incident.jsonl && idpconform replay incident.jsonl --target staging.yaml",
		Args:      cobra.ExactArgs(2),
		ValidArgs: []string{"entra", "okta"},
		RunE: func(cmd *cobra.Command, args []string) error {
			read := map[string]func(io.Reader) (importlog.Result, error){"entra": importlog.Entra, "okta": importlog.Okta}[args[0]]
			if read == nil {
				return usageError("import: unknown IdP %q: entra or okta", args[0])
			}
			if out == "" {
				return usageError("import: --out is required")
			}
			in, err := os.Open(args[1])
			if err != nil {
				return usageError("import: %v", err)
			}
			defer in.Close()
			res, err := read(in)
			if err != nil {
				return usageError("import %s: %s: %v", args[0], args[1], err)
			}
			if len(res.Exchanges) == 0 {
				return usageError("import %s: %s holds no provisioning operation", args[0], args[1])
			}
			f, err := newCassetteFile("import", out)
			if err != nil {
				return err
			}
			err = importlog.Write(f, version+" (import "+args[0]+")", res)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, n := range res.Notes {
				fmt.Fprintln(w, "import:", n)
			}
			fmt.Fprintf(w, "import: %d exchanges written to %s\n", len(res.Exchanges), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the cassette to write; an existing file is never overwritten")
	return cmd
}
