package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// hashKeyFile holds the generated NIK hash key in the data directory.
const hashKeyFile = "nik-hash.key"

// HashKey returns the key for NIK hashes: security.nik_hash_key when set; otherwise the key in
// the data directory, generated there on first use when generate is true (dev). Every process
// that hashes NIKs must use the same key, or the same person gets two case IDs.
func HashKey(c *config.Config, generate bool) ([]byte, error) {
	if k := strings.TrimSpace(c.Security.NIKHashKey); k != "" {
		if len(k) < 32 {
			return nil, errors.New("security.nik_hash_key: must be at least 32 characters (e.g. 64 hex digits from `openssl rand -hex 32`)")
		}
		return []byte(k), nil
	}
	path := filepath.Join(c.DataDir, hashKeyFile)
	if b, err := os.ReadFile(path); err == nil {
		k := strings.TrimSpace(string(b))
		if len(k) < 32 {
			return nil, fmt.Errorf("security.nik_hash_key: key file %s is too short", path)
		}
		return []byte(k), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("security.nik_hash_key: read %s: %w", path, err)
	}
	if !generate {
		return nil, fmt.Errorf("security.nik_hash_key: not set and no key file at %s; set KOMPETEN_SECURITY_NIK_HASH_KEY to the key every kompeten process shares", path)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("generate NIK hash key: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", c.DataDir, err)
	}
	k := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write NIK hash key %s: %w", path, err)
	}
	return []byte(k), nil
}
