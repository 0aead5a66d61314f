package connxt

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an answer of the API that is not a success: an error envelope, or a body
// that a proxy produced and that is not an envelope at all.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	// Code is the envelope's code ("4001", "4004", ...); empty when the body was not an envelope.
	Code        string
	Message     string
	FieldErrors []FieldError
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	for _, fe := range e.FieldErrors {
		fmt.Fprintf(&b, "; %s: %s", fe.Field, fe.Message)
	}
	return b.String()
}

func statusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// IsNotFound reports whether the object is absent (or belongs to another environment).
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports a 409, e.g. a PSP of the same name for the same target, or a
// *NameTakenError, which a create's look-up finds instead of a lost answer's 409.
func IsConflict(err error) bool {
	var taken *NameTakenError
	return statusOf(err) == http.StatusConflict || errors.As(err, &taken)
}

// IsUnknownFlowTarget reports a 404 answer to a PSP create, which names a flow target
// that does not exist; a 404 of any other call means something else.
func IsUnknownFlowTarget(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound &&
		apiErr.Method == http.MethodPost && apiErr.Path == APIPrefix+PathPSPsExternal
}

// IsUnauthorized reports that the token was missing or refused.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsForbidden reports that the token lacks access.
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsValidation reports a 400 with (possibly) per-field errors.
func IsValidation(err error) bool { return statusOf(err) == http.StatusBadRequest }

// IsMethodNotAllowed reports a 405: the server does not offer that operation.
func IsMethodNotAllowed(err error) bool { return statusOf(err) == http.StatusMethodNotAllowed }
