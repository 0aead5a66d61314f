package provider

import (
	"context"
	"sync"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/credschema"
)

// catalogFetchTimeout bounds one catalog fetch (its retries included).
const catalogFetchTimeout = 5 * time.Minute

// catalogCache fetches each flow type's definitions once per provider process: a plan of
// many PSPs and data sources reads the catalog once.
type catalogCache struct {
	client  *connxt.Client
	mu      sync.Mutex
	entries map[string]*catalogEntry
}

type catalogEntry struct {
	ready chan struct{}
	cat   *catalog
	err   error
}

// catalog is one flow type's definitions, indexed for plan-time checks.
type catalog struct {
	defs    *connxt.FlowTypeDefinitions
	targets map[string]*connxt.FlowTarget // by id

	mu      sync.Mutex
	schemas map[string]schemaEntry // compiled credentialSchema by target id
}

type schemaEntry struct {
	schema *credschema.Schema
	err    error
}

func newCatalog(defs *connxt.FlowTypeDefinitions) *catalog {
	c := &catalog{defs: defs, targets: map[string]*connxt.FlowTarget{}, schemas: map[string]schemaEntry{}}
	for i := range defs.Targets {
		c.targets[defs.Targets[i].ID] = &defs.Targets[i]
	}
	return c
}

// credentialSchema compiles a target's credentialSchema once.
func (c *catalog) credentialSchema(target *connxt.FlowTarget) (*credschema.Schema, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	entry, ok := c.schemas[target.ID]
	if !ok {
		entry.schema, entry.err = credschema.Compile(target.ID, target.CredentialSchema)
		c.schemas[target.ID] = entry
	}
	return entry.schema, entry.err
}

func newCatalogCache(client *connxt.Client) *catalogCache {
	return &catalogCache{client: client, entries: map[string]*catalogEntry{}}
}

// Get returns the catalog of flowType. Concurrent callers share one request; a failed
// request is not remembered, so that the next caller tries again.
func (c *catalogCache) Get(ctx context.Context, flowType string) (*catalog, error) {
	c.mu.Lock()
	entry, ok := c.entries[flowType]
	if !ok {
		entry = &catalogEntry{ready: make(chan struct{})}
		c.entries[flowType] = entry
		c.mu.Unlock()
		// Fetch on a context of the cache's own: the callers waiting for this entry must
		// not inherit the first caller's cancellation; each waits on its own context.
		fetchCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), catalogFetchTimeout)
		var defs *connxt.FlowTypeDefinitions
		defs, entry.err = c.client.GetFlowTypeDefinitions(fetchCtx, flowType)
		cancel()
		if entry.err == nil {
			entry.cat = newCatalog(defs)
		}
		if entry.err != nil {
			c.mu.Lock()
			delete(c.entries, flowType)
			c.mu.Unlock()
		}
		close(entry.ready)
		return entry.cat, entry.err
	}
	c.mu.Unlock()
	select {
	case <-entry.ready:
		return entry.cat, entry.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
