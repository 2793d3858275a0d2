package app

import (
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/worker"
)

// ActorCheck builds the worker interceptor that verifies the API's signed actor claims, with
// security.actor_key (or the data directory's key, generated there when generate is true) and
// the payload keys to read signal arguments with.
func ActorCheck(c *config.Config, generate bool) (*worker.ActorCheck, error) {
	key, err := auth.LoadActorKey(c.Security.ActorKey, c.DataDir, generate)
	if err != nil {
		return nil, err
	}
	ring, err := temporalclient.Keyring(c)
	if err != nil {
		return nil, err
	}
	return worker.NewActorCheck(key, codec.DataConverter(ring)), nil
}
