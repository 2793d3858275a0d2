package pgcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
)

// freePort is a port for a cluster to listen on (see freeport.Find).
func freePort(t *testing.T) int {
	t.Helper()
	p, err := freeport.Find("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// reachableTempDir returns a t.TempDir() the postgres user can enter when the test runs as root.
func reachableTempDir(t *testing.T) string {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestStartConnectStop(t *testing.T) {
	if _, err := FindBinaries(); err != nil {
		t.Fatalf("this test needs the PostgreSQL server binaries: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dataDir := filepath.Join(reachableTempDir(t), "pg")
	port := freePort(t)

	c, err := Start(ctx, dataDir, port, nil)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = c.Stop(context.Background())
		}
	})
	if want := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port); c.URL() != want {
		t.Errorf("URL = %s, want %s", c.URL(), want)
	}
	if !Reachable(ctx, c.URL()) {
		t.Fatal("cluster not reachable after Start")
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT 40 + 2").Scan(&n); err != nil || n != 42 {
		t.Fatalf("query: %d, %v", n, err)
	}
	conn.Close(ctx)

	// A second Start on the same directory while the first owns it joins the running server,
	// and its Stop leaves it running.
	if !c.Owned() {
		t.Fatal("the process that started the cluster does not own it")
	}
	again, err := Start(ctx, dataDir, freePort(t), nil)
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if again.Port() != port || again.Owned() || again.Owner() != os.Getpid() {
		t.Errorf("joined: port %d (want %d), owned %v, owner %d", again.Port(), port, again.Owned(), again.Owner())
	}
	if err := again.Stop(ctx); err != nil || !Reachable(ctx, c.URL()) {
		t.Fatalf("a joined cluster's Stop stopped it (%v)", err)
	}

	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if Reachable(ctx, c.URL()) {
		t.Fatal("cluster still reachable after Stop")
	}

	// A postmaster.pid left by a crash, naming a live process that is not postgres (this test),
	// must not block the next start.
	stale := fmt.Sprintf("%d\n%s\n0\n%d\n/tmp\n127.0.0.1\n0 0\nready\n", os.Getpid(), dataDir, port)
	if err := os.WriteFile(filepath.Join(dataDir, "postmaster.pid"), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	port2 := freePort(t)
	c2, err := Start(ctx, dataDir, port2, nil)
	if err != nil {
		t.Fatalf("start over stale pid file: %v", err)
	}
	defer c2.Stop(context.Background())
	if !Reachable(ctx, c2.URL()) || c2.Port() != port2 {
		t.Fatal("restarted cluster not reachable on the new port")
	}
}

// Killed under its owner, the cluster is brought back by the owner's EnsureRunning on the same
// port; a process that joined it cannot (it is not its to start) until the owner has let go.
func TestOwnerRestartsItsClusterAfterAKill(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dataDir := filepath.Join(reachableTempDir(t), "pg")
	c, err := Start(ctx, dataDir, freePort(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	guest, err := Start(ctx, dataDir, freePort(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if restarted, err := c.EnsureRunning(ctx); restarted || err != nil {
		t.Fatalf("a running cluster: restarted %v, %v", restarted, err)
	}
	kill := func() {
		t.Helper()
		pid, _, alive := c.postmaster()
		if !alive {
			t.Fatal("no live postmaster to kill")
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, _, alive := c.postmaster(); !alive {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the killed postmaster is still alive")
			}
		}
	}
	kill()
	if _, err := guest.EnsureRunning(ctx); err == nil || !strings.Contains(err.Error(), "belongs to process") {
		t.Fatalf("a joined process restarted a cluster it does not own: %v", err)
	}
	// Orphaned backends may hold the old shared memory a moment; the owner tries until they go.
	var restarted bool
	for deadline := time.Now().Add(time.Minute); ; {
		restarted, err = c.EnsureRunning(ctx)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !restarted || err != nil || !Reachable(ctx, c.URL()) {
		t.Fatalf("the owner did not bring its cluster back: restarted %v, %v", restarted, err)
	}
	// Once the owner has let go (stopped it), the other process may take it over.
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	restarted, err = guest.EnsureRunning(ctx)
	if !restarted || err != nil || !guest.Owned() || !Reachable(ctx, guest.URL()) {
		t.Fatalf("taking over a released cluster: restarted %v owned %v, %v", restarted, guest.Owned(), err)
	}
	if err := guest.Stop(ctx); err != nil || Reachable(ctx, guest.URL()) {
		t.Fatalf("the new owner's Stop: %v", err)
	}
}

func TestReachableFalse(t *testing.T) {
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", freePort(t))
	if Reachable(context.Background(), url) {
		t.Fatal("nothing listens there")
	}
}

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	if !hasBinaries(dir) {
		t.Fatalf("%s lacks the binaries", dir)
	}
	old := debianGlob
	t.Cleanup(func() { debianGlob = old })
	t.Setenv("PATH", t.TempDir())
	debianGlob = filepath.Join(t.TempDir(), "*", "bin")
	if _, err := FindBinaries(); err == nil {
		t.Fatal("want an error without binaries")
	}
}

// As root, a private data directory (0700, as dev creates it) holding the cluster is opened to
// the postgres user for traverse only (group postgres, 0710), so the cluster starts without a
// `chmod o+x` and nobody else gains access.
func TestStartInAPrivateDataDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Log("not root: the binaries run as this user, who owns the private directory; nothing to open")
	}
	if _, err := FindBinaries(); err != nil {
		t.Fatalf("this test needs the PostgreSQL server binaries: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	private := filepath.Join(reachableTempDir(t), "kompeten")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := Start(ctx, filepath.Join(private, "postgres"), freePort(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	if !Reachable(ctx, c.URL()) {
		t.Fatal("cluster not reachable after Start")
	}
	fi, err := os.Stat(private)
	if err != nil {
		t.Fatal(err)
	}
	want := os.FileMode(0o700)
	if os.Geteuid() == 0 {
		want = 0o710
	}
	if fi.Mode().Perm() != want {
		t.Fatalf("data directory mode %v, want %v: private, with traverse for postgres's group as root", fi.Mode().Perm(), want)
	}
}
