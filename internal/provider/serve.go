package provider

import (
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
)

// Address is the provider's source address in the Terraform Registry.
const Address = "registry.terraform.io/fynxt/connxt"

// Serve serves the provider to Terraform over protocol 6; debug runs it for debuggers
// such as delve. It is what main runs.
//
// protoserver rather than providerserver.Serve: it frees what the framework keeps of
// every finished call, which otherwise grows the process by ~150 KB per resource.
//
// When nothing reads the provider's logs it switches them off. The SDK's loggers default
// to TRACE whatever Terraform wants, so every call formats dozens of JSON log lines that
// Terraform then drops: without TF_LOG or TF_LOG_PROVIDER, Terraform's logger for
// providers is off. That formatting was about a third of the provider's CPU in a plan.
func Serve(version string, debug bool) error {
	quiet := !debug && !logsRequested(os.Environ())
	if quiet {
		for _, name := range logLevelVariables {
			// Setenv fails only for invalid names; these are constants.
			_ = os.Setenv(name, "OFF")
		}
	}
	return protoserver.Serve(Address, newProvider(version, quiet), debug)
}

// logLevelVariables set the levels of the loggers of terraform-plugin-go (sdk.proto),
// terraform-plugin-framework (sdk.framework) and of this provider's own tflog logger,
// which the SDK reads again on every call.
var logLevelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CONNXT"}

// logsRequested reports whether any variable asks for logs, of Terraform or of the SDK:
// every TF_LOG* variable (TF_LOG, TF_LOG_PATH, TF_LOG_CORE, TF_LOG_PROVIDER,
// TF_LOG_PROVIDER_CONNXT, TF_LOG_SDK*), even one set to OFF or to a value Terraform
// rejects, and TF_TEMP_LOG_PATH, through which Terraform copies every log to a file.
// Erring towards logs costs only time.
func logsRequested(environ []string) bool {
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") || name == "TF_TEMP_LOG_PATH" {
			return true
		}
	}
	return false
}

// newProvider is New with the client's request logs off when quietLogs is set.
func newProvider(version string, quietLogs bool) func() provider.Provider {
	return func() provider.Provider { return &connxtProvider{version: version, quietLogs: quietLogs} }
}
