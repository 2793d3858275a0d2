package clusterbench

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/codec"
)

// settings are what every kompeten process of a run shares.
type settings struct {
	dir, dbURL, temporal, httpAddr, simAddr string
	stickyCache                             int
}

// writeConfig writes the one configuration file every process of the run reads, with keys of
// its own (NIK hashes, actor claims, payloads, self-report links), and returns the environment
// that points at it. The journey keeps its production durations: the journeys stay open.
func writeConfig(s settings) ([]string, error) {
	secret := func() (string, error) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("generate a key: %w", err)
		}
		return hex.EncodeToString(b), nil
	}
	var keys [3]string
	for i := range keys {
		k, err := secret()
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	entry, err := codec.NewKey("clusterbench")
	if err != nil {
		return nil, fmt.Errorf("payload key: %w", err)
	}
	keyFile := filepath.Join(s.dir, "payload.keys")
	if err := os.WriteFile(keyFile, []byte(entry+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("payload key file: %w", err)
	}
	sim := "http://" + s.simAddr + "/sim"
	yaml := fmt.Sprintf(`data_dir: %q
log:
  level: warn
http:
  addr: %q
database:
  url: %q
temporal:
  address: %q
  namespace: kompeten
journey:
  attendance_mode: absence
partners:
  bpjs:
    adapter: http
    base_url: %q
  lsp:
    base_url: %q
simulators:
  addr: %q
  bpjs:
    latency: 0s
    error_rate: 0
  lsp:
    latency: 0s
    error_rate: 0
security:
  nik_hash_key: %q
  actor_key: %q
  payload_key_file: %q
selfreport:
  key: %q
worker:
  sticky_cache_size: %d
digest:
  enabled: false
`, filepath.Join(s.dir, "data"), s.httpAddr, s.dbURL, s.temporal, sim+"/bpjs", sim+"/lsp", s.simAddr,
		keys[0], keys[1], keyFile, keys[2], s.stickyCache)
	path := filepath.Join(s.dir, "kompeten.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		return nil, fmt.Errorf("write the run's configuration: %w", err)
	}
	// The caller's own KOMPETEN_* settings must not leak into the run's processes.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KOMPETEN_") {
			env = append(env, kv)
		}
	}
	return append(env, "KOMPETEN_CONFIG="+path), nil
}
