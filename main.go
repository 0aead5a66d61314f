// Command terraform-provider-connxt serves the Connxt provider to Terraform over protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/fynxt/terraform-provider-connxt/internal/provider"
)

// version is set at build time (-ldflags "-X main.version=…") by the release process.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/fynxt/connxt",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
