package target

// The golden package registers -update, so that
// `go test ./fakes/... -update` is accepted by this package too.
import _ "github.com/idpconform/idpconform/fakes/golden"
