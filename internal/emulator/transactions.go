package emulator

import (
	"bytes"
	"encoding/json"
	"math/big"
	"net/http"
	"regexp"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// TransactionRecord is a transaction the emulator accepted. Tests read them through
// Server.Transactions to check what the provider (or a script) asked for.
type TransactionRecord struct {
	ID              string // "ortx" + 12 characters
	EnvironmentID   string
	PSPID           string
	FlowTargetID    string
	FlowActionID    string
	ActionName      string // DEPOSIT answers with a redirect, others directly
	TransactionType string
	Currency        string
	Amount          string // the JSON number as sent
	Status          string
	RedirectURL     string // set for redirect answers
	CreatedAt       string
}

// Transaction statuses the emulator reports (internal/connxt/CONTRACT.md §6).
const (
	txnStatusInitiated = "INITIATED" // redirect: waiting for the payer
	txnStatusSuccess   = "SUCCESS"
)

// depositAction is the action whose transactions answer with a payment page redirect.
const depositAction = "DEPOSIT"

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// handleCreateTransaction implements POST /transactions (internal/connxt/CONTRACT.md §6).
func (s *Server) handleCreateTransaction(w http.ResponseWriter, r *http.Request, c *call) {
	var req connxt.CreateTransactionRequest
	members, ok := s.decodeBody(w, r, &req, "txnAmount")
	if !ok {
		return
	}
	var errs fieldErrors
	for _, f := range []struct{ name, value string }{
		{"flowActionId", req.FlowActionID},
		{"flowTargetId", req.FlowTargetID},
		{"pspId", req.PSPID},
	} {
		if f.value == "" {
			errs.add(f.name, "%s is required", f.name)
		}
	}
	switch {
	case req.TxnCurrency == "":
		errs.add("txnCurrency", "txnCurrency is required")
	case !currencyPattern.MatchString(req.TxnCurrency):
		errs.add("txnCurrency", "txnCurrency must be an ISO 4217 code of 3 uppercase letters")
	}
	amount, amountMsg := parseAmount(members["txnAmount"])
	if amountMsg != "" {
		errs.add("txnAmount", "%s", amountMsg)
	}
	if raw := bytes.TrimSpace(req.ExecutePayload); len(raw) == 0 || string(raw) == "null" {
		errs.add("executePayload", "executePayload is required")
	} else if raw[0] != '{' {
		errs.add("executePayload", "executePayload must be a JSON object")
	}
	if len(errs) > 0 {
		s.invalid(w, errs)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rec, found := s.psps[req.PSPID]
	if !found || rec.psp.EnvironmentID != c.token.EnvironmentID {
		s.fail(w, http.StatusNotFound, connxt.CodeNotFound, msgPSPNotFound,
			connxt.FieldError{Field: "pspId", Message: "no PSP with this id in the token's environment"})
		return
	}
	if req.FlowTargetID != rec.psp.FlowTargetID {
		errs.add("flowTargetId", "the PSP is configured for flow target %s, not this one", rec.psp.FlowTargetID)
	}
	if rec.psp.Status != connxt.StatusEnabled {
		errs.add("pspId", "the PSP is %s", rec.psp.Status)
	}
	enabled := false
	for _, op := range rec.psp.Operations {
		if op.FlowActionID == req.FlowActionID && op.Status == connxt.StatusEnabled {
			enabled = true
		}
	}
	if !enabled {
		errs.add("flowActionId", "the PSP has no ENABLED operation for this action")
	}
	if len(errs) > 0 {
		s.invalid(w, errs)
		return
	}

	actionName := ""
	if ref, ok := s.catalog.byTarget[rec.psp.FlowTargetID]; ok {
		if a, ok := ref.target.action(req.FlowActionID); ok {
			actionName = a.Name
		}
	}
	txn := TransactionRecord{
		ID:              "ortx" + randomAlnum(s.rng, 12),
		EnvironmentID:   c.token.EnvironmentID,
		PSPID:           rec.psp.ID,
		FlowTargetID:    rec.psp.FlowTargetID,
		FlowActionID:    req.FlowActionID,
		ActionName:      actionName,
		TransactionType: req.TransactionType,
		Currency:        req.TxnCurrency,
		Amount:          amount,
		CreatedAt:       s.localTime(),
	}
	var data any
	if actionName == depositAction {
		txn.Status = txnStatusInitiated
		txn.RedirectURL = payPageURL(r, txn.ID)
		meta, _ := json.Marshal(map[string]string{
			"pspId":        txn.PSPID,
			"flowTargetId": txn.FlowTargetID,
			"flowActionId": txn.FlowActionID,
		})
		data = connxt.TransactionRedirect{
			Success: true,
			Data: connxt.TransactionRedirectInner{
				Type: "success",
				Data: connxt.TransactionRedirectBody{
					Navigation: connxt.Navigation{Type: "redirect", ContentType: "url", Value: txn.RedirectURL},
					Status:     txn.Status,
					OrderID:    txn.ID,
					UserID:     customerID(req.ExecutePayload),
				},
			},
			Error: json.RawMessage("null"),
			Meta:  meta,
		}
	} else {
		txn.Status = txnStatusSuccess
		data = connxt.TransactionDirect{TxnID: txn.ID, Status: txn.Status, PSPTxnID: "pg_" + randomAlnum(s.rng, 16)}
	}
	s.txns = append(s.txns, txn)
	s.ok(w, http.StatusCreated, msgTransactionCreated, data)
}

// parseAmount checks txnAmount: a JSON number (not a string) greater than zero. It
// returns the number's text, or a message for the client.
func parseAmount(raw json.RawMessage) (string, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", "txnAmount is required"
	}
	if raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return "", "txnAmount must be a JSON number"
	}
	v, ok := new(big.Rat).SetString(string(raw))
	if !ok {
		return "", "txnAmount must be a JSON number"
	}
	if v.Sign() <= 0 {
		return "", "txnAmount must be greater than 0"
	}
	return string(raw), ""
}

// customerID picks executePayload.body.customer.id, which the redirect shape echoes
// as userId.
func customerID(payload json.RawMessage) string {
	var p struct {
		Body struct {
			Customer struct {
				ID any `json:"id"`
			} `json:"customer"`
		} `json:"body"`
	}
	if json.Unmarshal(payload, &p) != nil {
		return ""
	}
	if id, ok := p.Body.Customer.ID.(string); ok {
		return id
	}
	return ""
}

// payPageURL points at the emulator's own fake payment page, so that a test that
// follows the redirect reaches something.
func payPageURL(r *http.Request, orderID string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + adminPrefix + "/pay/" + orderID
}
