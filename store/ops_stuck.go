package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// StuckFilter narrows the stuck list; empty fields match everything.
type StuckFilter struct {
	// Scope keeps only the cases a scoped reader may see (see Scope).
	Scope
	CentreCode string
	LSPCode    string
	Stage      vocab.Stage
	// Reason is the journey's stuck code.
	Reason vocab.Reason
	Limit  int // 0 means no limit
	Offset int
}

// StuckPage is one page of the stuck list and how many stuck cases match in all.
type StuckPage struct {
	Total int    `json:"total"`
	Cases []Case `json:"cases"`
}

// where builds the condition from the set fields only, so each filter can use the partial
// index that leads with its column (see migration 00003).
func (f StuckFilter) where() (string, []any) {
	conds := []string{"c.stuck"}
	var args []any
	add := func(col, val string) {
		if val != "" {
			args = append(args, val)
			conds = append(conds, "c."+col+" = $"+strconv.Itoa(len(args)))
		}
	}
	add("centre_code", f.CentreCode)
	add("lsp_code", f.LSPCode)
	add("stage", string(f.Stage))
	add("stuck_code", string(f.Reason))
	conds, args = f.Scope.conds("c", conds, args)
	return " WHERE " + strings.Join(conds, " AND "), args
}

// StuckCases lists the stuck cases matching f, the longest stuck first.
func (s *Store) StuckCases(ctx context.Context, f StuckFilter) (StuckPage, error) {
	where, args := f.where()
	var page StuckPage
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM cases c`+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count stuck cases: %w", err)
	}
	q := `SELECT ` + caseColumns + ` FROM cases c` + where + ` ORDER BY c.stuck_since, c.case_id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	if f.Offset > 0 {
		args = append(args, f.Offset)
		q += ` OFFSET $` + strconv.Itoa(len(args))
	}
	cs, err := s.queryCases(ctx, "list stuck cases", q, args...)
	if err != nil {
		return page, err
	}
	page.Cases = cs
	if page.Cases == nil {
		page.Cases = []Case{}
	}
	return page, nil
}

// StuckGroup counts the stuck cases of one centre that share a reason and a party waited on:
// the unit of the daily digest (the journey maps reason and party onto who can unblock).
type StuckGroup struct {
	CentreCode string       `json:"centre"`
	LSPCode    string       `json:"lsp"`
	Reason     vocab.Reason `json:"reason"`
	WaitingOn  vocab.Party  `json:"waiting_on"`
	Count      int          `json:"count"`
	Oldest     time.Time    `json:"oldest"`
	// OldestCase is the case stuck longest in the group, to start with.
	OldestCase string `json:"oldest_case"`
}

// StuckGroups counts the stuck cases by centre, LSP, reason and party waited on.
func (s *Store) StuckGroups(ctx context.Context) ([]StuckGroup, error) {
	rows, err := s.pool.Query(ctx, `
SELECT centre_code, lsp_code, stuck_code, waiting_on, count(*), min(stuck_since),
	(array_agg(case_id ORDER BY stuck_since, case_id))[1]
FROM cases WHERE stuck
GROUP BY centre_code, lsp_code, stuck_code, waiting_on
ORDER BY centre_code, lsp_code, stuck_code, waiting_on`)
	if err != nil {
		return nil, fmt.Errorf("group stuck cases: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (StuckGroup, error) {
		var g StuckGroup
		var oldest *time.Time
		err := row.Scan(&g.CentreCode, &g.LSPCode, &g.Reason, &g.WaitingOn, &g.Count, &oldest, &g.OldestCase)
		if oldest != nil {
			g.Oldest = *oldest
		}
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("group stuck cases: %w", err)
	}
	return out, nil
}
