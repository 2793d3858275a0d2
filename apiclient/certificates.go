package apiclient

import (
	"context"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// RevokeCertificate revokes a case's issued certificate with a reason; the public check then says
// revoked. A second revocation is 409 (CodeConflict, with the date), a case without a
// certificate or a missing reason 422.
func (c *Client) RevokeCertificate(ctx context.Context, id string, req api.RevokeCertificateRequest) (api.RevokeCertificateResponse, error) {
	return do[api.RevokeCertificateResponse](ctx, c, opRevokeCertificate, []string{id}, nil, req)
}
