package provider

import (
	"fmt"
	"testing"
)

// TestQuotedList: an import error lists at most maxListedNames names, sorted and quoted, and
// says how many it left out.
func TestQuotedList(t *testing.T) {
	var names []string
	for i := maxListedNames + 5; i > 0; i-- {
		names = append(names, fmt.Sprintf("psp-%02d", i))
	}
	got := quotedList(names)
	want := `"psp-01", "psp-02", "psp-03", "psp-04", "psp-05", "psp-06", "psp-07", "psp-08", "psp-09", "psp-10", ` +
		`"psp-11", "psp-12", "psp-13", "psp-14", "psp-15", "psp-16", "psp-17", "psp-18", "psp-19", "psp-20" and 5 more`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := quotedList([]string{`a "quoted"/name`}); got != `"a \"quoted\"/name"` {
		t.Errorf("got %s", got)
	}
}
