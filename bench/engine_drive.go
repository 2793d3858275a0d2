package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
)

// engineStarts starts n no-op workflows, concurrency at a time, and returns how long the starts
// took; it then waits (untimed) until every one has finished, so the next phase starts quiet.
func (r *runner) engineStarts(ctx context.Context, n, concurrency int) (time.Duration, error) {
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
				ID: fmt.Sprintf("%s-noop-%06d", r.prefix, i), TaskQueue: EngineTaskQueue,
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
	err := forEach(n, concurrency, func(i int) error { return runs[i].Get(ctx, nil) })
	return took, err
}

// engineJourneys runs n same-shape workflows, keeping inFlight open: each is started, sent its
// updates in order (each answered when the workflow has taken it, as a journey answers a
// person) and waited for.
func (r *runner) engineJourneys(ctx context.Context, plan []Step, n, inFlight int) (peopleResult, error) {
	updates := PlanUpdates(plan)
	res := peopleResult{latencies: make([]time.Duration, n)}
	var mu sync.Mutex
	res.first = time.Now()
	err := forEach(n, inFlight, func(i int) error {
		t0 := time.Now()
		id := fmt.Sprintf("%s-shape-%06d", r.prefix, i)
		run, err := r.sys.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: EngineTaskQueue}, ShapeWorkflowName, plan)
		if err != nil {
			return fmt.Errorf("start same-shape workflow %d: %w", i, err)
		}
		for k := range updates {
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
		if done.After(res.last) {
			res.last = done
		}
		res.ids = append(res.ids, id)
		mu.Unlock()
		return nil
	})
	return res, err
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
