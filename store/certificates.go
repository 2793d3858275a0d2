package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// CertificateRecord is what the public verification page may say about a certificate: the
// scheme, the LSP, the dates, whether it was revoked, and the holder's initials only.
type CertificateRecord struct {
	Number     string
	Scheme     string
	SchemeName string
	LSP        string
	LSPName    string
	IssuedOn   *time.Time
	ExpiresOn  *time.Time
	RevokedAt  *time.Time
	Initials   string
	CaseID     string
	Trade      string
}

// CertificateByNumber finds the case whose journey was issued the certificate number; ErrNotFound
// when no case holds it.
func (s *Store) CertificateByNumber(ctx context.Context, number string) (CertificateRecord, error) {
	var r CertificateRecord
	var name string
	err := s.pool.QueryRow(ctx, `SELECT c.certificate_no, COALESCE(p.scheme, ''), COALESCE(sc.name, ''), c.lsp_code,
	COALESCE(pt.name, ''), c.certificate_issued_on, c.certificate_expires_on, c.certificate_revoked_at,
	COALESCE(pa.name, ''), c.case_id, COALESCE(p.trade, '')
FROM cases c
LEFT JOIN training_packages p ON p.code = c.package_code
LEFT JOIN schemes sc ON sc.code = p.scheme
LEFT JOIN partners pt ON pt.code = c.lsp_code
LEFT JOIN participants pa ON pa.nik_hash = c.nik_hash
WHERE c.certificate_no = $1 AND c.certificate_no <> ''
ORDER BY c.updated_at DESC LIMIT 1`, number).Scan(&r.Number, &r.Scheme, &r.SchemeName, &r.LSP, &r.LSPName,
		&r.IssuedOn, &r.ExpiresOn, &r.RevokedAt, &name, &r.CaseID, &r.Trade)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("certificate: %w", ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("certificate: %w", err)
	}
	r.Initials = Initials(name)
	return r, nil
}

// RevokeCertificate marks a certificate revoked (the LSP withdrew it); the verification page then
// says so. ErrNotFound when no case holds the number.
func (s *Store) RevokeCertificate(ctx context.Context, number string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE cases SET certificate_revoked_at = $2 WHERE certificate_no = $1 AND certificate_no <> ''`, number, at)
	if err != nil {
		return fmt.Errorf("revoke certificate: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke certificate: %w", ErrNotFound)
	}
	return nil
}

// Initials are the first letters of a name's words, with dots ("Siti Nur Aisyah" → "S. N. A."):
// all the verification page shows of a holder.
func Initials(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		parts = append(parts, strings.ToUpper(string(r[0]))+".")
	}
	return strings.Join(parts, " ")
}
