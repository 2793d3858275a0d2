package simulator

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// nextMessageNumber takes the next message number of a messaging simulator.
func nextMessageNumber(ctx context.Context, pool *pgxpool.Pool, sim string) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var err error
		n, err = next(ctx, tx, sim+"/message")
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s simulator: number a message: %w", sim, err)
	}
	return n, nil
}

// save writes an accepted message to sim_messages; the caller holds o.mu.
func (o *outbox) save(m OutboxMessage) error {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	var key *string
	if m.Key != "" {
		key = &m.Key
	}
	params := m.Params
	if params == nil {
		params = []string{}
	}
	_, err := o.pool.Exec(ctx, `
INSERT INTO sim_messages (sim, id, idem_key, recipient, template, params, body, status, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, o.sim, m.ID, key, m.To, m.Template, params, m.Text, m.Status, m.At)
	if err != nil {
		return fmt.Errorf("%s simulator: save message: %w", o.sim, err)
	}
	return nil
}

// load reads the stored outbox: a restarted simulator still dedupes and shows what it sent.
func (o *outbox) load(ctx context.Context, pool *pgxpool.Pool) error {
	rows, err := pool.Query(ctx, `
SELECT id, COALESCE(idem_key, ''), recipient, template, params, body, status, created_at
FROM sim_messages WHERE sim = $1 ORDER BY created_at, id`, o.sim)
	if err != nil {
		return fmt.Errorf("%s simulator: load outbox: %w", o.sim, err)
	}
	msgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMessage, error) {
		var m OutboxMessage
		err := r.Scan(&m.ID, &m.Key, &m.To, &m.Template, &m.Params, &m.Text, &m.Status, &m.At)
		return m, err
	})
	if err != nil {
		return fmt.Errorf("%s simulator: load outbox: %w", o.sim, err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = msgs
	for i, m := range msgs {
		if m.Key != "" && o.sim == "sms" {
			o.byKey[m.Key] = i
		}
	}
	o.pool = pool
	return o.open(ctx, &persistence{pool: pool, name: o.sim})
}
