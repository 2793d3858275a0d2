package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// workerProcess is a kompeten worker running as a separate OS process (the test binary in
// worker mode, see TestMain), so a test can SIGKILL it mid-call.
type workerProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// startWorkerProcess starts a worker process against the system's server, database and
// simulators, configured like `kompeten worker` through KOMPETEN_* variables (extraEnv adds
// or overrides some).
func startWorkerProcess(t *testing.T, sys *system, n int, extraEnv ...string) *workerProcess {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), fmt.Sprintf("worker-%d.log", n))
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	c := sys.cfg
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(),
		workerProcessEnv+"=1",
		"KOMPETEN_DATA_DIR="+t.TempDir(),
		"KOMPETEN_TEMPORAL_ADDRESS="+c.Temporal.Address,
		"KOMPETEN_TEMPORAL_NAMESPACE="+c.Temporal.Namespace,
		"KOMPETEN_TEMPORAL_TASK_QUEUE="+c.Temporal.TaskQueue,
		"KOMPETEN_DATABASE_URL="+sys.dbURL,
		"KOMPETEN_SECURITY_PAYLOAD_KEY_FILE="+c.Security.PayloadKeyFile,
		"KOMPETEN_SECURITY_ACTOR_KEY="+c.Security.ActorKey,
		"KOMPETEN_SELFREPORT_KEY="+c.SelfReport.Key,
		"KOMPETEN_PARTNERS_BPJS_BASE_URL="+c.Partners.BPJS.BaseURL,
		"KOMPETEN_PARTNERS_LSP_BASE_URL="+c.Partners.LSP.BaseURL,
		"KOMPETEN_LOG_LEVEL=warn",
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &workerProcess{cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(w.done)
	}()
	t.Cleanup(func() {
		w.kill(t)
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			t.Logf("worker process %d log (tail):\n%s", n, b)
		}
	})
	return w
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would, and waits for it.
func (w *workerProcess) kill(t *testing.T) {
	t.Helper()
	select {
	case <-w.done:
		return
	default:
	}
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill worker process: %v", err)
	}
	select {
	case <-w.done:
	case <-time.After(10 * time.Second):
		t.Fatal("worker process did not die within 10s of SIGKILL")
	}
}

// holdGate holds partner calls in flight while armed: odd calls before the partner sees them,
// even calls after the partner did the work, with the answer kept back. Killing the worker then
// loses both kinds of call at the two points that matter for idempotency.
type holdGate struct {
	match func(*http.Request) bool

	mu      sync.Mutex
	armed   bool
	release chan struct{}
	calls   int
	before  []string // idempotency keys held before the partner saw them
	after   []string // idempotency keys held after the partner did the work
}

func newHoldGate(match func(*http.Request) bool) *holdGate {
	return &holdGate{match: match, release: make(chan struct{})}
}

func (g *holdGate) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = true
}

// open disarms the gate and lets every held call go on (to a client that may be gone).
func (g *holdGate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.armed {
		g.armed = false
		close(g.release)
	}
}

// held returns the keys held before and after the partner's work.
func (g *holdGate) held() (before, after []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.before...), append([]string(nil), g.after...)
}

func (g *holdGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		armed := g.armed && g.match(r)
		if armed {
			g.calls++
		}
		afterWork := g.calls%2 == 0
		release := g.release
		g.mu.Unlock()
		if !armed {
			next.ServeHTTP(w, r)
			return
		}
		// Read the body first: net/http notices a client that hung up only once it has.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		key := r.Header.Get("Idempotency-Key")
		if !afterWork {
			g.mu.Lock()
			g.before = append(g.before, key)
			g.mu.Unlock()
			select {
			case <-release:
			case <-r.Context().Done():
			}
			if r.Context().Err() != nil {
				return // the caller died: the partner never hears of this call
			}
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r) // the partner does the work ...
		g.mu.Lock()
		g.after = append(g.after, key)
		g.mu.Unlock()
		select { // ... and the answer waits
		case <-release:
		case <-r.Context().Done():
			return // the answer is lost with the caller
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// wrapAll chains gates in front of a handler.
func wrapAll(gates ...*holdGate) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		for _, g := range gates {
			h = g.wrap(h)
		}
		return h
	}
}

func isPost(suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, suffix)
	}
}

// createPackage makes a package through the API.
func createPackage(t *testing.T, sys *system, req api.PackageRequest) store.Package {
	t.Helper()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", req, &pkg); code != http.StatusCreated {
		t.Fatalf("create package %s: HTTP %d", req.Code, code)
	}
	return pkg
}

// enrol starts journeys for people and returns their case IDs.
func enrol(t *testing.T, sys *system, pkg string, people []starter.Person) []string {
	t.Helper()
	var resp api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/"+pkg+"/enrolments", api.EnrolRequest{People: people}, &resp); code != http.StatusOK {
		t.Fatalf("enrol in %s: HTTP %d", pkg, code)
	}
	ids := make([]string, len(resp.Results))
	for i, r := range resp.Results {
		if r.Outcome != starter.OutcomeStarted && r.Outcome != starter.OutcomeWarnedStarted {
			t.Fatalf("enrol person %d: %s %s", i, r.Outcome, r.Error)
		}
		ids[i] = r.CaseID
	}
	return ids
}

// The worker process is killed with SIGKILL while BPJS registrations and certificate issuances
// are in flight — some held before the partner saw them, some after the partner did the work
// but before the answer came back — and then restarted. Every person ends up registered once
// and certified once: the retried calls carry the same idempotency keys.
func TestWorkerKilledMidPartnerCallsRegistersAndCertifiesOnce(t *testing.T) {
	bpjsGate := newHoldGate(isPost("/sim/bpjs/v1/registrations"))
	certGate := newHoldGate(isPost("/v1/certificates"))
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence" // nobody recorded absent: everyone graduates
	sys := startSystemWith(t, cfg, systemOptions{
		DatabaseFile: filepath.Join(t.TempDir(), "temporal.db"), NoWorker: true,
		WrapSimulators: wrapAll(bpjsGate, certGate), ServerLogLevel: slog.LevelError,
	})
	ctx := context.Background()
	start := time.Now()
	worker1 := startWorkerProcess(t, sys, 1)

	// Package B reaches certification first; package A is enrolled when B waits for approval.
	now := time.Now()
	pkgB := createPackage(t, sys, api.PackageRequest{Code: "IT-KILL-B", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(5 * time.Second).Format(time.RFC3339), AutoApprove: true})
	pkgA := createPackage(t, sys, api.PackageRequest{Code: "IT-KILL-A", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true})
	people := validPeople(t, pkgA.StartDate, 16)
	idsB := enrol(t, sys, pkgB.Code, people[:8])
	for _, id := range idsB {
		sys.caseIn(id, vocab.StageCertification, 60*time.Second)
	}

	bpjsGate.arm()
	certGate.arm()
	manager := workflows.Actor{ID: "lsp-mgr-1", Role: vocab.RoleLSPManager}
	for _, id := range idsB {
		sys.approveCertification(manager, id)
	}
	idsA := enrol(t, sys, pkgA.Code, people[8:])
	eventually(t, 60*time.Second, "every registration and issuance held in flight", func() (bool, string) {
		rb, ra := bpjsGate.held()
		cb, ca := certGate.held()
		return len(rb)+len(ra) == len(idsA) && len(cb)+len(ca) == len(idsB),
			fmt.Sprintf("bpjs %d+%d of %d, certificates %d+%d of %d", len(rb), len(ra), len(idsA), len(cb), len(ca), len(idsB))
	})
	worker1.kill(t)
	killedAt := time.Now()
	bpjsGate.open()
	certGate.open()
	regBefore, regAfter := bpjsGate.held()
	certBefore, certAfter := certGate.held()
	if len(regBefore) == 0 || len(regAfter) == 0 || len(certBefore) == 0 || len(certAfter) == 0 {
		t.Fatalf("kill points not all exercised: registrations %d before / %d after the work, certificates %d / %d",
			len(regBefore), len(regAfter), len(certBefore), len(certAfter))
	}
	startWorkerProcess(t, sys, 2)

	// The lost calls are retried once their attempt times out (the partner call's one-minute
	// start-to-close timeout), by the new process.
	for _, id := range idsA {
		c := sys.caseIn(id, vocab.StageTraining, 3*time.Minute)
		if c.KPJ == "" {
			t.Errorf("case %s in training without a KPJ", id)
		}
	}
	for _, id := range idsB {
		eventually(t, 3*time.Minute, "case "+id+" certified", func() (bool, string) {
			c, err := sys.store.GetCase(ctx, id)
			return err == nil && c.CertificateNo != "", fmt.Sprintf("stage=%s cert=%q err=%v", c.Stage, c.CertificateNo, err)
		})
	}
	recovered := time.Since(killedAt)

	regs := sys.sims.BPJS.Registrations()
	for _, id := range append(append([]string(nil), idsA...), idsB...) {
		if n := regs[id+"-bpjs-0"]; n != 1 {
			t.Errorf("case %s: %d registrations, want exactly 1", id, n)
		}
	}
	if len(regs) != len(idsA)+len(idsB) || sys.sims.BPJS.Stats().People != len(people) {
		t.Errorf("BPJS holds %d registrations for %d people, want %d for %d", len(regs), sys.sims.BPJS.Stats().People, len(idsA)+len(idsB), len(people))
	}
	for _, key := range regAfter {
		if n := sys.sims.BPJS.RegisterCalls(key); n < 2 {
			t.Errorf("registration %s was lost after the partner's work but called %d time(s): no retry happened", key, n)
		}
	}
	certs := sys.sims.LSPs["LSP-BLK-SBY"].Certificates()
	for _, id := range idsB {
		if n := certs[id+"-cert"]; n != 1 {
			t.Errorf("case %s: %d certificates, want exactly 1", id, n)
		}
	}
	if n := sys.sims.LSPs["LSP-BLK-SBY"].CertificateCount(); n != len(idsB) {
		t.Errorf("certificates issued = %d, want %d", n, len(idsB))
	}
	t.Logf("killed with %d+%d registrations and %d+%d issuances in flight (before+after the partner's work); recovered in %s; test took %s",
		len(regBefore), len(regAfter), len(certBefore), len(certAfter), recovered.Round(time.Second), time.Since(start).Round(time.Second))
}

// The embedded server is stopped while a cohort is on its way (some registered, some not) and
// started again on the same SQLite file and port: every case continues to its outcome, with one
// registration and one certificate per person.
func TestServerRestartMidCohortEveryCaseContinues(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	// Three registrations go through; the rest wait at BPJS until the server is down, so the
	// stop is mid-cohort by construction, and then reach BPJS while the server is away.
	const passed = 3
	gate := newPartnerGate(passed, isPost("/sim/bpjs/v1/registrations"))
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	sys := startSystemWith(t, cfg, systemOptions{DatabaseFile: dbFile, ServerLogLevel: slog.LevelError, WrapSimulators: gate.wrap})
	ctx := context.Background()
	start := time.Now()

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-RESTART", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(8 * time.Second).Format(time.RFC3339), End: now.Add(10 * time.Second).Format(time.RFC3339), Capacity: 40, AutoApprove: true})
	ids := importSample(t, sys, pkg)

	eventually(t, 60*time.Second, "three registrations through and one held", func() (bool, string) {
		through, held := gate.counts()
		return through == passed && held > 0 && sys.sims.BPJS.RegistrationCount() == passed,
			fmt.Sprintf("%d through, %d held, %d registered", through, held, sys.sims.BPJS.RegistrationCount())
	})
	addr := sys.server.HostPort()
	_, portStr, _ := strings.Cut(addr, ":")
	var port int
	fmt.Sscan(portStr, &port)
	sys.server.Stop()
	sys.server = nil
	hctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, err := sys.tc.CheckHealth(hctx, &client.CheckHealthRequest{})
	cancel()
	if err == nil {
		t.Fatal("the server still answers after Stop")
	}
	gate.open()
	sys.startServer(port)

	manager := workflows.Actor{ID: "lsp-mgr-1", Role: vocab.RoleLSPManager}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageCertification, 2*time.Minute)
		sys.approveCertification(manager, id)
	}
	for _, id := range ids {
		c := sys.caseIn(id, vocab.StageClosed, time.Minute)
		if c.Outcome != vocab.OutcomeNotPlaced || c.CertificateNo == "" || c.KPJ == "" || c.Stuck {
			t.Errorf("case %s: outcome %s cert %q kpj %q stuck %v", id, c.Outcome, c.CertificateNo, c.KPJ, c.Stuck)
		}
	}
	for key, n := range sys.sims.BPJS.Registrations() {
		if n != 1 {
			t.Errorf("registration %s created %d times", key, n)
		}
	}
	if n := sys.sims.BPJS.RegistrationCount(); n != len(ids) {
		t.Errorf("registrations = %d, want %d", n, len(ids))
	}
	if n := sys.sims.LSPs["LSP-BLK-SBY"].CertificateCount(); n != len(ids) {
		t.Errorf("certificates = %d, want %d", n, len(ids))
	}
	t.Logf("server stopped with %d of %d registered; every case closed; test took %s", passed, len(ids), time.Since(start).Round(time.Second))
}
