package env

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/internal/reference/target"
)

// Service is one long-running server of a subcommand that is not a run:
// serve-target, fake … --serve, fake saml|oidc, record. Listening comes
// before serving, so a banner never names an address that is taken.
type Service struct {
	l  net.Listener
	hs *http.Server
}

// Listen listens on addr for h; errorLog takes the server's own errors
// (a client that hung up), redacted by the caller. Whether addr may be
// other than loopback is the caller's to decide.
func Listen(addr string, h http.Handler, errorLog *log.Logger) (*Service, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Service{l: l, hs: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}}, nil
}

// Addr is the address listened on, with the port the system chose for :0.
func (s *Service) Addr() string { return s.l.Addr().String() }

// Run serves until the server fails or ctx ends. Then requests in
// flight get up to grace to finish (docker stop sends SIGTERM); a grace of
// zero closes at once. A server stopped by ctx returns nil.
func (s *Service) Run(ctx context.Context, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.hs.Serve(s.l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	defer s.l.Close() // a Serve not yet scheduled would keep it open
	if grace <= 0 {
		return s.hs.Close()
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// StartIdP starts one fake IdP, kind saml or oidc, on listen, with its
// control API: what `idpconform fake saml|oidc` serves by hand.
func StartIdP(kind, listen string) (*idps.IdPs, error) {
	opts := idps.Options{Control: true}
	switch kind {
	case KindSAML:
		opts.SAML, opts.SAMLListen = true, listen
	case KindOIDC:
		opts.OIDC, opts.OIDCListen = true, listen
	default:
		return nil, fmt.Errorf("no fake IdP of kind %q", kind)
	}
	return idps.Start(opts)
}

// Bare is the reference target alone, SCIM only, on a free loopback port
// with a fresh token: what replay sends a cassette to when given no target.
type Bare struct {
	URL, Token string
	running    *target.Running
}

// StartBare starts a bare reference target with faults on.
func StartBare(faults []string) (*Bare, error) {
	token := NewToken()
	srv, err := target.New(target.Options{Token: token, Faults: faults})
	if err != nil {
		return nil, err
	}
	running, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		return nil, err
	}
	return &Bare{URL: running.URL(), Token: token, running: running}, nil
}

// Close stops it.
func (b *Bare) Close() error { return b.running.Close() }
