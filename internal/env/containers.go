package env

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/containers"
	"github.com/idpconform/idpconform/internal/profile"
)

// containerRun is what a run starts in containers: the target from
// --target-image, the Okta and Entra fakes and the SSO IdPs of --fakes
// container. Each is registered with its Env's Close as it starts.
type containerRun struct {
	docker *containers.Docker
	// sso are the SSO IdPs the scenarios need (KindSAML, KindOIDC);
	// startIdPs runs those the target trusts.
	sso []string
}

// startContainers starts what o asks for in containers. A target from
// --target-image becomes o's target, unless a profile or a SCIM URL
// describes how to reach it. Nothing to start returns a nil *containerRun.
func startContainers(ctx context.Context, e *Env, o *Options) (*containerRun, error) {
	c := &o.Image
	if o.Fakes == "" {
		o.Fakes = "in-process"
	}
	if o.Fakes != "in-process" && o.Fakes != "container" {
		return nil, fmt.Errorf("--fakes must be in-process or container, not %q", o.Fakes)
	}
	if c.Health == "" {
		c.Health = "/"
	}
	if c.Name == "" && (len(c.Env) > 0 || c.Port != 0 || c.Token != "" || c.Health != "/") {
		return nil, errors.New("--target-env, --target-port, --target-health and --target-token need --target-image")
	}
	if c.Name != "" && len(o.Faults) > 0 {
		return nil, errors.New("--fault applies to the built-in reference target only")
	}
	if c.Name != "" && len(o.Liberties) > 0 {
		return nil, errors.New("--liberty applies to the built-in reference target only")
	}
	env := map[string]string{}
	for _, kv := range c.Env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--target-env %q: want KEY=VALUE", kv)
		}
		env[k] = v
	}
	var kinds []string
	if o.Fakes == "container" {
		var err error
		if kinds, err = FakesNeeded(o.Tags); err != nil {
			return nil, err
		}
	}
	if c.Name == "" && o.Fakes == "in-process" {
		return nil, nil
	}
	d, err := containers.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w; or run without containers (--fakes in-process, no --target-image)", err)
	}
	e.onClose(d.Close)
	var provisioners []string
	cr := &containerRun{docker: d}
	for _, k := range kinds {
		if k == KindSAML || k == KindOIDC {
			cr.sso = append(cr.sso, k)
		} else {
			provisioners = append(provisioners, k)
		}
	}
	if c.Name != "" {
		if err := cr.startTarget(ctx, e, o, env); err != nil {
			return cr, err
		}
	}
	if len(provisioners) > 0 {
		f, err := d.StartFakes(ctx, provisioners...)
		if err != nil {
			return cr, fmt.Errorf("start the fakes in containers: %w", err)
		}
		e.onClose(f.Stop)
		e.Fakes = f
		announce(e.output, f.Containers)
	}
	return cr, nil
}

// startIdPs runs in containers the SSO IdPs that the scenarios need and
// sso configures, on the loopback ports its listen addresses name (default:
// free ones). A nil sso is the built-in reference target, which trusts both
// IdPs, so it gets both whichever its scenarios need. Nothing to start
// returns a nil *containers.IdPs, and the run starts its IdPs in process.
// The caller registers the IdPs' Stop.
func (cr *containerRun) startIdPs(ctx context.Context, sso *profile.SSO, out io.Writer) (*containers.IdPs, error) {
	if cr == nil || len(cr.sso) == 0 {
		return nil, nil
	}
	var fakes []containers.Fake
	switch {
	case sso == nil:
		fakes = []containers.Fake{{Kind: KindSAML}, {Kind: KindOIDC}}
	default:
		if sso.SAML != nil && slices.Contains(cr.sso, KindSAML) {
			fakes = append(fakes, containers.Fake{Kind: KindSAML, Listen: sso.SAML.IdP.Listen})
		}
		if sso.OIDC != nil && slices.Contains(cr.sso, KindOIDC) {
			fakes = append(fakes, containers.Fake{Kind: KindOIDC, Listen: sso.OIDC.OP.Listen})
		}
	}
	if len(fakes) == 0 {
		return nil, nil
	}
	i, err := cr.docker.StartIdPs(ctx, fakes...)
	if err != nil {
		return nil, fmt.Errorf("start the SSO IdPs in containers: %w", err)
	}
	announce(out, i.Containers)
	return i, nil
}

// announce says where each fake's container serves, as docker ps names it.
func announce(out io.Writer, cs []*containers.Container) {
	for _, c := range cs {
		fmt.Fprintf(out, "fake %s: container %s at %s\n", c.Role, c.DockerName, c.URL)
	}
}

// startTarget runs the vendor's image with host networking: it must listen
// on 127.0.0.1:PORT, where PORT is the image's Port (default: a free port)
// and is passed in $PORT; its Token (default: a fresh one) is the bearer
// token the run presents, passed in $SCIM_TOKEN. Env overrides either.
// Close writes the container's output to target.log, also when it did not
// become healthy.
func (cr *containerRun) startTarget(ctx context.Context, e *Env, o *Options, env map[string]string) error {
	c := &o.Image
	if c.Port == 0 {
		p, err := containers.FreePort()
		if err != nil {
			return err
		}
		c.Port = p
	}
	if c.Token == "" {
		c.Token = NewToken()
	}
	for k, v := range map[string]string{"PORT": strconv.Itoa(c.Port), "SCIM_TOKEN": c.Token} {
		if _, set := env[k]; !set {
			env[k] = v
		}
	}
	img := c.Name
	if img == containers.Repository {
		var err error
		if img, err = cr.docker.Image(ctx); err != nil {
			return fmt.Errorf("--target-image: %w", err)
		}
	}
	t, err := cr.docker.Run(ctx, containers.Spec{
		Role: "target", Image: img, Env: env, Port: c.Port, Health: c.Health,
		// Healthy: any answer but a server error, so that a health path
		// behind authentication also tells a target that is up.
		Healthy: func(status int) bool { return status < 500 },
	})
	if err != nil {
		var se *containers.StartError
		if errors.As(err, &se) {
			e.onClose(func() error { return writeTargetLog(o.OutDir, e.output, strings.NewReader(se.Logs)) })
		}
		return fmt.Errorf("--target-image %s did not become healthy on 127.0.0.1:%d%s: %w", c.Name, c.Port, c.Health, err)
	}
	// Registered before the log, so that Close reads the log first.
	e.onClose(t.Stop)
	e.onClose(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var logs bytes.Buffer
		err := t.WriteLogs(ctx, &logs)
		return errors.Join(err, writeTargetLog(o.OutDir, e.output, &logs))
	})
	fmt.Fprintf(e.output, "target: container %s of %s at %s\n", t.DockerName, c.Name, t.URL)
	if o.ProfilePath == "" && o.Profile == nil && o.SCIMURL == "" {
		o.SCIMURL, o.Token = t.URL+"/scim/v2", c.Token
	}
	return nil
}

// writeTargetLog copies the target's output to dir/target.log.
func writeTargetLog(dir string, out io.Writer, logs io.Reader) error {
	path := filepath.Join(dir, "target.log")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, logs)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		fmt.Fprintf(out, "Target log: %s\n", path)
	}
	return err
}
