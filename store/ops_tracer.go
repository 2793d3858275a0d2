package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// TracerRow is the tracer-study count of one centre and trade: its graduates by what they
// reported doing after training.
type TracerRow struct {
	CentreCode      string `json:"centre"`
	CentreName      string `json:"centre_name"`
	Trade           string `json:"trade"`
	Graduates       int    `json:"graduates"`
	Formal          int    `json:"formal"`
	Informal        int    `json:"informal"`
	SelfEmployed    int    `json:"self_employed"`
	ContinuingStudy int    `json:"continuing_study"`
	// NotPlaced closed without a report after the last follow-up.
	NotPlaced int `json:"not_placed"`
	// InFollowUp are in placement follow-up with no report yet.
	InFollowUp int `json:"in_follow_up"`
	// InAssessment graduated but are still being assessed or certified: their follow-up has not
	// begun, so they are neither placed nor in follow-up yet.
	InAssessment int `json:"in_assessment"`
}

// Placed is formal + informal + self-employed: the numerator of the placement rate.
func (r TracerRow) Placed() int { return r.Formal + r.Informal + r.SelfEmployed }

// TracerStudy counts graduates by centre, trade (from the package) and placement category.
func (s *Store) TracerStudy(ctx context.Context) ([]TracerRow, error) {
	return s.TracerStudyIn(ctx, Scope{})
}

// TracerStudyIn is TracerStudy over the graduates of scope only.
func (s *Store) TracerStudyIn(ctx context.Context, scope Scope) ([]TracerRow, error) {
	conds, args := scope.conds("c", []string{"c.graduated"}, []any{vocab.PlacementFormal, vocab.PlacementInformal,
		vocab.PlacementSelfEmployed, vocab.PlacementContinuingStudy, vocab.StagePlacement})
	rows, err := s.pool.Query(ctx, `
SELECT c.centre_code, COALESCE(ce.name, ''), COALESCE(p.trade, ''), count(*),
	count(*) FILTER (WHERE c.placement_category = $1),
	count(*) FILTER (WHERE c.placement_category = $2),
	count(*) FILTER (WHERE c.placement_category = $3),
	count(*) FILTER (WHERE c.placement_category = $4),
	count(*) FILTER (WHERE c.placement_category = '' AND c.status = 'closed'),
	count(*) FILTER (WHERE c.placement_category = '' AND c.status = 'open' AND c.stage = $5),
	count(*) FILTER (WHERE c.placement_category = '' AND c.status = 'open' AND c.stage <> $5)
FROM cases c
LEFT JOIN training_packages p ON p.code = c.package_code
LEFT JOIN centres ce ON ce.code = c.centre_code
WHERE `+strings.Join(conds, " AND ")+`
GROUP BY 1, 2, 3 ORDER BY 1, 3`, args...)
	if err != nil {
		return nil, fmt.Errorf("tracer study: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TracerRow, error) {
		var r TracerRow
		err := row.Scan(&r.CentreCode, &r.CentreName, &r.Trade, &r.Graduates, &r.Formal, &r.Informal,
			&r.SelfEmployed, &r.ContinuingStudy, &r.NotPlaced, &r.InFollowUp, &r.InAssessment)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("tracer study: %w", err)
	}
	return out, nil
}
