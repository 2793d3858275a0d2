package integration

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// callGate holds every matching partner call until released.
type callGate struct {
	match   func(*http.Request) bool
	mu      sync.Mutex
	held    int
	gaveUp  int // held calls whose caller hung up (a worker that cancelled its activity)
	release chan struct{}
}

func (g *callGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.match(r) {
			next.ServeHTTP(w, r)
			return
		}
		// Read the body first: net/http notices a client that hung up only once it has.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.mu.Lock()
		g.held++
		release := g.release
		g.mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done():
			g.mu.Lock()
			g.gaveUp++
			g.mu.Unlock()
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g *callGate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

func (g *callGate) abandoned() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.gaveUp
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func readyz(addr string) (int, string) {
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A worker process told to stop (SIGTERM) while BPJS registrations are in flight turns its
// /readyz to 503, stops polling and lets the running calls finish: it is still there 3s later
// with no call abandoned, and once the partner answers, the process exits 0 and the cases have their KPJ sooner than a lost call could be retried (its
// one-minute attempt timeout). A second worker, whose worker.stop_timeout is 2s, stops after
// about that long with a call still held, which it then abandons: the limit bounds the drain.
func TestWorkerDrainsOnSIGTERM(t *testing.T) {
	gate := &callGate{match: isPost("/sim/bpjs/v1/registrations"), release: make(chan struct{})}
	cfg := fastConfig(t)
	sys := startSystemWith(t, cfg, systemOptions{
		DatabaseFile: filepath.Join(t.TempDir(), "temporal.db"), NoWorker: true,
		WrapSimulators: gate.wrap, ServerLogLevel: slog.LevelError,
	})
	metricsAddr := freeAddr(t)
	w1 := startWorkerProcess(t, sys, 1, "KOMPETEN_WORKER_STOP_TIMEOUT=45s", "KOMPETEN_METRICS_ADDR="+metricsAddr)
	eventually(t, 30*time.Second, "worker 1 ready", func() (bool, string) {
		code, body := readyz(metricsAddr)
		return code == http.StatusOK, fmt.Sprintf("%d %s", code, body)
	})

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-DRAIN", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true})
	people := validPeople(t, pkg.StartDate, 4)
	ids := enrol(t, sys, pkg.Code, people[:3])
	eventually(t, 60*time.Second, "every registration held in flight", func() (bool, string) {
		return gate.count() == len(ids), fmt.Sprintf("%d of %d held", gate.count(), len(ids))
	})

	stopAt := time.Now()
	if err := w1.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "worker 1's /readyz draining", func() (bool, string) {
		code, body := readyz(metricsAddr)
		return code == http.StatusServiceUnavailable && strings.Contains(body, "draining"), fmt.Sprintf("%d %s", code, body)
	})
	// The calls stay held for 3s after SIGTERM: the worker must still be there, waiting.
	select {
	case <-w1.done:
		t.Fatalf("worker 1 exited %s after SIGTERM with partner calls still running: it did not wait for them", time.Since(stopAt))
	case <-time.After(3 * time.Second):
	}
	if n := gate.abandoned(); n != 0 {
		t.Fatalf("%d held calls were abandoned by the draining worker", n)
	}
	close(gate.release)
	select {
	case <-w1.done:
	case <-time.After(30 * time.Second):
		t.Fatal("worker 1 did not exit within 30s of its calls finishing")
	}
	if n := gate.abandoned(); n != 0 {
		t.Fatalf("%d held calls were abandoned by the draining worker", n)
	}
	if code := w1.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("worker 1 exit code %d, want 0", code)
	}
	drained := time.Since(stopAt)

	// The journeys go on with another worker; the registrations finished in the draining one.
	w2 := startWorkerProcess(t, sys, 2)
	for _, id := range ids {
		c := sys.caseIn(id, vocab.StageTraining, time.Minute)
		if c.KPJ == "" {
			t.Errorf("case %s in training without a KPJ", id)
		}
		if n := sys.sims.BPJS.RegisterCalls(id + "-bpjs-0"); n != 1 {
			t.Errorf("case %s: registration called %d times, want once (finished by the draining worker)", id, n)
		}
	}
	if took := time.Since(stopAt); took >= cfg.Partners.AttemptTimeout {
		t.Errorf("cases registered %s after SIGTERM: as slow as a lost call's retry (%s)", took, cfg.Partners.AttemptTimeout)
	}

	// The limit: a call held past worker.stop_timeout is cancelled and the worker exits.
	w2.kill(t) // worker 3 alone takes the next call
	gate.mu.Lock()
	gate.release, gate.held = make(chan struct{}), 0
	gate.mu.Unlock()
	t.Cleanup(func() { close(gate.release) })
	w3 := startWorkerProcess(t, sys, 3, "KOMPETEN_WORKER_STOP_TIMEOUT=2s")
	enrol(t, sys, pkg.Code, people[3:4])
	eventually(t, 60*time.Second, "the fourth registration held", func() (bool, string) {
		return gate.count() >= 1, fmt.Sprintf("%d held", gate.count())
	})
	stop3 := time.Now()
	if err := w3.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w3.done:
	case <-time.After(20 * time.Second):
		t.Fatal("worker 3 did not exit within 20s of SIGTERM with a 2s stop_timeout")
	}
	took3 := time.Since(stop3)
	if took3 < 2*time.Second {
		t.Errorf("worker 3 exited %s after SIGTERM, before its 2s limit: it did not wait for the running call", took3)
	}
	eventually(t, 10*time.Second, "the held call cancelled by worker 3 at its limit", func() (bool, string) {
		return gate.abandoned() >= 1, fmt.Sprintf("%d abandoned", gate.abandoned())
	})
	t.Logf("worker 1 exited %s after SIGTERM (its %d calls held 3s, then answered); worker 3 (limit 2s) exited %s after SIGTERM with its call held", drained.Round(time.Millisecond), len(ids), took3.Round(time.Millisecond))
}
