package clusterbench

import (
	"io"
	"log/slog"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/tcluster"
)

// Options shape a run.
type Options struct {
	// N is how many journeys are imported and left open.
	N int
	// Step is how many are imported between two measurements (the last step may be smaller,
	// and one step of N when Step is larger).
	Step int
	// Nodes and Shards are the Temporal cluster's server nodes and history shards.
	Nodes, Shards int
	// PGConns is each server service's persistence pool, all kept open (idle = max); the
	// visibility pool is a third of it, at least 2.
	PGConns int
	// Workers is how many `kompeten worker` processes run.
	Workers int
	// StickyCacheSize is each worker's Temporal sticky workflow cache (0: the SDK's default).
	StickyCacheSize int
	// StepApprovals is how many enrolments are approved through the API after each step, and
	// FinalApprovals after the last one, at ApprovalRate per second.
	StepApprovals, FinalApprovals int
	ApprovalRate                  float64
	// Postgres is a superuser's URL on the PostgreSQL server's maintenance database.
	Postgres string
	// Binary is the kompeten executable run as serve, worker, simulate, import and the rest.
	Binary string
	// Cache is where the Temporal server build is kept (tcluster.DefaultCacheDir).
	Cache string
	// Dir holds the configuration, the cohort files and every process's log.
	Dir string
	// Keep leaves the cluster's and kompeten's databases in place at the end.
	Keep bool
	// Seed seeds the generated people (0: from the clock).
	Seed uint64
	// Progress receives a line per step as the run goes; Logger the run's own warnings.
	Progress io.Writer
	Logger   *slog.Logger
}

// DefaultOptions are the settings of the recorded run but its size.
func DefaultOptions() Options { return Options{}.withDefaults() }

func (o Options) withDefaults() Options {
	if o.N == 0 {
		o.N = 2000
	}
	if o.Step == 0 {
		o.Step = 10000
	}
	if o.Nodes == 0 {
		o.Nodes = 2
	}
	if o.Shards == 0 {
		o.Shards = 16
	}
	if o.PGConns == 0 {
		o.PGConns = 10
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	if o.StepApprovals == 0 {
		o.StepApprovals = 50
	}
	if o.FinalApprovals == 0 {
		o.FinalApprovals = 200
	}
	if o.ApprovalRate == 0 {
		o.ApprovalRate = 5
	}
	if o.Postgres == "" {
		o.Postgres = tcluster.DefaultPostgresURL
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// noProgress is how long a step may go without one more journey reaching its wait before the
// run gives up.
const noProgress = 5 * time.Minute
