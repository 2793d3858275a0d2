package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrInvalid is returned when a write refers to a row that does not exist (an unknown centre or
// LSP) or breaks a rule the schema enforces (end before start, negative capacity).
var ErrInvalid = errors.New("invalid")

// PostgreSQL error codes the store maps onto its own errors.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
)

// pgCode returns the SQLSTATE of err, or "" when err is not a server error.
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// pgConstraint returns the name of the constraint err violated, or "".
func pgConstraint(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
