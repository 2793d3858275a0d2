package auth

// ActorKeyFile holds the generated actor key in the data directory.
const ActorKeyFile = "actor.key"

// LoadActorKey returns key (security.actor_key) when set; otherwise the key in dataDir,
// generated there on first use when generate is true (dev, and processes that run the API and
// the worker on one data directory). `kompeten serve` and `kompeten worker` pass false: their
// key must be the one every other process has, so a missing one stops them at start-up.
func LoadActorKey(key, dataDir string, generate bool) ([]byte, error) {
	return Secret{
		ConfigKey: "security.actor_key", Value: key, DataDir: dataDir, File: ActorKeyFile,
		Purpose: "the API and every worker share",
	}.Load(generate)
}
