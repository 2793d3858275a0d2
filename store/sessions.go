package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WebSession is a login session of the pages: the hash of its random ID (the cookie holds the
// ID), what it was opened with (the hash of an API token, or an account by password: exactly
// one of TokenHash and AccountID), and its times.
type WebSession struct {
	IDHash    []byte
	TokenHash []byte
	// AccountID is the account of a session opened with a password; 0 for a token's session.
	AccountID int64
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
	var account *int64
	if ws.AccountID != 0 {
		account = &ws.AccountID
	}
	if _, err := s.pool.Exec(ctx,
		`INSERT INTO web_sessions (id_hash, token_hash, account_id, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
		ws.IDHash, ws.TokenHash, account, ws.CreatedAt, ws.ExpiresAt); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// TouchSession returns what a live session was opened with (its token hash or its account)
// and marks it seen at at. A session past its end or idle since before idleSince is deleted
// (it stays ended, whatever a clock does later); such a session, an ended or an unknown one is
// ErrNotFound.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, at, idleSince time.Time) (WebSession, error) {
	if _, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE id_hash = $1 AND (expires_at <= $2 OR last_seen < $3)`,
		idHash, at, idleSince); err != nil {
		return WebSession{}, fmt.Errorf("end idle session: %w", err)
	}
	ws := WebSession{IDHash: idHash}
	var account *int64
	err := s.pool.QueryRow(ctx,
		`UPDATE web_sessions SET last_seen = greatest(last_seen, $2)
		 WHERE id_hash = $1 AND expires_at > $2 AND last_seen >= $3 RETURNING token_hash, account_id, created_at, expires_at`,
		idHash, at, idleSince).Scan(&ws.TokenHash, &account, &ws.CreatedAt, &ws.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return WebSession{}, fmt.Errorf("%w: session (ended, idle or unknown)", ErrNotFound)
	}
	if err != nil {
		return WebSession{}, fmt.Errorf("look up session: %w", err)
	}
	if account != nil {
		ws.AccountID = *account
	}
	return ws, nil
}

// EndSession ends a session (logout). Ending one that is already gone is not an error.
func (s *Store) EndSession(ctx context.Context, idHash []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
