package cli

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/transcript"
)

func newServeTargetCmd() *cobra.Command {
	var (
		addr, token string
		faults      []string
		listFaults  bool
		liberties   []string
		listLibs    bool
		mode        string
		requireSSO  bool
		public      bool
		usernames   string
	)
	cmd := &cobra.Command{
		Use:   "serve-target",
		Short: "Serve the reference SCIM target alone, optionally with faults or liberties",
		Example: "  idpconform serve-target --addr 127.0.0.1:18080 --token t --fault no-location-header\n" +
			"  idpconform serve-target --liberty patch-204 --liberty no-enterprise\n" +
			"  idpconform serve-target --usernames hub   # the Hugging Face Hub's userName characters\n" +
			"  idpconform serve-target --list-faults\n" +
			"  idpconform serve-target --list-liberties",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if listFaults {
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				for _, f := range target.Faults() {
					fmt.Fprintf(tw, "%s\t%s\t(%s)\n", f.Name, f.Description, strings.Join(f.Clauses, ", "))
				}
				return tw.Flush()
			}
			if listLibs {
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				for _, l := range target.Liberties() {
					fmt.Fprintf(tw, "%s\t%s\t(%s)\n", l.Name, l.Description, l.Section)
				}
				return tw.Flush()
			}
			generated := false
			if token == "" {
				token = os.Getenv("SCIM_TOKEN")
			}
			if token == "" {
				token, generated = randomToken(), true
			}
			srv, err := target.New(target.Options{Token: token, Faults: faults, Liberties: liberties, Mode: mode, RequireSSO: requireSSO, Usernames: usernames})
			if err != nil {
				return usageError("%v", err)
			}
			if err := checkServeAddr(addr, public); err != nil {
				return usageError("serve-target: %v", err)
			}
			// Listen before the banner, so that it never announces an
			// address that is taken or malformed.
			s, err := env.Listen(addr, srv, transcript.ErrorLog(cmd.ErrOrStderr(), "reference target: ", transcript.NewRedactor(token)))
			if err != nil {
				return usageError("serve-target: %v", err)
			}
			fmt.Fprintf(out, "reference target (%s accounts): http://%s/scim/v2", mode, s.Addr())
			if usernames != "" {
				fmt.Fprintf(out, " under the %s userName rule", usernames)
			}
			if len(faults) > 0 {
				fmt.Fprintf(out, " with faults %s", strings.Join(faults, ", "))
			}
			if len(liberties) > 0 {
				fmt.Fprintf(out, " with liberties %s", strings.Join(target.ExpandLiberties(liberties), ", "))
			}
			fmt.Fprintln(out)
			if generated {
				// Printed once, on purpose: the user needs it to call the target.
				fmt.Fprintf(out, "token: %s (set --token or SCIM_TOKEN to choose one)\n", token)
			}
			if err := s.Run(cmd.Context(), 0); err != nil {
				return usageError("serve-target: %v", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", defaultTargetAddr(), "address to listen on (127.0.0.1:$PORT when PORT is set, as in a container)")
	f.StringVar(&token, "token", "", "bearer token the target accepts (default $SCIM_TOKEN, else generated)")
	f.StringSliceVar(&faults, "fault", nil, "fault to switch on (repeatable)")
	f.BoolVar(&listFaults, "list-faults", false, "list the faults, one line each, and exit")
	f.StringArrayVar(&liberties, "liberty", nil, `liberty to take: a legal choice the RFCs leave open (repeatable; "all" for every one)`)
	f.BoolVar(&listLibs, "list-liberties", false, "list the liberties, one line each with the RFC section that allows it, and exit")
	f.StringVar(&mode, "mode", target.ModeManaged, "account model: managed (SCIM owns the accounts) or invitation (SCIM invites personal accounts; see /hub/)")
	f.StringVar(&usernames, "usernames", "", `userName character rule besides 2 to 42 characters and not digits only: "hub" (letters, digits and '-', no "--", no '-' at either end)`)
	f.BoolVar(&public, "public", false, "allow an --addr that other machines can reach (default: loopback only)")
	f.BoolVar(&requireSSO, "require-sso", false, "refuse SCIM with 403 until SSO is configured, as the hub does (this server has no SSO, so always)")
	return cmd
}

// checkServeAddr refuses an address that is not host:port and, unless
// public, one that other machines could reach.
func checkServeAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: want host:port, e.g. 127.0.0.1:18080", addr)
	}
	if public {
		return nil
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--addr %q is not a loopback address: give --public to serve other machines", addr)
	}
	return nil
}

// defaultTargetAddr follows the $PORT convention of container platforms,
// which the reference target's image relies on.
func defaultTargetAddr() string {
	if p := os.Getenv("PORT"); p != "" {
		return "127.0.0.1:" + p
	}
	return "127.0.0.1:18080"
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
