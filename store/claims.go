package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// NumberKind is the kind of partner number a claim is for.
type NumberKind string

// The partner numbers that belong to one person each.
const (
	// NumberKPJ is a BPJS Ketenagakerjaan membership number.
	NumberKPJ NumberKind = "kpj"
	// NumberCertificate is a competency certificate number from an LSP.
	NumberCertificate NumberKind = "certificate"
)

// NumberClaim says which person (and which of their cases, the first to claim it) a partner
// number belongs to.
type NumberClaim struct {
	Kind      NumberKind `json:"kind"`
	Number    string     `json:"number"`
	NIKHash   string     `json:"-"`
	CaseID    string     `json:"case_id"`
	ClaimedAt time.Time  `json:"claimed_at"`
}

// Conflicts reports whether holder, the claim that holds the number, belongs to another person
// than c: the number cannot be c's.
func (c NumberClaim) Conflicts(holder NumberClaim) bool { return holder.NIKHash != c.NIKHash }

// ClaimNumber gives c.Number to c's person unless it already belongs to someone, and returns the
// claim that holds the number afterwards: c itself when it was free, the earlier claim otherwise.
// An earlier claim of the same person (a retried activity, or the same trainee in a second
// package keeping their KPJ) is no conflict; another person's is (c.Conflicts). Of two people
// claiming one number at once exactly one gets it: the primary key decides, and the loser's
// insert waits for the winner's and then reads its claim.
func (s *Store) ClaimNumber(ctx context.Context, c NumberClaim) (NumberClaim, error) {
	if c.Kind == "" || c.Number == "" || c.NIKHash == "" || c.CaseID == "" {
		return NumberClaim{}, fmt.Errorf("claim number: kind, number, person and case are required: %w", ErrInvalid)
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO number_claims (kind, number, nik_hash, case_id) VALUES ($1, $2, $3, $4)
ON CONFLICT (kind, number) DO NOTHING`, c.Kind, c.Number, c.NIKHash, c.CaseID)
	if pgCode(err) == pgCheckViolation {
		return NumberClaim{}, fmt.Errorf("claim %s %s for case %s: %w", c.Kind, c.Number, c.CaseID, ErrInvalid)
	}
	if err != nil {
		return NumberClaim{}, fmt.Errorf("claim %s %s for case %s: %w", c.Kind, c.Number, c.CaseID, err)
	}
	// A statement of its own: under READ COMMITTED it sees the claim that won, also one
	// committed by a concurrent transaction after the insert above began.
	holder, err := s.NumberHolder(ctx, c.Kind, c.Number)
	if err != nil {
		return NumberClaim{}, fmt.Errorf("claim %s %s for case %s: %w", c.Kind, c.Number, c.CaseID, err)
	}
	return holder, nil
}

// NumberHolder returns the claim on a number, or ErrNotFound when nobody has claimed it.
func (s *Store) NumberHolder(ctx context.Context, kind NumberKind, number string) (NumberClaim, error) {
	var h NumberClaim
	err := s.pool.QueryRow(ctx, `
SELECT kind, number, nik_hash, case_id, claimed_at FROM number_claims WHERE kind = $1 AND number = $2`,
		kind, number).Scan(&h.Kind, &h.Number, &h.NIKHash, &h.CaseID, &h.ClaimedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return NumberClaim{}, fmt.Errorf("holder of %s %s: %w", kind, number, ErrNotFound)
	}
	if err != nil {
		return NumberClaim{}, fmt.Errorf("holder of %s %s: %w", kind, number, err)
	}
	return h, nil
}

// NumberConflict is a case whose read-model row shows a number that belongs to another person.
type NumberConflict struct {
	Kind   NumberKind `json:"kind"`
	Number string     `json:"number"`
	// HolderCaseID is the case whose person the number belongs to.
	HolderCaseID string `json:"holder_case_id"`
	// CaseID is the case that shows the number too.
	CaseID string `json:"case_id"`
}

// NumberConflicts lists the cases showing a number that belongs to another person: duplicates
// written before numbers were claimed, or by journeys of older revisions.
func (s *Store) NumberConflicts(ctx context.Context) ([]NumberConflict, error) {
	rows, err := s.pool.Query(ctx, `
SELECT kind, number, holder_case_id, case_id FROM number_conflicts ORDER BY kind, number, case_id`)
	if err != nil {
		return nil, fmt.Errorf("number conflicts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (NumberConflict, error) {
		var c NumberConflict
		err := row.Scan(&c.Kind, &c.Number, &c.HolderCaseID, &c.CaseID)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("number conflicts: %w", err)
	}
	return out, nil
}
