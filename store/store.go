// Package store is the PostgreSQL side of kompeten: master data (centres, partners, MoUs,
// training packages, participants) and the read model of cases with their event log. Temporal
// stays the source of truth for a case; the read model serves lists, reports and stuck queries.
package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Store wraps a pgx connection pool; all methods are safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to the database at url and checks it answers. It does not migrate: call Migrate
// first. Errors never repeat the URL, which may carry a password.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: parse database url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: ping: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close releases all connections.
func (s *Store) Close() { s.pool.Close() }

// Ping checks the database answers; used by health checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Pool exposes the pool for callers that need their own queries (reports, tests).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }
