package containers

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/idpconform/idpconform/fakes/provision"
)

// Fake is a fake IdP to run in a container as `idpconform fake KIND
// --serve 127.0.0.1:PORT ARGS...`, healthy once Health answers 200. The
// provisioning fakes serve provision.HealthPath; an SSO IdP would name its
// own (its metadata, say) and its flags in Args.
type Fake struct {
	Kind   string
	Health string
	Args   []string
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
	var errs []error
	for range attempts {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		cmd := append([]string{"fake", f.Kind, "--serve", "127.0.0.1:" + strconv.Itoa(port)}, f.Args...)
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
	var errs []error
	for _, c := range f.Containers {
		errs = append(errs, c.Stop())
	}
	f.Containers = nil
	return errors.Join(errs...)
}
