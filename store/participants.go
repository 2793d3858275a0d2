package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// UpsertParticipant creates or replaces a person's identity record, keyed by NIK hash. A record
// corrected after a partner refused it (CorrectParticipant) keeps its corrected NIK, name and
// birth date: the same spreadsheet imported again must not bring the refused data back. Error
// messages name neither the NIK nor the person: they end up in logs.
func (s *Store) UpsertParticipant(ctx context.Context, p Participant) error {
	if p.NIKHash == "" || p.NIK == "" {
		return fmt.Errorf("upsert participant: nik and nik hash are required: %w", ErrInvalid)
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO participants (nik_hash, nik, name, sex, birth_place, birth_date, phone, email, education, address, message_consent)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (nik_hash) DO UPDATE
SET nik = CASE WHEN participants.corrected_at IS NULL THEN EXCLUDED.nik ELSE participants.nik END,
    name = CASE WHEN participants.corrected_at IS NULL THEN EXCLUDED.name ELSE participants.name END,
    sex = EXCLUDED.sex, birth_place = EXCLUDED.birth_place,
    birth_date = CASE WHEN participants.corrected_at IS NULL THEN EXCLUDED.birth_date ELSE participants.birth_date END, phone = EXCLUDED.phone, email = EXCLUDED.email,
    education = EXCLUDED.education, address = EXCLUDED.address, message_consent = EXCLUDED.message_consent,
    updated_at = now()`,
		p.NIKHash, p.NIK, p.Name, p.Sex, p.BirthPlace, nullDate(p), p.Phone, p.Email, p.Education, p.Address, p.MessageConsent)
	if err != nil {
		return fmt.Errorf("upsert participant %s: %w", shortHash(p.NIKHash), err)
	}
	return nil
}

// GetParticipant returns the identity record for a NIK hash, or ErrNotFound.
func (s *Store) GetParticipant(ctx context.Context, nikHash string) (Participant, error) {
	var p Participant
	var birth *time.Time // NULL when unknown
	err := s.pool.QueryRow(ctx, `
SELECT nik_hash, nik, name, sex, birth_place, birth_date, phone, email, education, address,
       message_consent AND message_stopped_at IS NULL
FROM participants WHERE nik_hash = $1`, nikHash).Scan(
		&p.NIKHash, &p.NIK, &p.Name, &p.Sex, &p.BirthPlace, &birth,
		&p.Phone, &p.Email, &p.Education, &p.Address, &p.MessageConsent)
	if errors.Is(err, pgx.ErrNoRows) {
		return Participant{}, fmt.Errorf("get participant %s: %w", shortHash(nikHash), ErrNotFound)
	}
	if err != nil {
		return Participant{}, fmt.Errorf("get participant %s: %w", shortHash(nikHash), err)
	}
	if birth != nil {
		p.BirthDate = *birth
	}
	return p, nil
}

func nullDate(p Participant) *time.Time {
	if p.BirthDate.IsZero() {
		return nil
	}
	d := dateOnly(p.BirthDate)
	return &d
}

// shortHash keeps error messages traceable without spilling a whole identifier into logs.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
