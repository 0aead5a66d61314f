package connxt

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
)

// CreateTransaction starts a payment. It is sent once and never again, whatever happens:
// the API has no idempotency key, so a repeated request could charge twice. (Go's HTTP
// transport itself re-sends a POST only when not a byte of it was written to a reused
// connection, which cannot reach the server.) TransactionMayExist tells, after a failure,
// whether the payment may have been made all the same.
func (c *Client) CreateTransaction(ctx context.Context, req CreateTransactionRequest) (*Transaction, error) {
	var raw json.RawMessage
	err := c.do(ctx, call{method: http.MethodPost, path: PathTransactions, body: req, out: &raw, mode: retryNever})
	if err != nil {
		return nil, err
	}
	txn := &Transaction{Raw: raw}
	var direct TransactionDirect
	if json.Unmarshal(raw, &direct) == nil && direct.TxnID != "" {
		txn.TxnID, txn.Status = direct.TxnID, direct.Status
		return txn, nil
	}
	var redirect TransactionRedirect
	if json.Unmarshal(raw, &redirect) == nil {
		body := redirect.Data.Data
		txn.TxnID, txn.Status, txn.RedirectURL = body.OrderID, body.Status, body.Navigation.Value
	}
	return txn, nil
}

// TransactionMayExist reports whether CreateTransaction, having failed with err, may
// nevertheless have created the transaction. It is false only when the failure proves
// that Connxt did not: no connection was made (a refused dial, an unknown host, a
// certificate the client refuses, all before a byte of the request was sent), or Connxt
// answered that it did not do the work (a 4xx refusal, 429, 503, or a Connxt 500
// envelope). Anything else, a connection lost after the request was written, a timeout,
// a gateway's 502 or 504, or a success whose answer cannot be read, may hide a payment.
func TransactionMayExist(err error) bool {
	if err == nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.StatusCode >= 200 && apiErr.StatusCode <= 299:
			return true // a success code, but the answer could not be used
		case apiErr.StatusCode == http.StatusInternalServerError:
			return apiErr.Code == "" // not from the application
		case apiErr.StatusCode == http.StatusServiceUnavailable:
			return false
		case apiErr.StatusCode >= 500:
			return true
		}
		return false // 4xx, 429 included: refused
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) || permanentTransportError(err) {
		return false
	}
	return true
}
