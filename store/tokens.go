package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// Token is an API token's record; the token itself is never stored, only its hash.
type Token struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Role      vocab.Role `json:"role"`
	Scopes    []string   `json:"scopes"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// CreateToken stores a token's hash with its name, role and scopes. A live token or a login
// account with the same name is ErrExists: the name is the actor id in every case log, so it must say who acted.
func (s *Store) CreateToken(ctx context.Context, name string, role vocab.Role, scopes []string, hash []byte) (Token, error) {
	if scopes == nil {
		scopes = []string{}
	}
	t := Token{Name: name, Role: role, Scopes: scopes}
	err := s.pool.QueryRow(ctx,
		`INSERT INTO api_tokens (name, role, scopes, hash)
		 SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE username = $1)
		 RETURNING id, created_at`,
		name, role, scopes, hash).Scan(&t.ID, &t.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, fmt.Errorf("%w: a login account is named %q; the name is the actor id in case logs, so it must say who acted", ErrExists, name)
	}
	switch pgCode(err) {
	case "":
	case pgUniqueViolation:
		return Token{}, fmt.Errorf("%w: a live token named %q already exists; revoke it first", ErrExists, name)
	case pgCheckViolation:
		return Token{}, fmt.Errorf("%w: token %q: unknown role %q or empty name", ErrInvalid, name, role)
	default:
		return Token{}, fmt.Errorf("create token %q: %w", name, err)
	}
	return t, nil
}

// TokenByHash returns the live token with this hash, or ErrNotFound (unknown or revoked).
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (Token, error) {
	var t Token
	err := s.pool.QueryRow(ctx,
		`SELECT id, name, role, scopes, created_at FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`,
		hash).Scan(&t.ID, &t.Name, &t.Role, &t.Scopes, &t.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, fmt.Errorf("%w: token", ErrNotFound)
	}
	if err != nil {
		return Token{}, fmt.Errorf("look up token: %w", err)
	}
	return t, nil
}

// ListTokens returns every token, live ones first, newest first.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT id, name, role, scopes, created_at, revoked_at FROM api_tokens
		 ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) {
		var t Token
		err := r.Scan(&t.ID, &t.Name, &t.Role, &t.Scopes, &t.CreatedAt, &t.RevokedAt)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken revokes the live token named name and ends the pages' sessions opened with it;
// ErrNotFound when there is none. (A session also checks its token on every request, so a
// session of a revoked token could not be used even if its row stayed.)
func (s *Store) RevokeToken(ctx context.Context, name string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("revoke token %q: %w", name, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	var hash []byte
	err = tx.QueryRow(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING hash`, name).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: no live token named %q", ErrNotFound, name)
	}
	if err != nil {
		return fmt.Errorf("revoke token %q: %w", name, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM web_sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("revoke token %q: end its sessions: %w", name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("revoke token %q: %w", name, err)
	}
	return nil
}
