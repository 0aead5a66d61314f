// Command terraform-provider-connxt serves the Connxt provider to Terraform over protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/fynxt/terraform-provider-connxt/internal/provider"
)

// version is set at build time (-ldflags "-X main.version=…") by the release process.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	if err := provider.Serve(version, debug); err != nil {
		log.Fatal(err)
	}
}
