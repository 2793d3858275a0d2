// Package tcluster runs a real Temporal cluster on this machine: the official server built from
// go.temporal.io/server's own cmd/server at the version go.mod pins, on PostgreSQL (persistence
// and SQL visibility, schemas set with the server's own temporal-sql-tool), with several nodes
// on loopback that form one cluster. The integration test of a two-node cluster uses it, and so
// does `go run ./cmd/temporal-cluster` for people who want the same cluster by hand.
package tcluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// serverModule is the module whose commands are built; go.mod pins its version.
const serverModule = "go.temporal.io/server"

// Binaries are the built server and schema tool, and where the module's schema files are.
type Binaries struct {
	// Version is the server module's version as go.mod pins it (v1.32.0).
	Version string
	// Server is the temporal-server binary (go.temporal.io/server/cmd/server).
	Server string
	// SQLTool is temporal-sql-tool (go.temporal.io/server/cmd/tools/sql).
	SQLTool string
	// SchemaDir is schema/postgresql/v12 in the module cache: temporal/ and visibility/.
	SchemaDir string
}

// DefaultCacheDir is where built servers are kept: $TEMPORAL_CLUSTER_CACHE, else
// $XDG_CACHE_HOME/kompeten (~/.cache/kompeten), so CI and developers link each version once.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("TEMPORAL_CLUSTER_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the temporal server build (set TEMPORAL_CLUSTER_CACHE): %w", err)
	}
	return filepath.Join(d, "kompeten"), nil
}

// Build returns the server and schema tool at the pinned version, building them into
// cacheDir/temporal-server-<version>-<os>-<arch> only when they are not there yet. It runs the go
// command in the current directory, which must be inside the kompeten module (go.mod names the
// version; its tool directives keep the commands' dependencies in go.sum without linking them
// into kompeten). built says whether anything was linked.
func Build(ctx context.Context, cacheDir string) (b Binaries, built bool, err error) {
	out, err := goCmd(ctx, "list", "-m", "-f", "{{.Version}}|{{.Dir}}", serverModule)
	if err != nil {
		return b, false, err
	}
	version, dir, ok := strings.Cut(strings.TrimSpace(out), "|")
	if !ok || version == "" || dir == "" {
		return b, false, fmt.Errorf("go list %s: unexpected answer %q (run inside the kompeten module)", serverModule, out)
	}
	bin := filepath.Join(cacheDir, fmt.Sprintf("temporal-server-%s-%s-%s", version, runtime.GOOS, runtime.GOARCH))
	b = Binaries{
		Version:   version,
		Server:    filepath.Join(bin, "temporal-server"),
		SQLTool:   filepath.Join(bin, "temporal-sql-tool"),
		SchemaDir: filepath.Join(dir, "schema", "postgresql", "v12"),
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return b, false, fmt.Errorf("temporal server cache: %w", err)
	}
	for _, t := range []struct{ path, pkg string }{
		{b.Server, serverModule + "/cmd/server"},
		{b.SQLTool, serverModule + "/cmd/tools/sql"},
	} {
		if _, err := os.Stat(t.path); err == nil {
			continue
		}
		// Built under a temporary name and renamed: a build cut short, or two test processes
		// building at once, never leave a half-written binary under the final name.
		tmp := fmt.Sprintf("%s.tmp-%d", t.path, os.Getpid())
		if _, err := goCmd(ctx, "build", "-o", tmp, t.pkg); err != nil {
			os.Remove(tmp)
			return b, built, err
		}
		if err := os.Rename(tmp, t.path); err != nil {
			return b, built, fmt.Errorf("temporal server cache: %w", err)
		}
		built = true
	}
	return b, built, nil
}

// goCmd runs the go command and returns its standard output; a failure carries its stderr.
func goCmd(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), nil
}
