package emulator

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestAdminEndpointsDocumented: the user guide's endpoint table and the package
// comment list exactly the endpoints the admin API serves, so neither can fall behind.
func TestAdminEndpointsDocumented(t *testing.T) {
	served := slices.Sorted(slices.Values(New(Options{}).adminHandler().patterns))
	sources := map[string]*regexp.Regexp{
		"../../docs/guides/emulator-admin-api.md": regexp.MustCompile("(?m)^\\| `(GET|POST|PUT|DELETE) (/_emulator/[^`]*)` \\|"),
		"server.go": regexp.MustCompile(`(?m)^//\t(GET|POST|PUT|DELETE) +(/_emulator/\S+)`),
	}
	for file, re := range sources {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, m := range re.FindAllStringSubmatch(string(text), -1) {
			listed = append(listed, m[1]+" "+m[2])
		}
		slices.Sort(listed)
		if !slices.Equal(listed, served) {
			t.Errorf("%s lists\n  %q\nbut the admin API serves\n  %q", file, listed, served)
		}
	}
}
