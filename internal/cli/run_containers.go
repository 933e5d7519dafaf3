package cli

import (
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

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/containers"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/runner"
)

// containerOptions are run's flags for containers.
type containerOptions struct {
	fakes        string // in-process or container
	targetImage  string
	targetEnv    []string // K=V
	targetPort   int
	targetHealth string
	targetToken  string
}

// containerRun is what a run started in containers: the target from
// --target-image and the fakes of --fakes container. stop removes all of
// it, also after a failure or Ctrl-C.
type containerRun struct {
	docker *containers.Docker
	target *containers.Container
	fakes  *containers.Fakes
	// sso are the SSO IdPs the scenarios need (runner.KindSAML,
	// runner.KindOIDC); startIdPs runs those the target trusts.
	sso  []string
	idps *containers.IdPs
	// startErr is a target that did not start: its output still goes to
	// target.log.
	startErr *containers.StartError
}

// startContainers starts what o asks for in containers. A target from
// --target-image becomes o's target, unless --target or --scim-url
// describes how to reach it. Nothing to start returns a nil *containerRun.
func startContainers(ctx context.Context, o *runOptions, out io.Writer) (*containerRun, error) {
	c := o.containers
	if c.fakes != "in-process" && c.fakes != "container" {
		return nil, usageError("--fakes must be in-process or container, not %q", c.fakes)
	}
	if c.targetImage == "" && (len(c.targetEnv) > 0 || c.targetPort != 0 || c.targetToken != "" || c.targetHealth != "/") {
		return nil, usageError("--target-env, --target-port, --target-health and --target-token need --target-image")
	}
	if c.targetImage != "" && len(o.faults) > 0 {
		return nil, usageError("--fault applies to the built-in reference target only")
	}
	if c.targetImage != "" && len(o.liberties) > 0 {
		return nil, usageError("--liberty applies to the built-in reference target only")
	}
	env := map[string]string{}
	for _, kv := range c.targetEnv {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageError("--target-env %q: want KEY=VALUE", kv)
		}
		env[k] = v
	}
	var kinds []string
	if c.fakes == "container" {
		var err error
		if kinds, err = runner.FakesNeeded(o.tags); err != nil {
			return nil, err
		}
	}
	if c.targetImage == "" && c.fakes == "in-process" {
		return nil, nil
	}
	d, err := containers.Connect(ctx)
	if err != nil {
		return nil, usageError("%v; or run without containers (--fakes in-process, no --target-image)", err)
	}
	var provisioners []string
	cr := &containerRun{docker: d}
	for _, k := range kinds {
		if k == runner.KindSAML || k == runner.KindOIDC {
			cr.sso = append(cr.sso, k)
		} else {
			provisioners = append(provisioners, k)
		}
	}
	if c.targetImage != "" {
		if err := cr.startTarget(ctx, o, env, out); err != nil {
			return cr, err
		}
	}
	if len(provisioners) > 0 {
		f, err := d.StartFakes(ctx, provisioners...)
		if err != nil {
			return cr, usageError("start the fakes in containers: %v", err)
		}
		cr.fakes = f
		announce(out, f.Containers)
	}
	return cr, nil
}

// startIdPs runs in containers the SSO IdPs that the scenarios need and
// sso configures, on the loopback ports its listen addresses name (default:
// free ones). A nil sso is the built-in reference target, which trusts both
// IdPs, so it gets both whichever its scenarios need. Nothing to start
// returns a nil *containers.IdPs, and the run starts its IdPs in process.
func (cr *containerRun) startIdPs(ctx context.Context, sso *profile.SSO, out io.Writer) (*containers.IdPs, error) {
	if cr == nil || len(cr.sso) == 0 {
		return nil, nil
	}
	var fakes []containers.Fake
	switch {
	case sso == nil:
		fakes = []containers.Fake{{Kind: runner.KindSAML}, {Kind: runner.KindOIDC}}
	default:
		if sso.SAML != nil && slices.Contains(cr.sso, runner.KindSAML) {
			fakes = append(fakes, containers.Fake{Kind: runner.KindSAML, Listen: sso.SAML.IdP.Listen})
		}
		if sso.OIDC != nil && slices.Contains(cr.sso, runner.KindOIDC) {
			fakes = append(fakes, containers.Fake{Kind: runner.KindOIDC, Listen: sso.OIDC.OP.Listen})
		}
	}
	if len(fakes) == 0 {
		return nil, nil
	}
	i, err := cr.docker.StartIdPs(ctx, fakes...)
	if err != nil {
		return nil, usageError("start the SSO IdPs in containers: %v", err)
	}
	cr.idps = i
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
// on 127.0.0.1:PORT, where PORT is --target-port (default: a free port)
// and is passed in $PORT; --target-token (default: a fresh one) is the
// bearer token the run presents, passed in $SCIM_TOKEN. --target-env
// overrides either.
func (cr *containerRun) startTarget(ctx context.Context, o *runOptions, env map[string]string, out io.Writer) error {
	c := &o.containers
	if c.targetPort == 0 {
		p, err := containers.FreePort()
		if err != nil {
			return err
		}
		c.targetPort = p
	}
	if c.targetToken == "" {
		c.targetToken = randomToken()
	}
	for k, v := range map[string]string{"PORT": strconv.Itoa(c.targetPort), "SCIM_TOKEN": c.targetToken} {
		if _, set := env[k]; !set {
			env[k] = v
		}
	}
	img, err := cr.image(ctx, c.targetImage)
	if err != nil {
		return usageError("--target-image: %v", err)
	}
	t, err := cr.docker.Run(ctx, containers.Spec{
		Role: "target", Image: img, Env: env, Port: c.targetPort, Health: c.targetHealth,
		// Healthy: any answer but a server error, so that a health path
		// behind authentication also tells a target that is up.
		Healthy: func(status int) bool { return status < 500 },
	})
	if err != nil {
		errors.As(err, &cr.startErr)
		return usageError("--target-image %s did not become healthy on 127.0.0.1:%d%s: %v", c.targetImage, c.targetPort, c.targetHealth, err)
	}
	cr.target = t
	fmt.Fprintf(out, "target: container %s of %s at %s\n", t.DockerName, c.targetImage, t.URL)
	if o.profilePath == "" && o.scimURL == "" {
		o.scimURL, o.token = t.URL+"/scim/v2", c.targetToken
	}
	return nil
}

// image resolves --target-image; "idpconform" is the reference target's
// image, built here from this idpconform.
func (cr *containerRun) image(ctx context.Context, img string) (string, error) {
	if img == containers.Repository {
		return cr.docker.Image(ctx)
	}
	return img, nil
}

// fakes is what the run's scenarios drive the Okta and Entra fakes through.
func (cr *containerRun) provisioning() provision.Fakes {
	if cr == nil || cr.fakes == nil {
		return nil
	}
	return cr.fakes
}

// ssoControl is what the run's SSO steps drive the IdPs in containers
// through; nil runs them in process.
func (cr *containerRun) ssoControl() idps.Control {
	if cr == nil || cr.idps == nil {
		return nil
	}
	return cr.idps.Client
}

// stop writes the target's output to outDir/target.log and removes every
// container of the run.
func (cr *containerRun) stop(outDir string, out io.Writer) error {
	if cr == nil {
		return nil
	}
	var errs []error
	if cr.target != nil || cr.startErr != nil {
		errs = append(errs, cr.writeTargetLog(filepath.Join(outDir, "target.log"), out))
	}
	if cr.fakes != nil {
		errs = append(errs, cr.fakes.Stop())
	}
	if cr.idps != nil {
		errs = append(errs, cr.idps.Stop())
	}
	if cr.target != nil {
		errs = append(errs, cr.target.Stop())
	}
	errs = append(errs, cr.docker.Close())
	return errors.Join(errs...)
}

func (cr *containerRun) writeTargetLog(path string, out io.Writer) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if cr.target != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = cr.target.WriteLogs(ctx, f)
	} else {
		_, err = io.WriteString(f, cr.startErr.Logs)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		fmt.Fprintf(out, "Target log: %s\n", path)
	}
	return err
}
