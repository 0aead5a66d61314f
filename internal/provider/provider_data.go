package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/diagnostics"
)

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client      *connxt.Client
	tokenSource string
	catalogs    *catalogCache
}

// addAPIError reports err with the token's source for a 401.
func (d *providerData) addAPIError(ctx context.Context, diags *diag.Diagnostics, summary string, err error, mapField diagnostics.FieldMapper) {
	diagnostics.AddAPIError(ctx, diags, summary, err, mapField, d.tokenSource)
}

// providerDataFrom converts the value Configure stored; nil means "not configured yet",
// which happens during validation.
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", raw))
		return nil
	}
	return data
}

// catalogCache fetches each flow type's definitions once per provider process: a plan of
// many PSPs and data sources reads the catalog once.
type catalogCache struct {
	client  *connxt.Client
	mu      sync.Mutex
	entries map[string]*catalogEntry
}

type catalogEntry struct {
	ready chan struct{}
	defs  *connxt.FlowTypeDefinitions
	err   error
}

func newCatalogCache(client *connxt.Client) *catalogCache {
	return &catalogCache{client: client, entries: map[string]*catalogEntry{}}
}

// Get returns the definitions of flowType. Concurrent callers share one request; a failed
// request is not remembered, so that the next caller tries again.
func (c *catalogCache) Get(ctx context.Context, flowType string) (*connxt.FlowTypeDefinitions, error) {
	c.mu.Lock()
	entry, ok := c.entries[flowType]
	if !ok {
		entry = &catalogEntry{ready: make(chan struct{})}
		c.entries[flowType] = entry
		c.mu.Unlock()
		entry.defs, entry.err = c.client.GetFlowTypeDefinitions(ctx, flowType)
		if entry.err != nil {
			c.mu.Lock()
			delete(c.entries, flowType)
			c.mu.Unlock()
		}
		close(entry.ready)
		return entry.defs, entry.err
	}
	c.mu.Unlock()
	select {
	case <-entry.ready:
		return entry.defs, entry.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
