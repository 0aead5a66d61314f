package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

// maxListedNames bounds the names an import error lists, so that an environment with
// hundreds of PSPs still gives a readable message.
const maxListedNames = 20

const importForms = "Import by PSP id (psp_…), or by <flow target name or id>/<PSP name>, for example: " +
	"terraform import connxt_psp.example psp_gQzyS9RkkknYWFvgnJQj3zSNjP, or " +
	"terraform import connxt_psp.example Paymaxis/paymaxis-eu"

func (r *pspResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		r.importByIdentity(ctx, req, resp) // an import block with identity (Terraform 1.12+)
		return
	}
	id := req.ID
	if !validators.PSPID.Valid(id) {
		// Operators know names, not ids. Split at the first "/" only: a target name has none
		// in practice, while a PSP name is free text and may.
		target, name, ok := strings.Cut(req.ID, "/")
		if !ok {
			resp.Diagnostics.AddError("Invalid import id",
				fmt.Sprintf("%q is not a PSP id (%s) and has no \"/\" to give a flow target and a PSP name. %s.", req.ID, validators.PSPID.Explain(), importForms))
			return
		}
		if target == "" || name == "" {
			resp.Diagnostics.AddError("Invalid import id",
				fmt.Sprintf("%q has an empty flow target or PSP name around its first \"/\". %s.", req.ID, importForms))
			return
		}
		id = r.importIDByName(ctx, target, name, resp)
		if id == "" {
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// importIDByName finds the id of the PSP named name on the flow target given by name or
// id, or reports why there is none and returns "".
func (r *pspResource) importIDByName(ctx context.Context, target, name string, resp *resource.ImportStateResponse) string {
	if r.data == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"Importing by name needs the configured provider to read the catalog and list the PSPs. Import by PSP id instead.")
		return ""
	}
	cat, err := r.data.catalogs.Get(ctx, connxt.FlowTypePSP)
	if err != nil {
		r.data.addAPIError(ctx, &resp.Diagnostics, "Unable to read the flow targets for an import by name", err, nil)
		return ""
	}
	ft := findTarget(cat, target)
	if ft == nil {
		resp.Diagnostics.AddError("Unknown flow target",
			fmt.Sprintf("Cannot import %q: the PSP flow type has no target named %q, nor one with that id. Its targets: %s.",
				target+"/"+name, target, listTargets(cat)))
		return ""
	}

	all, err := r.data.client.ListPSPs(ctx)
	if err != nil {
		if connxt.IsListingUnavailable(err) {
			resp.Diagnostics.AddError("Import by name is not available",
				fmt.Sprintf("This Connxt server does not list PSPs (%s), so a PSP cannot be found by name. Import it by its "+
					"id instead: terraform import connxt_psp.example psp_…", err))
			return ""
		}
		r.data.addAPIError(ctx, &resp.Diagnostics, "Unable to list PSPs for an import by name", err, nil)
		return ""
	}
	var matches, names []string
	for _, p := range all {
		if p.FlowTargetID != ft.ID {
			continue
		}
		names = append(names, p.Name)
		if p.Name == name {
			matches = append(matches, p.ID)
		}
	}
	switch {
	case len(matches) == 1:
		return matches[0]
	case len(matches) > 1:
		// Connxt keeps names unique per target; should it not, never guess which one.
		sort.Strings(matches)
		resp.Diagnostics.AddError("Ambiguous PSP name",
			fmt.Sprintf("%d PSPs of target %s are named %q: %s. Import the one you mean by its id.",
				len(matches), ft.Name, name, strings.Join(matches, ", ")))
	case len(names) == 0:
		resp.Diagnostics.AddError("PSP not found",
			fmt.Sprintf("Target %s (%s) has no PSPs in the token's environment, so none is named %q.", ft.Name, ft.ID, name))
	default:
		resp.Diagnostics.AddError("PSP not found",
			fmt.Sprintf("Target %s (%s) has no PSP named %q in the token's environment (names are case-sensitive). Its PSPs: %s.",
				ft.Name, ft.ID, name, quotedList(names)))
	}
	return ""
}

// findTarget returns the target whose id or name is s, or nil.
func findTarget(cat *catalog, s string) *connxt.FlowTarget {
	if t, ok := cat.targets[s]; ok {
		return t
	}
	for i := range cat.defs.Targets {
		if cat.defs.Targets[i].Name == s {
			return &cat.defs.Targets[i]
		}
	}
	return nil
}

func listTargets(cat *catalog) string {
	if len(cat.defs.Targets) == 0 {
		return "none"
	}
	out := make([]string, 0, len(cat.defs.Targets))
	for _, t := range cat.defs.Targets {
		out = append(out, fmt.Sprintf("%s (%s)", t.Name, t.ID))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// quotedList quotes and sorts names, showing at most maxListedNames of them.
func quotedList(names []string) string {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	shown := sorted
	if len(shown) > maxListedNames {
		shown = shown[:maxListedNames]
	}
	parts := make([]string, len(shown))
	for i, n := range shown {
		parts[i] = fmt.Sprintf("%q", n)
	}
	s := strings.Join(parts, ", ")
	if rest := len(sorted) - len(shown); rest > 0 {
		s += fmt.Sprintf(" and %d more", rest)
	}
	return s
}
