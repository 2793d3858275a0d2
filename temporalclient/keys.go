package temporalclient

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
)

// DevKeyFile is the payload key file `kompeten dev` generates in the data directory.
const DevKeyFile = "payload.keys"

// Keyring loads the payload keys: security.payload_keys, else security.payload_key_file, else
// the key file `kompeten dev` generated in the data directory. No key is an error: kompeten
// never talks to Temporal without encrypting.
func Keyring(c *config.Config) (*codec.Keyring, error) {
	var keys []codec.Key
	var err error
	switch {
	case len(c.Security.PayloadKeys) > 0:
		keys, err = codec.ParseKeys(c.Security.PayloadKeys)
		if err != nil {
			return nil, fmt.Errorf("security.payload_keys: %w", err)
		}
	case c.Security.PayloadKeyFile != "":
		keys, err = codec.ReadKeyFile(c.Security.PayloadKeyFile)
		if err != nil {
			return nil, fmt.Errorf("security.payload_key_file: %w", err)
		}
	default:
		path := filepath.Join(c.DataDir, DevKeyFile)
		keys, err = codec.ReadKeyFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("security.payload_keys: not set and no key file at %s; set KOMPETEN_SECURITY_PAYLOAD_KEYS (or security.payload_key_file) to the keys every kompeten process shares", path)
		}
		if err != nil {
			return nil, fmt.Errorf("security.payload_keys: %w", err)
		}
	}
	ring, err := codec.NewKeyring(keys)
	if err != nil {
		return nil, fmt.Errorf("security.payload_keys: %w", err)
	}
	return ring, nil
}
