package app

import (
	"context"
	"net/http"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// CodecHandlerWithTokens serves the remote codec for the Temporal Web UI and CLI. It admits
// token (security.codec_token, or the one dev generates) and an operator's or a coordinator's
// API token from st (as a bearer or path token), so people decode with their own token and the
// endpoint is on even without security.codec_token.
func CodecHandlerWithTokens(c *config.Config, token string, st *store.Store) (http.Handler, error) {
	ring, err := temporalclient.Keyring(c)
	if err != nil {
		return nil, err
	}
	lookup := api.StoreTokens(st)
	return codec.Handler(ring, codec.HandlerOptions{Token: token, Origins: c.Security.CodecOrigins,
		Authorize: func(ctx context.Context, t string) bool {
			id, err := lookup(ctx, auth.HashToken(t))
			return err == nil && (id.Role == vocab.RoleOperator || id.Role == vocab.RoleCoordinator)
		}}), nil
}
