package cli

import (
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/transcript"
)

// serveProvisioner runs the Okta or Entra fake as a long-running service
// on a loopback address: its control API (fakes/provision) makes it act
// against the target a request names and answers with the outcome and
// every exchange. It is what runs in a fake's container.
func serveProvisioner(cmd *cobra.Command, kind, addr string) error {
	if err := loopbackAddr(addr); err != nil {
		return usageError("--serve: %v", err)
	}
	h, err := provision.Handler(kind)
	if err != nil {
		return usageError("%v", err)
	}
	s, err := env.Listen(addr, h, transcript.ErrorLog(cmd.ErrOrStderr(), kind+" fake: ", nil))
	if err != nil {
		return usageError("--serve: %v", err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s fake: control API at http://%s%s%s/, health at http://%s%s\nCtrl-C stops it.\n",
		kind, s.Addr(), provision.ControlPath, kind, s.Addr(), provision.HealthPath)
	// docker stop sends SIGTERM: finish what is in flight, briefly.
	if err := s.Run(cmd.Context(), 3*time.Second); err != nil {
		return fmt.Errorf("fake %s: %w", kind, err)
	}
	return nil
}

// loopbackAddr refuses an address that is not on loopback: a fake's
// control API acts on the target with the credentials it is sent.
func loopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address (127.0.0.1:PORT)", addr)
	}
	return nil
}
