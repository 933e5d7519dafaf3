package containers_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/containers"
	"github.com/idpconform/idpconform/internal/containers/containertest"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/moby/moby/client"
)

func TestImageIsBuiltOnce(t *testing.T) {
	d := containertest.Connect(t)
	ctx := context.Background()
	first, err := d.Image(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Image(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first != again || !strings.HasPrefix(first, containers.Repository+":") {
		t.Fatalf("Image() = %q, then %q: want the same %s:<hash> twice", first, again, containers.Repository)
	}
}

func TestFakesInContainersReachTheTarget(t *testing.T) {
	d := containertest.Connect(t)
	ctx := context.Background()
	srv, err := target.New(target.Options{Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	// httptest listens on 127.0.0.1, which the host-networked fakes share.
	tgt := httptest.NewServer(srv)
	defer tgt.Close()

	f, err := d.StartFakes(ctx, provision.KindOkta, provision.KindEntra)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	running, _, err := d.Leftovers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Containers {
		names = append(names, c.DockerName)
		if !slices.Contains(running, c.DockerName) {
			t.Errorf("the %s fake's container %s is not listed while it runs: %v", c.Role, c.DockerName, running)
		}
	}
	auth := scim.Auth{Type: "bearer", Token: "t0ken"}
	log := transcript.New(transcript.NewRedactor("t0ken"))
	c := scim.New(scim.Config{BaseURL: tgt.URL + "/scim/v2", Auth: auth, HTTP: scim.NewHTTPClient(auth, 5*time.Second, nil),
		Anonymous: scim.NewAnonymousClient(), Timeout: 5 * time.Second}, log)
	if err := testConnection(ctx, f.Okta(c, okta.Options{})); err != nil {
		t.Errorf("Okta's test connection from its container: %v", err)
	}
	tenant := entra.NewTenant()
	tenant.PutUser(entra.User{ObjectID: "oid-1", UPN: "ada@example.com", GivenName: "Ada", Surname: "L", Enabled: true, InScope: true})
	job := f.Entra(c, tenant, entra.Options{})
	if cy, err := job.RunCycle(ctx); err != nil || cy.Failed != 0 || job.TargetID("oid-1") == "" {
		t.Errorf("Entra's cycle from its container: %+v, %v", cy, err)
	}
	if err := job.Close(ctx); err != nil {
		t.Error(err)
	}
	if n := log.Len(); n < 3 {
		t.Errorf("the transcript holds %d exchanges, want the fakes' requests", n)
	}
	if err := f.Stop(); err != nil {
		t.Fatal(err)
	}
	containertest.NoneLeft(t, d, names...)
	if err := testConnection(ctx, f.Okta(c, okta.Options{})); !errors.Is(err, provision.ErrControl) {
		t.Errorf("a stopped fake: %v, want ErrControl", err)
	}
}

func TestAFailedStartSaysWhyAndLeavesNothing(t *testing.T) {
	d := containertest.Connect(t)
	ctx := context.Background()
	img, err := d.Image(ctx)
	if err != nil {
		t.Fatal(err)
	}
	port, err := containers.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	// Port 1 is privileged and the image runs as nobody: the target exits.
	_, err = d.Run(ctx, containers.Spec{Role: "target", Image: img, Cmd: []string{"serve-target", "--addr", "127.0.0.1:1"}, Port: port, Health: "/healthz"})
	var se *containers.StartError
	if !errors.As(err, &se) || !strings.Contains(se.Logs, "permission denied") {
		t.Fatalf("Run = %v, want a StartError with the target's output", err)
	}
	left, _, err := d.Leftovers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range left {
		if strings.HasPrefix(n, "idpconform-target-") {
			t.Errorf("%s was left behind", n)
		}
	}
}

func TestCloseRemovesWhatWasNotStopped(t *testing.T) {
	containertest.Connect(t) // skips without Docker
	ctx := context.Background()
	d, err := containers.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.StartFake(ctx, containers.Fake{Kind: provision.KindOkta, Health: provision.HealthPath})
	if err != nil {
		t.Fatal(errors.Join(err, d.Close()))
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	containertest.NoneLeft(t, containertest.Connect(t), c.DockerName)
}

// TestIdPsInContainersServeTheirControlAPI starts the SAML IdP on a listen
// address of our choosing and the OpenID Provider on a free port, and
// drives both through the control API.
func TestIdPsInContainersServeTheirControlAPI(t *testing.T) {
	d := containertest.Connect(t)
	ctx := context.Background()
	port, err := containers.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	listen := "127.0.0.1:" + strconv.Itoa(port)
	i, err := d.StartIdPs(ctx, containers.Fake{Kind: "saml", Listen: listen}, containers.Fake{Kind: "oidc"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := i.Stop(); err != nil {
			t.Error(err)
		}
	}()
	if i.SAMLURL != "http://"+listen || i.OIDCURL == "" || !i.HasSAML() || !i.HasOIDC() {
		t.Fatalf("SAML at %q (want http://%s), OIDC at %q", i.SAMLURL, listen, i.OIDCURL)
	}
	s, err := i.Session(ctx, "victim")
	if err != nil {
		t.Fatalf("a session through the control API: %v", err)
	}
	if err := s.SetSAMLProfile(ctx, "entra"); err != nil {
		t.Fatalf("the SAML IdP's control API: %v", err)
	}
	if err := s.SetSAMLProfile(ctx, "no-such-profile"); err == nil {
		t.Error("an unknown SAML profile was accepted through the control API")
	}
	if n, err := s.CanaryHits(ctx); err != nil || n != 0 {
		t.Errorf("canary hits %d, %v; want 0 on a new IdP", n, err)
	}
	if err := s.End(ctx); err != nil {
		t.Errorf("end the session: %v", err)
	}
}

func TestStartIdPsRefusesWhatIsNoIdP(t *testing.T) {
	d := containertest.Connect(t)
	for _, f := range []containers.Fake{{Kind: "okta"}, {Kind: "saml", Listen: "10.0.0.1:7001"}, {Kind: "saml", Listen: "127.0.0.1"}} {
		if i, err := d.StartIdPs(context.Background(), f); err == nil {
			_ = i.Stop()
			t.Errorf("StartIdPs(%+v) started; want an error", f)
		}
	}
}

// TestAFailedStartRemovesTheOthers: of starts that run at once, one fails
// once the others have started; their containers are removed.
func TestAFailedStartRemovesTheOthers(t *testing.T) {
	d := containertest.Connect(t)
	ctx := context.Background()
	kinds := []string{provision.KindOkta, env.KindSAML}
	var (
		mu    sync.Mutex
		names []string
	)
	started := make(chan struct{}, len(kinds))
	broken := errors.New("the last start failed")
	cs, err := containers.StartAll(ctx, len(kinds)+1, func(ctx context.Context, i int) (*containers.Container, error) {
		if i == len(kinds) {
			for range kinds {
				select {
				case <-started:
				case <-ctx.Done(): // another start failed
					return nil, ctx.Err()
				}
			}
			return nil, broken
		}
		c, err := d.StartFake(ctx, containers.Fake{Kind: kinds[i]})
		if err == nil {
			mu.Lock()
			names = append(names, c.DockerName)
			mu.Unlock()
			started <- struct{}{}
		}
		return c, err
	})
	if !errors.Is(err, broken) || cs != nil {
		t.Fatalf("StartAll = %v, %v; want the last start's error and no container", cs, err)
	}
	if len(names) != len(kinds) {
		t.Fatalf("started %v, want one container for each of %v", names, kinds)
	}
	containertest.NoneLeft(t, d, names...)
}

// TestImagesOfOtherCheckoutsSurvive: a run removes the images of older
// binaries of its own checkout and version, and no image of another
// checkout or another version, which a run there may be using.
func TestImagesOfOtherCheckoutsSurvive(t *testing.T) {
	d := containertest.Connect(t)
	ctx := context.Background()
	img, err := d.Image(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli := d.Client()
	info, err := cli.ImageInspect(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	ours := info.Config.Labels
	if ours[containers.LabelCheckout] == "" || ours[containers.LabelVersion] == "" || ours[containers.LabelBinary] == "" {
		t.Fatalf("%s is labelled %v: want its binary, checkout and version", img, ours)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	// Images as other runs build them (FROM scratch, a file for a binary),
	// of an older binary.
	build := func(name, checkout, version string) string {
		tag := containers.Repository + ":test-" + hex.EncodeToString(b) + "-" + name
		labels := map[string]string{containers.Label: "image", containers.LabelBinary: "0000000000000000",
			containers.LabelCheckout: checkout, containers.LabelVersion: version}
		if err := containers.BuildImage(ctx, cli, []byte("an older binary, never run\n"), []string{tag}, labels); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = cli.ImageRemove(context.Background(), tag, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		})
		return tag
	}
	otherCheckout := build("other-checkout", "0123456789ab", ours[containers.LabelVersion])
	otherVersion := build("other-version", ours[containers.LabelCheckout], "v0.0.0-another")
	older := build("older", ours[containers.LabelCheckout], ours[containers.LabelVersion])

	// A run's connection finds its image and cleans up.
	if again, err := containertest.Connect(t).Image(ctx); err != nil || again != img {
		t.Fatalf("Image() = %q, %v; want %s", again, err, img)
	}
	exists := func(tag string) bool {
		_, err := cli.ImageInspect(ctx, tag)
		return err == nil
	}
	if exists(older) {
		t.Errorf("%s, an older binary of this checkout and version, was not removed", older)
	}
	for _, tag := range []string{otherCheckout, otherVersion} {
		if !exists(tag) {
			t.Errorf("%s, of another checkout or version, was removed", tag)
		}
	}
	if !exists(img) {
		t.Errorf("the run's own image %s was removed", img)
	}
}

func testConnection(ctx context.Context, o provision.Okta) error {
	_, err := o.Do(ctx, okta.Op{Name: okta.OpTestConnection})
	return err
}

// TestReleaseVersion: an image's version label is a release's, else
// "(devel)", so that a checkout's commits share their clean-up.
func TestReleaseVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v1.2.0":                             "v1.2.0",
		"v1.3.0-rc.1":                        "v1.3.0-rc.1",
		"(devel)":                            "(devel)",
		"":                                   "(devel)",
		"v1.2.0+dirty":                       "(devel)",
		"v0.0.0-20261203101141-972b88f5d3c1": "(devel)",
		"v1.2.1-0.20261203101141-972b88f5d3c1+dirty": "(devel)",
	} {
		if got := containers.Release(v); got != want {
			t.Errorf("Release(%q) = %q, want %q", v, got, want)
		}
	}
}
