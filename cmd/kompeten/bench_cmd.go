package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/bench"
)

func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure kompeten against its own Temporal server: start rate, throughput, latency, memory",
		Long: `Runs a whole system in this process — the embedded Temporal server on a SQLite file in a
temporary directory, the simulators (no latency, no errors), the worker and the HTTP API, on a
fresh PostgreSQL database — and measures in one run:

  start rate    N journeys started by an import (importer.Run) next to N no-op workflows
                started with the same concurrency
  throughput    journeys driven from enrolment to a placement, the approvals sent through the
                API as people would, next to a no-op workflow with the same activities, timers
                and updates (taken from a journey's history; it waits for the package's first
                and last training day as the journey does, until the same time after its start)
  latency       enrolment approvals through the API with N journeys open: p50/p95/p99
  memory        Go heap and stacks in use per open journey waiting on people
  history       events, bytes and Temporal actions per closed journey

Ratios compare phases of the same run; absolute figures depend on the machine. PostgreSQL:
database.url's server, else 127.0.0.1:5432, else a private cluster; the run's database is
dropped afterwards. See BENCHMARKS.md for the method and recorded figures.`,
		Example: `  kompeten bench
  kompeten bench --n 10000 --journeys 1000 -o json > bench.json
  kompeten bench --runs 3 --cpuprofile journeys.pprof && go tool pprof -top journeys.pprof
  kompeten bench --n 300 --journeys 500 --approvals 100 --lead 20s --runs 3   # issue 17's targets
  KOMPETEN_WORKER_WORKFLOW_POLLERS=8 kompeten bench --dynamic-config history.persistenceMaxQPS=20000`,
		RunE: runBench,
	}
	cmd.AddCommand(newBenchClusterCmd())
	d := bench.DefaultOptions()
	f := cmd.Flags()
	f.Int("n", d.N, "journeys imported and left open (start rate, memory, approval latency)")
	f.Int("journeys", 0, "journeys driven to a closed outcome (throughput); 0: --n")
	f.Int("concurrency", d.Concurrency, "starts in flight at once, for the import and the raw starts")
	f.Int("in-flight", d.InFlight, "journeys open at once while throughput is measured")
	f.Int("cohort", d.CohortSize, "people per package in the throughput phase")
	f.Int("approvals", d.Approvals, "approvals timed in the latency phase (at most --n)")
	f.Float64("approval-rate", d.ApprovalRate, "approvals sent per second")
	f.Duration("lead", d.Lead, "least time from creating a package to its first training day")
	f.Duration("training", d.Training, "length of a package in the throughput phase")
	f.Int("rounds", d.Rounds, "alternate engine and import parts this many times in the start-rate comparison")
	f.Uint64("seed", 0, "seed of the generated people; 0: random")
	f.Int("runs", 1, "repeat the whole run; prints min/median/max")
	f.String("history-out", "", "write one journey's and one same-shape workflow's history (JSON) into this directory")
	f.String("cpuprofile", "", "write a CPU profile of --profile-phase to this file")
	f.String("profile-phase", bench.PhaseJourneys, "phase profiled: import, starts (raw starts), engine (same-shape workflows), journeys or all")
	f.Int32("history-shards", 0, "embedded server history shards (0: devserver default)")
	f.StringArray("sqlite-pragma", nil, "SQLite pragma NAME=VALUE over the defaults (NAME= drops one); repeatable")
	f.Int("sqlite-max-conns", 0, "connections to the SQLite file (0: devserver default)")
	f.Bool("no-grpc-compression", false, "do not gzip requests to the embedded server (the SDK does by default)")
	f.StringArray("dynamic-config", nil, "server dynamic config KEY=VALUE (e.g. history.persistenceMaxQPS=20000); repeatable")
	addOutputFlag(cmd)
	return cmd
}

func runBench(cmd *cobra.Command, _ []string) error {
	format, err := outputFormat(cmd)
	if err != nil {
		return err
	}
	f := cmd.Flags()
	o := bench.Options{Progress: cmd.ErrOrStderr()}
	o.N, _ = f.GetInt("n")
	o.Journeys, _ = f.GetInt("journeys")
	o.Concurrency, _ = f.GetInt("concurrency")
	o.InFlight, _ = f.GetInt("in-flight")
	o.CohortSize, _ = f.GetInt("cohort")
	o.Approvals, _ = f.GetInt("approvals")
	o.ApprovalRate, _ = f.GetFloat64("approval-rate")
	o.Lead, _ = f.GetDuration("lead")
	o.Training, _ = f.GetDuration("training")
	o.Seed, _ = f.GetUint64("seed")
	o.Rounds, _ = f.GetInt("rounds")
	o.CPUProfile, _ = f.GetString("cpuprofile")
	o.HistoryDir, _ = f.GetString("history-out")
	o.ProfilePhase, _ = f.GetString("profile-phase")
	o.Server.HistoryShards, _ = f.GetInt32("history-shards")
	o.Server.SQLiteMaxConns, _ = f.GetInt("sqlite-max-conns")
	o.Server.NoGRPCCompression, _ = f.GetBool("no-grpc-compression")
	runs, _ := f.GetInt("runs")
	pragmas, _ := f.GetStringArray("sqlite-pragma")
	if o.Server.SQLitePragmas, err = keyValues("--sqlite-pragma", pragmas, true); err != nil {
		return err
	}
	dyn, _ := f.GetStringArray("dynamic-config")
	kv, err := keyValues("--dynamic-config", dyn, false)
	if err != nil {
		return err
	}
	for k, v := range kv {
		if o.Server.DynamicConfig == nil {
			o.Server.DynamicConfig = map[string]any{}
		}
		o.Server.DynamicConfig[k] = dynamicValue(v)
	}
	switch o.ProfilePhase {
	case bench.PhaseImport, bench.PhaseStarts, bench.PhaseEngine, bench.PhaseJourneys, bench.PhaseAll:
	default:
		return fmt.Errorf("--profile-phase must be import, starts, engine, journeys or all, got %q", o.ProfilePhase)
	}

	var reps []*bench.Report
	for i := range max(runs, 1) {
		if runs > 1 {
			fmt.Fprintf(cmd.ErrOrStderr(), "bench: run %d of %d\n", i+1, runs)
		}
		rep, err := benchOnce(cmd, o)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
		o.CPUProfile = "" // the first run's profile; a later run would overwrite it
		if format == "table" {
			if err := rep.WriteTable(cmd.OutOrStdout()); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout())
		}
	}
	if format == "json" {
		if runs <= 1 {
			return printJSON(cmd.OutOrStdout(), reps[0])
		}
		return printJSON(cmd.OutOrStdout(), struct {
			Runs    []*bench.Report `json:"runs"`
			Summary bench.Summary   `json:"summary"`
		}{reps, bench.Summarise(reps)})
	}
	if runs > 1 {
		return bench.Summarise(reps).WriteTable(cmd.OutOrStdout())
	}
	return nil
}

// benchOnce runs the benchmark on a fresh database and a fresh embedded server.
func benchOnce(cmd *cobra.Command, o bench.Options) (*bench.Report, error) {
	c, err := loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	c.Log.Level = "warn"
	logger := app.NewLogger(c.Log, os.Stderr)
	o.Logger = logger
	ctx := cmd.Context()
	pgDir, err := os.MkdirTemp("", "kompeten-bench-pg-*")
	if err != nil {
		return nil, fmt.Errorf("create directory for a private PostgreSQL: %w", err)
	}
	defer os.RemoveAll(pgDir)
	server, stopPG, err := bench.Server(ctx, c.Database.URL, pgDir, logger)
	if err != nil {
		return nil, err
	}
	defer stopPG(context.Background())
	dbURL, drop, err := bench.FreshDatabase(ctx, server)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := drop(context.Background()); err != nil {
			logger.Warn("bench: database left behind", "error", err)
		}
	}()
	return bench.Run(ctx, c, dbURL, o)
}

// keyValues parses KEY=VALUE flags; allowEmpty accepts KEY= (to drop a default).
func keyValues(flag string, in []string, allowEmpty bool) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, s := range in {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" || (!allowEmpty && v == "") {
			return nil, fmt.Errorf("%s: want KEY=VALUE, got %q", flag, s)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

// dynamicValue reads a dynamic config value as the server expects it: a number, a boolean, a
// duration, or else text.
func dynamicValue(v string) any {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return f
	}
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	if d, err := time.ParseDuration(v); err == nil {
		return d
	}
	return v
}
