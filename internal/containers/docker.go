// Package containers runs idpconform's fakes, and a vendor's target, as
// Docker containers through testcontainers-go: images built locally FROM
// scratch around a static idpconform binary (no registry is needed), host
// networking on loopback ports (no bridge network is ever created), and
// every container removed when its run ends, failed or interrupted.
package containers

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Label marks every container and image this package creates, so that
// leftovers can be found (docker ps -a --filter label=org.idpconform).
const Label = "org.idpconform"

// ErrNoDocker says that no usable Docker engine answered.
var ErrNoDocker = errors.New("containers: no usable Docker engine")

// defaults are the testcontainers settings a loopback-only machine needs;
// a value the user set wins.
//
//   - TESTCONTAINERS_RYUK_DISABLED: Ryuk, the reaper, is an image that
//     would have to be pulled from a registry; we remove our containers
//     ourselves.
//   - TESTCONTAINERS_HOST_OVERRIDE: inside a container (/.dockerenv)
//     testcontainers would contact the containers at the default gateway,
//     a non-loopback address; host networking puts them on 127.0.0.1.
var defaults = map[string]string{
	"TESTCONTAINERS_RYUK_DISABLED": "true",
	"TESTCONTAINERS_HOST_OVERRIDE": "127.0.0.1",
}

var setDefaults = sync.OnceFunc(func() {
	for k, v := range defaults {
		if _, set := os.LookupEnv(k); !set {
			_ = os.Setenv(k, v)
		}
	}
	// testcontainers logs every step to stderr; our errors say what failed.
	tclog.SetDefault(tclog.NewNoopLogger())
})

// Docker is a connection to the engine for one run. Every container it
// starts carries the run's label, so Close can remove any that a failure
// or an interruption left behind.
type Docker struct {
	provider *testcontainers.DockerProvider
	run      string // the value of the Label+".run" label
	image    string // once built or found
}

// Connect returns a connection to the engine, or an error wrapping
// ErrNoDocker that says how to get one.
func Connect(ctx context.Context) (*Docker, error) {
	setDefaults()
	if err := pingDockerHost(ctx); err != nil {
		return nil, err
	}
	// The default network is "host": a provider that defaults to "bridge"
	// creates a reaper_default bridge network on a private subnet.
	p, err := testcontainers.NewDockerProvider(testcontainers.WithDefaultBridgeNetwork("host"))
	if err == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		err = p.Health(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("%w (%v); start one (Debian: apt-get install docker.io, then "+
			"dockerd --bridge=none --iptables=false --ip-masq=false)", ErrNoDocker, err)
	}
	return &Docker{provider: p, run: suffix()}, nil
}

// pingDockerHost holds a DOCKER_HOST the user set to its word:
// testcontainers would quietly fall back to /var/run/docker.sock.
func pingDockerHost(ctx context.Context) error {
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		return nil
	}
	cli, err := client.New(client.WithHost(host))
	if err == nil {
		defer cli.Close()
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err = cli.Ping(ctx, client.PingOptions{})
	}
	if err != nil {
		return fmt.Errorf("%w at DOCKER_HOST=%s (%v); start one (Debian: apt-get install docker.io, then "+
			"dockerd --bridge=none --iptables=false --ip-masq=false)", ErrNoDocker, host, err)
	}
	return nil
}

// Close removes every container of the run that is still there (one whose
// start was interrupted, say) and releases the connection.
func (d *Docker) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cli := d.provider.Client()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", Label+".run="+d.run)})
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("containers: list the run's containers: %w", err))
	} else {
		for _, c := range list.Items {
			if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
				errs = append(errs, fmt.Errorf("containers: remove %s: %w", c.ID, err))
			}
		}
	}
	return errors.Join(append(errs, d.provider.Close())...)
}

// Leftovers lists the containers that carry Label, of any run, by name,
// and every network but Docker's own host and none: after a run both
// should be empty of what it started.
func (d *Docker) Leftovers(ctx context.Context) (names, networks []string, err error) {
	cli := d.provider.Client()
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", Label)})
	if err != nil {
		return nil, nil, fmt.Errorf("containers: list: %w", err)
	}
	for _, c := range cs.Items {
		for _, n := range c.Names {
			names = append(names, strings.TrimPrefix(n, "/"))
		}
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("containers: list networks: %w", err)
	}
	for _, n := range ns.Items {
		if n.Name != "host" && n.Name != "none" {
			networks = append(networks, n.Name)
		}
	}
	return names, networks, nil
}
