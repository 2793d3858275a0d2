package app

import (
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
)

// hashKeyFile holds the generated NIK hash key in the data directory.
const hashKeyFile = "nik-hash.key"

// HashKey returns the key for NIK hashes: security.nik_hash_key when set; otherwise the key in
// the data directory, generated there on first use when generate is true (dev). Every process
// that hashes NIKs must use the same key, or the same person gets two case IDs.
func HashKey(c *config.Config, generate bool) ([]byte, error) {
	return auth.Secret{
		ConfigKey: "security.nik_hash_key", Value: c.Security.NIKHashKey, DataDir: c.DataDir, File: hashKeyFile,
		Purpose: "every kompeten process shares",
	}.Load(generate)
}
