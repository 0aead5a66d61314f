package connxt

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// errAdopted stops a create's retries once its look-up found a PSP of that name and target.
var errAdopted = errors.New("the PSP was found by name and target")

// lookupError hides the status of a failed list call made for a create, so that a 404 or
// 409 of the list is not taken for an answer to the create itself.
type lookupError struct {
	doing string
	err   error
}

func (e *lookupError) Error() string { return e.doing + ": " + e.err.Error() }

// NameTakenError reports a create whose answer was lost and whose look-up found the name
// taken by a PSP that the create did not make: one that existed before it, that another
// create of this process obtained, or whose settings differ from the request's. Names are
// unique per target, so the lost request created nothing. IsConflict reports it like the
// API's own 409.
type NameTakenError struct {
	// ID is the PSP that holds the name.
	ID string
	// Cause is the failure that made the create look.
	Cause error
}

func (e *NameTakenError) Error() string {
	return fmt.Sprintf("a PSP of this name and target already exists (%s) and was not created by this request; "+
		"the request had failed with: %v", e.ID, e.Cause)
}

// detachedTimeout bounds the work a create does after its caller's context has ended: the
// last look-up.
const detachedTimeout = 30 * time.Second

// CreatePSP creates a PSP and its operations in one call. It returns the PSP and whether
// it was adopted rather than created by an answered request.
//
// A create that fails after its request may have reached the server is not simply sent
// again: before each retry, and once more after a failure that does not prove the request
// was refused (including a 409 after such a failure, which may be our own PSP), the client
// lists the environment's PSPs and adopts the one with the same name and target, unless
// that PSP cannot be this request's: it predates the client's first create or another
// create of the client obtained it (see createLedger), or its content differs from what
// the request creates. Then the result is a *NameTakenError. So exactly one PSP exists
// afterwards and the caller learns its id.
//
// The first create of a client lists the environment's PSPs once before it sends
// anything, to know which PSPs predate it; creates of one name and target take turns.
//
// Cancelling ctx (Terraform does on Ctrl-C) stops further retries but does not abandon an
// attempt under way: a server may commit a create whose client has gone, and the answer
// is the only way to learn the new PSP's id.
func (c *Client) CreatePSP(ctx context.Context, req CreatePSPRequest) (*PSP, bool, error) {
	if err := c.ledger.listExisting(ctx, c.ListPSPs); err != nil {
		// Nothing was sent yet, so the listing's own status (a refused token, say) is the answer.
		return nil, false, fmt.Errorf("listing the PSPs that exist before creating one: %w", err)
	}
	release, err := c.ledger.hold(ctx, req.Name, req.FlowTargetID)
	if err != nil {
		return nil, false, err
	}
	defer release()
	var found *PSP
	// cause is what made the create look: an earlier attempt's failure, then the final one.
	cause := errors.New("an attempt got no answer, or a server error")
	lookup := func(ctx context.Context) error {
		psp, err := c.FindPSP(ctx, req.Name, req.FlowTargetID)
		if err != nil {
			return &lookupError{doing: "looking for a PSP that the interrupted create may have made", err: err}
		}
		if psp == nil {
			return nil
		}
		if !madeByRequest(psp, req) || !c.ledger.claim(psp.ID) {
			return &NameTakenError{ID: psp.ID, Cause: cause}
		}
		found = psp
		return errAdopted
	}

	var out PSP
	uncertain := false
	err = c.do(ctx, call{
		method:      http.MethodPost,
		path:        PathPSPsExternal,
		body:        req,
		out:         &out,
		mode:        retryAfterLookup,
		beforeRetry: lookup,
		detached:    true,
		uncertain:   &uncertain,
		secrets:     CredentialSecrets(req.Credential),
	})
	detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), detachedTimeout)
	defer cancel()
	var taken *NameTakenError
	switch {
	case err == nil:
		c.ledger.claim(out.ID) // a new id: no one else holds it
		return &out, false, nil
	case found != nil:
		return found, true, nil
	case errors.As(err, &taken):
		return nil, false, err
	case IsConflict(err) && uncertain:
		// An earlier attempt may have created the PSP that this one conflicts with.
	case isDefiniteRefusal(err):
		return nil, false, err
	}
	// The outcome is unknown (connection lost, retries exhausted, context cancelled): look
	// once more, even if the caller's context is done, so that a committed PSP is not lost.
	cause = err
	switch lookupErr := lookup(detached); {
	case errors.Is(lookupErr, errAdopted):
		return found, true, nil
	case errors.As(lookupErr, &taken):
		return nil, false, lookupErr
	}
	return nil, false, err
}

// madeByRequest reports whether psp has what req creates: a new PSP is ENABLED, has no
// description, and has exactly the request's logo and operations. A PSP that differs was
// made, or changed since, by someone else.
func madeByRequest(psp *PSP, req CreatePSPRequest) bool {
	if psp.Status != StatusEnabled || (psp.Description != nil && *psp.Description != "") {
		return false
	}
	if logo := psp.Logo; (logo == nil && req.Logo != "") || (logo != nil && *logo != req.Logo) {
		return false
	}
	if len(psp.Operations) != len(req.Operations) {
		return false
	}
	withStatus := func(op PSPOperation) PSPOperation {
		if op.Status == "" {
			op.Status = StatusEnabled // the API's default
		}
		return op
	}
	sent := make(map[PSPOperation]bool, len(req.Operations))
	for _, op := range req.Operations {
		sent[withStatus(op)] = true
	}
	for _, op := range psp.Operations {
		if !sent[withStatus(op)] {
			return false
		}
	}
	return true
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
