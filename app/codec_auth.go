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
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// CodecHandlerWithTokens serves the remote codec for the Temporal Web UI and CLI. It admits
// token (security.codec_token, or the one dev generates), an operator's or a coordinator's API
// token from st (as a bearer or path token), and the pages' login session of an operator or a
// coordinator (a cookie authenticated with sessionKey, security.actor_key): the Web UI sends it
// with includeCredentials, so no token has to be published to the browser, and the endpoint is
// on even without security.codec_token.
func CodecHandlerWithTokens(c *config.Config, token string, st *store.Store, sessionKey []byte) (http.Handler, error) {
	ring, err := temporalclient.Keyring(c)
	if err != nil {
		return nil, err
	}
	lookup := api.StoreTokens(st)
	mayDecode := func(id auth.Identity) bool { return id.Role == vocab.RoleOperator || id.Role == vocab.RoleCoordinator }
	sessions := &web.Sessions{Lookup: lookup, Key: sessionKey, Store: st, Idle: c.Security.SessionIdle, Accounts: st}
	return codec.Handler(ring, codec.HandlerOptions{Token: token, Origins: c.Security.CodecOrigins,
		Authorize: func(ctx context.Context, t string) bool {
			id, err := lookup(ctx, auth.HashToken(t))
			return err == nil && mayDecode(id)
		},
		AuthorizeRequest: func(r *http.Request) bool {
			id, ok := sessions.Identity(r)
			return ok && mayDecode(id)
		}}), nil
}
