package bench

import (
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/proto"
)

// Shape counts what one workflow's history holds: what the engine did for it.
type Shape struct {
	Events int `json:"events"`
	// Bytes is the serialized size of the history, as the server stores it.
	Bytes           int `json:"bytes"`
	WorkflowTasks   int `json:"workflow_tasks"`
	Activities      int `json:"activities"`
	TimersStarted   int `json:"timers_started"`
	TimersFired     int `json:"timers_fired"`
	Updates         int `json:"updates"`
	Signals         int `json:"signals"`
	LocalActivities int `json:"local_activities"`
	UpsertSA        int `json:"search_attribute_upserts"`
	// Commands are the events the worker asked for in its workflow task completions.
	Commands int `json:"commands"`
	// Actions approximate Temporal Cloud's billable actions: the start, each activity attempt,
	// timer, signal, update and search attribute upsert, and the local activities of one workflow
	// task together as one.
	Actions int `json:"actions"`
}

// commandEvents are the event types a workflow task's commands produce.
var commandEvents = map[enumspb.EventType]bool{
	enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:                      true,
	enumspb.EVENT_TYPE_TIMER_STARTED:                                true,
	enumspb.EVENT_TYPE_TIMER_CANCELED:                               true,
	enumspb.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:               true,
	enumspb.EVENT_TYPE_MARKER_RECORDED:                              true,
	enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:            true,
	enumspb.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:                 true,
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:                 true,
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:                    true,
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:          true,
	enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:     true,
	enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: true,
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:           true, // protocol messages, answered like commands
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:          true,
}

// ShapeOf counts a history.
func ShapeOf(h *historypb.History) Shape {
	s := Shape{Events: len(h.GetEvents()), Bytes: proto.Size(h), Actions: 1}
	laTasks := map[int64]bool{}
	for _, e := range h.GetEvents() {
		t := e.GetEventType()
		if commandEvents[t] {
			s.Commands++
		}
		switch t {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			s.WorkflowTasks++
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			s.Activities++
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			s.Actions += int(max(1, e.GetActivityTaskStartedEventAttributes().GetAttempt()))
		case enumspb.EVENT_TYPE_TIMER_STARTED:
			s.TimersStarted++
			s.Actions++
		case enumspb.EVENT_TYPE_TIMER_FIRED:
			s.TimersFired++
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			s.Updates++
			s.Actions++
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
			s.Signals++
			s.Actions++
		case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
			s.UpsertSA++
			s.Actions++
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			m := e.GetMarkerRecordedEventAttributes()
			if m.GetMarkerName() == localActivityMarker {
				s.LocalActivities++
				laTasks[m.GetWorkflowTaskCompletedEventId()] = true
			} else {
				s.Actions++
			}
		}
	}
	s.Actions += len(laTasks)
	return s
}

// localActivityMarker is the marker the Go SDK records for a local activity.
const localActivityMarker = "LocalActivity"

// StepKind is one thing the same-shape engine workflow does.
type StepKind string

// The steps of a same-shape plan.
const (
	StepActivity  StepKind = "activity"   // run a no-op activity and wait for it
	StepSleep     StepKind = "sleep"      // a timer that fires
	StepIdleTimer StepKind = "idle-timer" // a timer started and never waited for (an SLA deadline)
	StepUpdate    StepKind = "update"     // wait for the next update
)

// Step is one step of a same-shape plan.
type Step struct {
	Kind     StepKind      `json:"kind"`
	Duration time.Duration `json:"duration,omitempty"`
	// Announces marks the last activity before an update: when it runs, the update's sender
	// knows the workflow is about to wait for it.
	Announces bool `json:"announces,omitempty"`
	// Until makes a sleep last until this long after the workflow started, as a journey waits
	// for its package's first and last training day (DatePlan); 0 sleeps Duration.
	Until time.Duration `json:"until,omitempty"`
}

// dateSlack is how long after a date a timer may end for DatePlan to take it as that date's
// wait: the journey computes the timer from its task's start, the event is stamped at the
// task's end, after its read-model write.
const dateSlack = time.Second

// DatePlan makes the plan's sleeps that waited for one of the given dates in a journey's
// history (its package's first and last training day) wait for the same time after the
// workflow's start as the date was after origin (the journey's cohort was launched). A journey
// reaches its first training day at the same time however long enrolment and insurance took;
// a sleep of the recorded length made the same-shape workflow later by as much as its own
// steps before it took longer than the recorded journey's, which under load favoured the
// journeys (2.5 s of 30 at a lead of 20 s).
func DatePlan(plan []Step, h *historypb.History, origin time.Time, dates ...time.Time) []Step {
	fired := firedTimers(h)
	out := slices.Clone(plan)
	used := make([]bool, len(dates))
	sleep := 0 // the index in out of the next sleep
	for _, e := range h.GetEvents() {
		if e.GetEventType() != enumspb.EVENT_TYPE_TIMER_STARTED || !fired[e.GetEventId()] {
			continue
		}
		for sleep < len(out) && out[sleep].Kind != StepSleep {
			sleep++
		}
		if sleep == len(out) {
			break
		}
		ends := e.GetEventTime().AsTime().Add(e.GetTimerStartedEventAttributes().GetStartToFireTimeout().AsDuration())
		for i, d := range dates {
			// The first timer to end just after a date is its wait (later ones, such as a poll
			// started right at the date, are not).
			if gap := ends.Sub(d); !used[i] && gap >= 0 && gap < dateSlack {
				out[sleep].Until, used[i] = d.Sub(origin), true
				break
			}
		}
		sleep++
	}
	return out
}

// firedTimers are the started events of the history's timers that fired, by event ID.
func firedTimers(h *historypb.History) map[int64]bool {
	fired := map[int64]bool{}
	for _, e := range h.GetEvents() {
		if e.GetEventType() == enumspb.EVENT_TYPE_TIMER_FIRED {
			fired[e.GetTimerFiredEventAttributes().GetStartedEventId()] = true
		}
	}
	return fired
}

// PlanOf derives, from a journey's history, a plan with the same activities, timers (with the
// durations of those that fired) and updates in the same order, leaving out what kompeten adds
// on its own account: local activities (the read model) and search attribute upserts. Run by
// SameShapeWorkflow, it is the engine doing the journey's work and nothing else.
func PlanOf(h *historypb.History) []Step {
	fired := firedTimers(h)
	var plan []Step
	for _, e := range h.GetEvents() {
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			plan = append(plan, Step{Kind: StepActivity})
		case enumspb.EVENT_TYPE_TIMER_STARTED:
			if fired[e.GetEventId()] {
				plan = append(plan, Step{Kind: StepSleep, Duration: e.GetTimerStartedEventAttributes().GetStartToFireTimeout().AsDuration()})
			} else {
				plan = append(plan, Step{Kind: StepIdleTimer})
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			for i := len(plan) - 1; i >= 0 && plan[i].Kind != StepUpdate; i-- {
				if plan[i].Kind == StepActivity {
					plan[i].Announces = true
					break
				}
			}
			plan = append(plan, Step{Kind: StepUpdate})
		}
	}
	return plan
}

// PlanUpdates counts the updates a plan waits for.
func PlanUpdates(plan []Step) int {
	n := 0
	for _, s := range plan {
		if s.Kind == StepUpdate {
			n++
		}
	}
	return n
}
