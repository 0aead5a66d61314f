package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

// The connxt_transaction action sends one transaction (a small test payment) to a PSP, so
// that a pipeline learns right after an apply whether the PSP really takes payments.
// Money moves, so it is careful where a resource would simply retry:
//   - the POST is sent at most once: Connxt V2 has no idempotency key, so a second request
//     could pay twice. After a failure that leaves the outcome open the action fails and
//     says how to look for the payment; after one that proves nothing was created (no
//     connection, a refusal) it says so, and nothing is re-sent in either case;
//   - the production host is refused unless the configuration sets allow_production;
//   - progress messages name ids, the amount and the result, never the payload (which
//     carries customer data) or the token.

var (
	_ action.Action                   = (*transactionAction)(nil)
	_ action.ActionWithConfigure      = (*transactionAction)(nil)
	_ action.ActionWithValidateConfig = (*transactionAction)(nil)
	_ action.ActionWithModifyPlan     = (*transactionAction)(nil)
)

// maxPayloadBytes bounds execute_payload; a smoke test's payload is a few hundred bytes.
const maxPayloadBytes = 64 << 10

// failedTransactionStatuses are the statuses that say the PSP did not take the payment
// (internal/connxt/CONTRACT.md §6): a smoke test that ends in one of them fails.
var failedTransactionStatuses = map[string]bool{"FAILED": true, "REJECTED": true, "PG_REJECTED": true, "PG_FAILED": true}

// NewTransactionAction returns the connxt_transaction action.
func NewTransactionAction() action.Action { return &transactionAction{} }

type transactionAction struct {
	data *providerData
}

type transactionActionModel struct {
	PSPID           types.String `tfsdk:"psp_id"`
	FlowTargetID    types.String `tfsdk:"flow_target_id"`
	FlowActionID    types.String `tfsdk:"flow_action_id"`
	TransactionType types.String `tfsdk:"transaction_type"`
	Currency        types.String `tfsdk:"currency"`
	Amount          types.Number `tfsdk:"amount"`
	ExecutePayload  types.String `tfsdk:"execute_payload"`
	AllowProduction types.Bool   `tfsdk:"allow_production"`
}

func (a *transactionAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transaction"
}

func (a *transactionAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends one transaction to a PSP through `POST /connxt/v2/transactions`, typically a small test " +
			"deposit right after an apply, to prove that a new or rotated PSP takes payments. Requires Terraform 1.14 or " +
			"later. The request is sent **at most once** and never retried, because Connxt V2 has no idempotency key; " +
			"the production host is refused unless `allow_production` is `true`.",
		Attributes: map[string]schema.Attribute{
			"psp_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Id of the PSP (`psp_…`) that takes the payment, usually `connxt_psp.<name>.id`. At plan, " +
					"when the id is known, the provider reads the PSP and refuses one that is not `ENABLED`.",
				Validators: []validator.String{validators.ID(validators.PSPID)},
			},
			"flow_target_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Flow target (`ftg_…`) of the PSP, usually `connxt_psp.<name>.flow_target_id`; it must " +
					"be the PSP's own.",
				Validators: []validator.String{validators.ID(validators.FlowTargetID)},
			},
			"flow_action_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Flow action (`fat_…`) of the transaction, such as the id of `DEPOSIT` from the " +
					"`connxt_flow_type_definitions` data source. The PSP must have an operation for it whose status is " +
					"`ENABLED`; the provider checks this at plan when the values are known, and again just before sending.",
				Validators: []validator.String{validators.ID(validators.FlowActionID)},
			},
			"transaction_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Free text that Connxt stores with the transaction, such as `deposit`. Omitted when unset.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
			"currency": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "ISO 4217 code of the transaction's currency, three uppercase letters such as `EUR`. " +
					"The provider knows the active codes that payments are made in (not fund codes, metals or test codes) " +
					"and the number of decimals of each.",
				Validators: []validator.String{currencyValidator{}},
			},
			"amount": schema.NumberAttribute{
				Required: true,
				MarkdownDescription: "Amount of the transaction in `currency`, a number greater than 0 with no more decimals " +
					"than the currency has (2 for `EUR`, 0 for `JPY`). It is sent as a JSON number. Keep it small: this is " +
					"a real payment unless the PSP is a sandbox.",
				Validators: []validator.Number{positiveNumberValidator{}},
			},
			"execute_payload": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "What the PSP needs to run the transaction, as a JSON object, usually written with " +
					"`jsonencode`, for example `{ body = { order = { id, money = { amount, currency } }, customer = { id, " +
					"email } } }`. It is sent as is and never shown in progress messages or diagnostics, because it " +
					"carries customer data.",
				Validators: []validator.String{validators.JSONObject(maxPayloadBytes)},
			},
			"allow_production": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Set to `true` to allow the transaction when the provider is configured for the " +
					"production host (`" + connxt.ProductionBaseURL + "`). Without it such an invocation is refused, at " +
					"plan and again before sending: there a transaction moves real money, and a smoke test written for a " +
					"development environment must not start charging because a `base_url` changed. Defaults to `false`.",
			},
		},
	}
}

func (a *transactionAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what needs two attributes: the amount's decimals against the
// currency's.
func (a *transactionAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m transactionActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !known(m.Currency) || m.Amount.IsNull() || m.Amount.IsUnknown() {
		return
	}
	digits, ok := iso4217MinorUnits[m.Currency.ValueString()]
	if !ok {
		return // reported by the currency's validator
	}
	text := amountText(m.Amount.ValueBigFloat())
	if d := decimals(text); d > digits {
		resp.Diagnostics.AddAttributeError(path.Root("amount"), "Too many decimals for the currency",
			fmt.Sprintf("amount = %s has %d decimals, but %s has %d; give the amount with at most %d.",
				text, d, m.Currency.ValueString(), digits, digits))
	}
}

// ModifyPlan runs the checks that need the provider: the production guard and, when the
// ids are known, the PSP's status and its operation for the flow action.
func (a *transactionAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil {
		return // the provider is not configured yet: nothing to check against
	}
	var m transactionActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.AllowProduction.IsUnknown() && a.refuseProduction(m, &resp.Diagnostics) {
		return
	}
	a.checkPSP(ctx, m, &resp.Diagnostics)
}

func (a *transactionAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	if a.data == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The connxt provider was not configured before the action ran. Please report this issue to the provider developers.")
		return
	}
	var m transactionActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.refuseProduction(m, &resp.Diagnostics) {
		return
	}
	// At plan an id that a create produces is unknown; check the PSP now, before the POST.
	if a.checkPSP(ctx, m, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}

	txnReq := connxt.CreateTransactionRequest{
		PSPID:           m.PSPID.ValueString(),
		FlowTargetID:    m.FlowTargetID.ValueString(),
		FlowActionID:    m.FlowActionID.ValueString(),
		TransactionType: m.TransactionType.ValueString(),
		TxnCurrency:     m.Currency.ValueString(),
		TxnAmount:       json.Number(amountText(m.Amount.ValueBigFloat())),
		ExecutePayload:  json.RawMessage(m.ExecutePayload.ValueString()),
	}
	what := describeTransaction(txnReq)
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(
		"Sending one transaction to %s (POST %s%s, sent once, never retried): %s.",
		a.data.client.BaseURL(), connxt.APIPrefix, connxt.PathTransactions, what)})
	sentAt := time.Now().UTC()

	txn, err := a.data.client.CreateTransaction(ctx, txnReq)
	switch {
	case err != nil && connxt.TransactionMayExist(err):
		resp.Diagnostics.AddError("The test transaction may have been created", mayExistDetail(
			"The request was sent, but its outcome is unknown: "+err.Error()+".", txnReq, sentAt))
		return
	case err != nil:
		addTransactionNotCreated(ctx, a.data, &resp.Diagnostics, err)
		return
	case txn.TxnID == "":
		resp.Diagnostics.AddError("The test transaction was probably created", mayExistDetail(
			"Connxt answered with success, but its answer has neither documented shape (no transaction id).", txnReq, sentAt))
		return
	}

	result := fmt.Sprintf("Connxt created transaction %s with status %s.", txn.TxnID, txn.Status)
	if txn.RedirectURL != "" {
		result += " The payer continues on the payment page: " + txn.RedirectURL
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: result})
	if failedTransactionStatuses[txn.Status] {
		resp.Diagnostics.AddAttributeError(path.Root("psp_id"), "The PSP did not take the test payment",
			fmt.Sprintf("Connxt created transaction %s for %s, but its status is %s: the PSP refused or failed it. "+
				"Check the PSP's credential and its operation for %s in Connxt.", txn.TxnID, what, txn.Status, txnReq.FlowActionID))
	}
}

// refuseProduction adds an error and reports true when the provider talks to the
// production host and the configuration does not allow it.
func (a *transactionAction) refuseProduction(m transactionActionModel, diags *diag.Diagnostics) bool {
	if !connxt.IsProduction(a.data.client.BaseURL()) || m.AllowProduction.ValueBool() {
		return false
	}
	diags.AddAttributeError(path.Root("allow_production"), "Test transaction refused on Connxt production",
		fmt.Sprintf("The provider is configured for the production host %s, where a transaction moves real money. "+
			"connxt_transaction refuses it unless its configuration says so: set allow_production = true in the "+
			"action's config block if a payment in production is what you mean, or point the provider's base_url at "+
			"a development environment.", connxt.ProductionBaseURL))
	return true
}

// checkPSP reads the PSP, when its id is known, and refuses what Connxt would refuse: an
// unknown PSP, another flow target, a PSP or an operation that is not ENABLED, or no
// operation for the flow action. A status the answer leaves out is not held against it.
func (a *transactionAction) checkPSP(ctx context.Context, m transactionActionModel, diags *diag.Diagnostics) {
	if !known(m.PSPID) {
		return
	}
	id := m.PSPID.ValueString()
	psp, err := a.data.client.GetPSP(ctx, id)
	if connxt.IsNotFound(err) {
		diags.AddAttributeError(path.Root("psp_id"), "PSP not found",
			fmt.Sprintf("Connxt has no PSP %s in the environment of the secret token (from %s).", id, a.data.tokenSource))
		return
	}
	if err != nil {
		a.data.addAPIError(ctx, diags, "Unable to read the PSP of the test transaction", err, nil)
		return
	}
	if known(m.FlowTargetID) && psp.FlowTargetID != m.FlowTargetID.ValueString() {
		diags.AddAttributeError(path.Root("flow_target_id"), "Flow target is not the PSP's",
			fmt.Sprintf("PSP %s is configured for flow target %s, not %s.", id, psp.FlowTargetID, m.FlowTargetID.ValueString()))
	}
	if psp.Status != "" && psp.Status != connxt.StatusEnabled {
		diags.AddAttributeError(path.Root("psp_id"), "PSP not enabled",
			fmt.Sprintf("PSP %s is %s; Connxt accepts transactions only for an %s PSP.", id, psp.Status, connxt.StatusEnabled))
	}
	if !known(m.FlowActionID) {
		return
	}
	actionID := m.FlowActionID.ValueString()
	var found *connxt.PSPOperation
	var have []string
	for i, op := range psp.Operations {
		have = append(have, op.FlowActionID)
		if op.FlowActionID == actionID {
			found = &psp.Operations[i]
		}
	}
	switch {
	case found == nil:
		list := "none"
		if len(have) > 0 {
			list = strings.Join(have, ", ")
		}
		diags.AddAttributeError(path.Root("flow_action_id"), "PSP has no operation for the flow action",
			fmt.Sprintf("PSP %s has no operation for flow action %s (its operations are for: %s). Add an operation block "+
				"for it to the connxt_psp, or use one of those actions.", id, actionID, list))
	case found.Status != "" && found.Status != connxt.StatusEnabled:
		diags.AddAttributeError(path.Root("flow_action_id"), "PSP operation not enabled",
			fmt.Sprintf("The operation of PSP %s for flow action %s is %s; Connxt accepts transactions only for an %s "+
				"operation. Set its status to %s in the connxt_psp first.", id, actionID, found.Status,
				connxt.StatusEnabled, connxt.StatusEnabled))
	}
}

// addTransactionNotCreated reports a failure that proves that no transaction was made.
func addTransactionNotCreated(ctx context.Context, data *providerData, diags *diag.Diagnostics, err error) {
	const summary = "Connxt did not create the test transaction"
	var apiErr *connxt.APIError
	if !errors.As(err, &apiErr) {
		diags.AddError(summary, fmt.Sprintf("Connxt could not be reached, so nothing was sent and no payment was made: %s\n\n"+
			"Check base_url (or %s) and the network; invoking the action again is safe.", err, EnvBaseURL))
		return
	}
	data.addAPIError(ctx, diags, summary, err, transactionFieldMapper)
}

// transactionFieldMapper points a field of a refused transaction at its attribute.
func transactionFieldMapper(field string) (path.Path, string, bool) {
	attribute, ok := map[string]string{
		"pspId": "psp_id", "flowTargetId": "flow_target_id", "flowActionId": "flow_action_id",
		"transactionType": "transaction_type", "txnCurrency": "currency", "txnAmount": "amount",
		"executePayload": "execute_payload",
	}[field]
	if !ok {
		return path.Empty(), "", false
	}
	return path.Root(attribute), "the action's " + attribute, true
}

// mayExistDetail explains a transaction that may exist, and how to find it.
func mayExistDetail(why string, req connxt.CreateTransactionRequest, sentAt time.Time) string {
	return fmt.Sprintf("%s\n\nConnxt may have created the transaction (%s) and moved money. The provider does not send "+
		"it again: Connxt V2 has no idempotency key, so a second request could pay twice. Before invoking the action "+
		"again, look for a transaction of PSP %s for %s %s created at about %s in the Connxt back office (against the "+
		"emulator: GET /_emulator/transactions).",
		why, describeTransaction(req), req.PSPID, req.TxnAmount, req.TxnCurrency, sentAt.Format(time.RFC3339))
}

// describeTransaction names what a request asks for by ids and amount only: the payload
// carries customer data and is never shown.
func describeTransaction(req connxt.CreateTransactionRequest) string {
	s := fmt.Sprintf("PSP %s, flow target %s, flow action %s, %s %s", req.PSPID, req.FlowTargetID, req.FlowActionID,
		req.TxnAmount, req.TxnCurrency)
	if req.TransactionType != "" {
		s += fmt.Sprintf(", type %q", req.TransactionType)
	}
	return s
}

// known reports a string that is neither null nor unknown.
func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

// amountText writes an amount as the shortest decimal that reads back as the same number.
func amountText(f *big.Float) string { return f.Text('f', -1) }

// decimals counts the digits after the decimal point of a number written by amountText.
func decimals(text string) int {
	if i := strings.IndexByte(text, '.'); i >= 0 {
		return len(text) - i - 1
	}
	return 0
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// currencyValidator accepts the ISO 4217 codes of iso4217MinorUnits.
type currencyValidator struct{}

func (currencyValidator) Description(context.Context) string {
	return "must be an active ISO 4217 currency code of three uppercase letters, such as EUR"
}

func (v currencyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v currencyValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	switch {
	case !currencyCode.MatchString(s):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid currency",
			fmt.Sprintf("currency = %q: it %s.", s, v.Description(ctx)))
	case !hasCurrency(s):
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown currency",
			fmt.Sprintf("currency = %q is not an active ISO 4217 code that payments are made in; check the spelling "+
				"(fund codes, precious metals and the test codes XTS and XXX are not accepted).", s))
	}
}

func hasCurrency(code string) bool {
	_, ok := iso4217MinorUnits[code]
	return ok
}

// positiveNumberValidator accepts a finite number greater than 0.
type positiveNumberValidator struct{}

func (positiveNumberValidator) Description(context.Context) string { return "must be greater than 0" }

func (v positiveNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v positiveNumberValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	if f.IsInf() || f.Sign() <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid amount",
			fmt.Sprintf("amount = %s: a transaction's amount must be greater than 0.", amountText(f)))
	}
}
