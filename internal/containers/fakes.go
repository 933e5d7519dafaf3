package containers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/provision"
)

// Fake is a fake IdP to run in a container as `idpconform fake KIND
// --serve 127.0.0.1:PORT ARGS...`, healthy once Health answers 200
// (default provision.HealthPath, which the SSO IdPs serve too).
type Fake struct {
	Kind   string
	Health string
	Args   []string
	// Listen is the loopback address to serve on (default: a free port).
	Listen string
}

// attempts bounds the retries of a start that lost its free port to
// another process between FreePort and the container's listen.
const attempts = 3

// StartFake runs f in its own container from the idpconform image.
func (d *Docker) StartFake(ctx context.Context, f Fake) (*Container, error) {
	img, err := d.Image(ctx)
	if err != nil {
		return nil, err
	}
	if f.Health == "" {
		f.Health = provision.HealthPath
	}
	var errs []error
	for range attempts {
		addr, port, err := listenAddr(f.Listen)
		if err != nil {
			return nil, err
		}
		cmd := append([]string{"fake", f.Kind, "--serve", addr}, f.Args...)
		c, err := d.Run(ctx, Spec{Role: f.Kind, Image: img, Cmd: cmd, Port: port, Health: f.Health})
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// listenAddr is where a fake serves: listen if given, else a free port.
func listenAddr(listen string) (string, int, error) {
	if listen == "" {
		port, err := FreePort()
		return "127.0.0.1:" + strconv.Itoa(port), port, err
	}
	host, p, err := net.SplitHostPort(listen)
	port, perr := strconv.Atoi(p)
	if err != nil || perr != nil || port <= 0 {
		return "", 0, fmt.Errorf("containers: listen address %q: want HOST:PORT with a port", listen)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", 0, fmt.Errorf("containers: listen address %q is not on loopback", listen)
	}
	return listen, port, nil
}

// Fakes are the provisioning fakes of a run, each in its own container,
// driven through their control API by the embedded provision.Client.
type Fakes struct {
	*provision.Client
	Containers []*Container
}

// StartFakes starts a container for each kind (provision.KindOkta,
// provision.KindEntra), all at once. On failure none is left running.
func (d *Docker) StartFakes(ctx context.Context, kinds ...string) (*Fakes, error) {
	for _, kind := range kinds {
		if kind != provision.KindOkta && kind != provision.KindEntra {
			return nil, fmt.Errorf("containers: no provisioning fake %q", kind)
		}
	}
	cs, err := startAll(ctx, len(kinds), func(ctx context.Context, i int) (*Container, error) {
		return d.StartFake(ctx, Fake{Kind: kinds[i], Health: provision.HealthPath})
	})
	if err != nil {
		return nil, err
	}
	urls := map[string]string{}
	for _, c := range cs {
		urls[c.Role] = c.URL
	}
	return &Fakes{Client: provision.Dial(urls[provision.KindOkta], urls[provision.KindEntra]), Containers: cs}, nil
}

// startAll runs start for 0 ≤ i < n at once and returns the containers in
// that order. The first failure cancels the starts still running and
// removes those that succeeded: the caller gets all or nothing, and the
// first error (the others are mostly its cancellation).
func startAll(ctx context.Context, n int, start func(ctx context.Context, i int) (*Container, error)) ([]*Container, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cs := make([]*Container, n)
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for i := range n {
		wg.Go(func() {
			c, err := start(ctx, i)
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
				return
			}
			cs[i] = c
		})
	}
	wg.Wait()
	if first != nil {
		return nil, errors.Join(first, stopAll(cs))
	}
	return cs, nil
}

// Stop removes the fakes' containers.
func (f *Fakes) Stop() error {
	err := stopAll(f.Containers)
	f.Containers = nil
	return err
}

// stopAll removes the containers (nil ones are skipped) at once.
func stopAll(cs []*Container) error {
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		if c != nil {
			wg.Go(func() { errs[i] = c.Stop() })
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// IdPs are the SAML IdP and the OpenID Provider of a run, each in its own
// container, driven through their control API by the embedded idps.Client.
type IdPs struct {
	*idps.Client
	SAMLURL, OIDCURL string // "" for one not started
	Containers       []*Container
}

// StartIdPs starts a container for each fake, of kind "saml" or "oidc",
// all at once. On failure none is left running.
func (d *Docker) StartIdPs(ctx context.Context, fakes ...Fake) (*IdPs, error) {
	for _, f := range fakes {
		if f.Kind != "saml" && f.Kind != "oidc" {
			return nil, fmt.Errorf("containers: no SSO IdP %q", f.Kind)
		}
	}
	cs, err := startAll(ctx, len(fakes), func(ctx context.Context, i int) (*Container, error) {
		return d.StartFake(ctx, fakes[i])
	})
	if err != nil {
		return nil, err
	}
	i := &IdPs{Containers: cs}
	for _, c := range cs {
		if c.Role == "saml" {
			i.SAMLURL = c.URL
		} else {
			i.OIDCURL = c.URL
		}
	}
	i.Client = idps.Dial(i.SAMLURL, i.OIDCURL)
	return i, nil
}

// Stop removes the IdPs' containers.
func (i *IdPs) Stop() error {
	err := stopAll(i.Containers)
	i.Containers = nil
	return err
}
