package connxt

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// This file is the create path of a PSP, the one call that must not be repeated blindly:
// Connxt V2 has no idempotency key, so after a lost answer only a look-up by name and
// flow target (names are unique per target) can tell whether the request made a PSP.
//
// The decision, attempt by attempt:
//   - success: the answer's PSP is ours (noted in the ledger, so nothing else adopts it);
//   - refused (a 4xx other than 429): the call ends; a 409 is an ordinary "already exists";
//   - failed in a way that proves the server did not do the work (a Connxt 500 envelope,
//     503, 429, no connection): send again within the budget, with backoff;
//   - outcome unknown (connection lost after sending, timeout, 502, 504, a 5xx page that
//     is not Connxt's): look up the name before sending again, and once more if the call
//     ends without an answer. A PSP found then is
//   - one that existed before this client's first create, that another create of this
//     client obtained, or whose settings differ from the request: not ours (NameTakenError);
//   - otherwise probably ours, but Connxt cannot prove it: another apply creating the
//     same name at that moment would have made the same PSP. It is adopted only when the
//     client was told to (Config.AdoptLostCreates); else UnverifiedCreateError names it.
//   - When the PSPs that predate the first create could not be listed (the list endpoint
//     is assumed, not documented), creates still work, but a lost answer cannot be
//     resolved: UnverifiedCreateError says so.

// errAdopted stops a create's retries once its look-up found the PSP it may adopt.
var errAdopted = errors.New("the PSP was found by name and target")

// NameTakenError reports a create whose look-up found the name taken by a PSP that the
// create did not make: one that existed before it, that another create of this client
// obtained, or whose settings differ from the request's. Names are unique per target, so
// the lost request created nothing. IsConflict reports it like the API's own 409.
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

// UnverifiedCreateError reports a create whose answer was lost after the request was
// sent, and whose result could not be settled: either a PSP of the name appeared that is
// probably, but not provably, the one the request made (ID), or no look-up was possible.
type UnverifiedCreateError struct {
	// ID is the PSP found by name and target; empty when none could be looked for.
	ID string
	// Cause is the failure that left the outcome unknown.
	Cause error
	// LookupErr says why no look-up was possible, when ID is empty.
	LookupErr error
}

func (e *UnverifiedCreateError) Error() string {
	if e.ID != "" {
		return fmt.Sprintf("the answer to the create was lost after the request was sent (%v); a PSP of this name and "+
			"target now exists (%s), which did not exist before this apply's first create and has exactly the settings "+
			"sent, so it is probably the one this request made, but Connxt cannot prove it: another apply creating the "+
			"same name at that moment would have made the same PSP. It was not taken over", e.Cause, e.ID)
	}
	return fmt.Sprintf("the answer to the create was lost after the request was sent (%v), and whether the PSP was "+
		"created could not be verified: %v", e.Cause, e.LookupErr)
}

func (e *UnverifiedCreateError) Unwrap() error { return e.Cause }

// detachedTimeout bounds the work a create does after its caller's context has ended: the
// last look-up.
const detachedTimeout = 30 * time.Second

// CreatePSP creates a PSP and its operations in one call (see the top of this file for
// when it retries, looks up or adopts). It returns the PSP and whether it was adopted
// rather than created by an answered request.
//
// Cancelling ctx (Terraform does on Ctrl-C) stops further retries but does not abandon an
// attempt under way: a server may commit a create whose client has gone, and the answer
// is the only way to learn the new PSP's id.
func (c *Client) CreatePSP(ctx context.Context, req CreatePSPRequest) (*PSP, bool, error) {
	listed := c.ledger.listExisting(ctx, c.ListPSPs)
	var mismatch *EnvironmentMismatchError
	if listed != nil && (IsUnauthorized(listed) || IsForbidden(listed) || errors.As(listed, &mismatch) || ctx.Err() != nil) {
		// Nothing was sent yet, so the listing's own failure is the answer.
		return nil, false, fmt.Errorf("listing the PSPs that exist before creating one: %w", listed)
	}
	release, err := c.ledger.hold(ctx, req.Name, req.FlowTargetID)
	if err != nil {
		return nil, false, err
	}
	defer release()

	var found *PSP
	var verdict error // why a found PSP is not adopted, or why none could be looked for
	cause := errors.New("an attempt's connection was lost or a gateway failed")
	lookup := func(ctx context.Context) error {
		psp, err := c.resolveLostCreate(ctx, req, listed, cause)
		switch {
		case err != nil:
			verdict = err
			return err
		case psp != nil:
			found = psp
			return errAdopted
		}
		return nil // nothing there: the lost attempt made nothing, so sending again is safe
	}

	var out PSP
	unknown := false
	err = c.do(ctx, call{
		method:         http.MethodPost,
		path:           PathPSPsExternal,
		body:           req,
		out:            &out,
		mode:           retryAfterLookup,
		beforeRetry:    lookup,
		detached:       true,
		unknownOutcome: &unknown,
		secrets:        CredentialSecrets(req.Credential),
	})
	if status := statusOf(err); status >= 200 && status <= 299 {
		// A success status whose body could not be used: the PSP was probably created.
		unknown = true
	}
	switch {
	case err == nil && out.ID != "":
		c.ledger.claim(out.ID) // a new id: no one else holds it
		noteErr := c.noteAnswer(http.MethodPost, PathPSPsExternal, out)
		if errors.As(noteErr, &mismatch) {
			return c.undoCreateElsewhere(ctx, &out, req, mismatch)
		}
		if noteErr != nil {
			return &out, false, noteErr // it exists: the caller keeps it, and reports the answer
		}
		return &out, false, nil
	case err == nil:
		err = &AnswerError{Method: http.MethodPost, Path: APIPrefix + PathPSPsExternal, Field: "id", Got: "", Want: "the new PSP's id"}
		unknown = true
	case found != nil:
		return found, true, nil
	case verdict != nil:
		return nil, false, verdict
	case !unknown || (isDefiniteRefusal(err) && !IsConflict(err)):
		// Every attempt was refused or proven unprocessed: nothing was created.
		return nil, false, err
	}
	// An attempt's outcome is unknown and the call ended without a PSP (a 409 after it,
	// retries spent, the caller gone): look once more, even if the caller's context is
	// done, so that a committed PSP is not lost.
	detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), detachedTimeout)
	defer cancel()
	cause = err
	psp, lookupErr := c.resolveLostCreate(detached, req, listed, cause)
	switch {
	case lookupErr != nil:
		return nil, false, lookupErr
	case psp != nil:
		return psp, true, nil
	}
	return nil, false, err
}

// undoCreateElsewhere removes a PSP that was just created in another environment than the
// expected one (its environment had no PSPs, so nothing told before): it is deleted, or
// disabled where the server cannot delete PSPs. If that fails too, the PSP is returned
// with the error, so that the caller keeps track of it.
func (c *Client) undoCreateElsewhere(ctx context.Context, psp *PSP, req CreatePSPRequest, mismatch *EnvironmentMismatchError) (*PSP, bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), detachedTimeout)
	defer cancel()
	err := c.DeletePSP(ctx, psp.ID)
	if IsMethodNotAllowed(err) {
		_, err = c.UpdatePSP(ctx, psp.ID, UpdatePSPRequest{Name: psp.Name, Description: psp.Description, Logo: psp.Logo,
			FlowTargetID: psp.FlowTargetID, Status: StatusDisabled, Operations: psp.Operations})
		switch {
		case err == nil || errors.As(err, new(*EnvironmentMismatchError)):
			return nil, false, fmt.Errorf("%w; the PSP %s that the create made there was disabled at once (this server "+
				"cannot delete PSPs) and is not managed by Terraform", mismatch, psp.ID)
		case IsNotFound(err):
			return nil, false, fmt.Errorf("%w; the PSP %s that the create made there is gone already", mismatch, psp.ID)
		}
	}
	if err == nil || IsNotFound(err) {
		return nil, false, fmt.Errorf("%w; the PSP that the create made there (%s) was deleted again", mismatch, psp.ID)
	}
	return psp, false, fmt.Errorf("%w; removing the PSP %s that the create made there failed too (%v), so it is kept "+
		"in state: remove it with the token of %s", mismatch, psp.ID, err, mismatch.Actual)
}

// resolveLostCreate looks for the PSP that a create with an unknown outcome may have made.
// It returns the PSP to adopt, nil when there is none (the request made nothing), or the
// reason a found PSP is not adopted. listed is the error of the listing before the first
// create, if it failed.
func (c *Client) resolveLostCreate(ctx context.Context, req CreatePSPRequest, listed, cause error) (*PSP, error) {
	psp, err := c.FindPSP(ctx, req.Name, req.FlowTargetID)
	switch {
	case err != nil:
		return nil, &UnverifiedCreateError{Cause: cause, LookupErr: fmt.Errorf("looking for it by name failed: %w", err)}
	case psp == nil:
		return nil, nil
	case listed != nil:
		// Without the earlier listing, a PSP that predates this apply looks the same.
		return nil, &UnverifiedCreateError{ID: psp.ID, Cause: cause}
	case c.ledger.claimed(psp.ID) || !madeByRequest(psp, req) && !madeIgnoringCreateExtras(psp, req):
		return nil, &NameTakenError{ID: psp.ID, Cause: cause}
	case !c.adoptLostCreates || !c.ledger.claim(psp.ID):
		return nil, &UnverifiedCreateError{ID: psp.ID, Cause: cause}
	}
	return psp, nil
}

// madeByRequest reports whether psp has what req creates: the request's status (ENABLED
// when it sends none), description, logo and operations. A PSP that differs was made, or
// changed since, by someone else.
func madeByRequest(psp *PSP, req CreatePSPRequest) bool {
	wantStatus := req.Status
	if wantStatus == "" {
		wantStatus = StatusEnabled
	}
	if psp.Status != wantStatus || valueOf(psp.Description) != valueOf(req.Description) || valueOf(psp.Logo) != req.Logo {
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

// madeIgnoringCreateExtras reports whether psp is what req creates on a server that ignores
// the description and status of a create (it makes PSPs ENABLED without a description):
// the provider then sets them with an update.
func madeIgnoringCreateExtras(psp *PSP, req CreatePSPRequest) bool {
	if psp.Status != StatusEnabled || valueOf(psp.Description) != "" {
		return false
	}
	plain := req
	plain.Status, plain.Description = "", nil
	return madeByRequest(psp, plain)
}

func valueOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// isDefiniteRefusal reports an answer that proves nothing was created: a 4xx.
func isDefiniteRefusal(err error) bool {
	status := statusOf(err)
	return status >= 400 && status < 500 && status != http.StatusTooManyRequests
}
