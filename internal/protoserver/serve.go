package protoserver

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves the provider that newProvider builds at address (for example
// "registry.terraform.io/fynxt/connxt"), as providerserver.Serve does, through a
// releasing server. debug runs it for debuggers such as delve.
func Serve(address string, newProvider func() provider.Provider, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve(address, func() tfprotov6.ProviderServer {
		return NewReleasingServer(providerserver.NewProtocol6(newProvider())(), DefaultReleaseEvery)
	}, opts...)
}
