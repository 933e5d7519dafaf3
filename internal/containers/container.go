package containers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// Spec is a container to run with host networking: the process in it
// listens on 127.0.0.1:Port of this machine.
type Spec struct {
	Role  string // what it is, for names and messages: "okta", "target"
	Image string
	Cmd   []string // empty: the image's own command
	Env   map[string]string
	Port  int // the loopback port it serves on
	// Health is the path polled until it answers; Healthy judges the
	// status (default: 200).
	Health  string
	Healthy func(status int) bool
	// StartupTimeout bounds the wait for Health (default 60s).
	StartupTimeout time.Duration
}

// Container is a running container of a Spec.
type Container struct {
	testcontainers.Container
	Role       string
	DockerName string // as docker ps shows it: idpconform-ROLE-xxxxxxxx
	URL        string // http://127.0.0.1:Port
}

// Run starts spec's container and waits until it is healthy. On failure the
// container is already removed.
func (d *Docker) Run(ctx context.Context, spec Spec) (*Container, error) {
	if spec.Port <= 0 || spec.Health == "" {
		return nil, fmt.Errorf("containers: run %s: a port and a health path are needed", spec.Role)
	}
	health := wait.ForHTTP(spec.Health).
		WithPort(strconv.Itoa(spec.Port) + "/tcp").
		WithStartupTimeout(cmp(spec.StartupTimeout, 60*time.Second)).
		WithPollInterval(50 * time.Millisecond)
	if spec.Healthy != nil {
		health = health.WithStatusCodeMatcher(spec.Healthy)
	}
	name := "idpconform-" + spec.Role + "-" + suffix()
	req := testcontainers.ContainerRequest{
		Name:   name,
		Image:  spec.Image,
		Cmd:    spec.Cmd,
		Env:    spec.Env,
		Labels: map[string]string{Label: spec.Role, Label + ".run": d.run},
		// Host networking: the container shares the machine's loopback,
		// so it needs no bridge network and no private-range address.
		HostConfigModifier: func(hc *container.HostConfig) { hc.NetworkMode = "host" },
		WaitingFor:         health,
	}
	c, err := d.provider.RunContainer(ctx, req)
	if err != nil {
		se := &StartError{Role: spec.Role, Err: err}
		if c != nil {
			se.Logs = tail(c)
			se.Err = errors.Join(err, stop(c))
		}
		return nil, se
	}
	return &Container{Container: c, Role: spec.Role, DockerName: name, URL: "http://127.0.0.1:" + strconv.Itoa(spec.Port)}, nil
}

// StartError is a container that did not start or never became healthy,
// with the end of what it printed.
type StartError struct {
	Role string
	Err  error
	Logs string
}

func (e *StartError) Error() string {
	msg := fmt.Sprintf("containers: run %s: %v", e.Role, e.Err)
	if e.Logs != "" {
		msg += "\nits output ended with:\n" + e.Logs
	}
	return msg
}

func (e *StartError) Unwrap() error { return e.Err }

// maxTail bounds the output a StartError carries.
const maxTail = 4 << 10

// tail is the end of what a failed container printed.
func tail(c testcontainers.Container) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := c.Logs(ctx)
	if err != nil {
		return ""
	}
	defer r.Close()
	b, _ := io.ReadAll(io.LimitReader(r, 1<<20))
	if len(b) > maxTail {
		b = b[len(b)-maxTail:]
	}
	return string(b)
}

// Stop removes the container, with its own deadline: it runs when the run's
// context is already cancelled (Ctrl-C).
func (c *Container) Stop() error {
	if err := stop(c.Container); err != nil {
		return fmt.Errorf("containers: stop %s: %w", c.Role, err)
	}
	return nil
}

func stop(c testcontainers.Container) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.Terminate(ctx, testcontainers.StopTimeout(5*time.Second))
}

// WriteLogs copies what the container printed to w.
func (c *Container) WriteLogs(ctx context.Context, w io.Writer) error {
	r, err := c.Logs(ctx)
	if err != nil {
		return fmt.Errorf("containers: logs of %s: %w", c.Role, err)
	}
	defer r.Close()
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("containers: logs of %s: %w", c.Role, err)
	}
	return nil
}

// FreePort returns a loopback port nobody listens on now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("containers: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func suffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func cmp(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
