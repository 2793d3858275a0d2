package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// FollowUpFilter selects the graduates in placement follow-up a reader sees.
type FollowUpFilter struct {
	Scope      Scope
	CentreCode string
	// Due is the horizon: a follow-up due at or before it is on the list (the caller's now
	// plus how far ahead it calls graduates, api.FollowUpAhead).
	Due time.Time
	// Limit and Offset page the due list (Limit 0: no limit); ToConfirmLimit bounds the
	// self-reports waiting for staff (0: no limit).
	Limit, Offset  int
	ToConfirmLimit int
	// UnknownLimit is how many of the rows not known yet to list (0: none), by case ID.
	UnknownLimit int
}

// FollowUpList is one page of the follow-ups list, read from the read model's follow-up
// columns (migration 00025) rather than from each journey.
type FollowUpList struct {
	// Cases are the graduates whose follow-up is overdue (one or more passed with no placement
	// reported) or due by the horizon, the most missed first, then the soonest due.
	Cases []Case
	// Total counts them all (Cases is one page).
	Total int
	// Later counts the graduates in follow-up with nothing due yet.
	Later int
	// Unknown counts the graduates in follow-up whose row does not know their follow-up yet (a
	// journey in follow-up since before the columns came that has not written since):
	// kompeten doctor --repair fills them.
	Unknown int
	// ToConfirm are the self-reported placements waiting for staff to confirm them, soonest
	// closing first; ToConfirmTotal counts them all.
	ToConfirm      []Case
	ToConfirmTotal int
	// UnknownCases are the first FollowUpFilter.UnknownLimit of the Unknown ones.
	UnknownCases []Case
}

// followUpDue is the list's rule in SQL, api.FollowUpDue's: not waiting for staff to confirm a
// self-report, and a follow-up missed or due by the horizon ($due).
const followUpDue = `c.confirm_until IS NULL AND (c.followups_missed > 0 OR c.followup_next <= %s)`

// ListFollowUps reads one page of the follow-ups list with its counts and the self-reports
// waiting for staff (and the rows not known yet, when asked), in one round trip: the statements
// go as one batch.
func (s *Store) ListFollowUps(ctx context.Context, f FollowUpFilter) (FollowUpList, error) {
	var out FollowUpList
	conds := []string{"c.stage = 'placement'", "c.status = 'open'"}
	var args []any
	if f.CentreCode != "" {
		args = append(args, f.CentreCode)
		conds = append(conds, "c.centre_code = $"+strconv.Itoa(len(args)))
	}
	conds, args = f.Scope.conds("c", conds, args)
	args = append(args, f.Due)
	due := fmt.Sprintf(followUpDue, "$"+strconv.Itoa(len(args)))
	where := " WHERE " + strings.Join(conds, " AND ")

	counts := `SELECT count(*) FILTER (WHERE ` + due + `),
	count(*) FILTER (WHERE c.followups_missed IS NOT NULL AND NOT (` + due + `) AND c.confirm_until IS NULL),
	count(*) FILTER (WHERE c.followups_missed IS NULL),
	count(*) FILTER (WHERE c.confirm_until IS NOT NULL)
FROM cases c` + where
	list := `SELECT ` + caseColumns + ` FROM cases c` + where + ` AND ` + due +
		` ORDER BY c.followups_missed DESC, c.followup_next, c.case_id`
	largs := append([]any(nil), args...)
	if f.Limit > 0 {
		largs = append(largs, f.Limit)
		list += ` LIMIT $` + strconv.Itoa(len(largs))
	}
	if f.Offset > 0 {
		largs = append(largs, f.Offset)
		list += ` OFFSET $` + strconv.Itoa(len(largs))
	}
	// The self-reports do not depend on the horizon: their own arguments, without it.
	cargs := append([]any(nil), args[:len(args)-1]...)
	confirm := `SELECT ` + caseColumns + ` FROM cases c` + where + ` AND c.confirm_until IS NOT NULL ORDER BY c.confirm_until, c.case_id`
	if f.ToConfirmLimit > 0 {
		cargs = append(cargs, f.ToConfirmLimit)
		confirm += ` LIMIT $` + strconv.Itoa(len(cargs))
	}

	b := &pgx.Batch{}
	b.Queue(counts, args...)
	b.Queue(list, largs...)
	b.Queue(confirm, cargs...)
	if f.UnknownLimit > 0 {
		uargs := append(append([]any(nil), args[:len(args)-1]...), f.UnknownLimit)
		b.Queue(`SELECT `+caseColumns+` FROM cases c`+where+` AND c.followups_missed IS NULL ORDER BY c.case_id LIMIT $`+
			strconv.Itoa(len(uargs)), uargs...)
	}
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	if err := br.QueryRow().Scan(&out.Total, &out.Later, &out.Unknown, &out.ToConfirmTotal); err != nil {
		return out, fmt.Errorf("count follow-ups: %w", err)
	}
	var err error
	if out.Cases, err = collectCases(br, "list follow-ups"); err != nil {
		return out, err
	}
	if out.ToConfirm, err = collectCases(br, "list self-reports to confirm"); err != nil {
		return out, err
	}
	if f.UnknownLimit > 0 {
		if out.UnknownCases, err = collectCases(br, "list follow-ups not known yet"); err != nil {
			return out, err
		}
	}
	if err := br.Close(); err != nil {
		return out, fmt.Errorf("list follow-ups: %w", err)
	}
	return out, nil
}

// collectCases reads the next result of a batch as case rows.
func collectCases(br pgx.BatchResults, what string) ([]Case, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, scanCase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
