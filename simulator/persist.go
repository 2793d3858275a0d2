package simulator

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// writeTimeout bounds one write of a simulator's state. A write runs to its end even when the
// caller hangs up: half the state written would be worse than a slow answer.
const writeTimeout = 10 * time.Second

// persistence writes a simulator's state to its sim_ tables (store/migrations 00008) and reads
// it back at start. A simulator without one (nil) keeps its state in memory only.
//
// The simulator keeps answering from memory; every change is written here first, in one
// transaction, and memory changes only once it is committed, so what a restarted simulator
// loads is exactly what it had answered. Numbers are taken from sim_counters in the transaction
// that uses them, so they stay unique across restarts, and the tables' keys refuse a second
// registration, assessment or certificate under one idempotency key. One simulator process per
// database: a second one would not see the first one's answers in its memory.
type persistence struct {
	pool *pgxpool.Pool
	name string // "bpjs" or "lsp/<CODE>": the simulator's rows among the others
}

// tx runs fn in a transaction with its own deadline.
func (p *persistence) tx(what string, fn func(ctx context.Context, tx pgx.Tx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error { return fn(ctx, tx) }); err != nil {
		return fmt.Errorf("%s simulator: %s: %w", p.name, what, err)
	}
	return nil
}

// next takes the next value of a counter (1 for a new one) in tx.
func next(ctx context.Context, tx pgx.Tx, counter string) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `
INSERT INTO sim_counters (name, value) VALUES ($1, 1)
ON CONFLICT (name) DO UPDATE SET value = sim_counters.value + 1
RETURNING value`, counter).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next number of %s: %w", counter, err)
	}
	return n, nil
}

// counter reads a counter's current value (0 when none was taken yet).
func counter(ctx context.Context, pool *pgxpool.Pool, name string) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT COALESCE((SELECT value FROM sim_counters WHERE name = $1), 0)`, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	return n, nil
}

// loadOutages reads the outages started at run time that have not ended yet.
func (p *persistence) loadOutages(ctx context.Context, now time.Time) ([]Window, error) {
	rows, err := p.pool.Query(ctx, `SELECT starts_at, ends_at FROM sim_outages WHERE sim = $1 AND ends_at > $2 ORDER BY starts_at`, p.name, now)
	if err != nil {
		return nil, fmt.Errorf("%s simulator: load outages: %w", p.name, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Window, error) {
		var w Window
		err := row.Scan(&w.Start, &w.End)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s simulator: load outages: %w", p.name, err)
	}
	return out, nil
}

// saveOutage records an outage started at run time.
func (p *persistence) saveOutage(w Window) error {
	return p.tx("save outage", func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO sim_outages (sim, starts_at, ends_at) VALUES ($1, $2, $3)`, p.name, w.Start, w.End)
		return err
	})
}

// endOutages ends the stored outages active at now.
func (p *persistence) endOutages(now time.Time) error {
	return p.tx("end outages", func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sim_outages SET ends_at = $2 WHERE sim = $1 AND starts_at <= $2 AND ends_at > $2`, p.name, now)
		return err
	})
}
