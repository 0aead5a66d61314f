package connxt

import "encoding/json"

// This file is the single place that knows the JSON field names of the Connxt V2 API
// (see CONTRACT.md). The emulator reuses these types so that the fake and the
// client cannot disagree about the wire format.

// Status values shared by flow targets, PSPs and PSP operations.
const (
	StatusEnabled  = "ENABLED"
	StatusDisabled = "DISABLED"
)

// CredentialMask is what the API returns in place of a stored credential.
const CredentialMask = "***ENCRYPTED***"

// Envelope wraps every response body, successful or not.
type Envelope struct {
	Timestamp string          `json:"timestamp"`
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Data      json.RawMessage `json:"data,omitempty"`
	Errors    []FieldError    `json:"errors,omitempty"`
}

// FieldError is one entry of an error envelope's errors[] list.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FlowTypeDefinitions is the payload of GET /flow-types/definitions.
type FlowTypeDefinitions struct {
	Name    string       `json:"name"`
	Targets []FlowTarget `json:"targets"`
}

// FlowTarget is a payment gateway that PSPs of a flow type can be configured for.
type FlowTarget struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Logo             string          `json:"logo"`
	Status           string          `json:"status"`
	CredentialSchema json.RawMessage `json:"credentialSchema"`
	InputSchema      json.RawMessage `json:"inputSchema"`
	Actions          []FlowAction    `json:"actions"`
}

// FlowAction is an action (DEPOSIT, WITHDRAW, ...) as offered by one flow target.
// Definition is nil when the action cannot be enabled on that target.
type FlowAction struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Definition *FlowDefinition `json:"definition"`
}

// FlowDefinition belongs to exactly one (action, target) pair.
type FlowDefinition struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"inputSchema"`
}

// PSPOperation enables (or disables) one flow action on a PSP.
type PSPOperation struct {
	FlowActionID     string `json:"flowActionId"`
	FlowDefinitionID string `json:"flowDefinitionId"`
	Status           string `json:"status"`
}

// CreatePSPRequest is the body of POST /psps/external. Credential is a JSON document
// encoded as a string. brandId and environmentId are derived from the token and never sent.
// Description and Status are not in the documented request, but Connxt's create DTO takes
// them; an answer that shows them unapplied is followed by an update.
type CreatePSPRequest struct {
	Name         string         `json:"name"`
	Description  *string        `json:"description,omitempty"`
	Status       string         `json:"status,omitempty"`
	Logo         string         `json:"logo,omitempty"`
	Credential   string         `json:"credential"`
	FlowTargetID string         `json:"flowTargetId"`
	Operations   []PSPOperation `json:"operations"`
}

// UpdatePSPRequest is the body of PUT /psps/{id}: a full replacement, except that a nil
// Credential keeps the stored one. Operations replaces the whole list.
type UpdatePSPRequest struct {
	Name         string         `json:"name"`
	Description  *string        `json:"description"`
	Logo         *string        `json:"logo"`
	FlowTargetID string         `json:"flowTargetId"`
	Status       string         `json:"status"`
	Operations   []PSPOperation `json:"operations"`
	Credential   *string        `json:"credential,omitempty"`
}

// PSP is the "PSP details" payload returned by create, get, list and update.
type PSP struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   *string        `json:"description"`
	Logo          *string        `json:"logo"`
	Credential    string         `json:"credential"`
	BrandID       string         `json:"brandId"`
	EnvironmentID string         `json:"environmentId"`
	FlowTargetID  string         `json:"flowTargetId"`
	Status        string         `json:"status"`
	CreatedAt     string         `json:"createdAt"`
	UpdatedAt     string         `json:"updatedAt"`
	CreatedBy     string         `json:"createdBy"`
	UpdatedBy     string         `json:"updatedBy"`
	Operations    []PSPOperation `json:"operations"`
	FlowTarget    *PSPFlowTarget `json:"flowTarget,omitempty"`
}

// PSPFlowTarget is the flow target summary embedded in PSP details. Unlike FlowTarget,
// its credentialSchema is a JSON document encoded as a string.
type PSPFlowTarget struct {
	ID               string            `json:"id"`
	CredentialSchema JSONText          `json:"credentialSchema"`
	FlowTypeID       string            `json:"flowTypeId"`
	Currencies       []string          `json:"currencies"`
	Countries        []string          `json:"countries"`
	PaymentMethods   []string          `json:"paymentMethods"`
	SupportedActions []SupportedAction `json:"supportedActions"`
}

// SupportedAction is one (action, definition) pair a flow target supports.
type SupportedAction struct {
	FlowActionID     string `json:"flowActionId"`
	FlowDefinitionID string `json:"flowDefinitionId"`
	FlowActionName   string `json:"flowActionName"`
}

// CreateTransactionRequest is the body of POST /transactions.
type CreateTransactionRequest struct {
	FlowActionID    string          `json:"flowActionId"`
	FlowTargetID    string          `json:"flowTargetId"`
	PSPID           string          `json:"pspId"`
	TransactionType string          `json:"transactionType,omitempty"`
	TxnCurrency     string          `json:"txnCurrency"`
	TxnAmount       json.Number     `json:"txnAmount"`
	ExecutePayload  json.RawMessage `json:"executePayload"`
}

// TransactionRedirect is the documented "redirect" shape of a created transaction.
type TransactionRedirect struct {
	Success bool                     `json:"success"`
	Data    TransactionRedirectInner `json:"data"`
	Error   json.RawMessage          `json:"error"`
	Meta    json.RawMessage          `json:"meta,omitempty"`
}

// TransactionRedirectInner is data.data of the redirect shape.
type TransactionRedirectInner struct {
	Type string                  `json:"__type"`
	Data TransactionRedirectBody `json:"data"`
}

// TransactionRedirectBody carries the navigation to the payment page.
type TransactionRedirectBody struct {
	Navigation Navigation `json:"navigation"`
	Status     string     `json:"status"`
	OrderID    string     `json:"orderId"`
	UserID     string     `json:"userId"`
}

// Navigation tells the payer's browser where to go.
type Navigation struct {
	Type        string `json:"type"`
	ContentType string `json:"contentType"`
	Value       string `json:"value"`
}

// TransactionDirect is the documented "direct" shape of a created transaction.
type TransactionDirect struct {
	TxnID    string `json:"txnId"`
	Status   string `json:"status"`
	PSPTxnID string `json:"pspTxnId"`
}

// Transaction is a created transaction, whichever shape the server answered with.
// Raw keeps the whole payload; the other fields are filled from either shape.
type Transaction struct {
	Raw         json.RawMessage
	TxnID       string
	Status      string
	RedirectURL string
}

// JSONText is a JSON document that the API sends encoded as a string (the contract's
// form for PSPFlowTarget.credentialSchema). It also accepts the document itself, so that
// a server sending an object there does not make every PSP answer undecodable. It is sent
// as a string.
type JSONText string

// UnmarshalJSON accepts a JSON string (its content) or any other JSON value (its text).
func (t *JSONText) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = JSONText(s)
		return nil
	}
	*t = JSONText(b)
	return nil
}
