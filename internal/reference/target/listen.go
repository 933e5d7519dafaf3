package target

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/transcript"
)

// Running is a target served on a TCP port.
type Running struct {
	url string
	srv *http.Server
	l   net.Listener
}

// Listen serves s on addr ("127.0.0.1:0" for a free port) in a goroutine.
func Listen(addr string, s *Server) (*Running, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("target: listen on %s: %w", addr, err)
	}
	if err := s.startSSO("http://" + l.Addr().String()); err != nil {
		l.Close()
		return nil, err
	}
	var h http.Handler = s
	if s.wrap != nil {
		h = s.wrap(s)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: transcript.ErrorLog(os.Stderr, "reference target: ", transcript.NewRedactor(s.token))}
	go func() { _ = hs.Serve(l) }()
	return &Running{url: "http://" + l.Addr().String() + "/scim/v2", srv: hs, l: l}, nil
}

// Base is the target's root URL, "http://127.0.0.1:PORT".
func (r *Running) Base() string { return strings.TrimSuffix(r.url, "/scim/v2") }

// URL is the SCIM base URL, "http://127.0.0.1:PORT/scim/v2".
func (r *Running) URL() string { return r.url }

// Close stops serving and closes open connections. It closes the listener
// itself too: a Serve goroutine not yet scheduled would keep it open.
func (r *Running) Close() error {
	err := r.srv.Close()
	_ = r.l.Close()
	return err
}
