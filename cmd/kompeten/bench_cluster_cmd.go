package main

import (
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/bench/clusterbench"
	"github.com/bpvp-sidoarjo/kompeten/internal/tcluster"
)

func newBenchClusterCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Measure kompeten at scale on a two-node Temporal cluster on PostgreSQL",
		Long: `Runs the official Temporal server as a cluster on this machine (as
` + "`go run ./cmd/temporal-cluster`" + ` does: built once per version into the cache, PostgreSQL
persistence and SQL visibility) on fresh databases, with this binary as an operator runs it:
migrate, setup, token create, then simulate, serve and --workers worker processes. It imports
--n generated people with ` + "`kompeten import`" + ` in steps of --step, each into a package that starts
in three months, so every journey stays open waiting for its enrolment approval, and after each
step measures and prints:

  import rate   people started per second by the step's ` + "`kompeten import`" + `, and how long until
                every journey of the step waits for the centre admin in the read model
  approvals     --step-approvals enrolment approvals (--approvals after the last step) through
                the API at --approval-rate per second: p50/p95/p99
  memory        each worker's RSS, Go heap and Temporal sticky cache size (workflows), serve's
                and each server node's RSS
  PostgreSQL    the Temporal, visibility and kompeten databases' sizes and connections
  shards        history shards configured and used, executions on the fullest and emptiest

At the end it prints a table and the growth per 10,000 open journeys, stops every process and
the cluster and drops the databases and its temporary directory (--keep leaves them). A step that fails ends the run with
the steps measured so far. See BENCHMARKS.md for the recorded run.`,
		Example: `  kompeten bench cluster --n 2000 --step 1000
  nice -n 5 kompeten bench cluster --n 50000 --step 10000 -o json > cluster.json
  kompeten bench cluster --n 10000 --shards 64 --workers 3 --sticky-cache 20000`,
		Args: cobra.NoArgs,
		RunE: runBenchCluster,
	}
	d := clusterbench.DefaultOptions()
	f := cmd.Flags()
	f.Int("n", d.N, "journeys imported and left open")
	f.Int("step", d.Step, "journeys imported between two measurements")
	f.Int("nodes", d.Nodes, "Temporal server nodes")
	f.Int("shards", d.Shards, "history shards")
	f.Int("pg-conns", d.PGConns, "each server service's persistence connections, all kept open (visibility: a third)")
	f.Int("workers", d.Workers, "kompeten worker processes")
	f.Int("sticky-cache", 0, "each worker's sticky workflow cache size (0: the SDK's default, 10,000)")
	f.Int("step-approvals", d.StepApprovals, "enrolment approvals timed after each step")
	f.Int("approvals", d.FinalApprovals, "enrolment approvals timed after the last step")
	f.Float64("approval-rate", d.ApprovalRate, "approvals sent per second")
	f.String("postgres", "", "a superuser's URL on the PostgreSQL server's maintenance database (default: database.url's server, else "+tcluster.DefaultPostgresURL+")")
	f.String("dir", "", "configuration, cohort files and process logs, left in place (default: a temporary directory, removed at the end)")
	f.Bool("keep", false, "keep the databases at the end")
	f.Uint64("seed", 0, "seed of the generated people; 0: random")
	addOutputFlag(cmd)
	return cmd
}

func runBenchCluster(cmd *cobra.Command, _ []string) error {
	format, err := outputFormat(cmd)
	if err != nil {
		return err
	}
	f := cmd.Flags()
	o := clusterbench.Options{Progress: cmd.ErrOrStderr()}
	o.N, _ = f.GetInt("n")
	o.Step, _ = f.GetInt("step")
	o.Nodes, _ = f.GetInt("nodes")
	o.Shards, _ = f.GetInt("shards")
	o.Workers, _ = f.GetInt("workers")
	o.PGConns, _ = f.GetInt("pg-conns")
	o.StickyCacheSize, _ = f.GetInt("sticky-cache")
	o.StepApprovals, _ = f.GetInt("step-approvals")
	o.FinalApprovals, _ = f.GetInt("approvals")
	o.ApprovalRate, _ = f.GetFloat64("approval-rate")
	o.Postgres, _ = f.GetString("postgres")
	o.Dir, _ = f.GetString("dir")
	o.Keep, _ = f.GetBool("keep")
	o.Seed, _ = f.GetUint64("seed")
	if o.N <= 0 || o.Step < 0 || o.Workers < 0 || o.Nodes < 0 || o.Shards < 0 {
		return fmt.Errorf("--n must be positive and --step, --workers, --nodes, --shards not negative")
	}
	c, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	if o.Postgres == "" && c.Database.URL != "" {
		if o.Postgres, err = maintenanceURL(c.Database.URL); err != nil {
			return err
		}
	}
	c.Log.Level = "warn"
	o.Logger = app.NewLogger(c.Log, os.Stderr)
	if o.Binary, err = os.Executable(); err != nil {
		return fmt.Errorf("find this binary: %w", err)
	}
	if o.Cache, err = tcluster.DefaultCacheDir(); err != nil {
		return err
	}
	// Ctrl-C ends the run cleanly: processes and cluster stopped, databases dropped.
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, runErr := clusterbench.Run(ctx, o)
	if rep != nil && len(rep.Steps) > 0 {
		if format == "json" {
			err = printJSON(cmd.OutOrStdout(), rep)
		} else {
			err = rep.WriteTable(cmd.OutOrStdout())
		}
	}
	if runErr != nil {
		return runErr
	}
	return err
}

// maintenanceURL is the maintenance database of the server a database URL names.
func maintenanceURL(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", fmt.Errorf("database.url: %w", err)
	}
	u.Path = "/postgres"
	return u.String(), nil
}
