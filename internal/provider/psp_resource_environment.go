package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// A token sees only its own environment: another environment's PSP is "not found". So a
// PSP of the state that the token cannot see is either gone, or the token (or the
// provider configuration the resource uses) now belongs to another environment. Taking
// the second for the first would plan every PSP for creation in the wrong environment and
// leave the originals live and untracked, so the provider learns the token's environment
// (from any PSP it sees; listing once per provider process when it has seen none) before
// treating a PSP as gone.

// vanished is what a PSP that the token cannot see turned out to be.
type vanished int

const (
	// vanishedGone: the token's environment is the state's, so the PSP is deleted.
	vanishedGone vanished = iota
	// vanishedUnverified: the token's environment could not be learnt.
	vanishedUnverified
	// vanishedElsewhere: the token belongs to another environment than the state's.
	vanishedElsewhere
)

// explainVanished decides what a "not found" for the PSP of state means. For
// vanishedElsewhere it adds an error; for vanishedUnverified a warning that the plan
// re-creates the PSP (what a read does next; other callers drop it).
func (r *pspResource) explainVanished(ctx context.Context, state *pspModel, diags *diag.Diagnostics) vanished {
	id, stateEnv := state.ID.ValueString(), state.EnvironmentID.ValueString()
	tokenEnv, err := r.data.client.TokenEnvironment(ctx)
	switch {
	case tokenEnv != "" && (stateEnv == "" || tokenEnv == stateEnv):
		return vanishedGone
	case tokenEnv != "":
		diags.AddError("PSP belongs to another Connxt environment",
			fmt.Sprintf("This state holds PSP %s (%q) of environment %s, but the secret token (from %s) belongs to "+
				"environment %s, which cannot see it. Nothing was changed.\n\nUsually the token changed: another "+
				"CONNXT_SECRET_TOKEN in CI, a switched provider alias, or another workspace's token. Taking the PSP for "+
				"deleted would create it again in %s while the original stays live in %s. Check which environment this "+
				"configuration is meant for and use "+
				"that environment's token; set the provider's environment_id to have every run checked. If the PSP "+
				"really belongs to %s no more, remove it from this state with terraform state rm <address>.",
				id, state.Name.ValueString(), stateEnv, r.data.tokenSource, tokenEnv, tokenEnv, stateEnv, stateEnv))
		return vanishedElsewhere
	}
	why := "the token's environment has no PSPs"
	if err != nil {
		why = fmt.Sprintf("listing its PSPs failed: %s", err)
	}
	diags.AddWarning("PSP not found, and the token's environment is unknown",
		fmt.Sprintf("PSP %s (%q) of environment %s was not found with the secret token (from %s), and the environment that "+
			"token belongs to could not be learnt (%s). If the PSP was deleted outside Terraform, this is expected and "+
			"the plan creates it again. If the token now belongs to another environment, do not apply: the PSP would be "+
			"created there while the original stays live in %s.%s", id, state.Name.ValueString(), stateEnv,
			r.data.tokenSource, why, stateEnv, pinHint(r.data.client.ExpectedEnvironment(), stateEnv)))
	return vanishedUnverified
}

// pinHint says how environment_id guards the case, depending on whether it is set.
func pinHint(expected, stateEnv string) string {
	if expected != "" {
		return " environment_id is set, so a PSP created by a token of another environment is removed again at once."
	}
	return fmt.Sprintf(" Set the provider's environment_id to %q to have this checked.", stateEnv)
}

// checkSameEnvironment refuses an answer about the state's PSP that names another
// environment than the state's: the server contradicts itself, or answers for another
// environment than the one the state was made in.
func checkSameEnvironment(state *pspModel, psp *connxt.PSP, diags *diag.Diagnostics) bool {
	if state.EnvironmentID.IsNull() || state.EnvironmentID.IsUnknown() || psp.EnvironmentID == state.EnvironmentID.ValueString() {
		return true
	}
	diags.AddError("Connxt answered for another environment",
		fmt.Sprintf("PSP %s is in environment %s according to this state, but Connxt answered with environment_id = %q. "+
			"The answer was not used and nothing was changed. Check that base_url points at Connxt itself and that the "+
			"secret token belongs to %s.", state.ID.ValueString(), state.EnvironmentID.ValueString(), psp.EnvironmentID,
			state.EnvironmentID.ValueString()))
	return false
}

// checkExpectedEnvironment refuses a state whose PSP is of another environment than the
// provider's environment_id, before anything is read or written.
func (r *pspResource) checkExpectedEnvironment(state *pspModel, diags *diag.Diagnostics) bool {
	expected := r.data.client.ExpectedEnvironment()
	if expected == "" || state.EnvironmentID.IsNull() || state.EnvironmentID.IsUnknown() || state.EnvironmentID.ValueString() == expected {
		return true
	}
	diags.AddError("PSP of another Connxt environment",
		fmt.Sprintf("This state holds PSP %s (%q) of environment %s, but the provider's environment_id is %s. Nothing was "+
			"read or changed. If this configuration now manages %s, the PSP does not belong in its state (terraform state rm "+
			"<address>); otherwise correct environment_id and the secret token.",
			state.ID.ValueString(), state.Name.ValueString(), state.EnvironmentID.ValueString(), expected, expected))
	return false
}
