package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoCertificate is returned when a case to revoke the certificate of holds none.
var ErrNoCertificate = errors.New("the case holds no certificate")

// ErrAlreadyRevoked is returned, wrapped in an *AlreadyRevokedError, when a case's certificate
// was revoked before.
var ErrAlreadyRevoked = errors.New("certificate already revoked")

// AlreadyRevokedError says when a certificate was revoked, so that a second revocation can be
// answered with the date of the first.
type AlreadyRevokedError struct {
	Number    string
	RevokedAt time.Time
}

func (e *AlreadyRevokedError) Error() string {
	return fmt.Sprintf("certificate %s was revoked on %s", e.Number, e.RevokedAt.UTC().Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrAlreadyRevoked) hold.
func (e *AlreadyRevokedError) Unwrap() error { return ErrAlreadyRevoked }

// RevokeCaseCertificate marks the certificate of case caseID revoked at at and returns its
// number. It is one conditional UPDATE, so two revocations racing revoke once: the loser gets
// an *AlreadyRevokedError with the first one's time. ErrNotFound for an unknown case,
// ErrNoCertificate for a case without a certificate number.
func (s *Store) RevokeCaseCertificate(ctx context.Context, caseID string, at time.Time) (string, error) {
	var number string
	err := s.pool.QueryRow(ctx, `UPDATE cases SET certificate_revoked_at = $2
WHERE case_id = $1 AND certificate_no <> '' AND certificate_revoked_at IS NULL
RETURNING certificate_no`, caseID, at).Scan(&number)
	if err == nil {
		return number, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("revoke the certificate of case %s: %w", caseID, err)
	}
	// Nothing updated: say why.
	var revokedAt *time.Time
	err = s.pool.QueryRow(ctx, `SELECT certificate_no, certificate_revoked_at FROM cases WHERE case_id = $1`, caseID).
		Scan(&number, &revokedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "", fmt.Errorf("revoke the certificate of case %s: %w", caseID, ErrNotFound)
	case err != nil:
		return "", fmt.Errorf("revoke the certificate of case %s: %w", caseID, err)
	case number == "":
		return "", fmt.Errorf("revoke the certificate of case %s: %w", caseID, ErrNoCertificate)
	case revokedAt != nil:
		return number, &AlreadyRevokedError{Number: number, RevokedAt: *revokedAt}
	}
	return "", fmt.Errorf("revoke the certificate of case %s: the case changed while revoking; try again", caseID)
}
