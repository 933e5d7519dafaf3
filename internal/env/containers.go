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
	"sync"
	"time"

	"github.com/idpconform/idpconform/internal/containers"
	"github.com/idpconform/idpconform/internal/profile"
)

// containerRun is what a run starts in containers: the target from
// --target-image, the Okta and Entra fakes and the SSO IdPs of --fakes
// container. Each is registered with its Env's Close as it starts.
type containerRun struct {
	docker *containers.Docker
	// idps are the SSO IdPs started for the run's target, or nil: the run
	// then starts its IdPs in process.
	idps *containers.IdPs
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
	var provisioners, sso []string
	for _, k := range kinds {
		if k == KindSAML || k == KindOIDC {
			sso = append(sso, k)
		} else {
			provisioners = append(provisioners, k)
		}
	}
	idpFakes, err := ssoFakes(o, sso)
	if err != nil {
		return nil, err
	}
	d, err := containers.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w; or run without containers (--fakes in-process, no --target-image)", err)
	}
	e.onClose(d.Close)
	cr := &containerRun{docker: d}
	// The target, the provisioning fakes and the SSO IdPs need nothing of
	// one another: they start at once.
	var jobs []func(context.Context, io.Writer) error
	if c.Name != "" {
		jobs = append(jobs, func(ctx context.Context, out io.Writer) error {
			return cr.startTarget(ctx, e, o, env, out)
		})
	}
	if len(provisioners) > 0 {
		jobs = append(jobs, func(ctx context.Context, out io.Writer) error {
			f, err := d.StartFakes(ctx, provisioners...)
			if err != nil {
				return fmt.Errorf("start the fakes in containers: %w", err)
			}
			e.onClose(f.Stop)
			e.Fakes = f
			announce(out, f.Containers)
			return nil
		})
	}
	if len(idpFakes) > 0 {
		jobs = append(jobs, func(ctx context.Context, out io.Writer) error {
			i, err := d.StartIdPs(ctx, idpFakes...)
			if err != nil {
				return fmt.Errorf("start the SSO IdPs in containers: %w", err)
			}
			e.onClose(i.Stop)
			cr.idps = i
			announce(out, i.Containers)
			return nil
		})
	}
	return cr, runAll(ctx, e.output, jobs)
}

// runAll runs jobs at once and returns the first failure, which cancels
// the jobs still running (their errors are mostly that cancellation). What
// each job says goes to out in the jobs' order, once all are done.
func runAll(ctx context.Context, out io.Writer, jobs []func(context.Context, io.Writer) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	said := make([]bytes.Buffer, len(jobs))
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for i, job := range jobs {
		wg.Go(func() {
			if err := job(ctx, &said[i]); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
			}
		})
	}
	wg.Wait()
	for i := range said {
		_, _ = out.Write(said[i].Bytes())
	}
	return first
}

// ssoFakes are the SSO IdPs to run in containers: those of kinds (the ones
// the scenarios need) that the target trusts. The built-in reference
// target trusts both, so it gets both whichever its scenarios need; a
// profile's target gets those its sso section configures, on the loopback
// ports its listen addresses name (default: free ones); a target given by
// its SCIM URL alone, or by --target-image alone, none. To know the sso
// section before the containers start, a profile file is loaded here,
// into o.Profile.
func ssoFakes(o *Options, kinds []string) ([]containers.Fake, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	if o.ProfilePath != "" && o.Profile == nil && o.SCIMURL == "" {
		p, err := profile.Load(o.ProfilePath)
		if err != nil {
			return nil, err
		}
		o.Profile = &p
	}
	switch {
	case o.Profile != nil:
		var fakes []containers.Fake
		sso := o.Profile.SSO
		if sso != nil && sso.SAML != nil && slices.Contains(kinds, KindSAML) {
			fakes = append(fakes, containers.Fake{Kind: KindSAML, Listen: sso.SAML.IdP.Listen})
		}
		if sso != nil && sso.OIDC != nil && slices.Contains(kinds, KindOIDC) {
			fakes = append(fakes, containers.Fake{Kind: KindOIDC, Listen: sso.OIDC.OP.Listen})
		}
		return fakes, nil
	case o.ProfilePath != "" || o.SCIMURL != "" || o.Image.Name != "":
		return nil, nil
	}
	return []containers.Fake{{Kind: KindSAML}, {Kind: KindOIDC}}, nil
}

// ssoIdPs are the SSO IdPs started in containers, or nil.
func (cr *containerRun) ssoIdPs() *containers.IdPs {
	if cr == nil {
		return nil
	}
	return cr.idps
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
func (cr *containerRun) startTarget(ctx context.Context, e *Env, o *Options, env map[string]string, out io.Writer) error {
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
	fmt.Fprintf(out, "target: container %s of %s at %s\n", t.DockerName, c.Name, t.URL)
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
