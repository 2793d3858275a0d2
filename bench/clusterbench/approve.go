package clusterbench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// approve approves n enrolments of a package through the API as its centre admin, at
// ApprovalRate per second (arrivals do not wait for answers, as people do not wait for each
// other), and times each answer. The approved journeys go on to their insurance and then wait
// for their training months away: they stay open.
func (r *run) approve(ctx context.Context, pkg string, n int) (Latencies, error) {
	if n <= 0 {
		return Latencies{}, nil
	}
	rows, err := r.rm.Query(ctx, `SELECT case_id FROM cases WHERE package_code = $1 AND waiting_on = $2 ORDER BY case_id LIMIT $3`, pkg, vocab.WaitingCentreAdmin, n)
	if err != nil {
		return Latencies{}, fmt.Errorf("cases to approve: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return Latencies{}, fmt.Errorf("cases to approve: %w", err)
	}
	lat := make([]time.Duration, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := 0
	tick := time.NewTicker(time.Duration(float64(time.Second) / r.o.ApprovalRate))
	defer tick.Stop()
	for i, id := range ids {
		if i > 0 {
			select {
			case <-ctx.Done():
				return Latencies{}, ctx.Err()
			case <-tick.C:
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			_, err := r.admin.DecideEnrolment(ctx, id, workflows.EnrolmentDecision{Approve: true})
			lat[i] = time.Since(t0)
			if err != nil {
				mu.Lock()
				errs++
				mu.Unlock()
				r.o.Logger.Warn("bench cluster: approval failed", "error", err)
			}
		}()
	}
	wg.Wait()
	return summarise(lat, errs), nil
}
