package bench

import (
	"io"
	"log/slog"
	"time"
)

// Options shape one run. Zero values take the defaults in withDefaults.
type Options struct {
	// N journeys are imported (start rate), then stay open waiting on people (memory, latency).
	N int
	// Journeys are driven from enrolment to a closed outcome (throughput); 0 means N.
	Journeys int
	// Concurrency is how many starts are in flight at once, for the import and for the raw starts.
	Concurrency int
	// InFlight is how many journeys (and same-shape workflows) are open at once while throughput
	// is measured: enough to keep the machine busy, few enough that no cohort misses its start.
	InFlight int
	// CohortSize is the people per package in the throughput phase (a package's capacity).
	CohortSize int
	// Approvals are sent in the latency phase, at ApprovalRate per second.
	Approvals    int
	ApprovalRate float64
	// PollInterval is how often the benchmark's people look at their case lists.
	PollInterval time.Duration
	// Lead is the least time from creating a package to its first training day; it grows when
	// cohorts take longer to get insured, so no journey starts training uninsured.
	Lead time.Duration
	// Training is the length of a package.
	Training time.Duration
	// ResultPoll is how often a journey asks the LSP for its result (journey.result_poll_interval):
	// a poll may take at most this long, so it must cover a busy worker's delay.
	ResultPoll time.Duration
	// Rounds split the start-rate comparison into alternating parts (engine, import, engine,
	// import …), so that load from elsewhere on a shared machine falls on both sides alike.
	Rounds int
	// Seed makes the generated people repeatable.
	Seed uint64

	// CPUProfile, when set, receives a CPU profile of ProfilePhase (import, starts, engine,
	// journeys or all).
	CPUProfile   string
	ProfilePhase string

	// HistoryDir, when set, receives one journey's and one same-shape workflow's history as JSON.
	HistoryDir string

	// Server tunes the embedded Temporal server.
	Server ServerOptions

	// Logger receives warnings; Progress, when set, one line per phase.
	Logger   *slog.Logger
	Progress io.Writer
}

// ServerOptions tune the embedded server and the connection to it; zero values keep the
// defaults of devserver and temporalclient.
type ServerOptions struct {
	// NoGRPCCompression turns off the SDK's gzip of requests (and so of answers) on loopback.
	NoGRPCCompression bool
	HistoryShards     int32
	DynamicConfig     map[string]any
	SQLitePragmas     map[string]string
	SQLiteMaxConns    int
}

// Profile phases: the import and the raw starts (their first round), the same-shape workflows,
// the journeys, or the whole run.
const (
	PhaseImport   = "import"
	PhaseStarts   = "starts"
	PhaseEngine   = "engine"
	PhaseJourneys = "journeys"
	PhaseAll      = "all"
)

// DefaultOptions are the settings a run uses for anything not given.
func DefaultOptions() Options { return Options{}.withDefaults() }

func (o Options) withDefaults() Options {
	if o.N <= 0 {
		o.N = 1000
	}
	if o.Journeys <= 0 {
		o.Journeys = o.N
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.CohortSize <= 0 {
		o.CohortSize = 16
	}
	if o.InFlight <= 0 {
		o.InFlight = 128
	}
	if o.InFlight < o.CohortSize {
		o.InFlight = o.CohortSize
	}
	if o.Approvals <= 0 {
		o.Approvals = 400
	}
	o.Approvals = min(o.Approvals, o.N)
	if o.ApprovalRate <= 0 {
		o.ApprovalRate = 5
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Lead <= 0 {
		o.Lead = 10 * time.Second
	}
	if o.Training <= 0 {
		o.Training = 3 * time.Second
	}
	if o.ResultPoll <= 0 {
		o.ResultPoll = 2 * time.Second
	}
	if o.Rounds <= 0 {
		o.Rounds = 2
	}
	o.Rounds = min(o.Rounds, o.N)
	if o.Seed == 0 {
		o.Seed = uint64(time.Now().UnixNano())
	}
	if o.ProfilePhase == "" {
		o.ProfilePhase = PhaseJourneys
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}
