package connxt

import (
	"context"
	"net/http"
	"net/url"
)

// FlowTypePSP is the flow type whose targets PSPs are configured for.
const FlowTypePSP = "PSP"

// GetFlowTypeDefinitions returns the catalog of one flow type: its targets, their actions and
// definitions. An unknown flow type is a not-found error.
func (c *Client) GetFlowTypeDefinitions(ctx context.Context, flowType string) (*FlowTypeDefinitions, error) {
	var out FlowTypeDefinitions
	err := c.do(ctx, call{
		method: http.MethodGet,
		mode:   retryIdempotent,
		path:   PathFlowTypeDefinitions,
		query:  url.Values{QueryFlowType: {flowType}},
		out:    &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
