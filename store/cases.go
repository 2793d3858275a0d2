package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

const caseColumns = `c.case_id, c.workflow_id, c.package_code, c.centre_code, c.lsp_code, c.nik_hash,
	c.stage, c.status, c.outcome, c.waiting_on, c.stuck, c.stuck_code, c.stuck_reason, c.stuck_since,
	c.stage_entered_at, c.kpj, c.certificate_no, c.attempts, c.last_error, c.version, c.updated_at,
	c.enrolled, c.insured, c.graduated, c.assessed, c.competent, c.certified, c.graduated_on,
	c.placement_category, c.placed_on, c.escalated_at, c.escalated_to, c.placement_self_reported,
	c.certificate_issued_on, c.certificate_expires_on, c.stuck_message, c.stuck_params,
	c.followup_next, c.followups_missed, c.followup_unanswered, c.followup_contact, c.followup_contact_at,
	c.followup_contact_note, c.confirm_until, c.placement_employer`

// Case statuses.
const (
	// StatusOpen marks a journey still running.
	StatusOpen = "open"
	// StatusClosed marks a finished journey; Outcome says how it ended.
	StatusClosed = "closed"
)

// UpsertCase writes the read-model row of a case. The write applies only when c.Version is at
// least the stored version: projections may arrive late or be replayed, and an older state must
// never overwrite a newer one. An equal version rewrites the row (idempotent replay). A stale
// write is ignored without error. Zero StageEnteredAt/UpdatedAt mean "now". Attempts and
// LastError both empty keep the stored values: RecordAttempt writes them outside the versioned
// projection, and a projection that does not know about attempts must not wipe them.
func (s *Store) UpsertCase(ctx context.Context, c Case) error {
	args, err := upsertCaseArgs(c)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, upsertCaseSQL, args...)
	return upsertCaseError(c, err)
}

// upsertCaseSQL writes a case row under UpsertCase's version rule. The numbers the row shows are
// claimed where they are free (number_claims), in the same statement: journeys of the audited
// revision claim before they take a number, so this finds their own claim, but journeys of older
// revisions do not, and this keeps their numbers from being handed to someone else later. A
// number another person holds is left to NumberConflicts: a projection is never refused.
const upsertCaseSQL = `
WITH claims AS (
	INSERT INTO number_claims (kind, number, nik_hash, case_id)
	SELECT n.kind, n.number, $6, $1 FROM (VALUES ('kpj', $16::text), ('certificate', $17::text)) AS n (kind, number)
	WHERE n.number <> '' AND $6 <> ''
	ON CONFLICT (kind, number) DO NOTHING
)
INSERT INTO cases (case_id, workflow_id, package_code, centre_code, lsp_code, nik_hash, stage, status,
	outcome, waiting_on, stuck, stuck_code, stuck_reason, stuck_since, stage_entered_at, kpj,
	certificate_no, attempts, last_error, version, updated_at, enrolled, insured, graduated, assessed,
	competent, certified, graduated_on, placement_category, placed_on, placement_self_reported,
	certificate_issued_on, certificate_expires_on, stuck_message, stuck_params, followup_next, followups_missed,
	followup_unanswered, followup_contact, followup_contact_at, followup_contact_note, confirm_until,
	placement_employer)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, COALESCE($15, now()), $16, $17,
	$18, $19, $20, COALESCE($21, now()), $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35,
	$36, $37, $38, $39, $40, $41, $42, $43)
ON CONFLICT (case_id) DO UPDATE SET
	workflow_id = EXCLUDED.workflow_id, package_code = EXCLUDED.package_code,
	centre_code = EXCLUDED.centre_code, lsp_code = EXCLUDED.lsp_code, nik_hash = EXCLUDED.nik_hash,
	stage = EXCLUDED.stage, status = EXCLUDED.status, outcome = EXCLUDED.outcome,
	waiting_on = EXCLUDED.waiting_on, stuck = EXCLUDED.stuck, stuck_code = EXCLUDED.stuck_code,
	stuck_reason = EXCLUDED.stuck_reason, stuck_since = EXCLUDED.stuck_since,
	stage_entered_at = EXCLUDED.stage_entered_at, kpj = EXCLUDED.kpj,
	certificate_no = EXCLUDED.certificate_no,
	attempts = CASE WHEN EXCLUDED.attempts = 0 AND EXCLUDED.last_error = '' THEN cases.attempts ELSE EXCLUDED.attempts END,
	last_error = CASE WHEN EXCLUDED.attempts = 0 AND EXCLUDED.last_error = '' THEN cases.last_error ELSE EXCLUDED.last_error END,
	version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
	enrolled = EXCLUDED.enrolled, insured = EXCLUDED.insured, graduated = EXCLUDED.graduated,
	assessed = EXCLUDED.assessed, competent = EXCLUDED.competent, certified = EXCLUDED.certified,
	graduated_on = EXCLUDED.graduated_on, placement_category = EXCLUDED.placement_category,
	placed_on = EXCLUDED.placed_on, placement_self_reported = EXCLUDED.placement_self_reported,
	certificate_issued_on = EXCLUDED.certificate_issued_on,
	certificate_expires_on = EXCLUDED.certificate_expires_on,
	stuck_message = EXCLUDED.stuck_message, stuck_params = EXCLUDED.stuck_params,
	followup_next = EXCLUDED.followup_next, followups_missed = EXCLUDED.followups_missed,
	followup_unanswered = EXCLUDED.followup_unanswered, followup_contact = EXCLUDED.followup_contact,
	followup_contact_at = EXCLUDED.followup_contact_at, followup_contact_note = EXCLUDED.followup_contact_note,
	confirm_until = EXCLUDED.confirm_until, placement_employer = EXCLUDED.placement_employer
WHERE cases.version <= EXCLUDED.version`

// upsertCaseArgs checks a case row and gives upsertCaseSQL's arguments.
func upsertCaseArgs(c Case) ([]any, error) {
	if c.CaseID == "" || c.WorkflowID == "" {
		return nil, fmt.Errorf("upsert case: case id and workflow id are required: %w", ErrInvalid)
	}
	if c.Status == "" {
		c.Status = StatusOpen
	}
	args := []any{c.CaseID, c.WorkflowID, c.PackageCode, c.CentreCode, c.LSPCode, c.NIKHash, c.Stage, c.Status,
		c.Outcome, c.WaitingOn, c.Stuck, c.StuckCode, c.StuckReason, c.StuckSince,
		nullTime(c.StageEnteredAt), c.KPJ, c.CertificateNo, c.Attempts, c.LastError, c.Version,
		nullTime(c.UpdatedAt), c.Enrolled, c.Insured, c.Graduated, c.Assessed, c.Competent, c.Certified,
		c.GraduatedOn, c.PlacementCategory, c.PlacedOn, c.PlacementSelfReported,
		c.CertificateIssuedOn, c.CertificateExpiresOn, c.StuckMessage, nullParams(c.StuckParams)}
	return append(args, followUpArgs(c.FollowUp)...), nil
}

// followUpArgs are the follow-up columns of a row; nil writes "not known" (followups_missed
// NULL), which is what a row out of follow-up, or written by a caller that does not know the
// journey's placement state, says.
func followUpArgs(f *FollowUp) []any {
	if f == nil {
		return []any{nil, nil, 0, "", nil, "", nil, ""}
	}
	return []any{f.Next, f.Missed, f.Unanswered, string(f.Contact), f.ContactAt, f.ContactNote, f.ConfirmUntil, f.Employer}
}

// upsertCaseError words the error of upsertCaseSQL.
func upsertCaseError(c Case, err error) error {
	if pgCode(err) == pgUniqueViolation {
		return fmt.Errorf("upsert case %s: workflow id %s belongs to another case: %w", c.CaseID, c.WorkflowID, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("upsert case %s: %w", c.CaseID, err)
	}
	return nil
}

// GetCase returns one case by its short id, or ErrNotFound.
func (s *Store) GetCase(ctx context.Context, caseID string) (Case, error) {
	return s.getCase(ctx, "case_id", caseID)
}

// GetCaseByWorkflowID returns one case by its Temporal workflow id, or ErrNotFound.
func (s *Store) GetCaseByWorkflowID(ctx context.Context, workflowID string) (Case, error) {
	return s.getCase(ctx, "workflow_id", workflowID)
}

// getCase looks a case up by a unique column; column is always a constant from this file.
func (s *Store) getCase(ctx context.Context, column, value string) (Case, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.`+column+` = $1`, value)
	c, err := pgx.CollectExactlyOneRow(rows, scanCase)
	if errors.Is(err, pgx.ErrNoRows) {
		return Case{}, fmt.Errorf("get case by %s %s: %w", column, value, ErrNotFound)
	}
	if err != nil {
		return Case{}, fmt.Errorf("get case by %s %s: %w", column, value, err)
	}
	return c, nil
}

// ListCases returns the cases matching f, the longest waiting first (stuck cases by the time they
// got stuck, the others by when they entered their stage). Limit 0 means no limit.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) ([]Case, error) {
	where, args := f.where()
	q := `SELECT ` + caseColumns + ` FROM cases c` + where +
		` ORDER BY COALESCE(c.stuck_since, c.stage_entered_at), c.case_id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	if f.Offset > 0 {
		args = append(args, f.Offset)
		q += ` OFFSET $` + strconv.Itoa(len(args))
	}
	return s.queryCases(ctx, "list cases", q, f.planned(args)...)
}

// CountCases counts the cases matching f, ignoring Limit and Offset.
func (s *Store) CountCases(ctx context.Context, f CaseFilter) (int, error) {
	where, args := f.where()
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM cases c`+where, f.planned(args)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

// planned has a name search planned for its own pattern each time (an unnamed statement), not
// with a cached generic plan: how many names a pattern matches decides between the trigram
// index and the list's order, and a generic plan cannot know it.
func (f CaseFilter) planned(args []any) []any {
	if strings.TrimSpace(f.Name) == "" {
		return args
	}
	return append([]any{pgx.QueryExecModeDescribeExec}, args...)
}

// where builds the WHERE clause from the set fields only, so the planner can use the indexes
// ("$1 = ” OR col = $1" defeats them under generic plans).
func (f CaseFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(col, val string) {
		if val != "" {
			args = append(args, val)
			conds = append(conds, "c."+col+" = $"+strconv.Itoa(len(args)))
		}
	}
	add("package_code", f.PackageCode)
	add("centre_code", f.CentreCode)
	add("lsp_code", f.LSPCode)
	add("stage", string(f.Stage))
	add("status", f.Status)
	if f.StuckOnly {
		conds = append(conds, "c.stuck")
	}
	add("nik_hash", f.NIKHash)
	if strings.TrimSpace(f.Name) != "" {
		args = append(args, nameLike(f.Name))
		conds = append(conds, "c.nik_hash IN (SELECT p.nik_hash FROM participants p WHERE p.name ILIKE $"+strconv.Itoa(len(args))+")")
	}
	conds, args = f.Scope.conds("c", conds, args)
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// CasesByNIKHash returns every case of one person, oldest first.
func (s *Store) CasesByNIKHash(ctx context.Context, nikHash string) ([]Case, error) {
	return s.queryCases(ctx, "cases of participant "+shortHash(nikHash),
		`SELECT `+caseColumns+` FROM cases c WHERE c.nik_hash = $1 ORDER BY c.stage_entered_at, c.case_id`,
		nikHash)
}

// OverlappingActiveCases returns the open cases of one person in packages other than
// excludePackage whose training dates overlap [start, end] (both inclusive): the eligibility rule
// "not active in another package whose dates overlap".
func (s *Store) OverlappingActiveCases(ctx context.Context, nikHash string, start, end time.Time, excludePackage string) ([]Case, error) {
	return s.queryCases(ctx, "overlapping cases of participant "+shortHash(nikHash), `
SELECT `+caseColumns+`
FROM cases c JOIN training_packages p ON p.code = c.package_code
WHERE c.nik_hash = $1 AND c.status <> 'closed' AND c.package_code <> $4
  AND p.start_date <= $3 AND p.end_date >= $2
ORDER BY p.start_date, c.case_id`,
		nikHash, start, end, excludePackage)
}

// CountOpenInPackage counts the seats taken in a package: every case except those closed as
// rejected or withdrawn (before it counted against capacity). A drop-out still counts: the seat
// was used.
func (s *Store) CountOpenInPackage(ctx context.Context, pkg string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `
SELECT count(*) FROM cases
WHERE package_code = $1 AND NOT (status = 'closed' AND outcome IN ($2, $3))`,
		pkg, vocab.OutcomeRejected, vocab.OutcomeWithdrawn).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count seats taken in package %s: %w", pkg, err)
	}
	return n, nil
}

func (s *Store) queryCases(ctx context.Context, what, q string, args ...any) ([]Case, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, scanCase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func scanCase(row pgx.CollectableRow) (Case, error) {
	var c Case
	var f FollowUp
	var missed *int
	err := row.Scan(&c.CaseID, &c.WorkflowID, &c.PackageCode, &c.CentreCode, &c.LSPCode, &c.NIKHash,
		&c.Stage, &c.Status, &c.Outcome, &c.WaitingOn, &c.Stuck, &c.StuckCode, &c.StuckReason,
		&c.StuckSince, &c.StageEnteredAt, &c.KPJ, &c.CertificateNo, &c.Attempts, &c.LastError,
		&c.Version, &c.UpdatedAt, &c.Enrolled, &c.Insured, &c.Graduated, &c.Assessed, &c.Competent,
		&c.Certified, &c.GraduatedOn, &c.PlacementCategory, &c.PlacedOn, &c.EscalatedAt, &c.EscalatedTo,
		&c.PlacementSelfReported, &c.CertificateIssuedOn, &c.CertificateExpiresOn, &c.StuckMessage, &c.StuckParams,
		&f.Next, &missed, &f.Unanswered, &f.Contact, &f.ContactAt, &f.ContactNote, &f.ConfirmUntil, &f.Employer)
	if missed != nil {
		f.Missed = *missed
		c.FollowUp = &f
	}
	return c, err
}
