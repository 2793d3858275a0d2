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
// A cluster belongs to the process that started it (an ownership lock beside its data
// directory, the owner's pid in it): only the owner stops or restarts it; any other process that
// Starts it joins it and leaves it running.
type Cluster struct {
	binDir    string
	dataDir   string
	socketDir string // temp socket dir to remove at Stop; "" when the socket lives in dataDir
	port      int
	logger    *slog.Logger
	attr      *syscall.SysProcAttr // runs the binaries as the postgres user when we are root
	runAs     *owner
	// lock is held while this process owns the cluster; nil for a process that joined it.
	lock *ownerLock
	// holder is the owner's pid when this process joined another's cluster.
	holder int
}

// joinTimeout is how long Start waits for a cluster another process owns to accept
// connections (its owner may be restarting it).
const joinTimeout = 30 * time.Second

// Start makes dataDir a running cluster on 127.0.0.1:port. When no other process owns it, this
// one takes it: it runs initdb when dataDir has no PG_VERSION, clears a postmaster.pid left by a
// crash, and starts the server with pg_ctl, or adopts a server an owner that exited left behind
// (on the port it listens on, which URL reports). When another live process owns it (kompeten
// dev, say), Start joins it: it waits until the server accepts connections and connects there,
// and Stop leaves it running. When running as root the binaries run as the "postgres" system
// user, because initdb refuses root; dataDir must then be reachable by that user.
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
	deadline := time.Now().Add(joinTimeout)
	for {
		lock, holder, err := tryLock(c.lockPath())
		if err != nil {
			return nil, fmt.Errorf("start postgres: %w", err)
		}
		if lock != nil {
			if err := c.own(ctx, lock); err != nil {
				c.release()
				return nil, err
			}
			return c, nil
		}
		if _, runPort, alive := c.postmaster(); alive {
			c.port = runPort
			if Reachable(ctx, c.URL()) {
				c.holder = holder
				logger.Info("postgres belongs to another process: using it, leaving it running", "data_dir", dataDir, "port", runPort, "owner_pid", holder)
				return c, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("start postgres: the private cluster in %s belongs to process %d, which has not had it accept connections within %s", dataDir, holder, joinTimeout)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// own makes this process the cluster's owner (lock held) and gets the server running.
func (c *Cluster) own(ctx context.Context, lock *ownerLock) error {
	c.lock, c.holder = lock, 0
	runAs, err := prepareOwner(c.dataDir)
	if err != nil {
		return fmt.Errorf("start postgres in %s: %w", c.dataDir, err)
	}
	c.runAs, c.attr = runAs, runAs.sysProcAttr()
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	if running, runPort := c.runningPostmaster(); running {
		c.port = runPort
		if Reachable(ctx, c.URL()) {
			c.logger.Info("postgres already running, adopting it", "data_dir", c.dataDir, "port", runPort)
			return nil
		}
		return fmt.Errorf("start postgres: a postmaster is running on %s (port %d) but does not accept connections; stop it with `pg_ctl -D %s stop`",
			c.dataDir, runPort, c.dataDir)
	}
	return c.pgStart(ctx)
}

// pgStart starts the server on c.port and waits until it accepts connections.
func (c *Cluster) pgStart(ctx context.Context) error {
	socketDir, err := c.makeSocketDir(c.runAs)
	if err != nil {
		return fmt.Errorf("start postgres: socket dir: %w", err)
	}
	logFile := filepath.Join(c.dataDir, "server.log")
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", c.port, socketDir)
	out, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "-l", logFile, "-w", "-t", "60", "-o", opts, "start")
	if err != nil {
		c.removeSocketDir()
		return fmt.Errorf("start postgres on port %d with %s: %w\n%s%s",
			c.port, describe(c.binDir), err, out, tail(logFile, 20))
	}
	c.logger.Info("postgres started", "data_dir", c.dataDir, "port", c.port)
	return nil
}

// EnsureRunning starts the server again when it is down (its postmaster was killed, say) and
// reports whether it did. Only the owner does: a process that joined another's cluster takes
// ownership first, which it gets only when the owner has exited.
func (c *Cluster) EnsureRunning(ctx context.Context) (bool, error) {
	if _, runPort, alive := c.postmaster(); alive {
		if Reachable(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", runPort)) {
			return false, nil
		}
		return false, fmt.Errorf("postgres in %s: the postmaster runs but does not accept connections", c.dataDir)
	}
	if c.lock == nil {
		lock, holder, err := tryLock(c.lockPath())
		if err != nil {
			return false, err
		}
		if lock == nil {
			return false, fmt.Errorf("postgres in %s is down and belongs to process %d", c.dataDir, holder)
		}
		if err := c.own(ctx, lock); err != nil {
			c.release()
			return false, err
		}
		return true, nil
	}
	c.runningPostmaster() // clears the dead postmaster's pid file
	c.removeSocketDir()
	if err := c.pgStart(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// URL is the connection string of the cluster's default database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Port is the TCP port the server listens on.
func (c *Cluster) Port() int { return c.port }

// DataDir is the absolute path of the cluster's data directory.
func (c *Cluster) DataDir() string { return c.dataDir }

// Owned reports whether this process owns the cluster (and so stops it).
func (c *Cluster) Owned() bool { return c.lock != nil }

// Owner is the pid of the process that owns the cluster this one joined (0 when this one owns it).
func (c *Cluster) Owner() int { return c.holder }

// lockPath is the ownership lock, beside the data directory (initdb wants that one empty).
func (c *Cluster) lockPath() string { return c.dataDir + ".owner" }

func (c *Cluster) release() {
	c.lock.release()
	c.lock = nil
}

// Stop shuts the server down with a fast shutdown (open sessions are rolled back) and waits, and
// gives up ownership. A process that joined another's cluster stops nothing.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.lock == nil {
		c.logger.Info("postgres left running for the process that owns it", "data_dir", c.dataDir, "owner_pid", c.holder)
		return nil
	}
	defer c.release()
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

// postmaster reads postmaster.pid without changing anything: the pid and port it names, and
// whether that pid is a live postgres process running in this data dir.
func (c *Cluster) postmaster() (pid, port int, alive bool) {
	data, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		return 0, 0, false
	}
	lines := strings.Split(string(data), "\n")
	pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	if len(lines) > 3 {
		port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	return pid, port, pid > 0 && port > 0 && isPostmasterOf(pid, c.dataDir)
}

// runningPostmaster reports whether the server is up (and its port). Anything else in
// postmaster.pid is a leftover from a crash: the owner removes the file so the start is not
// refused because the PID now belongs to another process.
func (c *Cluster) runningPostmaster() (bool, int) {
	pid, port, alive := c.postmaster()
	if alive {
		return true, port
	}
	pidFile := filepath.Join(c.dataDir, "postmaster.pid")
	if _, err := os.Stat(pidFile); err != nil {
		return false, 0
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
