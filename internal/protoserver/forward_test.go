// An external test package: the provider package serves itself through protoserver.
package protoserver_test

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
	"github.com/fynxt/terraform-provider-connxt/internal/provider"
)

// TestForwardsEveryOptionalInterface: whatever optional interface of terraform-plugin-go
// the framework's server implements, the releasing server implements too, so Terraform
// is not told that the provider lacks list resources, actions or state stores.
func TestForwardsEveryOptionalInterface(t *testing.T) {
	framework := providerserver.NewProtocol6(provider.New("test")())()
	wrapped := protoserver.NewReleasingServer(framework, 0)
	for _, optional := range []reflect.Type{
		reflect.TypeFor[tfprotov6.ListResourceServer](),
		reflect.TypeFor[tfprotov6.ActionServer](),
		reflect.TypeFor[tfprotov6.StateStoreServer](),
		// What tf6server looks the methods up by, deprecated for a future merge into
		// ProviderServer but in force in terraform-plugin-go v0.31.
		reflect.TypeFor[tfprotov6.ProviderServerWithListResource](), //nolint:staticcheck // tf6server's lookup
		reflect.TypeFor[tfprotov6.ProviderServerWithActions](),      //nolint:staticcheck // tf6server's lookup
		reflect.TypeFor[tfprotov6.ProviderServerWithStateStores](),  //nolint:staticcheck // tf6server's lookup
	} {
		if !reflect.TypeOf(framework).Implements(optional) {
			t.Errorf("the framework's server no longer implements %s: drop it from this list", optional)
			continue
		}
		if !reflect.TypeOf(wrapped).Implements(optional) {
			t.Errorf("the releasing server hides %s", optional)
		}
	}
}
