package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// Funnel counts the cases of one centre (or of the whole network) by the milestones they
// reached, with the placement rates at 6 and 12 months.
type Funnel struct {
	CentreCode string `json:"centre,omitempty"`
	Cases      int    `json:"cases"`
	Enrolled   int    `json:"enrolled"`
	Insured    int    `json:"insured"`
	Trained    int    `json:"trained"` // graduated
	Assessed   int    `json:"assessed"`
	Competent  int    `json:"competent"`
	Certified  int    `json:"certified"`
	// Placed counts formal, informal and self-employed work (not continuing study).
	Placed int `json:"placed"`
	Open   int `json:"open"`
	Stuck  int `json:"stuck"`
	// Rate6 and Rate12: placed by 6 (12) months after graduation, among graduates whose 6 (12)
	// months have passed.
	Rate6  PlacementRate `json:"placement_6m"`
	Rate12 PlacementRate `json:"placement_12m"`
}

// PlacementRate is placed graduates over graduates old enough to count.
type PlacementRate struct {
	Placed    int      `json:"placed"`
	Graduates int      `json:"graduates"`
	Rate      *float64 `json:"rate"` // nil when no graduate is old enough yet
}

func (r *PlacementRate) compute() {
	r.Rate = nil
	if r.Graduates > 0 {
		v := float64(r.Placed) / float64(r.Graduates)
		r.Rate = &v
	}
}

// Add sums another funnel into f (for the network total).
func (f *Funnel) Add(o Funnel) {
	f.Cases += o.Cases
	f.Enrolled += o.Enrolled
	f.Insured += o.Insured
	f.Trained += o.Trained
	f.Assessed += o.Assessed
	f.Competent += o.Competent
	f.Certified += o.Certified
	f.Placed += o.Placed
	f.Open += o.Open
	f.Stuck += o.Stuck
	f.Rate6.Placed += o.Rate6.Placed
	f.Rate6.Graduates += o.Rate6.Graduates
	f.Rate12.Placed += o.Rate12.Placed
	f.Rate12.Graduates += o.Rate12.Graduates
	f.Rate6.compute()
	f.Rate12.compute()
}

// placedCategories is the SQL list of the categories that count as placement (work, not study),
// written from the vocabulary's constants: ('formal', 'informal', 'self-employed').
var placedCategories = func() string {
	var quoted []string
	for _, p := range vocab.Placements {
		if p.Placed() {
			quoted = append(quoted, "'"+string(p)+"'")
		}
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}()

// Funnels counts every centre's cases in one pass over the read model. month is the length of a
// follow-up month (journey.month); a graduate counts towards the m-month rate once m months have
// passed since graduation, and as placed when the reported work started within those m months.
func (s *Store) Funnels(ctx context.Context, now time.Time, month time.Duration) ([]Funnel, error) {
	return s.FunnelsIn(ctx, now, month, Scope{})
}

// FunnelsIn is Funnels counted over the cases of scope only: a centre admin's overview counts
// its centres, an LSP manager's the cases of its LSPs (by centre).
func (s *Store) FunnelsIn(ctx context.Context, now time.Time, month time.Duration, scope Scope) ([]Funnel, error) {
	six, twelve := 6*month, 12*month
	args := []any{now.Add(-six), now.Add(-twelve), six.Seconds(), twelve.Seconds()}
	conds, args := scope.conds("c", nil, args)
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.pool.Query(ctx, `
SELECT centre_code, count(*),
	count(*) FILTER (WHERE enrolled), count(*) FILTER (WHERE insured), count(*) FILTER (WHERE graduated),
	count(*) FILTER (WHERE assessed), count(*) FILTER (WHERE competent), count(*) FILTER (WHERE certified),
	count(*) FILTER (WHERE placement_category IN `+placedCategories+`),
	count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE stuck),
	count(*) FILTER (WHERE graduated AND graduated_on <= $1),
	count(*) FILTER (WHERE graduated AND graduated_on <= $1 AND placement_category IN `+placedCategories+`
		AND placed_on <= graduated_on + make_interval(secs => $3)),
	count(*) FILTER (WHERE graduated AND graduated_on <= $2),
	count(*) FILTER (WHERE graduated AND graduated_on <= $2 AND placement_category IN `+placedCategories+`
		AND placed_on <= graduated_on + make_interval(secs => $4))
FROM cases c`+where+` GROUP BY centre_code ORDER BY centre_code`,
		// Sent as literals: the planner then folds the intervals once, where a generic plan of
		// a prepared statement would call make_interval for every graduate's row.
		append([]any{pgx.QueryExecModeSimpleProtocol}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("count the funnel: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Funnel, error) {
		var f Funnel
		err := row.Scan(&f.CentreCode, &f.Cases, &f.Enrolled, &f.Insured, &f.Trained, &f.Assessed, &f.Competent,
			&f.Certified, &f.Placed, &f.Open, &f.Stuck, &f.Rate6.Graduates, &f.Rate6.Placed,
			&f.Rate12.Graduates, &f.Rate12.Placed)
		f.Rate6.compute()
		f.Rate12.compute()
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("count the funnel: %w", err)
	}
	return out, nil
}
