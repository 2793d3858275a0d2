package worker

import (
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// ActorCheck is the worker interceptor that lets nothing change a journey or an agreement unless
// kompeten vouched for it with a claim signed with the shared key (security.actor_key):
//
//   - a start must carry the claim of kompeten's API (journeys, created and seeded agreements)
//     or of its workers (a renewal's successor, a continue-as-new); a workflow started by anyone
//     else ends at its first task, "not started by kompeten", before it writes anything;
//   - a person's step (an update) must carry the API's claim on exactly this argument, for this
//     workflow, issued within the claim window, with an ID the workflow has not taken before;
//   - a signal likewise, with the API's claim (partner files) or the worker's (an MoU's news to
//     its PKS, an agreement's nudge to waiting journeys), and sealed with kompeten's payload
//     keys; a refused signal is dropped and logged, since nobody waits for its answer.
//
// A plain (unencrypted) payload carries no claim as far as the worker is concerned (the codec
// drops it), so anything sent with the SDK's default converter is refused as unsigned.
//
// Why an interceptor: the key must not enter workflow code or history. Every check is a pure
// function of the message, the key and the workflow's own history (its start, the claims it took,
// its time), so replay is deterministic: update validators do not run on replay at all; a signal
// is judged again on every replay, the same way as long as the key is the same. Histories
// recorded before these checks replay under the rules they ran with (see legacy.go).
type ActorCheck struct {
	interceptor.WorkerInterceptorBase
	// Key is security.actor_key; the API and the workers sign with the same key.
	Key []byte
	// Converter decodes signal payloads (sealed: the client's data converter).
	Converter converter.DataConverter
}

// NewActorCheck returns the interceptor for key; dc decodes signal arguments.
func NewActorCheck(key []byte, dc converter.DataConverter) *ActorCheck {
	return &ActorCheck{Key: key, Converter: dc}
}

// InterceptWorkflow guards journeys and agreements, the workflows whose state is a case or an
// agreement; the operations workflows (escalations, the digest) change neither.
func (a *ActorCheck) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	kind := workflow.GetInfo(ctx).WorkflowType.Name
	if kind != workflows.JourneyWorkflowName && kind != workflows.MoUWorkflowName {
		return next
	}
	return &guardedRun{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, check: a, kind: kind, taken: &ledger{}}
}
