package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// ParticipantCorrection changes a participant's identity fields after a partner refused them
// (issue 16, point 5). Nil or empty fields stay as they are.
type ParticipantCorrection struct {
	// Key is the participant's key: the nik_hash the case refers to.
	Key    string
	CaseID string
	Actor  string
	Role   vocab.Role
	Note   string

	Name      *string
	BirthDate *time.Time
	// NIK and NIKHash (its keyed hash) are given together, or neither.
	NIK, NIKHash string
}

// CorrectionChange is one field a correction changed, its old and new values masked.
type CorrectionChange struct {
	Field string `json:"field"` // name, birth_date or nik
	Old   string `json:"old"`
	New   string `json:"new"`
}

// AppliedCorrection is a correction as written: what to put back should the journey refuse it.
type AppliedCorrection struct {
	ID      int64
	Changes []CorrectionChange
	// Before is the record as it was, NIK in clear: keep it in memory only.
	Before Participant
	// Alias is the corrected NIK's hash when this correction made it an alias of the key.
	Alias string
	// WasCorrected says whether the record had been corrected before.
	WasCorrected bool
}

// ErrNothingToCorrect is returned when a correction's values are the ones on record.
var ErrNothingToCorrect = errors.New("the corrected values are the ones on record; nothing changed")

// ErrNIKTaken is returned when a corrected NIK already stands for another participant's record.
var ErrNIKTaken = errors.New("NIK ini sudah tercatat untuk peserta lain · this NIK is already on record for another participant")

// CorrectParticipant writes a correction in one transaction: the participant's fields, the
// corrected NIK's alias and the audit row. The record's key never changes (see migration
// 00017), so the case, its workflow and its claims keep referring to the same person.
func (s *Store) CorrectParticipant(ctx context.Context, c ParticipantCorrection) (AppliedCorrection, error) {
	var out AppliedCorrection
	if (c.NIK == "") != (c.NIKHash == "") {
		return out, fmt.Errorf("correct participant: nik and nik hash go together: %w", ErrInvalid)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		before, corrected, err := participantForUpdate(ctx, tx, c.Key)
		if err != nil {
			return err
		}
		out.Before, out.WasCorrected = before, corrected
		after := before
		if c.Name != nil && *c.Name != before.Name {
			after.Name = *c.Name
			out.Changes = append(out.Changes, CorrectionChange{"name", MaskName(before.Name), MaskName(*c.Name)})
		}
		if c.BirthDate != nil && !dateOnly(*c.BirthDate).Equal(dateOnly(before.BirthDate)) {
			after.BirthDate = dateOnly(*c.BirthDate)
			out.Changes = append(out.Changes, CorrectionChange{"birth_date", maskDate(before.BirthDate), maskDate(after.BirthDate)})
		}
		if c.NIK != "" && c.NIK != before.NIK {
			after.NIK = c.NIK
			out.Changes = append(out.Changes, CorrectionChange{"nik", MaskNIK(before.NIK), MaskNIK(c.NIK)})
			if out.Alias, err = claimAlias(ctx, tx, c.NIKHash, c.Key); err != nil {
				return err
			}
		}
		if len(out.Changes) == 0 {
			return ErrNothingToCorrect
		}
		if _, err := tx.Exec(ctx, `
UPDATE participants SET nik = $2, name = $3, birth_date = $4, corrected_at = now(), updated_at = now()
WHERE nik_hash = $1`, c.Key, after.NIK, after.Name, nullDate(after)); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		changes, err := json.Marshal(out.Changes)
		if err != nil {
			return fmt.Errorf("encode changes: %w", err)
		}
		return tx.QueryRow(ctx, `
INSERT INTO participant_corrections (participant_hash, case_id, actor_id, actor_role, changes, note)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.Key, c.CaseID, c.Actor, string(c.Role), changes, c.Note).Scan(&out.ID)
	})
	if err != nil {
		return AppliedCorrection{}, fmt.Errorf("correct participant %s for case %s: %w", shortHash(c.Key), c.CaseID, err)
	}
	return out, nil
}

// RevertCorrection puts a record back as it was before a correction the journey refused, and
// marks the audit row reverted (it stays: the attempt happened).
func (s *Store) RevertCorrection(ctx context.Context, a AppliedCorrection) error {
	b := a.Before
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var correctedAt any // NULL again unless the record had been corrected before
		if a.WasCorrected {
			correctedAt = time.Now()
		}
		if _, err := tx.Exec(ctx, `
UPDATE participants SET nik = $2, name = $3, birth_date = $4, corrected_at = $5, updated_at = now()
WHERE nik_hash = $1`, b.NIKHash, b.NIK, b.Name, nullDate(b), correctedAt); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if a.Alias != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM participant_aliases WHERE nik_hash = $1`, a.Alias); err != nil {
				return fmt.Errorf("drop alias: %w", err)
			}
		}
		_, err := tx.Exec(ctx, `UPDATE participant_corrections SET reverted_at = now() WHERE id = $1`, a.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("revert correction %d of %s: %w", a.ID, shortHash(b.NIKHash), err)
	}
	return nil
}

// ParticipantKey is the key of the participant a NIK's hash stands for: the hash itself, or
// the record it was corrected into.
func (s *Store) ParticipantKey(ctx context.Context, nikHash string) (string, error) {
	var key string
	err := s.pool.QueryRow(ctx, `SELECT participant_hash FROM participant_aliases WHERE nik_hash = $1`, nikHash).Scan(&key)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nikHash, nil
	case err != nil:
		return "", fmt.Errorf("resolve participant %s: %w", shortHash(nikHash), err)
	}
	return key, nil
}

// CorrectionRecord is one audit row of a correction.
type CorrectionRecord struct {
	ID       int64              `json:"id"`
	CaseID   string             `json:"case_id"`
	Actor    string             `json:"actor_id"`
	Role     vocab.Role         `json:"actor_role"`
	Changes  []CorrectionChange `json:"changes"`
	Note     string             `json:"note,omitempty"`
	At       time.Time          `json:"at"`
	Reverted *time.Time         `json:"reverted_at,omitempty"`
}

// CorrectionsOf lists the corrections made through a case, oldest first.
func (s *Store) CorrectionsOf(ctx context.Context, caseID string) ([]CorrectionRecord, error) {
	rows, err := s.pool.Query(ctx, `
SELECT id, case_id, actor_id, actor_role, changes, note, at, reverted_at
FROM participant_corrections WHERE case_id = $1 ORDER BY at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("corrections of %s: %w", caseID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CorrectionRecord, error) {
		var r CorrectionRecord
		var role string
		err := row.Scan(&r.ID, &r.CaseID, &r.Actor, &role, &r.Changes, &r.Note, &r.At, &r.Reverted)
		r.Role = vocab.Role(role)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("corrections of %s: %w", caseID, err)
	}
	return out, nil
}

// participantForUpdate reads and locks a participant's record: two corrections of one person
// go one after the other.
func participantForUpdate(ctx context.Context, tx pgx.Tx, key string) (Participant, bool, error) {
	p := Participant{NIKHash: key}
	var birth, correctedAt *time.Time
	err := tx.QueryRow(ctx, `SELECT nik, name, birth_date, corrected_at FROM participants WHERE nik_hash = $1 FOR UPDATE`, key).
		Scan(&p.NIK, &p.Name, &birth, &correctedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, false, ErrNotFound
	}
	if err != nil {
		return p, false, fmt.Errorf("read: %w", err)
	}
	if birth != nil {
		p.BirthDate = *birth
	}
	return p, correctedAt != nil, nil
}

// claimAlias makes hash stand for the record key. It returns the alias it added ("" when the
// hash is the key itself or was its alias already), or ErrNIKTaken when the hash is another
// record's key or alias: merging two records is not a correction.
func claimAlias(ctx context.Context, tx pgx.Tx, hash, key string) (string, error) {
	if hash == key {
		return "", nil
	}
	var other bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participants WHERE nik_hash = $1)`, hash).Scan(&other); err != nil {
		return "", fmt.Errorf("check nik: %w", err)
	}
	if other {
		return "", ErrNIKTaken
	}
	var holder string
	err := tx.QueryRow(ctx, `SELECT participant_hash FROM participant_aliases WHERE nik_hash = $1`, hash).Scan(&holder)
	switch {
	case err == nil && holder == key:
		return "", nil // corrected to this NIK before
	case err == nil:
		return "", ErrNIKTaken
	case !errors.Is(err, pgx.ErrNoRows):
		return "", fmt.Errorf("check alias: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO participant_aliases (nik_hash, participant_hash) VALUES ($1, $2)`, hash, key); err != nil {
		if pgCode(err) == pgUniqueViolation {
			return "", ErrNIKTaken // another correction took it meanwhile
		}
		return "", fmt.Errorf("alias: %w", err)
	}
	return hash, nil
}

// MaskName keeps the first letter of each word of a name: "Siti Nurhaliza" → "S••• N••••••••".
func MaskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r := []rune(w)
		words[i] = string(r[:1]) + strings.Repeat("•", len(r)-1)
	}
	return strings.Join(words, " ")
}

// maskDate keeps the year of a date: "••-••-2001".
func maskDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return "••-••-" + d.Format("2006")
}

// Superseded reports whether the record keyed nikHash was corrected to a NIK other than nik: an
// import of nik then is either the refused row again or another person whose NIK was typed for
// this one, which only a person can tell apart.
func (s *Store) Superseded(ctx context.Context, nikHash, nik string) (bool, error) {
	var out bool
	err := s.pool.QueryRow(ctx, `SELECT corrected_at IS NOT NULL AND nik <> $2 FROM participants WHERE nik_hash = $1`, nikHash, nik).Scan(&out)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check participant %s: %w", shortHash(nikHash), err)
	}
	return out, nil
}
