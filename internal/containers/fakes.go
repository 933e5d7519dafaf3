package containers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

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
// provision.KindEntra). On failure the ones already started are removed.
func (d *Docker) StartFakes(ctx context.Context, kinds ...string) (*Fakes, error) {
	f := &Fakes{}
	urls := map[string]string{}
	for _, kind := range kinds {
		if kind != provision.KindOkta && kind != provision.KindEntra {
			return nil, errors.Join(fmt.Errorf("containers: no provisioning fake %q", kind), f.Stop())
		}
		c, err := d.StartFake(ctx, Fake{Kind: kind, Health: provision.HealthPath})
		if err != nil {
			return nil, errors.Join(err, f.Stop())
		}
		f.Containers = append(f.Containers, c)
		urls[kind] = c.URL
	}
	f.Client = provision.Dial(urls[provision.KindOkta], urls[provision.KindEntra])
	return f, nil
}

// Stop removes the fakes' containers.
func (f *Fakes) Stop() error {
	err := stopAll(f.Containers)
	f.Containers = nil
	return err
}

func stopAll(cs []*Container) error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Stop())
	}
	return errors.Join(errs...)
}

// IdPs are the SAML IdP and the OpenID Provider of a run, each in its own
// container, driven through their control API by the embedded idps.Client.
type IdPs struct {
	*idps.Client
	SAMLURL, OIDCURL string // "" for one not started
	Containers       []*Container
}

// StartIdPs starts a container for each fake, of kind "saml" or "oidc". On
// failure the ones already started are removed.
func (d *Docker) StartIdPs(ctx context.Context, fakes ...Fake) (*IdPs, error) {
	i := &IdPs{}
	for _, f := range fakes {
		if f.Kind != "saml" && f.Kind != "oidc" {
			return nil, errors.Join(fmt.Errorf("containers: no SSO IdP %q", f.Kind), i.Stop())
		}
		c, err := d.StartFake(ctx, f)
		if err != nil {
			return nil, errors.Join(err, i.Stop())
		}
		i.Containers = append(i.Containers, c)
		if f.Kind == "saml" {
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
