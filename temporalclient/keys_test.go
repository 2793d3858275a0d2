package temporalclient_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

// Without a key kompeten refuses to connect rather than write personal data in clear.
func TestDialRefusesWithoutKeys(t *testing.T) {
	c := &config.Config{DataDir: t.TempDir()}
	c.Temporal.Address = "127.0.0.1:1"
	_, err := temporalclient.Dial(context.Background(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "security.payload_keys") {
		t.Fatalf("dial without keys: %v, want an error naming security.payload_keys", err)
	}
}

func TestKeyringSources(t *testing.T) {
	dir := t.TempDir()
	gen, err := codec.NewKey("dev-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, temporalclient.DevKeyFile), []byte(gen+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &config.Config{DataDir: dir}
	r, err := temporalclient.Keyring(c)
	if err != nil || r.Primary() != "dev-1" {
		t.Fatalf("data directory key file: %v %v", r, err)
	}
	other, _ := codec.NewKey("prod-2")
	c.Security.PayloadKeys = []string{other, gen}
	r, err = temporalclient.Keyring(c)
	if err != nil || r.Primary() != "prod-2" || len(r.IDs()) != 2 {
		t.Fatalf("configured keys win over the data directory: %v %v", r, err)
	}
	c.Security.PayloadKeys = []string{"prod-2:dG9vIHNob3J0"}
	if _, err := temporalclient.Keyring(c); err == nil || strings.Contains(err.Error(), "dG9vIHNob3J0") {
		t.Fatalf("a short key: %v (must fail without repeating the key)", err)
	}
}
