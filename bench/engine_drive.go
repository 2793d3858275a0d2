package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
)

// engineStarts starts n no-op workflows, concurrency at a time, and returns how long the starts
// took; it then waits (untimed) until every one has finished, so the next phase starts quiet.
func (r *runner) engineStarts(ctx context.Context, from, n, concurrency int) (time.Duration, error) {
	runs := make([]client.WorkflowRun, n)
	errs := make([]error, n)
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			runs[i], errs[i] = r.sys.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: fmt.Sprintf("%s-noop-%06d", r.prefix, from+i), TaskQueue: EngineTaskQueue,
			}, NoopWorkflowName)
		}(i)
	}
	wg.Wait()
	took := time.Since(t0)
	for i, err := range errs {
		if err != nil {
			return took, fmt.Errorf("start no-op workflow %d: %w", i, err)
		}
	}
	// Each finishes within its first workflow task; a long wait means the server lost track.
	wctx, cancel := context.WithTimeout(ctx, time.Duration(n)*20*time.Millisecond+time.Minute)
	defer cancel()
	err := forEach(n, concurrency, func(i int) error {
		if err := runs[i].Get(wctx, nil); err != nil {
			return fmt.Errorf("no-op workflow %s: %w%s", runs[i].GetID(), err, r.describe(ctx, runs[i].GetID()))
		}
		return nil
	})
	return took, err
}

// describe says what the server knows about a workflow that did not finish, for the error.
func (r *runner) describe(ctx context.Context, id string) string {
	d, err := r.sys.tc.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return " (describe: " + err.Error() + ")"
	}
	return fmt.Sprintf(" (status %s, history length %d, pending workflow task %v)",
		d.GetWorkflowExecutionInfo().GetStatus(), d.GetWorkflowExecutionInfo().GetHistoryLength(), d.GetPendingWorkflowTask())
}

// engineJourneys runs n same-shape workflows, keeping inFlight open: each is started, sent its
// updates in order (each answered when the workflow has taken it, as a journey answers a
// person) and waited for.
func (r *runner) engineJourneys(ctx context.Context, plan []Step, from, n, inFlight int) (peopleResult, error) {
	updates := PlanUpdates(plan)
	// announced[k]: an activity tells when the workflow is about to wait for update k.
	announced := make([]bool, updates)
	k := 0
	for _, st := range plan {
		switch {
		case st.Kind == StepActivity && st.Announces:
			announced[k] = true
		case st.Kind == StepUpdate:
			k++
		}
	}
	res := peopleResult{latencies: make([]time.Duration, n), closes: make([]time.Time, n)}
	var mu sync.Mutex
	res.first = time.Now()
	// Admitted as the journeys are: a cohort at a time, when a cohort's places are free.
	err := forEachInCohorts(ctx, n, r.o.CohortSize, inFlight, func(i int) error {
		t0 := time.Now()
		id := fmt.Sprintf("%s-shape-%06d", r.prefix, from+i)
		ready := make([]chan struct{}, updates)
		for k := range ready {
			ready[k] = make(chan struct{}, 1)
			waiters.Store(waiterKey(id, k), ready[k])
			defer waiters.Delete(waiterKey(id, k))
		}
		run, err := r.sys.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: EngineTaskQueue}, ShapeWorkflowName, plan)
		if err != nil {
			return fmt.Errorf("start same-shape workflow %d: %w", i, err)
		}
		for k := range updates {
			// A person sees the case waiting at their next look at the list: within a poll
			// interval of the last activity before the wait.
			if announced[k] {
				select {
				case <-ready[k]:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			time.Sleep(time.Duration(rand.Int64N(int64(r.o.PollInterval))))
			h, err := r.sys.tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: id, UpdateName: ShapeUpdateName, Args: []any{k}, WaitForStage: client.WorkflowUpdateStageCompleted,
			})
			if err == nil {
				err = h.Get(ctx, nil)
			}
			if err != nil {
				return fmt.Errorf("update %d of same-shape workflow %d: %w", k, i, err)
			}
		}
		if err := run.Get(ctx, nil); err != nil {
			return fmt.Errorf("same-shape workflow %d: %w", i, err)
		}
		done := time.Now()
		mu.Lock()
		res.latencies[i] = done.Sub(t0)
		res.closes[i] = done
		if done.After(res.last) {
			res.last = done
		}
		res.ids = append(res.ids, id)
		mu.Unlock()
		return nil
	})
	return res, err
}

// forEachInCohorts runs f(0..n-1) as the throughput phase admits journeys: size at a time (a
// cohort), each cohort started once size of the limit places are free, and a place freed as
// each f returns. Run one by one instead, the same-shape side kept every place busy while the
// journeys' side, admitting a cohort of 16 only when 16 places were free, averaged about 8
// fewer open: a difference of the driver, not of kompeten. It returns the first error.
func forEachInCohorts(ctx context.Context, n, size, limit int, f func(i int) error) error {
	size = max(1, min(size, limit))
	places := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for from := 0; from < n; from += size {
		k := min(size, n-from)
		for range k {
			select {
			case places <- struct{}{}:
			case <-ctx.Done():
				wg.Wait()
				return ctx.Err()
			}
		}
		for i := from; i < from+k; i++ {
			wg.Add(1)
			go func(i int) {
				defer func() { <-places; wg.Done() }()
				if err := f(i); err != nil {
					once.Do(func() { first = err })
				}
			}(i)
		}
	}
	wg.Wait()
	return first
}

// forEach runs f(0..n-1), at most limit at once, and returns the first error.
func forEach(n, limit int, f func(i int) error) error {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			if err := f(i); err != nil {
				once.Do(func() { first = err })
			}
		}(i)
	}
	wg.Wait()
	return first
}
