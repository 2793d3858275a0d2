package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// coversSQL holds when agreement m covers @centre and @scheme on @day: active (or expiring),
// the day inside its validity and before an early termination, the scope matching (an empty
// array means all; an empty argument is not checked), and for a PKS the same of its MoU, so a
// PKS never covers beyond its MoU even while its own row has not caught up yet.
const coversSQL = `
m.status IN ('active', 'expiring') AND m.valid_from <= @day AND m.valid_until >= @day
AND (m.terminated_on IS NULL OR m.terminated_on > @day)
AND (@centre = '' OR cardinality(m.centres) = 0 OR @centre = ANY (m.centres))
AND (@scheme = '' OR cardinality(m.schemes) = 0 OR @scheme = ANY (m.schemes))
AND (m.parent_number IS NULL OR EXISTS (
	SELECT 1 FROM mous p WHERE p.number = m.parent_number
	AND p.status IN ('active', 'expiring') AND p.valid_from <= @day AND p.valid_until >= @day
	AND (p.terminated_on IS NULL OR p.terminated_on > @day)
	AND (@centre = '' OR cardinality(p.centres) = 0 OR @centre = ANY (p.centres))
	AND (@scheme = '' OR cardinality(p.schemes) = 0 OR @scheme = ANY (p.schemes))))`

// Covering answers "which active agreement lets centre use partner (for an LSP: for scheme) on
// the calendar day of on". The most specific wins: a PKS before its MoU, then the one valid
// longest. It returns ErrNotFound when none covers: a case then waits, it does not fail. Give on
// in the network's time zone: the calendar day is taken as seen in on's location.
func (s *Store) Covering(ctx context.Context, partnerCode, centre, scheme string, on time.Time) (Agreement, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+agreementColumns+` FROM mous m
WHERE m.partner_code = @partner AND `+coversSQL+`
ORDER BY (m.kind = 'pks') DESC, m.valid_until DESC, m.id DESC LIMIT 1`,
		pgx.NamedArgs{"partner": partnerCode, "centre": centre, "scheme": scheme, "day": dateOnly(on)})
	a, err := pgx.CollectExactlyOneRow(rows, scanAgreement)
	if errors.Is(err, pgx.ErrNoRows) {
		return Agreement{}, fmt.Errorf("agreement with %s for centre %q scheme %q on %s: %w",
			partnerCode, centre, scheme, on.Format(time.DateOnly), ErrNotFound)
	}
	if err != nil {
		return Agreement{}, fmt.Errorf("agreement with %s: %w", partnerCode, err)
	}
	return a, nil
}

// Certifiers answers "which LSP may assess scheme for centre on the calendar day of on": one
// covering agreement per LSP (the most specific), ordered by LSP code. None is an empty list.
func (s *Store) Certifiers(ctx context.Context, centre, scheme string, on time.Time) ([]Agreement, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (m.partner_code) `+agreementColumns+`
FROM mous m JOIN partners pa ON pa.code = m.partner_code AND pa.kind = 'certifier'
WHERE `+coversSQL+`
ORDER BY m.partner_code, (m.kind = 'pks') DESC, m.valid_until DESC, m.id DESC`,
		pgx.NamedArgs{"centre": centre, "scheme": scheme, "day": dateOnly(on)})
	if err != nil {
		return nil, fmt.Errorf("certifiers for centre %s scheme %s: %w", centre, scheme, err)
	}
	out, err := pgx.CollectRows(rows, scanAgreement)
	if err != nil {
		return nil, fmt.Errorf("certifiers for centre %s scheme %s: %w", centre, scheme, err)
	}
	return out, nil
}
