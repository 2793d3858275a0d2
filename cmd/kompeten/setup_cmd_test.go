package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
)

// runOut is run with stdout as well.
func runOut(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	root := newRoot()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs(args)
	if cmd, err := root.ExecuteC(); err != nil {
		return exitCode(&stderr, cmd, err), stdout.String(), stderr.String()
	}
	return 0, stdout.String(), stderr.String()
}

// The README's production order on a fresh namespace of a running cluster (the embedded server
// stands in for one): serve and worker refuse to start and say to run kompeten setup; setup
// creates the namespace and its attributes; a second setup changes nothing.
func TestSetupThenServeAndWorkerOnAFreshNamespace(t *testing.T) {
	t.Chdir(t.TempDir())
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := devserver.Start(context.Background(), devserver.Options{Namespace: "default", Logger: logger, LogLevel: slog.LevelError})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	url, st := testdb.NewMigrated(t)
	st.Close()
	env := productionEnv(t)
	env["database.url"] = "KOMPETEN_DATABASE_URL=" + url
	env["temporal.address"] = "KOMPETEN_TEMPORAL_ADDRESS=" + srv.HostPort()
	env["temporal.namespace"] = "KOMPETEN_TEMPORAL_NAMESPACE=kompeten-prod"
	loadWith(t, env, "")

	for _, cmd := range []string{"serve", "worker"} {
		code, _, stderr := runOut(t, cmd)
		if code != 1 || !strings.Contains(stderr, "temporal namespace kompeten-prod does not exist") || !strings.Contains(stderr, "run `kompeten setup`") {
			t.Fatalf("kompeten %s before setup: exit %d, %q; want it to name the namespace and say to run kompeten setup", cmd, code, stderr)
		}
	}
	code, out, stderr := runOut(t, "setup")
	if code != 0 || !strings.Contains(out, "namespace kompeten-prod registered, retention 720h0m0s") ||
		!strings.Contains(out, "search attribute KompetenStuck (Bool) added") || !strings.Contains(out, "set up: retention 720h0m0s, 8 search attributes") {
		t.Fatalf("first setup: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runOut(t, "setup")
	if code != 0 || strings.TrimSpace(out) != "namespace kompeten-prod on "+srv.HostPort()+" already set up: nothing to change" {
		t.Fatalf("second setup: exit %d\n%s%s", code, out, stderr)
	}
}
