package main

import (
	"os"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
)

// productionEnv is a complete configuration of kompeten worker and serve as README's
// Production section gives it, by environment variable, with the key each one sets.
func productionEnv(t *testing.T) map[string]string {
	t.Helper()
	key, err := codec.NewKey("prod-1")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"database.url":            "KOMPETEN_DATABASE_URL=postgres://kompeten@db.internal:5432/kompeten",
		"security.actor_key":      "KOMPETEN_SECURITY_ACTOR_KEY=" + strings.Repeat("a", 64),
		"security.payload_keys":   "KOMPETEN_SECURITY_PAYLOAD_KEYS=" + key,
		"security.nik_hash_key":   "KOMPETEN_SECURITY_NIK_HASH_KEY=" + strings.Repeat("n", 64),
		"selfreport.key":          "KOMPETEN_SELFREPORT_KEY=" + strings.Repeat("s", 64),
		"partners.bpjs.base_url":  "KOMPETEN_PARTNERS_BPJS_BASE_URL=https://bpjs.example/api",
		"partners.lsp.base_url":   "KOMPETEN_PARTNERS_LSP_BASE_URL=https://lsp.example/api",
		"temporal.address":        "KOMPETEN_TEMPORAL_ADDRESS=temporal.internal:7233",
		"temporal.namespace":      "KOMPETEN_TEMPORAL_NAMESPACE=kompeten",
		"data_dir (no dev files)": "KOMPETEN_DATA_DIR=" + t.TempDir(),
	}
}

// readmeSetsInstead is the variable README's Production section sets for a key that has two.
var readmeSetsInstead = map[string]string{"security.payload_keys": "KOMPETEN_SECURITY_PAYLOAD_KEY_FILE"}

// loadWith loads the configuration from env, without the variables of the keys left out.
func loadWith(t *testing.T, env map[string]string, without string) *config.Config {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "KOMPETEN_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	for key, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if key == without {
			continue
		}
		t.Setenv(name, value)
	}
	c, err := config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// kompeten worker and serve refuse to start, before connecting anywhere, without each thing
// README's Production section lists for them, and name the key; with all of it they pass.
func TestProductionProcessesNameWhatTheyCannotStartWithout(t *testing.T) {
	needs := map[string]func(*config.Config) error{"worker": requireWorkerConfig, "serve": requireServeConfig}
	required := map[string][]string{
		"worker": {"database.url", "security.actor_key", "security.payload_keys", "selfreport.key", "partners.bpjs.base_url", "partners.lsp.base_url"},
		"serve":  {"database.url", "security.actor_key", "security.payload_keys", "selfreport.key", "security.nik_hash_key"},
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, production, _ := strings.Cut(string(readme), "\n## Production\n")
	production, _, _ = strings.Cut(production, "\n## ")
	for command, keys := range required {
		env := productionEnv(t)
		if err := needs[command](loadWith(t, env, "")); err != nil {
			t.Errorf("%s with everything configured: %v", command, err)
		}
		for _, key := range keys {
			err := needs[command](loadWith(t, env, key))
			if err == nil || !strings.HasPrefix(err.Error(), key+":") || strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("%s without %s: %v", command, key, err)
			}
			name, _, _ := strings.Cut(env[key], "=")
			if !strings.Contains(production, name) && !strings.Contains(production, readmeSetsInstead[key]+"=") {
				t.Errorf("README's Production section does not set %s (%s), which %s needs", name, key, command)
			}
		}
	}
}
