package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// ChannelRow is the tracer study of one centre by channel (issue 18): how the graduates in
// follow-up answered through their own links (self-reported) and how staff reached them
// (staff-reported), with each channel's response and placement rate.
type ChannelRow struct {
	CentreCode string `json:"centre"`
	CentreName string `json:"centre_name"`
	// FollowUps are the graduates whose follow-up began (in follow-up, or closed after it).
	FollowUps int `json:"follow_ups"`
	// Linked were sent at least one follow-up link; SelfAnswered answered one (any answer,
	// "still looking" too); SelfPlaced reported a placement themselves.
	Linked       int `json:"linked"`
	SelfAnswered int `json:"self_answered"`
	SelfPlaced   int `json:"self_placed"`
	// StaffReported have a placement report from staff; StaffPlaced of them placed.
	StaffReported int `json:"staff_reported"`
	StaffPlaced   int `json:"staff_placed"`
}

// SelfResponseRate is the share of graduates sent a link who answered it.
func (r ChannelRow) SelfResponseRate() float64 { return ratio(r.SelfAnswered, r.Linked) }

// SelfPlacementRate is the share of graduates answering by link who reported a placement.
func (r ChannelRow) SelfPlacementRate() float64 { return ratio(r.SelfPlaced, r.SelfAnswered) }

// StaffResponseRate is the share of follow-ups staff got a report for.
func (r ChannelRow) StaffResponseRate() float64 { return ratio(r.StaffReported, r.FollowUps) }

// StaffPlacementRate is the share of staff reports that are placements.
func (r ChannelRow) StaffPlacementRate() float64 { return ratio(r.StaffPlaced, r.StaffReported) }

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// TracerChannelsIn counts the follow-ups of scope's graduates per centre and channel.
func (s *Store) TracerChannelsIn(ctx context.Context, scope Scope) ([]ChannelRow, error) {
	conds, args := scope.conds("c", []string{"c.graduated"}, []any{vocab.StagePlacement, vocab.OutcomeNotPlaced,
		[]string{string(vocab.PlacementFormal), string(vocab.PlacementInformal), string(vocab.PlacementSelfEmployed)}})
	rows, err := s.pool.Query(ctx, `
WITH links AS (
	SELECT case_id, bool_or(used_at IS NOT NULL) AS answered FROM selfreport_links GROUP BY case_id
)
SELECT c.centre_code, COALESCE(ce.name, ''),
	count(*) FILTER (WHERE c.stage = $1 OR c.placement_category <> '' OR c.outcome = $2),
	count(l.case_id),
	count(*) FILTER (WHERE l.answered),
	count(*) FILTER (WHERE c.placement_self_reported AND c.placement_category = ANY($3)),
	count(*) FILTER (WHERE c.placement_category <> '' AND NOT c.placement_self_reported),
	count(*) FILTER (WHERE NOT c.placement_self_reported AND c.placement_category = ANY($3))
FROM cases c
LEFT JOIN links l ON l.case_id = c.case_id
LEFT JOIN centres ce ON ce.code = c.centre_code
WHERE `+strings.Join(conds, " AND ")+`
GROUP BY 1, 2 ORDER BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("tracer study by channel: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ChannelRow, error) {
		var r ChannelRow
		err := row.Scan(&r.CentreCode, &r.CentreName, &r.FollowUps, &r.Linked, &r.SelfAnswered, &r.SelfPlaced,
			&r.StaffReported, &r.StaffPlaced)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("tracer study by channel: %w", err)
	}
	return out, nil
}
