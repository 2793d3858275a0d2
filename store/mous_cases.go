package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// AgreementCase is a case as the agreement views need it: who it is, where it is, and whether it
// waits for an agreement. It reads only columns of the case read model that never change
// meaning, so it stays independent of the rest of the projection.
type AgreementCase struct {
	CaseID         string       `json:"case_id"`
	WorkflowID     string       `json:"workflow_id"`
	PackageCode    string       `json:"package"`
	CentreCode     string       `json:"centre"`
	LSPCode        string       `json:"lsp"`
	Scheme         string       `json:"scheme,omitempty"`
	Stage          vocab.Stage  `json:"stage"`
	WaitingOn      vocab.Party  `json:"waiting_on,omitempty"`
	Stuck          bool         `json:"stuck"`
	StuckCode      vocab.Reason `json:"stuck_code,omitempty"`
	StuckReason    string       `json:"stuck_reason,omitempty"`
	StuckSince     *time.Time   `json:"stuck_since,omitempty"`
	StageEnteredAt time.Time    `json:"stage_entered_at"`
}

// Stages in which an open case still needs an agreement with a partner of that kind: the
// insurer's until training ends (coverage runs through training), an LSP's until the
// certificate is issued.
var dependentStages = map[string][]string{
	"insurer":   vocab.Strings(vocab.StagesBefore(vocab.StageAssessment)),
	"certifier": vocab.Strings(vocab.StagesBefore(vocab.StagePlacement)),
}

// CaseScope selects the open cases an agreement concerns: those of a partner (for an LSP the
// package's LSP; the insurer covers every case) at centres and schemes in scope (empty: all).
type CaseScope struct {
	PartnerCode string
	PartnerKind string // insurer | certifier
	Centres     []string
	Schemes     []string
}

const agreementCaseColumns = `c.case_id, c.workflow_id, c.package_code, c.centre_code, c.lsp_code,
	COALESCE(p.scheme, ''), c.stage, c.waiting_on, c.stuck, c.stuck_code, c.stuck_reason,
	c.stuck_since, c.stage_entered_at`

// scopeSQL matches a case (c, with its package p) against @partner, @kind, @centres, @schemes.
const scopeSQL = `c.status = 'open'
AND (@kind = 'insurer' OR c.lsp_code = @partner)
AND (cardinality(@centres::text[]) = 0 OR c.centre_code = ANY (@centres::text[]))
AND (@kind = 'insurer' OR cardinality(@schemes::text[]) = 0 OR COALESCE(p.scheme, '') = ANY (@schemes::text[]))`

func (sc CaseScope) args() pgx.NamedArgs {
	centres, schemes := sc.Centres, sc.Schemes
	if centres == nil {
		centres = []string{}
	}
	if schemes == nil {
		schemes = []string{}
	}
	return pgx.NamedArgs{"partner": sc.PartnerCode, "kind": sc.PartnerKind, "centres": centres, "schemes": schemes}
}

// WaitingForAgreement returns the open cases in scope that wait for an agreement (marked stuck
// for want of one, or waiting on one): the journeys to tell when an agreement becomes active. It may return a case waiting for another partner's agreement at the same centre (the
// read model does not say which partner a case waits for when that is the insurer); telling it
// costs one needless re-check.
func (s *Store) WaitingForAgreement(ctx context.Context, sc CaseScope) ([]AgreementCase, error) {
	args := sc.args()
	stage := vocab.StageAssessment
	if sc.PartnerKind == "insurer" {
		stage = vocab.StageInsurance
	}
	args["stage"] = stage
	args["waiting"], args["stuck"] = vocab.WaitingAgreement, vocab.StuckNoAgreement
	return s.agreementCases(ctx, "cases waiting for an agreement with "+sc.PartnerCode, `
SELECT `+agreementCaseColumns+`
FROM cases c LEFT JOIN training_packages p ON p.code = c.package_code
WHERE `+scopeSQL+` AND c.stage = @stage AND (c.waiting_on = @waiting OR c.stuck_code = @stuck)
ORDER BY c.stage_entered_at, c.case_id`, args)
}

// DependentCases returns the open cases in scope that still need an agreement of this kind:
// the cases hurt when it ends without a successor. limit 0 means all.
func (s *Store) DependentCases(ctx context.Context, sc CaseScope, limit int) ([]AgreementCase, error) {
	args := sc.args()
	args["stages"] = dependentStages[sc.PartnerKind]
	q := `
SELECT ` + agreementCaseColumns + `
FROM cases c LEFT JOIN training_packages p ON p.code = c.package_code
WHERE ` + scopeSQL + ` AND c.stage = ANY (@stages::text[])
ORDER BY c.stuck DESC, c.stage_entered_at, c.case_id`
	if limit > 0 {
		args["limit"] = limit
		q += ` LIMIT @limit`
	}
	return s.agreementCases(ctx, "cases depending on "+sc.PartnerCode, q, args)
}

// CountDependentCases counts what DependentCases returns.
func (s *Store) CountDependentCases(ctx context.Context, sc CaseScope) (int, error) {
	args := sc.args()
	args["stages"] = dependentStages[sc.PartnerKind]
	var n int
	err := s.pool.QueryRow(ctx, `
SELECT count(*) FROM cases c LEFT JOIN training_packages p ON p.code = c.package_code
WHERE `+scopeSQL+` AND c.stage = ANY (@stages::text[])`, args).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count cases depending on %s: %w", sc.PartnerCode, err)
	}
	return n, nil
}

func (s *Store) agreementCases(ctx context.Context, what, q string, args pgx.NamedArgs) ([]AgreementCase, error) {
	rows, err := s.pool.Query(ctx, q, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AgreementCase, error) {
		var c AgreementCase
		err := row.Scan(&c.CaseID, &c.WorkflowID, &c.PackageCode, &c.CentreCode, &c.LSPCode, &c.Scheme,
			&c.Stage, &c.WaitingOn, &c.Stuck, &c.StuckCode, &c.StuckReason, &c.StuckSince, &c.StageEnteredAt)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
