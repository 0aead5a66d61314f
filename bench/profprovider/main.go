// Command profprovider is terraform-provider-connxt with a profiling hook, for the
// benchmark harness's -profile option (bench/cmd/bench). It serves exactly the shipped
// provider (internal/provider) and, when BENCH_PROFILE_DIR is set, profiles the process
// (see bench/internal/profhook).
//
// It lives under bench/ so that the shipped binary has no profiling code.
package main

import (
	"log"

	"github.com/fynxt/terraform-provider-connxt/bench/internal/profhook"
	"github.com/fynxt/terraform-provider-connxt/internal/provider"
)

func main() {
	stop := profhook.Start()
	err := provider.Serve("bench-profile", false)
	stop()
	if err != nil {
		log.Fatal(err)
	}
}
