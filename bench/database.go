package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/pgcluster"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// FreshDatabase creates an empty database for one run on the PostgreSQL server at serverURL
// (any database on it; the user needs CREATEDB) and returns its URL and a function that drops
// it. A run never touches data it did not create.
func FreshDatabase(ctx context.Context, serverURL string) (string, func(context.Context) error, error) {
	raw := make([]byte, 5)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("name the benchmark database: %w", err)
	}
	name := "kompeten_bench_" + hex.EncodeToString(raw)
	if err := adminExec(ctx, serverURL, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("create benchmark database: %w", err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("parse database url: %w", err)
	}
	u.Path = "/" + name
	drop := func(ctx context.Context) error {
		if err := adminExec(ctx, serverURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop benchmark database %s: %w", name, err)
		}
		return nil
	}
	return u.String(), drop, nil
}

func adminExec(ctx context.Context, serverURL, sql string) error {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// readModel answers the benchmark's own questions about the read model, outside the API so
// that they cost the system under test nothing it would not do anyway.
type readModel struct{ pool *pgxpool.Pool }

func openReadModel(ctx context.Context, dbURL string) (*readModel, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("open read model for the benchmark: %w", err)
	}
	return &readModel{pool: pool}, nil
}

func (r *readModel) close() { r.pool.Close() }

// waiting counts the cases of a package that wait on whom.
func (r *readModel) waiting(ctx context.Context, pkg string, whom vocab.Party) (int, error) {
	var n int
	err := r.pool.QueryRow(ctx, `SELECT count(*) FROM cases WHERE package_code = $1 AND waiting_on = $2`, pkg, whom).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count cases of %s waiting on %s: %w", pkg, whom, err)
	}
	return n, nil
}

// stuckCases counts the cases among the packages with this code prefix that were ever marked
// stuck: a benchmark journey should never be.
func (r *readModel) stuckCases(ctx context.Context, prefix string) (int, error) {
	var n int
	err := r.pool.QueryRow(ctx, `SELECT count(DISTINCT e.case_id) FROM case_events e JOIN cases c USING (case_id)
		WHERE c.package_code LIKE $1 || '%' AND e.kind = 'stuck'`, prefix).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count stuck cases: %w", err)
	}
	return n, nil
}

// backendCPU returns the CPU seconds used so far by each PostgreSQL backend connected to the
// run's database (nil when PostgreSQL is not local or /proc is not readable).
func (r *readModel) backendCPU() map[int]float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := r.pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return nil
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil
	}
	out := map[int]float64{}
	for _, pid := range pids {
		if v, ok := procCPUSeconds(int(pid)); ok {
			out[int(pid)] = v
		}
	}
	return out
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not reached within %s", what, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// localServer is where a developer machine usually has PostgreSQL.
const localServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Server picks the PostgreSQL server a run creates its database on: database.url's server when
// configured, else the local one on 127.0.0.1:5432, else a private cluster in dir (stopped by
// the returned function).
func Server(ctx context.Context, configured, dir string, logger *slog.Logger) (string, func(context.Context), error) {
	if configured != "" {
		return configured, func(context.Context) {}, nil
	}
	if pgcluster.Reachable(ctx, localServer) {
		return localServer, func(context.Context) {}, nil
	}
	port, err := freeport.Find("127.0.0.1")
	if err != nil {
		return "", nil, err
	}
	cl, err := pgcluster.Start(ctx, dir, port, logger)
	if err != nil {
		return "", nil, fmt.Errorf("no PostgreSQL configured or on 127.0.0.1:5432, and a private one did not start: %w", err)
	}
	return cl.URL(), func(ctx context.Context) { _ = cl.Stop(ctx) }, nil
}
