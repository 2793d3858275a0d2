package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Cluster is a running private PostgreSQL cluster (trust auth, superuser "postgres", listening
// on 127.0.0.1 only). The postmaster is a daemon: it outlives this process unless Stop is called.
type Cluster struct {
	binDir    string
	dataDir   string
	socketDir string // temp socket dir to remove at Stop; "" when the socket lives in dataDir
	port      int
	logger    *slog.Logger
	attr      *syscall.SysProcAttr // runs the binaries as the postgres user when we are root
}

// Start makes dataDir a running cluster on 127.0.0.1:port: it runs initdb when dataDir has no
// PG_VERSION, clears a postmaster.pid left by a crash, and starts the server with pg_ctl. When a
// server from an earlier run is still alive on dataDir, Start adopts it (on the port it listens
// on, which URL reports). When running as root the binaries run as the "postgres" system user,
// because initdb refuses root; dataDir must then be reachable by that user.
func Start(ctx context.Context, dataDir string, port int, logger *slog.Logger) (*Cluster, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if port <= 0 || port > 65535 {
		return nil, fmt.Errorf("start postgres: invalid port %d", port)
	}
	binDir, err := FindBinaries()
	if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	dataDir, err = filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("start postgres: data dir: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("start postgres: create data dir: %w", err)
	}
	c := &Cluster{binDir: binDir, dataDir: dataDir, port: port, logger: logger}
	owner, err := prepareOwner(dataDir)
	if err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w", dataDir, err)
	}
	c.attr = owner.sysProcAttr()

	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}

	if running, runPort := c.runningPostmaster(); running {
		c.port = runPort
		if Reachable(ctx, c.URL()) {
			logger.Info("postgres already running, reusing it", "data_dir", dataDir, "port", runPort)
			return c, nil
		}
		return nil, fmt.Errorf("start postgres: a postmaster is running on %s (port %d) but does not accept connections; stop it with `pg_ctl -D %s stop`",
			dataDir, runPort, dataDir)
	}

	socketDir, err := c.makeSocketDir(owner)
	if err != nil {
		return nil, fmt.Errorf("start postgres: socket dir: %w", err)
	}
	logFile := filepath.Join(dataDir, "server.log")
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, socketDir)
	out, err := c.run(ctx, "pg_ctl", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", opts, "start")
	if err != nil {
		c.removeSocketDir()
		return nil, fmt.Errorf("start postgres on port %d with %s: %w\n%s%s",
			port, describe(binDir), err, out, tail(logFile, 20))
	}
	logger.Info("postgres started", "data_dir", dataDir, "port", port)
	return c, nil
}

// URL is the connection string of the cluster's default database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Port is the TCP port the server listens on.
func (c *Cluster) Port() int { return c.port }

// DataDir is the absolute path of the cluster's data directory.
func (c *Cluster) DataDir() string { return c.dataDir }

// Stop shuts the server down with a fast shutdown (open sessions are rolled back) and waits.
func (c *Cluster) Stop(ctx context.Context) error {
	out, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "-m", "fast", "-w", "-t", "60", "stop")
	c.removeSocketDir()
	if err != nil {
		return fmt.Errorf("stop postgres in %s: %w\n%s", c.dataDir, err, out)
	}
	c.logger.Info("postgres stopped", "data_dir", c.dataDir)
	return nil
}

// makeSocketDir returns where the server puts its Unix socket: the data dir when the socket path
// fits the ~107-byte limit, else a short temp dir (test temp dirs are long) that Stop removes.
func (c *Cluster) makeSocketDir(o *owner) (string, error) {
	if len(c.dataDir)+len("/.s.PGSQL.65535.lock") < 100 && !strings.ContainsAny(c.dataDir, " '\"") {
		return c.dataDir, nil
	}
	dir, err := os.MkdirTemp("", "kpg-")
	if err != nil {
		return "", err
	}
	if err := o.chown(dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	c.socketDir = dir
	return dir, nil
}

func (c *Cluster) removeSocketDir() {
	if c.socketDir != "" {
		os.RemoveAll(c.socketDir)
		c.socketDir = ""
	}
}

func (c *Cluster) initdb(ctx context.Context) error {
	c.logger.Info("initialising postgres cluster", "data_dir", c.dataDir)
	out, err := c.run(ctx, "initdb", "-D", c.dataDir, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C")
	if err != nil {
		return fmt.Errorf("initdb %s with %s: %w\n%s", c.dataDir, describe(c.binDir), err, out)
	}
	return nil
}

// run executes one of the server binaries and returns its combined output.
func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	// The working directory must be readable by the postgres user (getcwd fails otherwise).
	cmd.Dir = c.dataDir
	cmd.Env = serverEnv()
	cmd.SysProcAttr = c.attr
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	// pg_ctl redirects the postmaster to the log file, but never hang on an inherited pipe.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	return buf.Bytes(), err
}

// serverEnv drops PG* variables (PGDATA, PGPORT, ...) that would point pg_ctl elsewhere and fixes
// the locale so messages and initdb defaults do not depend on the host.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

// runningPostmaster reads postmaster.pid. A live postgres process whose working directory is this
// data dir means the server is up (the port is line 4). Anything else is a leftover from a crash:
// the file is removed so the start is not refused because the PID now belongs to another process.
func (c *Cluster) runningPostmaster() (bool, int) {
	pidFile := filepath.Join(c.dataDir, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return false, 0
	}
	lines := strings.Split(string(data), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	port := 0
	if len(lines) > 3 {
		port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	if pid > 0 && port > 0 && isPostmasterOf(pid, c.dataDir) {
		return true, port
	}
	c.logger.Warn("removing stale postmaster.pid", "data_dir", c.dataDir, "pid", pid)
	if err := os.Remove(pidFile); err != nil {
		c.logger.Warn("could not remove stale postmaster.pid", "error", err)
	}
	return false, 0
}

// tail returns the last n lines of a log file for error messages.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "server log:\n" + strings.Join(lines, "\n")
}
