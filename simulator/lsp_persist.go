package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/partners"
)

// What a stored certificate row is to its idempotency key (sim_lsp_certificates.role).
const (
	certIssued  = "issued"  // created the assessment's certificate
	certRepeat  = "repeat"  // a later request under another key, answered with it
	certMistake = "mistake" // a number handed out by mistake (HandOutNext)
)

// loadLSP fills s with the stored assessments (results included) and certificates.
func (p *persistence) loadLSP(ctx context.Context, s *LSP) error {
	rows, err := p.pool.Query(ctx, `
SELECT idem_key, assessment_id, assessment_date, tuk, assessor, scheme, candidate_ref, candidate_name,
	units, available_after, result
FROM sim_lsp_assessments WHERE lsp = $1 ORDER BY assessment_id`, s.code)
	if err != nil {
		return fmt.Errorf("%s simulator: load assessments: %w", p.name, err)
	}
	for rows.Next() {
		a := &lspAssessment{}
		var key string
		var result []byte
		if err := rows.Scan(&key, &a.sched.AssessmentID, &a.sched.Date, &a.sched.TUK, &a.sched.Assessor, &a.scheme,
			&a.ref, &a.name, &a.units, &a.availableAfter, &result); err != nil {
			rows.Close()
			return fmt.Errorf("%s simulator: load assessments: %w", p.name, err)
		}
		if result != nil {
			a.result = new(partners.AssessmentResult)
			if err := json.Unmarshal(result, a.result); err != nil {
				rows.Close()
				return fmt.Errorf("%s simulator: result of %s: %w", p.name, a.sched.AssessmentID, err)
			}
		}
		s.byKey[key], s.byID[a.sched.AssessmentID] = a, a
		s.assessNew[key] = 1
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s simulator: load assessments: %w", p.name, err)
	}

	rows, err = p.pool.Query(ctx, `
SELECT idem_key, assessment_id, number, issue_date, expiry_date, role FROM sim_lsp_certificates WHERE lsp = $1`, s.code)
	if err != nil {
		return fmt.Errorf("%s simulator: load certificates: %w", p.name, err)
	}
	var key, assessment, role string
	var c partners.Certificate
	if _, err := pgx.ForEachRow(rows, []any{&key, &assessment, &c.Number, &c.IssueDate, &c.ExpiryDate, &role}, func() error {
		s.certs[key] = c
		if role == certIssued {
			s.certByAssess[assessment] = c
		}
		if role != certRepeat {
			s.certNew[key] = 1
		}
		return nil
	}); err != nil {
		return fmt.Errorf("%s simulator: load certificates: %w", p.name, err)
	}
	if s.nextAssess, err = counter(ctx, p.pool, p.name+"/assessment"); err != nil {
		return fmt.Errorf("%s simulator: %w", p.name, err)
	}
	if s.nextCert, err = counter(ctx, p.pool, p.name+"/certificate"); err != nil {
		return fmt.Errorf("%s simulator: %w", p.name, err)
	}
	return nil
}

// saveAssessment numbers a new assessment (number sets its ID and assessor from the counter) and
// writes it.
func (p *persistence) saveAssessment(key string, a *lspAssessment, number func(int)) error {
	return p.tx("save assessment", func(ctx context.Context, tx pgx.Tx) error {
		n, err := next(ctx, tx, p.name+"/assessment")
		if err != nil {
			return err
		}
		number(n)
		_, err = tx.Exec(ctx, `
INSERT INTO sim_lsp_assessments (lsp, assessment_id, idem_key, assessment_date, tuk, assessor, scheme,
	candidate_ref, candidate_name, units, available_after)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, p.lspCode(), a.sched.AssessmentID, key, a.sched.Date,
			a.sched.TUK, a.sched.Assessor, a.scheme, a.ref, a.name, a.units, a.availableAfter)
		return err
	})
}

// saveResult fixes an assessment's result.
func (p *persistence) saveResult(assessmentID string, res partners.AssessmentResult) error {
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("%s simulator: encode result: %w", p.name, err)
	}
	return p.tx("save result", func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sim_lsp_assessments SET result = $3 WHERE lsp = $1 AND assessment_id = $2 AND result IS NULL`,
			p.lspCode(), assessmentID, b)
		return err
	})
}

// saveCertificate writes what key was answered with; number, when set, numbers a new
// certificate from the counter first.
func (p *persistence) saveCertificate(key, assessmentID string, c *partners.Certificate, role string, number func(int)) error {
	return p.tx("save certificate", func(ctx context.Context, tx pgx.Tx) error {
		if number != nil {
			n, err := next(ctx, tx, p.name+"/certificate")
			if err != nil {
				return err
			}
			number(n)
		}
		_, err := tx.Exec(ctx, `
INSERT INTO sim_lsp_certificates (lsp, idem_key, assessment_id, number, issue_date, expiry_date, role)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.lspCode(), key, assessmentID, c.Number, c.IssueDate, c.ExpiryDate, role)
		return err
	})
}

// lspCode is the LSP's code, the rows' lsp column.
func (p *persistence) lspCode() string { return strings.TrimPrefix(p.name, "lsp/") }
