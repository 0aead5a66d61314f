// Package provider implements the Connxt Terraform provider on terraform-plugin-framework.
package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

// Environment variables read when the matching argument is not set.
const (
	EnvSecretToken = "CONNXT_SECRET_TOKEN"
	EnvBaseURL     = "CONNXT_BASE_URL"
)

var (
	_ provider.Provider                  = (*connxtProvider)(nil)
	_ provider.ProviderWithFunctions     = (*connxtProvider)(nil)
	_ provider.ProviderWithListResources = (*connxtProvider)(nil)
	_ provider.ProviderWithActions       = (*connxtProvider)(nil)
)

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return newProvider(version, false)
}

type connxtProvider struct {
	version string
	// quietLogs: nothing reads the provider's logs (see Serve), so the client skips its own.
	quietLogs bool
}

type providerModel struct {
	SecretToken      types.String `tfsdk:"secret_token"`
	BaseURL          types.String `tfsdk:"base_url"`
	MaxRetries       types.Int64  `tfsdk:"max_retries"`
	CallTimeout      types.String `tfsdk:"call_timeout"`
	AdoptLostCreates types.Bool   `tfsdk:"adopt_lost_creates"`
	EnvironmentID    types.String `tfsdk:"environment_id"`
}

func (p *connxtProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "connxt"
	resp.Version = p.version
}

func (p *connxtProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages payment service providers (PSPs) of a [Connxt](https://fynxt.io) environment " +
			"through the Connxt V2 API.",
		Attributes: map[string]schema.Attribute{
			"secret_token": schema.StringAttribute{
				MarkdownDescription: "The environment's secret token (`sec_…`), sent as the `X-SECRET-TOKEN` header. " +
					"A token belongs to one brand and one environment, and everything the provider creates or reads " +
					"is scoped to that environment. Sensitive: it never appears in plans, logs or error messages. " +
					"Defaults to the `" + EnvSecretToken + "` environment variable, which is the recommended way " +
					"to pass it from a CI secret store.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Scheme and host of the Connxt API, for example `" + connxt.DevelopmentBaseURL +
					"`; the provider adds `" + connxt.APIPrefix + "` (a URL that already ends in it means the same). " +
					"Plain `http` is accepted only for loopback hosts, such as a local Connxt emulator. Defaults to the " +
					"`" + EnvBaseURL + "` environment variable, then to `" + connxt.ProductionBaseURL + "`.",
				Optional:   true,
				Validators: []validator.String{validators.BaseURL()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times one API call is retried after a connection error or "+
					"HTTP 500, 502, 503 or 504, with exponential backoff and jitter. Rate-limit answers (HTTP 429) are "+
					"waited out as their `Retry-After` asks and may be retried up to %d times as often. Refusals (400, 401, "+
					"403, 404, 409) are never retried, a PSP create whose outcome is unknown is retried only after looking up "+
					"whether it already made the PSP, and transactions are never retried. One call, retries and waits "+
					"included, is bounded by `call_timeout`. Between 0 and 20; defaults to %d.",
					connxt.ThrottleBudgetFactor, connxt.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"call_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The longest one API call may take, every retry, backoff and `Retry-After` "+
					"wait included, as a duration such as `90s` or `5m` (between %s and %s). A server that hangs, or asks "+
					"to be retried later than this, fails the operation with an error saying so instead of holding the "+
					"run. Defaults to `%s`.", minCallTimeout, maxCallTimeout, connxt.DefaultCallTimeout),
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(durationPattern,
					"must be a duration such as 90s, 5m or 1m30s")},
			},
			"environment_id": schema.StringAttribute{
				MarkdownDescription: "The environment (`env_…`) the secret token must belong to, as a guard against " +
					"applying with the wrong token (compare the AWS provider's `allowed_account_ids`). Connxt has no call " +
					"that names a token's environment, so the provider learns it from the PSPs it sees: any answer with a " +
					"PSP of another environment stops the run with an error before anything is written, a PSP whose state " +
					"names another environment is refused at plan time, and when the token's environment has no PSPs yet, a " +
					"PSP created there in error is deleted again (or disabled, where Connxt cannot delete) and reported. " +
					"Every `connxt_psp` shows its environment in `environment_id`. Without this argument the provider still " +
					"refuses to treat PSPs as deleted when the token belongs to another environment than the state's.",
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(environmentIDPattern,
					"must be an environment id: env_ followed by letters and digits")},
			},
			"adopt_lost_creates": schema.BoolAttribute{
				MarkdownDescription: "What to do when the answer to a PSP create is lost after the request was sent (a " +
					"dropped connection, a timeout, a gateway error) and a PSP of that name and flow target then exists " +
					"that did not exist before the apply and has exactly the settings sent. `false` (default): the create " +
					"fails and names that PSP with the `terraform import` command to adopt it. `true`: the provider adopts it " +
					"itself, with a warning. Connxt cannot prove which request made a PSP, so enable this only where no " +
					"other configuration or person can create PSPs of the same names in this environment at the same " +
					"time: two states would otherwise manage one PSP.",
				Optional: true,
			},
		},
	}
}

// environmentIDPattern is the form of an environment id.
var environmentIDPattern = regexp.MustCompile(`^env_[0-9A-Za-z]{1,64}$`)

// durationPattern is the form of call_timeout: Go duration units a person would write.
var durationPattern = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`)

// The range of call_timeout: shorter would fail healthy calls, longer hides a hang.
const (
	minCallTimeout = time.Second
	maxCallTimeout = time.Hour
)

func (p *connxtProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if config.SecretToken.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("secret_token"), "Unknown Connxt secret token",
			"secret_token depends on a value that is not known until apply, but the provider needs it to plan. "+
				"Use a value known at plan time, or leave secret_token unset and export "+EnvSecretToken+".")
	}
	if config.BaseURL.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Unknown Connxt base URL",
			"base_url depends on a value that is not known until apply, but the provider needs it to plan. "+
				"Use a value known at plan time, or leave base_url unset and export "+EnvBaseURL+".")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	token, tokenSource := config.SecretToken.ValueString(), "the provider's secret_token argument"
	if config.SecretToken.IsNull() {
		token, tokenSource = os.Getenv(EnvSecretToken), "the "+EnvSecretToken+" environment variable"
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("secret_token"), "Missing Connxt secret token",
			"The provider needs the environment's secret token: set secret_token in the provider block "+
				"or export "+EnvSecretToken+" (recommended, from your CI's secret store).")
	} else if !isHeaderSafe(token) {
		// Go refuses such a header value before sending anything; say why, without the token.
		resp.Diagnostics.AddAttributeError(path.Root("secret_token"), "Invalid Connxt secret token",
			"The secret token from "+tokenSource+" contains a space, a line break or another character that an HTTP "+
				"header cannot carry; often it is a trailing newline left by a file or a secret store. The token itself "+
				"is not shown, because it is secret.")
	}

	baseURL, baseSource := config.BaseURL.ValueString(), "base_url"
	if config.BaseURL.IsNull() {
		baseURL, baseSource = os.Getenv(EnvBaseURL), EnvBaseURL
	}
	if baseURL == "" {
		baseURL = connxt.ProductionBaseURL
	}
	if _, err := connxt.ParseBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Connxt base URL",
			fmt.Sprintf("The base URL from %s %s. Set base_url or %s to a scheme and host such as %s.",
				baseSource, err, EnvBaseURL, connxt.ProductionBaseURL))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	maxRetries := int64(connxt.DefaultMaxRetries)
	if !config.MaxRetries.IsNull() && !config.MaxRetries.IsUnknown() {
		maxRetries = config.MaxRetries.ValueInt64()
	}
	callTimeout := connxt.DefaultCallTimeout
	if !config.CallTimeout.IsNull() && !config.CallTimeout.IsUnknown() {
		d, err := time.ParseDuration(config.CallTimeout.ValueString())
		if err != nil || d < minCallTimeout || d > maxCallTimeout {
			resp.Diagnostics.AddAttributeError(path.Root("call_timeout"), "Invalid call_timeout",
				fmt.Sprintf("call_timeout = %q: give a duration between %s and %s, such as 90s or 5m.",
					config.CallTimeout.ValueString(), minCallTimeout, maxCallTimeout))
			return
		}
		callTimeout = d
	}
	client, err := connxt.New(connxt.Config{
		BaseURL:          baseURL,
		Token:            token,
		UserAgent:        connxt.UserAgent(p.version, req.TerraformVersion),
		MaxRetries:       int(maxRetries),
		CallTimeout:      callTimeout,
		AdoptLostCreates: config.AdoptLostCreates.ValueBool(),
		EnvironmentID:    config.EnvironmentID.ValueString(),
		QuietLogs:        p.quietLogs,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to configure the Connxt client", err.Error())
		return
	}
	tflog.Debug(ctx, "Configured the Connxt client", map[string]any{
		"connxt_base_url": client.BaseURL(), "connxt_token_source": tokenSource, "connxt_max_retries": maxRetries,
		"connxt_call_timeout": callTimeout.String(), "connxt_adopt_lost_creates": config.AdoptLostCreates.ValueBool(),
	})

	data := &providerData{client: client, tokenSource: tokenSource, catalogs: newCatalogCache(client)}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

func (p *connxtProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewPSPResource}
}

// Actions need Terraform 1.14 or later; older versions never see them.
func (p *connxtProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewTransactionAction}
}

func (p *connxtProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewFlowTypeDefinitionsDataSource, NewPSPDataSource, NewPSPsDataSource}
}

func (p *connxtProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewPSPListResource}
}

func (p *connxtProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewOperationsFunction}
}

// isHeaderSafe reports whether token is printable ASCII without spaces, as a token is.
func isHeaderSafe(token string) bool {
	for i := 0; i < len(token); i++ {
		if token[i] <= ' ' || token[i] >= 0x7f {
			return false
		}
	}
	return true
}
