package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Secret names one key that several kompeten processes must share: where it can be configured,
// its configured value, and the file in the data directory that holds it when it is not.
type Secret struct {
	ConfigKey string // e.g. "security.actor_key", for messages
	Value     string // the configured value; empty means "use the key file"
	DataDir   string
	File      string // file name in DataDir
	// Purpose completes "set <env> to the key ...", for the message when nothing is found.
	Purpose string
}

// minKeyLength keeps hand-typed keys from being guessable.
const minKeyLength = 32

// Load returns the configured key, else the one in the data directory, generating it there on
// first use when generate is true (dev; processes sharing one data directory). Without it a
// production process must fail at start-up: its key must be the one the others have.
func (s Secret) Load(generate bool) ([]byte, error) {
	if k := strings.TrimSpace(s.Value); k != "" {
		if len(k) < minKeyLength {
			return nil, fmt.Errorf("%s: must be at least %d characters (e.g. `openssl rand -hex 32`)", s.ConfigKey, minKeyLength)
		}
		return []byte(k), nil
	}
	path := filepath.Join(s.DataDir, s.File)
	if k, err := s.read(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return k, err
	}
	if !generate {
		env := "KOMPETEN_" + strings.ToUpper(strings.ReplaceAll(s.ConfigKey, ".", "_"))
		return nil, fmt.Errorf("%s: not set and no key file at %s; set %s to the key %s", s.ConfigKey, path, env, s.Purpose)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("%s: generate: %w", s.ConfigKey, err)
	}
	if err := os.MkdirAll(s.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", s.DataDir, err)
	}
	// O_EXCL: when two components of one process generate at once, the second reads the first's.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return s.read(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: create %s: %w", s.ConfigKey, path, err)
	}
	k := hex.EncodeToString(raw)
	if _, err := f.WriteString(k + "\n"); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: write %s: %w", s.ConfigKey, path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("%s: write %s: %w", s.ConfigKey, path, err)
	}
	return []byte(k), nil
}

func (s Secret) read(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: read %s: %w", s.ConfigKey, path, err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < minKeyLength {
		return nil, fmt.Errorf("%s: key file %s is too short", s.ConfigKey, path)
	}
	return []byte(k), nil
}
