package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// Messages of the envelopes. The success message is the documented one; the others
// are ours (the contract fixes codes, not wording, except for the 409).
const (
	msgOK                 = "Operation completed successfully"
	msgTransactionCreated = "Transaction created successfully"
	msgValidation         = "Validation failed"
	msgUnauthorized       = "Missing or invalid " + connxt.TokenHeader + " header"
	msgNoRoute            = "No resource at this path"
	msgPSPNotFound        = "PSP not found"
	msgTargetNotFound     = "Flow target not found"
	msgFlowTypeNotFound   = "Flow type not found"
	msgDuplicateName      = "PSP with same name already exists"
	msgMethodNotAllowed   = "Method not allowed"
	msgServerError        = "Internal server error"
	msgTooManyRequests    = "Too many requests"
)

// codeMethodNotAllowed and codeTooManyRequests have no documented Connxt code; the
// HTTP status doubles as the code, as Spring-based gateways commonly do.
const (
	codeMethodNotAllowed = "405"
	codeTooManyRequests  = "429"
)

// maxBody is the largest request body accepted (1 MiB); larger ones are refused
// before they are parsed.
const maxBody = 1 << 20

// timestamp formats the envelope time: UTC with a Z, whole seconds
// (internal/connxt/CONTRACT.md §1).
func (s *Server) timestamp() string { return s.now().UTC().Format("2006-01-02T15:04:05Z") }

// localTime formats createdAt/updatedAt: a local date-time without zone
// (internal/connxt/CONTRACT.md §1).
func (s *Server) localTime() string { return s.now().Format("2006-01-02T15:04:05") }

// writeEnvelope sends env as JSON with the given status.
func (s *Server) writeEnvelope(w http.ResponseWriter, status int, env connxt.Envelope) {
	body, err := json.Marshal(env)
	if err != nil {
		// Only our own types are marshalled here; this is a programming error.
		status = http.StatusInternalServerError
		body, _ = json.Marshal(connxt.Envelope{Timestamp: s.timestamp(), Code: connxt.CodeServerError, Message: msgServerError})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// ok sends a success envelope; code is the status as a string ("200", "201").
// A nil data leaves "data" out, as DELETE does.
func (s *Server) ok(w http.ResponseWriter, status int, message string, data any) {
	env := connxt.Envelope{Timestamp: s.timestamp(), Code: strconv.Itoa(status), Message: message}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			s.fail(w, http.StatusInternalServerError, connxt.CodeServerError, msgServerError)
			return
		}
		env.Data = raw
	}
	s.writeEnvelope(w, status, env)
}

// fail sends an error envelope.
func (s *Server) fail(w http.ResponseWriter, status int, code, message string, errs ...connxt.FieldError) {
	s.writeEnvelope(w, status, connxt.Envelope{Timestamp: s.timestamp(), Code: code, Message: message, Errors: errs})
}

// invalid sends 400 4001 with all field errors.
func (s *Server) invalid(w http.ResponseWriter, errs []connxt.FieldError) {
	s.fail(w, http.StatusBadRequest, connxt.CodeValidation, msgValidation, errs...)
}

// fieldErrors collects validation problems so that a request learns all of them at once.
type fieldErrors []connxt.FieldError

// add records one problem.
func (f *fieldErrors) add(field, format string, args ...any) {
	*f = append(*f, connxt.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// decodeBody reads a JSON object body into dst (one of the connxt request types) and
// also returns its top-level members, which callers use to tell absent from null and to
// check raw JSON types the struct cannot see. On failure it has already answered 400.
// Error messages never quote the body, because it may hold a credential.
//
// Members named in manual are left out of the struct decoding; the caller checks them
// itself (txnAmount, whose json.Number field would accept a quoted number and whose
// decoding errors quote the value).
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, dst any, manual ...string) (map[string]json.RawMessage, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		s.invalid(w, []connxt.FieldError{{Field: "body", Message: "the request body could not be read"}})
		return nil, false
	}
	if len(data) > maxBody {
		s.invalid(w, []connxt.FieldError{{Field: "body", Message: fmt.Sprintf("the request body exceeds %d bytes", maxBody)}})
		return nil, false
	}
	// json.Valid also rejects trailing garbage after the value.
	if !json.Valid(data) {
		s.invalid(w, []connxt.FieldError{{Field: "body", Message: "the request body is not valid JSON"}})
		return nil, false
	}
	var members map[string]json.RawMessage
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &members) != nil {
		s.invalid(w, []connxt.FieldError{{Field: "body", Message: "the request body must be a JSON object"}})
		return nil, false
	}
	if len(manual) > 0 {
		rest := make(map[string]json.RawMessage, len(members))
		for k, v := range members {
			rest[k] = v
		}
		for _, k := range manual {
			delete(rest, k)
		}
		data, _ = json.Marshal(rest)
	}
	if err := json.Unmarshal(data, dst); err != nil {
		s.invalid(w, []connxt.FieldError{typeError(err, members)})
		return nil, false
	}
	return members, true
}

// typeError turns a decoding error into a field error naming the member in the API's
// own notation (operations[1].status), with a message that never quotes a value.
func typeError(err error, members map[string]json.RawMessage) connxt.FieldError {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Field == "" {
		return connxt.FieldError{Field: "body", Message: "the request body has a member of the wrong JSON type"}
	}
	field := te.Field
	msg := fmt.Sprintf("must be a JSON %s", jsonKind(te.Type.Kind().String()))
	if top, rest, nested := strings.Cut(te.Field, "."); nested {
		// encoding/json leaves out array indexes; find the element that fails. The
		// only array of objects in the request types is operations.
		var elems []json.RawMessage
		if json.Unmarshal(members[top], &elems) == nil {
			for i, e := range elems {
				var op connxt.PSPOperation
				if json.Unmarshal(e, &op) != nil {
					field = fmt.Sprintf("%s[%d].%s", top, i, rest)
					break
				}
			}
		}
	}
	return connxt.FieldError{Field: field, Message: msg}
}

// jsonKind names the JSON type a Go kind decodes from.
func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "bool":
		return "boolean"
	case "ptr":
		return "string or null"
	default:
		return "number"
	}
}
