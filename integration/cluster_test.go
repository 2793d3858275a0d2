package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/bench"
	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/internal/tcluster"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
)

// clusterPeople is the cohort that runs through the two-node cluster (issue 17's acceptance).
const clusterPeople = 200

// The official Temporal server, built from go.temporal.io/server's own cmd/server at the
// version go.mod pins, as a cluster of two nodes on PostgreSQL (persistence and SQL visibility,
// schemas set by temporal-sql-tool), exactly as `go run ./cmd/temporal-cluster` runs it; kompeten
// as an operator runs it against that cluster, from the built binary: migrate, setup, token
// create, serve and three workers. A 200-person cohort is imported with `kompeten import`; once
// a quarter of it is past enrolment in the read model one server node is SIGKILLed, and once the
// first case waits for its certificate one worker is. Every case still closes as it should, the
// simulators hold exactly one registration and one certificate per person, and `kompeten doctor`
// finds no drift between the read model and Temporal.
func TestTwoNodeCluster(t *testing.T) {
	started := time.Now()
	ctx := context.Background()

	// The kompeten binary and the server (from the cache when this version was built before).
	binc := make(chan string, 1)
	binDir := t.TempDir()
	go func() { binc <- buildKompetenErr(binDir) }()
	cache, err := tcluster.DefaultCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	bins, built, err := tcluster.Build(ctx, cache)
	if err != nil {
		t.Fatalf("build the temporal server: %v", err)
	}
	t.Logf("temporal-server %s (built now: %v) ready after %s", bins.Version, built, time.Since(started).Round(time.Second))
	bin := <-binc
	if strings.HasPrefix(bin, "error:") {
		t.Fatal(bin)
	}

	// The cluster's two databases beside kompeten's own, on the same server, dropped at the end.
	dbURL := testdb.New(t)
	pgURL := maintenanceURL(t, dbURL)
	pg := tcluster.Postgres{URL: pgURL}
	prefix := strings.TrimPrefix(mustParseURL(t, dbURL).Path, "/")
	persistence, visibility := prefix+"_temporal", prefix+"_temporal_visibility"
	t.Cleanup(func() {
		if err := pg.DropDatabases(context.Background(), persistence, visibility); err != nil {
			t.Errorf("drop the cluster's databases: %v", err)
		}
	})
	dir := t.TempDir()
	clusterStart := time.Now()
	cluster, err := tcluster.Start(ctx, bins, tcluster.Options{
		Dir: filepath.Join(dir, "cluster"), Nodes: 2, Postgres: pg, PersistenceDB: persistence, VisibilityDB: visibility,
	})
	if err != nil {
		t.Fatalf("start the cluster: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range cluster.Nodes {
				t.Logf("node %d log (tail):\n%s", n.N, fileTail(n.Log, 3000))
			}
		}
		if err := cluster.Stop(); err != nil {
			t.Errorf("stop the cluster: %v", err)
		}
	})
	t.Logf("two nodes formed one cluster in %s; front door %s", time.Since(clusterStart).Round(time.Second), cluster.Address())

	// The simulators run in the test, keeping their records in kompeten's database, so the test
	// reads what each partner received; they are mounted once `kompeten migrate` made the tables.
	cfg := fastConfig(t)
	cfg.Database.URL = dbURL
	cfg.Simulators.BPJS.Latency = 50 * time.Millisecond // calls in flight when a process dies
	cfg.Simulators.LSP.Latency = 50 * time.Millisecond
	simMux := http.NewServeMux()
	simSrv := httptest.NewServer(simMux)
	t.Cleanup(simSrv.Close)
	port, err := freeport.Find("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	httpAddr := fmt.Sprintf("127.0.0.1:%d", port)
	env := clusterEnv(t, cfg, dir, cluster.Address(), simSrv.URL+"/sim", httpAddr)
	runKompeten(t, bin, env, "migrate")
	st, err := app.OpenStore(ctx, cfg, dbURL, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	sims, err := app.NewSimulators(ctx, cfg, st.Pool())
	if err != nil {
		t.Fatal(err)
	}
	simMux.Handle("/sim/", sims.Handler("/sim"))

	setupOut := runKompeten(t, bin, env, "setup")
	t.Logf("kompeten setup:\n%s", setupOut)
	searchAttributesOnEveryNode(t, cluster, "kompeten")
	coordinator := strings.TrimSpace(runKompeten(t, bin, env, "token", "create", "--role", "coordinator", "--name", "it-coordinator"))
	manager := strings.TrimSpace(runKompeten(t, bin, env, "token", "create", "--role", "lsp-manager", "--name", "lsp-mgr-1", "--scope", "LSP-BLK-SBY"))

	serve := startKompeten(t, bin, env, filepath.Join(dir, "serve.log"), "serve")
	base := "http://" + httpAddr
	eventually(t, 2*time.Minute, "kompeten serve ready", func() (bool, string) {
		if !serve.running() {
			t.Fatalf("kompeten serve exited:\n%s", fileTail(serve.log, 3000))
		}
		return ready(base + "/readyz"), fileTail(serve.log, 2000)
	})
	workers := make([]*kompetenProcess, 3)
	for i := range workers {
		workers[i] = startKompeten(t, bin, env, filepath.Join(dir, fmt.Sprintf("worker-%d.log", i+1)), "worker")
	}

	// A package starting in half a minute, and its cohort imported as a centre's spreadsheet.
	coord := apiclient.New(base, apiclient.WithToken(coordinator))
	now := time.Now()
	const pkgCode = "IT-CLUSTER"
	if _, err := coord.CreatePackage(ctx, api.PackageRequest{Code: pkgCode, Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(40 * time.Second).Format(time.RFC3339), End: now.Add(42 * time.Second).Format(time.RFC3339),
		Capacity: clusterPeople, AutoApprove: true}); err != nil {
		t.Fatalf("create package: %v", err)
	}
	gen, err := bench.NewCohortGenerator(uint64(now.UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	var csvBuf bytes.Buffer
	if err := gen.WriteCSV(&csvBuf, clusterPeople, now.Add(40*time.Second)); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "peserta.csv")
	if err := os.WriteFile(csvPath, csvBuf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	opEnv := append(env, "KOMPETEN_SERVER="+base, "KOMPETEN_TOKEN="+coordinator)
	cases := func() []store.Case {
		cs, err := st.ListCases(ctx, store.CaseFilter{PackageCode: pkgCode, Limit: 1000})
		if err != nil {
			t.Fatalf("read model: %v", err)
		}
		return cs
	}

	// The LSP manager approves each certificate that waits for one, through the API.
	approver := newChaosApprover(base, manager)
	stopApprover := approver.run(&system{t: t, store: st}, pkgCode)
	defer stopApprover()

	// The import runs beside the watch for the moment to kill: whether it is still starting
	// journeys then depends on the machine's speed, not on the test.
	importStarted := time.Now()
	imported := make(chan error, 1)
	go func() {
		cmd := exec.Command(bin, "import", csvPath, "--package", pkgCode, "--report", filepath.Join(dir, "report.csv"))
		cmd.Env = opEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			err = fmt.Errorf("kompeten import: %w\n%s", err, out)
		}
		imported <- err
	}()

	// One server node dies once a quarter of the cohort is past enrolment.
	count := func(stages ...vocab.Stage) (int, string) {
		n := 0
		by := map[vocab.Stage]int{}
		for _, c := range cases() {
			by[c.Stage]++
			for _, s := range stages {
				if c.Stage == s {
					n++
				}
			}
		}
		return n, fmt.Sprint(by)
	}
	later := []vocab.Stage{vocab.StageInsurance, vocab.StageTraining, vocab.StageAssessment, vocab.StageCertification, vocab.StagePlacement, vocab.StageClosed}
	eventually(t, 4*time.Minute, "a quarter of the cohort past enrolment", func() (bool, string) {
		n, by := count(later...)
		return n >= clusterPeople/4, by
	})
	_, atNodeKill := count()
	victim := cluster.Nodes[1]
	if err := victim.Kill(); err != nil {
		t.Fatal(err)
	}
	nodeKilled := time.Now()
	t.Logf("node %d SIGKILLed with cases per stage %s", victim.N, atNodeKill)
	// The survivor notices: its rings shrink to itself.
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	err = cluster.WaitMembers(wctx, 1)
	cancel()
	if err != nil {
		t.Fatalf("the surviving node did not notice: %v", err)
	}
	t.Logf("the surviving node holds every ring alone %s after the kill", time.Since(nodeKilled).Round(time.Second))

	if err := <-imported; err != nil {
		t.Fatal(err)
	}
	t.Logf("kompeten import of %d people took %s", clusterPeople, time.Since(importStarted).Round(time.Second))
	// The journeys write their rows as they start: every person of the cohort has one.
	eventually(t, 2*time.Minute, "every imported person's case in the read model", func() (bool, string) {
		n := len(cases())
		return n == clusterPeople, fmt.Sprintf("%d cases", n)
	})

	// One worker dies once the first case waits for its certificate.
	eventually(t, 4*time.Minute, "a case in certification", func() (bool, string) {
		n, by := count(vocab.StageCertification, vocab.StagePlacement, vocab.StageClosed)
		return n > 0, by
	})
	_, atWorkerKill := count()
	for i, w := range workers {
		if !w.running() {
			t.Fatalf("worker %d exited on its own:\n%s", i+1, fileTail(w.log, 3000))
		}
	}
	workers[0].kill(t)
	t.Logf("worker 1 SIGKILLed with cases per stage %s", atWorkerKill)

	for _, c := range cases() {
		got := waitCase(t, st, c.CaseID, 5*time.Minute)
		if got.Outcome != vocab.OutcomeNotPlaced || got.KPJ == "" || got.CertificateNo == "" {
			t.Errorf("case %s: outcome %q kpj %q certificate %q", got.CaseID, got.Outcome, got.KPJ, got.CertificateNo)
		}
	}
	regs := sims.BPJS.Registrations()
	certs := sims.LSPs["LSP-BLK-SBY"].Certificates()
	for _, c := range cases() {
		if n := regs[c.CaseID+"-bpjs-0"]; n != 1 {
			t.Errorf("case %s: %d registrations, want exactly 1", c.CaseID, n)
		}
		if n := certs[c.CaseID+"-cert"]; n != 1 {
			t.Errorf("case %s: %d certificates, want exactly 1", c.CaseID, n)
		}
	}
	if n := sims.BPJS.RegistrationCount(); n != clusterPeople {
		t.Errorf("BPJS holds %d registrations, want %d", n, clusterPeople)
	}
	if n := sims.LSPs["LSP-BLK-SBY"].CertificateCount(); n != clusterPeople {
		t.Errorf("the LSP issued %d certificates, want %d", n, clusterPeople)
	}

	// doctor compares the read model with Temporal's state of every case: no drift. It exits 3
	// on drift, which runKompeten fails on.
	doctor := runKompeten(t, bin, opEnv, "doctor", "-o", "json")
	var rep starter.DoctorReport
	if err := json.Unmarshal([]byte(doctor), &rep); err != nil {
		t.Fatalf("doctor output: %v\n%s", err, doctor)
	}
	if len(rep.Drifts) != 0 || len(rep.Numbers) != 0 {
		t.Fatalf("doctor found drift or numbers held twice: %s", doctor)
	}
	t.Logf("%d approvals sent (%d retried); every case closed %s after the node was killed; doctor: %s; test took %s",
		approver.sent, approver.retried, time.Since(nodeKilled).Round(time.Second), strings.TrimSpace(doctor), time.Since(started).Round(time.Second))
}

// waitCase waits until a case is closed in the read model and returns it.
func waitCase(t *testing.T, st *store.Store, id string, within time.Duration) store.Case {
	t.Helper()
	var c store.Case
	eventually(t, within, "case "+id+" closed", func() (bool, string) {
		var err error
		c, err = st.GetCase(context.Background(), id)
		if err != nil {
			return false, err.Error()
		}
		return c.Stage == vocab.StageClosed, fmt.Sprintf("stage=%s waiting=%s stuck=%v %s", c.Stage, c.WaitingOn, c.Stuck, c.StuckReason)
	})
	return c
}

// maintenanceURL is the server's maintenance database, from the URL of a database on it.
func maintenanceURL(t *testing.T, dbURL string) string {
	t.Helper()
	u := mustParseURL(t, dbURL)
	u.Path = "/postgres"
	return u.String()
}

func mustParseURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// searchAttributesOnEveryNode waits until every node's frontend takes a workflow start carrying
// each of kompeten's search attributes. `kompeten setup` adds them through one node; the other
// learns them when its namespace cache refreshes (seconds later), and until then refuses a start
// with "no mapping defined for search attribute": the cohort must not be imported before. The
// probe start goes to a task queue no worker polls, and is terminated at once.
func searchAttributesOnEveryNode(t *testing.T, cluster *tcluster.Cluster, namespace string) {
	t.Helper()
	sa := temporal.NewSearchAttributes(workflows.SACentre.ValueSet("probe"), workflows.SAPackage.ValueSet("probe"),
		workflows.SALSP.ValueSet("probe"), workflows.SAStage.ValueSet("probe"), workflows.SAWaitingOn.ValueSet("probe"),
		workflows.SAOutcome.ValueSet("probe"), workflows.SAStuck.ValueSet(false), workflows.SAStageEntered.ValueSet(time.Now()))
	for _, node := range cluster.Nodes {
		c, err := client.Dial(client.Options{HostPort: node.Frontend, Namespace: namespace, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		if err != nil {
			t.Fatalf("dial node %d: %v", node.N, err)
		}
		// Eight starts under different IDs land on the shards of both nodes' history services
		// too, which check the attributes with their own namespace caches.
		n, ok := 0, 0
		eventually(t, time.Minute, fmt.Sprintf("node %d takes kompeten's search attributes", node.N), func() (bool, string) {
			n++
			run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
				ID: fmt.Sprintf("sa-probe-node-%d-%d", node.N, n), TaskQueue: "sa-probe", TypedSearchAttributes: sa}, "SearchAttributeProbe")
			if err != nil {
				return false, err.Error()
			}
			_ = c.TerminateWorkflow(context.Background(), run.GetID(), run.GetRunID(), "search attribute probe")
			ok++
			return ok >= 8, fmt.Sprintf("%d probe starts taken", ok)
		})
		c.Close()
	}
}
