package auth

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

// ActorKeyFile holds the generated actor key in the data directory.
const ActorKeyFile = "actor.key"

// LoadActorKey returns security.actor_key when set; otherwise the key in the data directory,
// generated there on first use when generate is true (dev, and processes that run the API and
// the worker on one data directory). `kompeten serve` and `kompeten worker` pass false: their
// key must be the one every other process has, so a missing one stops them at start-up.
func LoadActorKey(c *config.Config, generate bool) ([]byte, error) {
	if k := strings.TrimSpace(c.Security.ActorKey); k != "" {
		if len(k) < 32 {
			return nil, errors.New("security.actor_key: must be at least 32 characters (e.g. `openssl rand -hex 32`)")
		}
		return []byte(k), nil
	}
	path := filepath.Join(c.DataDir, ActorKeyFile)
	if k, err := readKey(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return k, err
	}
	if !generate {
		return nil, fmt.Errorf("security.actor_key: not set and no key file at %s; set KOMPETEN_SECURITY_ACTOR_KEY to the key the API and every worker share", path)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("generate actor key: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", c.DataDir, err)
	}
	// O_EXCL: when two components of one process generate at once, the second reads the first's.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return readKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("security.actor_key: create %s: %w", path, err)
	}
	k := hex.EncodeToString(raw)
	if _, err := f.WriteString(k + "\n"); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("security.actor_key: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("security.actor_key: write %s: %w", path, err)
	}
	return []byte(k), nil
}

func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("security.actor_key: read %s: %w", path, err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < 32 {
		return nil, fmt.Errorf("security.actor_key: key file %s is too short", path)
	}
	return []byte(k), nil
}
