package connxt

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// errAdopted stops a create's retries once its look-up found the PSP the create made.
var errAdopted = errors.New("the PSP was found by name and target")

// lookupTimeout bounds the last look-up of a create whose context was cancelled.
const lookupTimeout = 30 * time.Second

// CreatePSP creates a PSP and its operations in one call.
//
// A create that fails after its request may have reached the server is not simply sent
// again: before each retry, and once more after a failure that is not a definite refusal,
// the client lists the environment's PSPs and adopts the one with the same name and target.
// So exactly one PSP exists afterwards and the caller learns its id.
//
// Cancelling ctx (Terraform does on Ctrl-C) stops further retries but does not abandon an
// attempt under way: a server may commit a create whose client has gone, and the answer
// is the only way to learn the new PSP's id.
func (c *Client) CreatePSP(ctx context.Context, req CreatePSPRequest) (*PSP, error) {
	var adopted *PSP
	lookup := func(ctx context.Context) error {
		found, err := c.FindPSP(ctx, req.Name, req.FlowTargetID)
		if err != nil {
			return fmt.Errorf("looking for a PSP that the interrupted create may have made: %w", err)
		}
		if found != nil {
			adopted = found
			return errAdopted
		}
		return nil
	}

	var out PSP
	err := c.do(ctx, call{
		method:      http.MethodPost,
		path:        PathPSPsExternal,
		body:        req,
		out:         &out,
		mode:        retryAfterLookup,
		beforeRetry: lookup,
		detached:    true,
		secrets:     CredentialSecrets(req.Credential),
	})
	switch {
	case err == nil:
		return &out, nil
	case adopted != nil:
		return adopted, nil
	case isDefiniteRefusal(err):
		return nil, err
	}
	// The outcome is unknown (connection lost, retries exhausted, context cancelled): look
	// once more, even if the caller's context is done, so that a committed PSP is not lost.
	lookupCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
	defer cancel()
	if lookupErr := lookup(lookupCtx); errors.Is(lookupErr, errAdopted) {
		return adopted, nil
	}
	return nil, err
}

// isDefiniteRefusal reports an answer that proves nothing was created: a 4xx.
func isDefiniteRefusal(err error) bool {
	status := statusOf(err)
	return status >= 400 && status < 500 && status != http.StatusTooManyRequests
}

// GetPSP returns one PSP of the token's environment.
func (c *Client) GetPSP(ctx context.Context, id string) (*PSP, error) {
	var out PSP
	if err := c.do(ctx, call{method: http.MethodGet, mode: retryIdempotent, path: PathPSP(id), out: &out}); err != nil {
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
	return &out, nil
}

// DeletePSP deletes a PSP. A server without PSP deletion answers 405 (IsMethodNotAllowed).
func (c *Client) DeletePSP(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, mode: retryIdempotent, path: PathPSP(id)})
}
