package containers

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"
)

// Repository names the images built here: idpconform:CHECKOUT-BINARY
// (hashes of the checkout's directory and of the binary), and
// idpconform:local for the newest.
const Repository = "idpconform"

// The labels of an image, beside Label: which binary it holds, and the
// checkout and version that binary was built from. A run removes older
// images of its own checkout and version only: other checkouts on the same
// engine (another directory, another version) may be using theirs.
const (
	labelBinary   = Label + ".binary"
	labelCheckout = Label + ".checkout"
	labelVersion  = Label + ".version"
)

// module and mainPackage are what an image runs.
const (
	module      = "github.com/idpconform/idpconform"
	mainPackage = module + "/cmd/idpconform"
)

// dockerfile wraps the static binary and nothing else. Without a command
// the image serves the reference target (serve-target listens on $PORT);
// the fakes run it as `fake okta --serve ADDR`.
const dockerfile = `FROM scratch
COPY idpconform /idpconform
USER 65534:65534
ENTRYPOINT ["/idpconform"]
CMD ["serve-target"]
`

// imageMu serialises image builds within the process; a file lock does the
// same between processes (go test runs packages in parallel).
var imageMu sync.Mutex

// Image returns the idpconform image for the current source, building it
// only when no image of this checkout holds the same binary, and removes
// this checkout's images of older binaries. A Docker remembers it: a run's
// containers all use the same image.
func (d *Docker) Image(ctx context.Context) (string, error) {
	imageMu.Lock()
	defer imageMu.Unlock()
	if d.image != "" {
		return d.image, nil
	}
	tag, err := d.buildImage(ctx)
	if err == nil {
		d.image = tag
	}
	return tag, err
}

func (d *Docker) buildImage(ctx context.Context) (string, error) {
	bin, checkout, unlock, err := staticBinary(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	raw, err := os.ReadFile(bin)
	if err != nil {
		return "", fmt.Errorf("containers: read the binary: %w", err)
	}
	id := identify(raw, checkout)
	tag := Repository + ":" + id.checkout + "-" + id.binary
	local := Repository + ":local"
	cli := d.provider.Client()
	if _, ierr := cli.ImageInspect(ctx, tag); ierr == nil {
		_, err = cli.ImageTag(ctx, client.ImageTagOptions{Source: tag, Target: local})
	} else {
		err = buildImage(ctx, cli, raw, []string{tag, local}, id.labels())
	}
	if err != nil {
		return "", err
	}
	d.prune(ctx, id)
	return tag, nil
}

// identity is where an image's binary comes from; see the labels above.
type identity struct{ binary, checkout, version string }

// identify hashes the binary and the checkout's directory, and reads the
// idpconform version the binary's build info records: a release's tag, or
// "(devel)" for any other build. The pseudo-version Go stamps from git
// counts as "(devel)": it changes with every commit, and a checkout's
// commits should not each keep their images.
func identify(bin []byte, checkout string) identity {
	id := identity{binary: shortHash(bin, 16), checkout: shortHash([]byte(checkout), 12), version: "(devel)"}
	info, err := buildinfo.Read(bytes.NewReader(bin))
	if err != nil {
		return id
	}
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Path == module {
			id.version = release(m.Version)
			break
		}
	}
	return id
}

// release is v if it names a release, else "(devel)".
func release(v string) string {
	if v == "" || pseudoVersion.MatchString(v) || strings.HasSuffix(v, "+dirty") {
		return "(devel)"
	}
	return v
}

// pseudoVersion matches the time and commit of a Go pseudo-version.
var pseudoVersion = regexp.MustCompile(`\d{14}-[0-9a-f]{12}`)

func (id identity) labels() map[string]string {
	return map[string]string{Label: "image", labelBinary: id.binary, labelCheckout: id.checkout, labelVersion: id.version}
}

func shortHash(b []byte, n int) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:n]
}

// staticBinary returns a CGO_ENABLED=0 build of idpconform, locked until
// unlock is called, and the checkout it comes from. The running executable
// serves if it is one (its checkout is its own path); otherwise the source
// tree around the working directory (the checkout: its module's root) is
// built into the user's cache, where Go's build cache makes an unchanged
// rebuild quick.
func staticBinary(ctx context.Context) (path, checkout string, unlock func(), err error) {
	if self, err := os.Executable(); err == nil && isStaticIdpconform(self) {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		return self, self, func() {}, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", "", nil, fmt.Errorf("containers: %w", err)
	}
	checkout = moduleRoot(wd)
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "idpconform")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", nil, fmt.Errorf("containers: %w", err)
	}
	unlock, err = lockFile(filepath.Join(dir, "build.lock"))
	if err != nil {
		return "", "", nil, err
	}
	out := filepath.Join(dir, "idpconform-static")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, mainPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if msg, err := cmd.CombinedOutput(); err != nil {
		unlock()
		return "", "", nil, fmt.Errorf("containers: build a static idpconform for the image (from the idpconform "+
			"source tree, with Go installed; or run a binary built with CGO_ENABLED=0): %w\n%s", err, msg)
	}
	return out, checkout, unlock, nil
}

// moduleRoot is the directory of the go.mod that go finds from dir, which
// holds the source go build uses; dir itself if there is none.
func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// isStaticIdpconform says whether path is idpconform built without cgo for
// linux, which runs in a FROM scratch image as it is.
func isStaticIdpconform(path string) bool {
	info, err := buildinfo.ReadFile(path)
	if err != nil || info.Path != mainPackage {
		return false
	}
	var cgo, goos string
	for _, s := range info.Settings {
		switch s.Key {
		case "CGO_ENABLED":
			cgo = s.Value
		case "GOOS":
			goos = s.Value
		}
	}
	return cgo == "0" && goos == "linux"
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("containers: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("containers: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}

// buildImage builds the image of the binary, tagged tags[0] and the rest,
// with the engine's own (legacy) builder: BuildKit is not needed for a
// COPY into scratch.
func buildImage(ctx context.Context, cli client.APIClient, bin []byte, tags []string, labels map[string]string) error {
	tag := tags[0]
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		mode int64
		body []byte
	}{{"Dockerfile", 0o644, []byte(dockerfile)}, {"idpconform", 0o755, bin}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body))}); err != nil {
			return fmt.Errorf("containers: build context: %w", err)
		}
		if _, err := tw.Write(f.body); err != nil {
			return fmt.Errorf("containers: build context: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("containers: build context: %w", err)
	}
	res, err := cli.ImageBuild(ctx, &buf, client.ImageBuildOptions{
		Tags: tags, Remove: true, ForceRemove: true, Labels: labels, Version: build.BuilderV1,
	})
	if err != nil {
		return fmt.Errorf("containers: build %s: %w", tag, err)
	}
	defer res.Body.Close()
	return buildOutcome(res.Body, tag)
}

// buildOutcome reads the builder's JSON stream to its end: the build is
// over only then, and a failure is reported in the stream, not as a status.
func buildOutcome(r io.Reader, tag string) error {
	var log strings.Builder
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var m struct {
			Stream string `json:"stream"`
			Error  string `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		log.WriteString(m.Stream)
		if m.Error != "" {
			return fmt.Errorf("containers: build %s: %s\n%s", tag, m.Error, log.String())
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("containers: build %s: %w", tag, err)
	}
	return nil
}

// prune removes the images of older binaries of id's checkout and version,
// so a developer's edits do not pile up images, and nothing else: another
// checkout's run may be starting containers from its own. An image still
// used by a container stays, and goes at the next run.
func (d *Docker) prune(ctx context.Context, id identity) {
	cli := d.provider.Client()
	filters := make(client.Filters).Add("label", labelCheckout+"="+id.checkout, labelVersion+"="+id.version)
	list, err := cli.ImageList(ctx, client.ImageListOptions{Filters: filters})
	if err != nil {
		return
	}
	for _, img := range list.Items {
		// The engine's filter is checked again: what goes must be ours.
		l := img.Labels
		if l[labelBinary] == id.binary || l[labelCheckout] != id.checkout || l[labelVersion] != id.version {
			continue
		}
		_, _ = cli.ImageRemove(ctx, img.ID, client.ImageRemoveOptions{PruneChildren: true})
	}
}
