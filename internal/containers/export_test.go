package containers

import "github.com/moby/moby/client"

// What the tests reach inside: the image labels, the image build, the
// parallel start, and the engine's client.
var (
	LabelBinary, LabelCheckout, LabelVersion = labelBinary, labelCheckout, labelVersion

	BuildImage = buildImage
	StartAll   = startAll
	Release    = release
)

func (d *Docker) Client() client.APIClient { return d.provider.Client() }
