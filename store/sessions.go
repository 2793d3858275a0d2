package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WebSession is a login session of the pages: the hash of its random ID (the cookie holds the
// ID), the hash of the API token it was opened with, and its times.
type WebSession struct {
	IDHash    []byte
	TokenHash []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateSession stores a new session, last seen at its creation, and drops the sessions that
// have ended (past their end or idle since before idleSince) so the table holds live ones only.
func (s *Store) CreateSession(ctx context.Context, ws WebSession, idleSince time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE expires_at <= $1 OR last_seen < $2`,
		ws.CreatedAt, idleSince); err != nil {
		return fmt.Errorf("drop ended sessions: %w", err)
	}
	if _, err := s.pool.Exec(ctx,
		`INSERT INTO web_sessions (id_hash, token_hash, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $3, $4)`,
		ws.IDHash, ws.TokenHash, ws.CreatedAt, ws.ExpiresAt); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// TouchSession returns the token hash of a live session and marks it seen at at. A session
// past its end or idle since before idleSince is deleted (it stays ended, whatever a clock
// does later); such a session, an ended or an unknown one is ErrNotFound.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, at, idleSince time.Time) ([]byte, error) {
	if _, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE id_hash = $1 AND (expires_at <= $2 OR last_seen < $3)`,
		idHash, at, idleSince); err != nil {
		return nil, fmt.Errorf("end idle session: %w", err)
	}
	var token []byte
	err := s.pool.QueryRow(ctx,
		`UPDATE web_sessions SET last_seen = greatest(last_seen, $2)
		 WHERE id_hash = $1 AND expires_at > $2 AND last_seen >= $3 RETURNING token_hash`,
		idHash, at, idleSince).Scan(&token)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: session (ended, idle or unknown)", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("look up session: %w", err)
	}
	return token, nil
}

// EndSession ends a session (logout). Ending one that is already gone is not an error.
func (s *Store) EndSession(ctx context.Context, idHash []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
