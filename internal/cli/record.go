package cli

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/internal/cassette"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/transcript"
)

func newRecordCmd(version string) *cobra.Command {
	var o recordOptions
	cmd := &cobra.Command{
		Use:   "record",
		Short: "Forward an IdP's SCIM traffic to a target unchanged and write each exchange to a cassette, secrets redacted",
		Example: "  idpconform record --listen 127.0.0.1:18090 --upstream https://staging.example.com --out incident.jsonl\n" +
			"  idpconform record --listen 0.0.0.0:18090 --upstream http://127.0.0.1:8080 --out cycle.jsonl   # all interfaces, said explicitly",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.version = version
			return record(cmd.Context(), o, cmd.OutOrStdout(), nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:18090", "address to listen on: host:port, loopback unless the host says otherwise")
	f.StringVar(&o.upstream, "upstream", "", "where to forward every request (the SCIM endpoint's origin, http or https)")
	f.StringVar(&o.out, "out", "", "the cassette to write (JSON Lines); an existing file is never overwritten")
	f.StringArrayVar(&o.secrets, "secret", nil, "a value to redact wherever it appears (repeatable); credentials in Authorization are learned as they pass")
	return cmd
}

type recordOptions struct {
	listen, upstream, out, version string
	secrets                        []string
}

// record serves until ctx ends; ready, if set, learns the address.
func record(ctx context.Context, o recordOptions, out io.Writer, ready func(addr string)) error {
	up, err := url.Parse(o.upstream)
	if err != nil || (up.Scheme != "http" && up.Scheme != "https") || up.Host == "" {
		return usageError("record: --upstream %q: want an http or https URL", o.upstream)
	}
	if o.out == "" {
		return usageError("record: --out is required")
	}
	host, _, err := net.SplitHostPort(o.listen)
	if err != nil || host == "" {
		return usageError("record: --listen %q: want host:port, e.g. 127.0.0.1:18090 (an empty host would listen on every interface)", o.listen)
	}
	f, err := newCassetteFile("record", o.out)
	if err != nil {
		return err
	}
	redact := transcript.NewRedactor(o.secrets...)
	w, err := cassette.NewWriter(f, o.version, redact)
	if err != nil {
		_ = f.Close()
		_ = os.Remove(o.out)
		return err
	}
	proxy := &httputil.ReverseProxy{
		Rewrite:  func(r *httputil.ProxyRequest) { r.SetURL(up); r.Out.Host = up.Host },
		ErrorLog: transcript.ErrorLog(os.Stderr, "record: ", redact),
	}
	var (
		mu   sync.Mutex
		werr error
	)
	h := cassette.Record(proxy, w, nil, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if werr == nil {
			werr = err
			fmt.Fprintf(out, "record: cannot write the cassette: %v\n", err)
		}
	})
	srv, err := env.Listen(o.listen, learnCredentials(redact, h), transcript.ErrorLog(os.Stderr, "record: ", redact))
	if err != nil {
		_ = f.Close()
		_ = os.Remove(o.out)
		return usageError("record: %v", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(out, "record: listening on %s, which other machines can reach (--listen said so)\n", host)
	}
	fmt.Fprintf(out, "recording http://%s -> %s into %s (Ctrl-C stops)\n", srv.Addr(), up.Redacted(), o.out)
	if ready != nil {
		ready(srv.Addr())
	}
	err = srv.Run(ctx, 5*time.Second)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	fmt.Fprintf(out, "record: %d exchanges written to %s\n", w.Len(), o.out)
	mu.Lock()
	defer mu.Unlock()
	return errors.Join(err, werr)
}

// newCassetteFile creates a cassette's file, never over an existing one.
func newCassetteFile(cmd, name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, usageError("%s: %s exists: a cassette is never overwritten, give another file", cmd, name)
	}
	if err != nil {
		return nil, usageError("%s: %v", cmd, err)
	}
	return f, nil
}

// learnCredentials adds each credential that passes in an Authorization
// header to the secrets redacted everywhere, so a target that echoes the
// token in a body or a header does not put it in the cassette.
func learnCredentials(r *transcript.Redactor, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		for _, v := range req.Header.Values("Authorization") {
			scheme, cred, ok := strings.Cut(v, " ")
			if !ok {
				r.Add(v)
				continue
			}
			r.Add(cred)
			if strings.EqualFold(scheme, "basic") {
				if b, err := base64.StdEncoding.DecodeString(cred); err == nil {
					_, pass, _ := strings.Cut(string(b), ":")
					r.Add(string(b), pass)
				}
			}
		}
		next.ServeHTTP(w, req)
	})
}
