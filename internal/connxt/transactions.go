package connxt

import (
	"context"
	"encoding/json"
	"net/http"
)

// CreateTransaction starts a payment. It is never retried: the API has no idempotency key,
// so a repeated request could charge twice.
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
