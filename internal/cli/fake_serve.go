package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/fakes/provision"

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
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return usageError("--serve: %v", err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: transcript.ErrorLog(cmd.ErrOrStderr(), kind+" fake: ", nil)}
	fmt.Fprintf(cmd.OutOrStdout(), "%s fake: control API at http://%s%s%s/, health at http://%s%s\nCtrl-C stops it.\n",
		kind, l.Addr(), provision.ControlPath, kind, l.Addr(), provision.HealthPath)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("fake %s: %w", kind, err)
	case <-cmd.Context().Done():
		// docker stop sends SIGTERM: finish what is in flight, briefly.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
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
