package devserver

import (
	"os"
	"path/filepath"
	"testing"
)

// The embedded server's SQLite file holds every case's history: it is created private (0600) in
// a private directory (0700), and a file an older release left world-readable is made private.
func TestDatabaseFileIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "temporal.db")
	if _, err := (Options{DatabaseFile: db}).serverConfig(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, db: 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (Options{DatabaseFile: db}).serverConfig(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("an existing temporal.db: %v %v, want 0600", fi.Mode(), err)
	}
}
