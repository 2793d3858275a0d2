package gomod

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRequired(t *testing.T) {
	p := filepath.Join(t.TempDir(), "go.mod")
	body := "module x\n\ngo 1.26\n\nrequire example.com/one v1.2.3\n\nrequire (\n\tgo.temporal.io/sdk v1.50.0\n\tgo.temporal.io/sdk/contrib/x v0.1.0 // indirect\n)\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for module, want := range map[string]string{"example.com/one": "v1.2.3", "go.temporal.io/sdk": "v1.50.0"} {
		if got, err := Required(p, module); err != nil || got != want {
			t.Errorf("Required(%s) = %q, %v; want %s", module, got, err, want)
		}
	}
	if _, err := Required(p, "go.temporal.io/server"); err == nil {
		t.Error("a module go.mod does not require was found")
	}
}
