package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// RevisionLean is the JourneyInput.Revision from which a journey is lean: cheaper for the engine
// without doing anything else. The read model is written once per workflow task instead of once
// per change: a journey made about 32 writes (local activities, each a history event and a
// PostgreSQL round trip) and 20 search attribute upserts (each a write of Temporal's visibility
// row), mostly several in one task, where only the last state of a task can ever be seen. And
// a deadline is cancelled when its wait ends in time: left running, it fires later into a
// workflow task with nothing to do (await.go). The revision travels in the input rather than
// through workflow.GetVersion, whose marker comes with a search attribute upsert of its own;
// journeys started before it (revision 0) keep their old ways, so their histories replay.
const RevisionLean = 1

// readModelSync holds the changes not yet written.
type readModelSync struct {
	pending []contract.CaseEvent
	dirty   bool // a change is waiting for the next write
	busy    bool // a write is running
}

// startReadModelSync makes a lean journey start the coroutine that writes its read model. The
// coroutine runs once the rest of the workflow is blocked, so every change of a workflow task
// goes out in one write, before the task completes (a workflow task waits for its local
// activities): an update's caller is answered after the read model shows the change, as before.
func (j *journey) startReadModelSync(ctx workflow.Context) {
	if j.in.Revision < RevisionLean {
		return
	}
	j.lean = true
	// The starter set these search attributes with the start; the first write need not repeat them.
	j.lastSA = saSnapshot{stage: string(vocab.StageEnrolment), entered: j.state.StageEnteredAt}
	if j.in.Quiet() {
		j.lastSA = saSnapshot{} // not stuck, no outcome (upsertQuietAttributes)
	}
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			if err := workflow.Await(ctx, func() bool { return j.sync.dirty }); err != nil {
				return
			}
			j.flush(ctx)
		}
	})
}

// queue notes a change and its events for the next write.
func (j *journey) queue(events []contract.CaseEvent) {
	j.sync.pending = append(j.sync.pending, events...)
	j.sync.dirty = true
}

// flush writes the current row with every queued event, one version per write, and refreshes
// the search attributes when they changed.
func (j *journey) flush(ctx workflow.Context) {
	j.sync.busy = true
	defer func() { j.sync.busy = false }()
	j.state.Version++
	in := contract.SyncInput{Case: j.caseRow(workflow.Now(ctx)), Events: j.sync.pending}
	j.sync.pending, j.sync.dirty = nil, false
	j.writeReadModel(ctx, in)
	j.upsertSearchAttributes(ctx)
}

// synced waits until every change has been written; the journey calls it before it completes,
// since a coroutine's pending work ends with the workflow.
func (j *journey) synced(ctx workflow.Context) error {
	if !j.lean {
		return nil
	}
	return workflow.Await(ctx, func() bool { return !j.sync.dirty && !j.sync.busy })
}
