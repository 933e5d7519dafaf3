// Command idpconform checks that a SCIM service provider works with the
// identity providers its customers use. See README.md.
package main

import (
	"os"

	"github.com/idpconform/idpconform/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(cli.Main(os.Args[1:], version))
}
