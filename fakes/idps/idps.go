// Package idps starts the fake identity providers a run logs in through: a
// SAML IdP (fakes/samlidp) and an OpenID Provider (fakes/oidc), each on its
// own loopback port, with fresh keys every run, plus a canary URL that a
// safe service provider never fetches.
package idps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/oidc"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"

	"github.com/idpconform/idpconform/internal/transcript"
)

// CanaryPath is served by the SAML IdP's listener; any request to it means
// the SP fetched a URL an attack planted (catalogue PD-06).
const CanaryPath = "/canary/xxe"

// Options say which IdPs to start and where.
type Options struct {
	SAML       bool
	SAMLListen string // default 127.0.0.1:0
	OIDC       bool
	OIDCListen string // default 127.0.0.1:0
	// Control serves the control API (ControlPath) beside each IdP, for
	// `idpconform fake saml|oidc --serve` in a container.
	Control bool
}

// IdPs are the running fake IdPs of one run. Each scenario drives its own
// Session of them, so scenarios log in at the same time without mixing.
type IdPs struct {
	SAML *samlidp.IdP   // nil unless Options.SAML
	OIDC *oidc.Provider // nil unless Options.OIDC
	stop []func() error // servers to close

	mu   sync.Mutex
	hits map[string]int // canary fetches by session id
}

// HealthPath answers 200 while an IdP serves; container mode waits for it.
const HealthPath = "/healthz"

// Start listens on loopback and serves the IdPs asked for.
func Start(opts Options) (*IdPs, error) {
	i := &IdPs{hits: map[string]int{}}
	if opts.SAML {
		err := i.serve(opts.SAMLListen, func(base string) (http.Handler, error) {
			idp, err := samlidp.New(samlidp.Options{BaseURL: base, CanaryURL: base + CanaryPath, Session: sessionID})
			if err != nil {
				return nil, err
			}
			i.SAML = idp
			mux := http.NewServeMux()
			mux.Handle("/saml/", idp)
			mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
			if opts.Control {
				mux.Handle(ControlPath, i.control())
			}
			mux.HandleFunc(CanaryPath, func(w http.ResponseWriter, r *http.Request) {
				i.mu.Lock()
				i.hits[r.URL.Query().Get("session")]++
				i.mu.Unlock()
				w.WriteHeader(http.StatusNoContent)
			})
			return mux, nil
		})
		if err != nil {
			return nil, errors.Join(fmt.Errorf("idps: the SAML IdP (sso.saml.idp.listen): %w", err), i.Close())
		}
	}
	if opts.OIDC {
		err := i.serve(opts.OIDCListen, func(base string) (http.Handler, error) {
			op, err := oidc.New(oidc.Options{Issuer: base, Session: sessionID})
			if err != nil {
				return nil, err
			}
			i.OIDC = op
			mux := http.NewServeMux()
			mux.Handle("/", op)
			mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
			if opts.Control {
				mux.Handle(ControlPath, i.control())
			}
			return mux, nil
		})
		if err != nil {
			return nil, errors.Join(fmt.Errorf("idps: the OpenID Provider (sso.oidc.op.listen): %w", err), i.Close())
		}
	}
	return i, nil
}

// serve listens on addr and serves the handler build makes for its base URL.
func (i *IdPs) serve(addr string, build func(base string) (http.Handler, error)) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !browser.IsLoopback(host) {
		return fmt.Errorf("%q is not a loopback address", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) {
			err = op.Err // "bind: address already in use", without the repeated address
		}
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	base := "http://" + l.Addr().String()
	h, err := build(base)
	if err != nil {
		l.Close()
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: transcript.ErrorLog(os.Stderr, "fake IdP: ", nil)}
	go func() { _ = srv.Serve(l) }()
	// Close the listener too: a Serve goroutine not yet scheduled would
	// keep it open after srv.Close.
	i.stop = append(i.stop, func() error { err := srv.Close(); _ = l.Close(); return err })
	return nil
}

// SAMLURL is the SAML IdP's base URL ("" without one).
func (i *IdPs) SAMLURL() string {
	if i.SAML == nil {
		return ""
	}
	return strings.TrimSuffix(i.SAML.EntityID(), samlidp.MetadataPath)
}

// OIDCURL is the OpenID Provider's issuer ("" without one).
func (i *IdPs) OIDCURL() string {
	if i.OIDC == nil {
		return ""
	}
	return i.OIDC.Issuer()
}

// Close stops every server.
func (i *IdPs) Close() error {
	var errs []error
	for _, stop := range i.stop {
		errs = append(errs, stop())
	}
	i.stop = nil
	return errors.Join(errs...)
}

// endSession forgets session id at both IdPs and its canary fetches.
func (i *IdPs) endSession(id string) {
	if i.SAML != nil {
		i.SAML.Session(id).End()
	}
	if i.OIDC != nil {
		i.OIDC.Session(id).End()
	}
	i.mu.Lock()
	delete(i.hits, id)
	i.mu.Unlock()
}

// Trust does what an administrator does when connecting the target: the
// SAML IdP learns the target's SP (from its metadata URL, or its entityID
// and ACS URL), its metadata goes to the file the target reads, and the OP
// registers the target's OIDC client. It returns the SP's entityID.
func (i *IdPs) Trust(ctx context.Context, sp SP) (string, error) {
	if i.OIDC != nil && sp.OIDC != nil {
		o := sp.OIDC
		i.OIDC.AddClient(oidc.Client{ID: o.ID, Secret: o.Secret, RedirectURIs: []string{o.RedirectURI}})
	}
	if i.SAML != nil && sp.SAML != nil {
		return i.trustSAML(ctx, *sp.SAML)
	}
	return "", nil
}

func (i *IdPs) trustSAML(ctx context.Context, m SAMLSP) (string, error) {
	md := spMetadata(m.EntityID, m.ACSURL)
	if m.MetadataURL != "" {
		var err error
		if md, err = browser.Fetch(ctx, m.MetadataURL); err != nil {
			return "", fmt.Errorf("idps: cannot read the target's SP metadata (sso.saml.spMetadataUrl): %w", err)
		}
	}
	id, err := i.SAML.AddServiceProviderWith(md, samlidp.SPPolicy{Sign: m.Sign, Encrypt: m.Encrypt})
	if err != nil {
		return "", fmt.Errorf("idps: the target's SP metadata is unusable: %w", err)
	}
	if m.MetadataFile != "" {
		if err := i.SAML.WriteMetadata(m.MetadataFile); err != nil {
			return "", err
		}
	}
	return id, nil
}

// spMetadata is the smallest SP metadata that names an entityID and a POST ACS.
func spMetadata(entityID, acs string) []byte {
	esc := func(s string) string { return strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", `<`, "&lt;").Replace(s) }
	return []byte(`<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + esc(entityID) + `">` +
		`<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		`<AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="` + esc(acs) + `" index="1"/>` +
		`</SPSSODescriptor></EntityDescriptor>`)
}

// NewSecret is a random client secret for the reference target's OIDC client.
func NewSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
