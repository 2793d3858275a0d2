package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Agreement is an MoU or a PKS as its workflow keeps it: the row the coverage queries read.
// Dates are calendar days (midnight UTC standing for the day in the network's time zone).
type Agreement struct {
	ID          int64      `json:"id"`
	Number      string     `json:"number"`
	Kind        string     `json:"kind"`             // agreement.KindMoU or agreement.KindPKS
	Parent      string     `json:"parent,omitempty"` // for a PKS: the MoU it implements
	PartnerCode string     `json:"partner"`
	Title       string     `json:"title,omitempty"`
	Status      string     `json:"status"`              // one of the statuses in package agreement
	SignedOn    *time.Time `json:"signed_on,omitempty"` // nil while a draft
	Signatories []string   `json:"signatories"`
	ValidFrom   time.Time  `json:"valid_from"`
	ValidUntil  time.Time  `json:"valid_until"` // last day covered
	// TerminatedOn is the first day no longer covered after an early termination.
	TerminatedOn *time.Time `json:"terminated_on,omitempty"`
	EndReason    string     `json:"end_reason,omitempty"`
	Centres      []string   `json:"centres"`    // empty = all centres
	Schemes      []string   `json:"schemes"`    // for an LSP: certification schemes; empty = all
	TestSites    []string   `json:"test_sites"` // for an LSP: test sites (TUK); empty = all
	Predecessor  string     `json:"predecessor,omitempty"`
	Successor    string     `json:"successor,omitempty"`
	Flags        []string   `json:"flags"` // sentences that need someone's attention
	Amendments   int        `json:"amendments"`
	WorkflowID   string     `json:"workflow_id,omitempty"`
	Version      int64      `json:"version"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// LastDay is the last calendar day the agreement covers: the end of validity, or the day
// before an early termination.
func (a Agreement) LastDay() time.Time {
	if a.TerminatedOn != nil && a.TerminatedOn.Before(a.ValidUntil.AddDate(0, 0, 1)) {
		return a.TerminatedOn.AddDate(0, 0, -1)
	}
	return a.ValidUntil
}

// Live reports whether the agreement covers or will cover something: not ended.
func (a Agreement) Live() bool { return agreement.Live(a.Status) }

// AgreementEvent is one entry of an agreement's event log.
type AgreementEvent struct {
	ID        int64      `json:"id"`
	Number    string     `json:"number"`
	Key       string     `json:"-"` // unique per agreement; a replayed write with the same key is ignored
	Kind      string     `json:"kind"`
	ActorID   string     `json:"actor_id,omitempty"`
	ActorRole vocab.Role `json:"actor_role,omitempty"`
	Detail    string     `json:"detail,omitempty"`
	At        time.Time  `json:"at"`
}

// AgreementFilter narrows ListAgreements; empty fields match everything.
type AgreementFilter struct {
	PartnerCode string
	Kind        string
	Parent      string
	Status      string
	// LiveOnly keeps draft, signed, active and expiring agreements.
	LiveOnly bool
}

const agreementColumns = `m.id, m.number, m.kind, COALESCE(m.parent_number, ''), m.partner_code, m.title,
	m.status, m.signed_on, m.signatories, m.valid_from, m.valid_until, m.terminated_on, m.end_reason,
	m.centres, m.schemes, m.test_sites, m.predecessor, m.successor, m.flags, m.amendments,
	m.workflow_id, m.version, m.updated_at`

func scanAgreement(row pgx.CollectableRow) (Agreement, error) {
	var a Agreement
	err := row.Scan(&a.ID, &a.Number, &a.Kind, &a.Parent, &a.PartnerCode, &a.Title, &a.Status,
		&a.SignedOn, &a.Signatories, &a.ValidFrom, &a.ValidUntil, &a.TerminatedOn, &a.EndReason,
		&a.Centres, &a.Schemes, &a.TestSites, &a.Predecessor, &a.Successor, &a.Flags, &a.Amendments,
		&a.WorkflowID, &a.Version, &a.UpdatedAt)
	return a, err
}

// GetAgreement returns one agreement by number, or ErrNotFound.
func (s *Store) GetAgreement(ctx context.Context, number string) (Agreement, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+agreementColumns+` FROM mous m WHERE m.number = $1`, number)
	a, err := pgx.CollectExactlyOneRow(rows, scanAgreement)
	if errors.Is(err, pgx.ErrNoRows) {
		return Agreement{}, fmt.Errorf("get agreement %s: %w", number, ErrNotFound)
	}
	if err != nil {
		return Agreement{}, fmt.Errorf("get agreement %s: %w", number, err)
	}
	return a, nil
}

// ListAgreements returns the agreements matching f: MoUs first, by partner and start of
// validity, each followed by nothing in particular (the caller groups PKS under their MoU).
func (s *Store) ListAgreements(ctx context.Context, f AgreementFilter) ([]Agreement, error) {
	var conds []string
	var args []any
	add := func(cond, val string) {
		if val != "" {
			args = append(args, val)
			conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
		}
	}
	add("m.partner_code = ?", f.PartnerCode)
	add("m.kind = ?", f.Kind)
	add("m.parent_number = ?", f.Parent)
	add("m.status = ?", f.Status)
	if f.LiveOnly {
		conds = append(conds, "m.status IN ('draft', 'signed', 'active', 'expiring')")
	}
	q := `SELECT ` + agreementColumns + ` FROM mous m`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY m.kind, m.partner_code, m.valid_from, m.number`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list agreements: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanAgreement)
	if err != nil {
		return nil, fmt.Errorf("list agreements: %w", err)
	}
	return out, nil
}

// CreateAgreement inserts a new agreement row (version 0) before its workflow starts, so the
// number is taken atomically and a caller sees the agreement at once. It returns ErrExists for
// a taken number and ErrInvalid for an unknown partner or parent, a bad status or kind, an
// inverted window, or a PKS without a parent.
func (s *Store) CreateAgreement(ctx context.Context, a Agreement) error {
	a = a.withDefaults()
	_, err := s.pool.Exec(ctx, `
INSERT INTO mous (number, kind, parent_number, partner_code, title, status, signed_on, signatories,
	valid_from, valid_until, terminated_on, end_reason, centres, schemes, test_sites, predecessor,
	successor, flags, amendments, workflow_id, version, updated_at)
VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
	$19, $20, $21, COALESCE($22, now()))`, a.args()...)
	return agreementWriteError("create agreement "+a.Number, err)
}

// UpsertAgreement writes an agreement's row as its workflow sees it. The write applies only when
// a.Version is at least the stored version: workflow writes may arrive late or be replayed, and
// an older state must never overwrite a newer one. A stale write is ignored without error.
func (s *Store) UpsertAgreement(ctx context.Context, a Agreement) error {
	a = a.withDefaults()
	_, err := s.pool.Exec(ctx, `
INSERT INTO mous (number, kind, parent_number, partner_code, title, status, signed_on, signatories,
	valid_from, valid_until, terminated_on, end_reason, centres, schemes, test_sites, predecessor,
	successor, flags, amendments, workflow_id, version, updated_at)
VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
	$19, $20, $21, COALESCE($22, now()))
ON CONFLICT (number) DO UPDATE SET
	kind = EXCLUDED.kind, parent_number = EXCLUDED.parent_number, partner_code = EXCLUDED.partner_code,
	title = EXCLUDED.title, status = EXCLUDED.status, signed_on = EXCLUDED.signed_on,
	signatories = EXCLUDED.signatories, valid_from = EXCLUDED.valid_from,
	valid_until = EXCLUDED.valid_until, terminated_on = EXCLUDED.terminated_on,
	end_reason = EXCLUDED.end_reason, centres = EXCLUDED.centres, schemes = EXCLUDED.schemes,
	test_sites = EXCLUDED.test_sites, predecessor = EXCLUDED.predecessor,
	successor = EXCLUDED.successor, flags = EXCLUDED.flags, amendments = EXCLUDED.amendments,
	workflow_id = EXCLUDED.workflow_id, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
WHERE mous.version <= EXCLUDED.version`, a.args()...)
	return agreementWriteError("upsert agreement "+a.Number, err)
}

// withDefaults never stores NULL arrays ("empty means all" must not depend on NULL handling) and
// keeps dates as calendar days.
func (a Agreement) withDefaults() Agreement {
	if a.Kind == "" {
		a.Kind = agreement.KindMoU
	}
	if a.Status == "" {
		a.Status = agreement.Draft
	}
	for _, p := range []*[]string{&a.Signatories, &a.Centres, &a.Schemes, &a.TestSites, &a.Flags} {
		if *p == nil {
			*p = []string{}
		}
	}
	a.ValidFrom = dateOnly(a.ValidFrom)
	a.ValidUntil = dateOnly(a.ValidUntil)
	if a.SignedOn != nil {
		d := dateOnly(*a.SignedOn)
		a.SignedOn = &d
	}
	if a.TerminatedOn != nil {
		d := dateOnly(*a.TerminatedOn)
		a.TerminatedOn = &d
	}
	return a
}

func (a Agreement) args() []any {
	return []any{a.Number, a.Kind, a.Parent, a.PartnerCode, a.Title, a.Status, a.SignedOn,
		a.Signatories, a.ValidFrom, a.ValidUntil, a.TerminatedOn, a.EndReason, a.Centres, a.Schemes,
		a.TestSites, a.Predecessor, a.Successor, a.Flags, a.Amendments, a.WorkflowID, a.Version,
		nullTime(a.UpdatedAt)}
}

func agreementWriteError(what string, err error) error {
	switch pgCode(err) {
	case "":
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	case pgUniqueViolation:
		return fmt.Errorf("%s: %w", what, ErrExists)
	case pgForeignKeyViolation:
		return fmt.Errorf("%s: unknown partner or parent MoU (%s): %w", what, pgConstraint(err), ErrInvalid)
	case pgCheckViolation:
		return fmt.Errorf("%s: rejected by %s (status, kind, validity window or PKS parent): %w", what, pgConstraint(err), ErrInvalid)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// AppendAgreementEvents adds entries to agreements' event logs. (Number, Key) makes each write
// idempotent: a retried or replayed write with the same key is ignored. Zero At means now.
func (s *Store) AppendAgreementEvents(ctx context.Context, events []AgreementEvent) error {
	if len(events) == 0 {
		return nil
	}
	batch := &pgx.Batch{}
	for _, e := range events {
		if e.Number == "" || e.Key == "" || e.Kind == "" {
			return fmt.Errorf("append agreement event: number, key and kind are required: %w", ErrInvalid)
		}
		batch.Queue(`
INSERT INTO mou_events (number, event_key, kind, actor_id, actor_role, detail, at)
VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now()))
ON CONFLICT (number, event_key) DO NOTHING`,
			e.Number, e.Key, e.Kind, e.ActorID, e.ActorRole, e.Detail, nullTime(e.At))
	}
	if err := s.pool.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("append %d events to agreement %s: %w", len(events), events[0].Number, err)
	}
	return nil
}

// AgreementEvents returns an agreement's event log in the order things happened.
func (s *Store) AgreementEvents(ctx context.Context, number string) ([]AgreementEvent, error) {
	rows, err := s.pool.Query(ctx, `
SELECT id, number, event_key, kind, actor_id, actor_role, detail, at
FROM mou_events WHERE number = $1 ORDER BY at, id`, number)
	if err != nil {
		return nil, fmt.Errorf("events of agreement %s: %w", number, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AgreementEvent, error) {
		var e AgreementEvent
		err := row.Scan(&e.ID, &e.Number, &e.Key, &e.Kind, &e.ActorID, &e.ActorRole, &e.Detail, &e.At)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("events of agreement %s: %w", number, err)
	}
	return out, nil
}
