package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretLoad(t *testing.T) {
	dir := t.TempDir()
	s := Secret{ConfigKey: "security.test_key", DataDir: dir, File: "test.key", Purpose: "the tests share"}
	if _, err := s.Load(false); err == nil || !strings.Contains(err.Error(), "KOMPETEN_SECURITY_TEST_KEY") {
		t.Fatalf("without a key and without generating: %v, want a message naming the variable", err)
	}
	k1, err := s.Load(true)
	if err != nil || len(k1) < minKeyLength {
		t.Fatalf("generate: %q, %v", k1, err)
	}
	info, err := os.Stat(filepath.Join(dir, "test.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v, want 0600", err, info.Mode().Perm())
	}
	k2, err := s.Load(false)
	if err != nil || string(k2) != string(k1) {
		t.Fatalf("second load: %q, %v; want the generated key again", k2, err)
	}
	s.Value = "short"
	if _, err := s.Load(true); err == nil || !strings.Contains(err.Error(), "security.test_key: must be at least") {
		t.Fatalf("short configured key: %v", err)
	}
	s.Value = strings.Repeat("x", 40)
	if k, err := s.Load(false); err != nil || string(k) != s.Value {
		t.Fatalf("configured key: %q, %v", k, err)
	}
}
