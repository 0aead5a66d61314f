// Command terraform-provider-connxt serves the Connxt provider to Terraform over protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
	"github.com/fynxt/terraform-provider-connxt/internal/provider"
)

// version is set at build time (-ldflags "-X main.version=…") by the release process.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	// protoserver rather than providerserver.Serve: it frees what the framework keeps of
	// every finished call, which otherwise grows the process by ~150 KB per resource.
	if err := protoserver.Serve("registry.terraform.io/fynxt/connxt", provider.New(version), debug); err != nil {
		log.Fatal(err)
	}
}
