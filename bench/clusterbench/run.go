package clusterbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/bench"
	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/internal/tcluster"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// The packages of a run: one centre and its LSP, as in `kompeten bench`.
const (
	centre = "BLK-SBY"
	lsp    = "LSP-BLK-SBY"
	scheme = "SKM-LAS"
	trade  = "Las (welding)"
)

// run holds what a run started, to measure and to stop.
type run struct {
	o                               Options
	cluster                         *tcluster.Cluster
	serve, simulate                 *process
	workers                         []*process
	pgURL, dbURL, temporalDB, visDB string
	temporalURL                     string
	rm                              *pgxpool.Pool
	admin, coordinator              *apiclient.Client
	env                             []string
	maxLoad                         float64
}

// Run starts the cluster and kompeten's processes, imports o.N journeys in steps of o.Step and
// measures after each, then stops everything and (unless o.Keep) drops the databases. A run cut
// short (ctx ended, a step failed) returns the steps measured so far with the error.
func Run(ctx context.Context, o Options) (*Report, error) {
	o = o.withDefaults()
	if o.Binary == "" {
		return nil, errors.New("clusterbench: no kompeten binary")
	}
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "kompeten-bench-cluster-*")
		if err != nil {
			return nil, fmt.Errorf("run directory: %w", err)
		}
		o.Dir = d
		// A directory of its own goes at the end (keys, logs, the generated people), unless
		// the databases are kept too; one the caller named is left for them to read.
		if !o.Keep {
			defer os.RemoveAll(d)
		}
	}
	rep := &Report{Started: time.Now(), Nodes: o.Nodes, Shards: o.Shards, Workers: o.Workers, StickyCacheSize: o.StickyCacheSize,
		Machine: Machine{CPUs: runtime.NumCPU(), MemBytes: memTotal()}}
	r := &run{o: o, pgURL: o.Postgres}
	defer r.stop(rep)
	err := r.start(ctx)
	if err == nil {
		err = r.steps(ctx, rep)
	}
	rep.Machine.MaxLoad = r.maxLoad
	rep.per10k()
	rep.Elapsed = time.Since(rep.Started)
	return rep, err
}

// progress prints one line of the run's progress.
func (r *run) progress(format string, a ...any) {
	fmt.Fprintf(r.o.Progress, "%s bench cluster: %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, a...))
}

// start builds (or finds) the server, starts the cluster on fresh databases, prepares kompeten
// as an operator does (migrate, setup, tokens) and starts the simulators, serve and the workers.
func (r *run) start(ctx context.Context) error {
	o := r.o
	t0 := time.Now()
	bins, built, err := tcluster.Build(ctx, o.Cache)
	if err != nil {
		return fmt.Errorf("build the temporal server: %w", err)
	}
	r.progress("temporal-server %s ready (built now: %v) in %s; run directory %s", bins.Version, built, time.Since(t0).Round(time.Second), o.Dir)
	dbURL, _, err := bench.FreshDatabase(ctx, o.Postgres)
	if err != nil {
		return err
	}
	r.dbURL = dbURL
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("parse database url: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	r.temporalDB, r.visDB = name+"_temporal", name+"_temporal_visibility"
	u.Path = "/" + r.temporalDB
	r.temporalURL = u.String()
	t0 = time.Now()
	r.cluster, err = tcluster.Start(ctx, bins, tcluster.Options{Dir: filepath.Join(o.Dir, "cluster"), Nodes: o.Nodes, Shards: o.Shards,
		Postgres: tcluster.Postgres{URL: o.Postgres}, PersistenceDB: r.temporalDB, VisibilityDB: r.visDB,
		Pools: tcluster.Pools{PersistenceConns: o.PGConns, PersistenceIdle: o.PGConns, VisibilityConns: max(2, o.PGConns/3), VisibilityIdle: max(2, o.PGConns/3)}})
	if err != nil {
		return fmt.Errorf("start the cluster: %w", err)
	}
	r.progress("%d nodes formed one cluster in %s (%d history shards); front door %s", o.Nodes, time.Since(t0).Round(time.Second), o.Shards, r.cluster.Address())

	addr := func() (string, error) {
		p, err := freeport.Find("127.0.0.1")
		return fmt.Sprintf("127.0.0.1:%d", p), err
	}
	httpAddr, err := addr()
	if err != nil {
		return err
	}
	simAddr, err := addr()
	if err != nil {
		return err
	}
	env, err := writeConfig(settings{dir: o.Dir, dbURL: dbURL, temporal: r.cluster.Address(), httpAddr: httpAddr, simAddr: simAddr, stickyCache: o.StickyCacheSize})
	if err != nil {
		return err
	}
	for _, args := range [][]string{{"migrate"}, {"setup"}} {
		if _, err := runCommand(ctx, o.Binary, env, args...); err != nil {
			return err
		}
	}
	if err := searchAttributesEverywhere(ctx, r.cluster, "kompeten"); err != nil {
		return err
	}
	coordinator, err := runCommand(ctx, o.Binary, env, "token", "create", "--role", string(vocab.RoleCoordinator), "--name", "bench-coordinator")
	if err != nil {
		return err
	}
	adminToken, err := runCommand(ctx, o.Binary, env, "token", "create", "--role", string(vocab.RoleCentreAdmin), "--name", "bench-admin", "--scope", centre)
	if err != nil {
		return err
	}

	if r.simulate, err = startProcess(o.Binary, env, "simulate", filepath.Join(o.Dir, "simulate.log"), "simulate"); err != nil {
		return err
	}
	if r.serve, err = startProcess(o.Binary, env, "serve", filepath.Join(o.Dir, "serve.log"), "serve"); err != nil {
		return err
	}
	for i := range o.Workers {
		m, err := addr()
		if err != nil {
			return err
		}
		w, err := startProcess(o.Binary, append(env, "KOMPETEN_METRICS_ADDR="+m), fmt.Sprintf("worker-%d", i+1), filepath.Join(o.Dir, fmt.Sprintf("worker-%d.log", i+1)), "worker")
		if err != nil {
			return err
		}
		w.metrics = "http://" + m
		r.workers = append(r.workers, w)
	}
	base := "http://" + httpAddr
	for _, p := range append([]*process{r.serve}, r.workers...) {
		probe := base + "/readyz"
		if p.metrics != "" {
			probe = p.metrics + "/readyz"
		}
		if err := waitFor(ctx, 3*time.Minute, p.name+" ready", func() (bool, error) {
			if !p.running() {
				return false, p.exited()
			}
			_, err := scrape(ctx, probe)
			return err == nil, err
		}); err != nil {
			return err
		}
	}
	if r.rm, err = pgxpool.New(ctx, dbURL); err != nil {
		return fmt.Errorf("open the read model: %w", err)
	}
	r.admin = apiclient.New(base, apiclient.WithToken(strings.TrimSpace(adminToken)))
	r.env = append(env, "KOMPETEN_SERVER="+base, "KOMPETEN_TOKEN="+strings.TrimSpace(coordinator))
	r.coordinator = apiclient.New(base, apiclient.WithToken(strings.TrimSpace(coordinator)))
	r.progress("serve, %d workers and the simulators ready", o.Workers)
	return nil
}

// steps imports the cohort step by step and measures after each step.
func (r *run) steps(ctx context.Context, rep *Report) error {
	var err error
	if rep.Baseline, err = r.snapshot(ctx, 0); err != nil {
		return err
	}
	gen, err := bench.NewCohortGenerator(r.seed())
	if err != nil {
		return err
	}
	// The packages start in three months and last three: every journey waits for its
	// enrolment approval, and an approved one for its training, for as long as the run lasts.
	loc, _ := time.LoadLocation("Asia/Jakarta")
	start := time.Now().In(loc).AddDate(0, 3, 0)
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	open := 0
	for i := 0; open < r.o.N; i++ {
		size := min(r.o.Step, r.o.N-open)
		code := fmt.Sprintf("SCALE-%03d", i+1)
		if _, err := r.coordinator.CreatePackage(ctx, api.PackageRequest{Code: code, Centre: centre, Trade: trade, Scheme: scheme, LSP: lsp,
			Start: start.Format(time.RFC3339), End: start.AddDate(0, 3, 0).Format(time.RFC3339), Hours: 240, Capacity: size}); err != nil {
			return fmt.Errorf("create package %s: %w", code, err)
		}
		var csv bytes.Buffer
		if err := gen.WriteCSV(&csv, size, start); err != nil {
			return err
		}
		file := filepath.Join(r.o.Dir, code+".csv")
		if err := os.WriteFile(file, csv.Bytes(), 0o600); err != nil {
			return fmt.Errorf("write cohort: %w", err)
		}
		st := Step{Imported: size}
		t0 := time.Now()
		if _, err := runCommand(ctx, r.o.Binary, r.env, "import", file, "--package", code, "--report", filepath.Join(r.o.Dir, code+"-report.csv")); err != nil {
			return err
		}
		st.ImportSeconds = time.Since(t0).Seconds()
		st.ImportRate = float64(size) / st.ImportSeconds
		if err := r.settle(ctx, code, size); err != nil {
			return err
		}
		st.SettleSeconds = time.Since(t0).Seconds()
		open += size
		approvals := r.o.StepApprovals
		if open >= r.o.N {
			approvals = r.o.FinalApprovals
		}
		if st.Approval, err = r.approve(ctx, code, min(approvals, size)); err != nil {
			return err
		}
		if st.Snapshot, err = r.snapshot(ctx, open); err != nil {
			return err
		}
		rep.Steps = append(rep.Steps, st)
		rep.Approval = st.Approval
		r.progress("%s", stepLine(st))
	}
	return nil
}

// settle waits until every journey of a step waits for the centre admin. A loaded machine
// may take long, so it gives up only when no journey got there for noProgress.
func (r *run) settle(ctx context.Context, code string, size int) error {
	last, since := -1, time.Now()
	return waitFor(ctx, 24*time.Hour, fmt.Sprintf("%d journeys of %s waiting for the centre admin", size, code), func() (bool, error) {
		if err := r.alive(); err != nil {
			return false, err
		}
		n, err := r.waiting(ctx, code)
		if err != nil {
			return false, err
		}
		if n != last {
			last, since = n, time.Now()
		} else if time.Since(since) > noProgress {
			return false, fmt.Errorf("%d of %d waiting, none more for %s", n, size, noProgress)
		}
		return n == size, nil
	})
}

// alive fails when one of the run's processes exited.
func (r *run) alive() error {
	for _, p := range append([]*process{r.serve, r.simulate}, r.workers...) {
		if !p.running() {
			return p.exited()
		}
	}
	for _, n := range r.cluster.Nodes {
		if !n.Running() {
			return fmt.Errorf("server node %d exited; its log %s", n.N, n.Log)
		}
	}
	return nil
}

func (r *run) seed() uint64 {
	if r.o.Seed != 0 {
		return r.o.Seed
	}
	return uint64(time.Now().UnixNano())
}

// waiting counts a package's cases waiting for the centre admin in the read model.
func (r *run) waiting(ctx context.Context, pkg string) (int, error) {
	var n int
	err := r.rm.QueryRow(ctx, `SELECT count(*) FROM cases WHERE package_code = $1 AND waiting_on = $2`, pkg, vocab.WaitingCentreAdmin).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count cases of %s waiting: %w", pkg, err)
	}
	return n, nil
}

// snapshot measures the processes, the databases and the shards.
func (r *run) snapshot(ctx context.Context, open int) (Snapshot, error) {
	s := Snapshot{At: time.Now(), Open: open, Load1: loadAverage(), ServeRSS: rssBytes(r.serve.pid()), CPU: CPU{Serve: cpuSeconds(r.serve.pid())}}
	r.maxLoad = max(r.maxLoad, s.Load1)
	for _, w := range r.workers {
		s.WorkerRSS = append(s.WorkerRSS, rssBytes(w.pid()))
		s.CPU.Workers += cpuSeconds(w.pid())
		m, err := scrape(ctx, w.metrics+"/metrics", "temporal_sticky_cache_size", "go_memstats_heap_inuse_bytes")
		if err != nil {
			return s, fmt.Errorf("%s metrics: %w", w.name, err)
		}
		s.StickyCache += m["temporal_sticky_cache_size"]
		s.WorkerHeap += m["go_memstats_heap_inuse_bytes"]
	}
	for _, n := range r.cluster.Nodes {
		s.NodeRSS = append(s.NodeRSS, rssBytes(n.Pid()))
		s.CPU.Nodes += cpuSeconds(n.Pid())
	}
	var err error
	if s.DB, err = measureDatabases(ctx, r.pgURL, strings.TrimPrefix(mustPath(r.dbURL), "/"), r.temporalDB, r.visDB); err != nil {
		return s, err
	}
	if s.Shards, err = measureShards(ctx, r.temporalURL, r.o.Shards); err != nil {
		return s, err
	}
	return s, nil
}

func mustPath(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Path
}

// stop stops every process and the cluster and drops the databases unless asked to keep them.
func (r *run) stop(rep *Report) {
	for _, p := range append(r.workers, r.serve, r.simulate) {
		if p != nil {
			p.stop(30 * time.Second)
		}
	}
	if r.rm != nil {
		r.rm.Close()
	}
	if r.cluster != nil {
		if err := r.cluster.Stop(); err != nil {
			r.o.Logger.Warn("bench cluster: stop the cluster", "error", err)
		}
	}
	if r.dbURL == "" || r.o.Keep {
		if r.dbURL != "" {
			r.progress("databases kept: %s, %s, %s", mustPath(r.dbURL), r.temporalDB, r.visDB)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := (tcluster.Postgres{URL: r.pgURL}).DropDatabases(ctx, strings.TrimPrefix(mustPath(r.dbURL), "/"), r.temporalDB, r.visDB); err != nil {
		r.o.Logger.Warn("bench cluster: databases left behind", "error", err)
		return
	}
	r.progress("stopped; databases dropped")
}
