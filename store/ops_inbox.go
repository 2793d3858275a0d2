package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// WaitFilter narrows the open cases waiting on one party at one stage (an inbox group).
type WaitFilter struct {
	// Scope keeps only the cases a scoped reader may see (see Scope).
	Scope
	WaitingOn vocab.Party // required: who the case waits on
	Stage     vocab.Stage // required: the stage of the wait
	// Reason keeps only the cases stuck with it; NotReasons leaves out those stuck with one of
	// them (a case stuck otherwise, or not stuck, stays).
	Reason     vocab.Reason
	NotReasons []vocab.Reason
	CentreCode string
	LSPCode    string
	// PackageCode keeps only the cases of one package (a bulk decision's filter).
	PackageCode string
	Limit       int // 0 means no limit
	Offset      int // cases to skip, for paging
}

// WaitingCases lists open cases waiting on f.WaitingOn in f.Stage, the longest waiting first,
// with the number of such cases in all. The inbox index (migration 00003) serves it.
func (s *Store) WaitingCases(ctx context.Context, f WaitFilter) (int, []Case, error) {
	if f.WaitingOn == "" || f.Stage == "" {
		return 0, nil, fmt.Errorf("waiting cases: waiting_on and stage are required: %w", ErrInvalid)
	}
	args := []any{f.WaitingOn, f.Stage}
	conds := []string{"c.status = 'open'", "c.waiting_on <> ''", "c.waiting_on = $1", "c.stage = $2"}
	add := func(col, val string) {
		if val != "" {
			args = append(args, val)
			conds = append(conds, "c."+col+" = $"+strconv.Itoa(len(args)))
		}
	}
	add("stuck_code", string(f.Reason))
	if len(f.NotReasons) > 0 {
		args = append(args, vocab.Strings(f.NotReasons))
		conds = append(conds, "c.stuck_code <> ALL($"+strconv.Itoa(len(args))+")")
	}
	add("centre_code", f.CentreCode)
	add("lsp_code", f.LSPCode)
	add("package_code", f.PackageCode)
	conds, args = f.Scope.conds("c", conds, args)
	where := " WHERE " + strings.Join(conds, " AND ")
	what := "cases waiting on " + string(f.WaitingOn) + " in " + string(f.Stage)
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM cases c`+where, args...).Scan(&total); err != nil {
		return 0, nil, fmt.Errorf("count %s: %w", what, err)
	}
	q := `SELECT ` + caseColumns + ` FROM cases c` + where + ` ORDER BY c.stage_entered_at, c.case_id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	if f.Offset > 0 {
		args = append(args, f.Offset)
		q += ` OFFSET $` + strconv.Itoa(len(args))
	}
	cs, err := s.queryCases(ctx, what, q, args...)
	if err != nil {
		return 0, nil, err
	}
	if cs == nil {
		cs = []Case{}
	}
	return total, cs, nil
}
