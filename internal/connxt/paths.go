package connxt

import "net/url"

// Every path of the V2 API lives here, so that a server that differs from our model of it
// changes one file.
const (
	// APIPrefix is appended to the base URL (scheme and host) to reach V2.
	APIPrefix = "/connxt/v2"

	// TokenHeader carries the environment's secret token on every request.
	TokenHeader = "X-SECRET-TOKEN"

	PathFlowTypeDefinitions = "/flow-types/definitions"
	PathPSPs                = "/psps"
	PathPSPsExternal        = "/psps/external"
	PathTransactions        = "/transactions"

	// QueryFlowType is the query parameter that names the flow type of a definitions request.
	QueryFlowType = "type"
)

// PathPSP is the path of one PSP.
func PathPSP(id string) string { return PathPSPs + "/" + url.PathEscape(id) }

// Codes of the envelope (the "code" field, a string): "200" on success, and these on errors.
const (
	CodeOK = "200"

	CodeValidation   = "4001"
	CodeUnauthorized = "4002"
	CodeForbidden    = "4003"
	CodeNotFound     = "4004"
	CodeConflict     = "4005"
	CodeServerError  = "1000"
)

// IsSuccessCode reports whether an envelope's code says success: "200" as documented, or
// another 2xx-like code ("201") that a server may use for a create.
func IsSuccessCode(code string) bool {
	return len(code) == 3 && code[0] == '2' && code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9'
}
