package connxt

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// environmentMemo remembers the environment the client's token belongs to. The API never
// says so directly, but a token sees only its own environment, so every PSP it returns
// carries that environment's id.
type environmentMemo struct {
	mu sync.Mutex
	id string
}

// AnswerError reports an answer that cannot be right for the request: another PSP than
// the one asked for, or a PSP of another environment than the token's. Nothing of such
// an answer is used.
type AnswerError struct {
	Method, Path string
	// Field is the API's field name; Want is what the request or earlier answers imply.
	Field, Want, Got string
}

func (e *AnswerError) Error() string {
	return fmt.Sprintf("%s %s: Connxt answered with %s %q where %q was expected; the answer was not used. "+
		"Check that base_url points at Connxt itself and not at a proxy that rewrites answers", e.Method, e.Path, e.Field, e.Got, e.Want)
}

// EnvironmentMismatchError reports that the token belongs to another environment than the
// one the client was told to expect (Config.EnvironmentID).
type EnvironmentMismatchError struct {
	Expected, Actual string
}

func (e *EnvironmentMismatchError) Error() string {
	return fmt.Sprintf("the secret token belongs to environment %s, not to %s, the environment this configuration expects "+
		"(the provider's environment_id)", e.Actual, e.Expected)
}

// noteAnswer learns the token's environment from PSPs the API returned, and refuses PSPs
// of another environment than the one learnt before (a token belongs to one) or than the
// one expected.
func (c *Client) noteAnswer(method, path string, psps ...PSP) error {
	c.env.mu.Lock()
	defer c.env.mu.Unlock()
	for _, p := range psps {
		switch {
		case c.expectedEnv != "" && p.EnvironmentID != "" && p.EnvironmentID != c.expectedEnv:
			if c.env.id == "" {
				c.env.id = p.EnvironmentID // the token's, however wrong: TokenEnvironment tells
			}
			return &EnvironmentMismatchError{Expected: c.expectedEnv, Actual: p.EnvironmentID}
		case p.EnvironmentID == "":
			return &AnswerError{Method: method, Path: APIPrefix + path, Field: "environmentId", Got: "", Want: "the environment of PSP " + p.ID}
		case c.env.id == "":
			c.env.id = p.EnvironmentID
		case c.env.id != p.EnvironmentID:
			return &AnswerError{Method: method, Path: APIPrefix + path, Field: "environmentId", Got: p.EnvironmentID, Want: c.env.id}
		}
	}
	return nil
}

// checkPSPAnswer checks that an answer about PSP id is about that PSP, and learns from it.
func (c *Client) checkPSPAnswer(method, path, id string, p *PSP) error {
	if p.ID != id {
		return &AnswerError{Method: method, Path: APIPrefix + path, Field: "id", Got: p.ID, Want: id}
	}
	return c.noteAnswer(method, path, *p)
}

// ExpectedEnvironment is the environment the client was told to expect, or "".
func (c *Client) ExpectedEnvironment() string { return c.expectedEnv }

// TokenEnvironment returns the environment (env_…) of the client's token, or "" when it
// cannot be learnt: the token's environment has no PSPs, or the list endpoint is missing
// or failing (the error says which). It lists the PSPs once per client, sharing the listing
// that creates need anyway (see createLedger; a listing that failed in passing is tried
// again by the next caller), unless an answer already told.
func (c *Client) TokenEnvironment(ctx context.Context) (string, error) {
	if id := c.knownEnvironment(); id != "" {
		return id, nil
	}
	err := c.ledger.listExisting(ctx, c.ListPSPs)
	var mismatch *EnvironmentMismatchError
	switch {
	case errors.As(err, &mismatch):
		return mismatch.Actual, nil // known, and not the expected one
	case err != nil:
		return "", err
	}
	return c.knownEnvironment(), nil
}

func (c *Client) knownEnvironment() string {
	c.env.mu.Lock()
	defer c.env.mu.Unlock()
	return c.env.id
}

// IsListingUnavailable reports a server without the (assumed) list endpoint.
func IsListingUnavailable(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Method == http.MethodGet && apiErr.Path == APIPrefix+PathPSPs &&
		(apiErr.StatusCode == http.StatusNotFound || apiErr.StatusCode == http.StatusMethodNotAllowed)
}
