package auth

import "github.com/bpvp-sidoarjo/kompeten/config"

// ActorKeyFile holds the generated actor key in the data directory.
const ActorKeyFile = "actor.key"

// LoadActorKey returns security.actor_key when set; otherwise the key in the data directory,
// generated there on first use when generate is true (dev, and processes that run the API and
// the worker on one data directory). `kompeten serve` and `kompeten worker` pass false: their
// key must be the one every other process has, so a missing one stops them at start-up.
func LoadActorKey(c *config.Config, generate bool) ([]byte, error) {
	return Secret{
		ConfigKey: "security.actor_key", Value: c.Security.ActorKey, DataDir: c.DataDir, File: ActorKeyFile,
		Purpose: "the API and every worker share",
	}.Load(generate)
}
