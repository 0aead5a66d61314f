package connxt

import (
	"context"
	"net/http"
)

// GetPSP returns one PSP of the token's environment.
func (c *Client) GetPSP(ctx context.Context, id string) (*PSP, error) {
	var out PSP
	if err := c.do(ctx, call{method: http.MethodGet, mode: retryIdempotent, path: PathPSP(id), out: &out}); err != nil {
		return nil, err
	}
	if err := c.checkPSPAnswer(http.MethodGet, PathPSP(id), id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListPSPs returns every PSP of the token's environment.
func (c *Client) ListPSPs(ctx context.Context) ([]PSP, error) {
	var out []PSP
	if err := c.do(ctx, call{method: http.MethodGet, mode: retryIdempotent, path: PathPSPs, out: &out}); err != nil {
		return nil, err
	}
	if err := c.noteAnswer(http.MethodGet, PathPSPs, out...); err != nil {
		return nil, err
	}
	return out, nil
}

// FindPSP returns the PSP with this name and target, or nil when there is none.
func (c *Client) FindPSP(ctx context.Context, name, flowTargetID string) (*PSP, error) {
	all, err := c.ListPSPs(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Name == name && all[i].FlowTargetID == flowTargetID {
			return &all[i], nil
		}
	}
	return nil, nil
}

// UpdatePSP replaces a PSP's settings and operations; a nil Credential keeps the stored one.
func (c *Client) UpdatePSP(ctx context.Context, id string, req UpdatePSPRequest) (*PSP, error) {
	var secrets []string
	if req.Credential != nil {
		secrets = CredentialSecrets(*req.Credential)
	}
	if req.Operations == nil {
		// The API reads an omitted list as "remove all"; say so explicitly.
		req.Operations = []PSPOperation{}
	}
	var out PSP
	err := c.do(ctx, call{method: http.MethodPut, mode: retryIdempotent, path: PathPSP(id), body: req, out: &out, secrets: secrets})
	if err != nil {
		return nil, err
	}
	if err := c.checkPSPAnswer(http.MethodPut, PathPSP(id), id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeletePSP deletes a PSP. A server without PSP deletion answers 405 (IsMethodNotAllowed).
// Only a success envelope counts as deleted (see decodeResponse).
func (c *Client) DeletePSP(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, mode: retryIdempotent, path: PathPSP(id)})
}

// ExistingPSP returns the PSP of this name and target that existed when the client first
// listed the environment's PSPs (at most once per client, shared with creates and
// TokenEnvironment), or nil when there was none. A plan uses it to report a create that
// would meet 409, before the apply.
func (c *Client) ExistingPSP(ctx context.Context, name, flowTargetID string) (*PSP, error) {
	if err := c.ledger.listExisting(ctx, c.ListPSPs); err != nil {
		return nil, err
	}
	if p, ok := c.ledger.listedPSP(flowTargetID, name); ok {
		return &p, nil
	}
	return nil, nil
}
