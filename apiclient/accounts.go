package apiclient

import (
	"context"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// ListAccounts lists every login account (a coordinator's call).
func (c *Client) ListAccounts(ctx context.Context) ([]store.Account, error) {
	return do[[]store.Account](ctx, c, opListAccounts, nil, nil, nil)
}

// CreateAccount creates a login account and answers its one-time set-password link.
func (c *Client) CreateAccount(ctx context.Context, req api.AccountRequest) (api.AccountResponse, error) {
	return do[api.AccountResponse](ctx, c, opCreateAccount, nil, nil, req)
}

// DisableAccount disables account id; its page sessions end at once.
func (c *Client) DisableAccount(ctx context.Context, id int64) (api.AccountResponse, error) {
	return do[api.AccountResponse](ctx, c, opDisableAccount, []string{strconv.FormatInt(id, 10)}, nil, nil)
}

// ResetAccount clears account id's password, ends its sessions and answers a new one-time link.
func (c *Client) ResetAccount(ctx context.Context, id int64) (api.AccountResponse, error) {
	return do[api.AccountResponse](ctx, c, opResetAccount, []string{strconv.FormatInt(id, 10)}, nil, nil)
}
