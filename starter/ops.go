package starter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	failurepb "go.temporal.io/api/failure/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// PendingCall is one activity the journey is waiting for, as Temporal sees it now: the live
// counterpart of the read model's attempts and last error.
type PendingCall struct {
	ActivityID string `json:"activity_id"`
	Type       string `json:"type"`
	// State is scheduled (waiting for a worker or for its next attempt), started, paused or
	// cancel-requested.
	State         string     `json:"state"`
	Attempt       int32      `json:"attempt"`
	LastFailure   string     `json:"last_failure,omitempty"`
	LastStartedAt *time.Time `json:"last_started_at,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	// Failing says the call has failed at least once and is being retried.
	Failing bool `json:"failing"`
}

// WorkflowInfo is a case's workflow as Temporal describes it.
type WorkflowInfo struct {
	WorkflowID    string        `json:"workflow_id"`
	RunID         string        `json:"run_id"`
	Status        string        `json:"status"` // running, completed, failed, …
	HistoryLength int64         `json:"history_length"`
	WebUIURL      string        `json:"web_ui_url,omitempty"`
	Pending       []PendingCall `json:"pending"`
}

// ErrNothingToRetry is returned by Retry when no call of the case is failing.
var ErrNothingToRetry = errors.New("nothing to retry")

// Describe asks Temporal for a case's workflow: its status and the calls it waits for, with
// their attempt counts and last failures (decoded with the payload keys).
func (s *Service) Describe(ctx context.Context, caseID string) (WorkflowInfo, error) {
	wid, err := s.workflowID(ctx, caseID)
	if err != nil {
		return WorkflowInfo{}, err
	}
	resp, err := s.Temporal.DescribeWorkflowExecution(ctx, wid, "")
	if err != nil {
		return WorkflowInfo{}, classify(caseID, err)
	}
	ex := resp.GetWorkflowExecutionInfo()
	info := WorkflowInfo{
		WorkflowID:    wid,
		RunID:         ex.GetExecution().GetRunId(),
		Status:        strings.ToLower(strings.TrimPrefix(ex.GetStatus().String(), "WORKFLOW_EXECUTION_STATUS_")),
		HistoryLength: ex.GetHistoryLength(),
		WebUIURL:      s.WebUIURL(wid, ex.GetExecution().GetRunId()),
		Pending:       []PendingCall{},
	}
	for _, p := range resp.GetPendingActivities() {
		pc := PendingCall{
			ActivityID:    p.GetActivityId(),
			Type:          p.GetActivityType().GetName(),
			State:         strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(p.GetState().String(), "PENDING_ACTIVITY_STATE_"), "_", "-")),
			Attempt:       p.GetAttempt(),
			LastStartedAt: timeOf(p.GetLastStartedTime()),
			NextAttemptAt: timeOf(p.GetNextAttemptScheduleTime()),
			Failing:       p.GetLastFailure() != nil,
		}
		if f := p.GetLastFailure(); f != nil {
			pc.LastFailure = s.failureText(f)
		}
		info.Pending = append(info.Pending, pc)
	}
	return info, nil
}

// WebUIURL links a workflow in the Temporal Web UI (temporal.web_ui_url); "" when not set.
func (s *Service) WebUIURL(workflowID, runID string) string {
	base := strings.TrimRight(s.Config.Temporal.WebUIURL, "/")
	if base == "" {
		return ""
	}
	u := base + "/namespaces/" + url.PathEscape(s.Config.Temporal.Namespace) + "/workflows/" + url.PathEscape(workflowID)
	if runID != "" {
		u += "/" + url.PathEscape(runID) + "/history"
	}
	return u
}

// RetryResult names the calls that were retried.
type RetryResult struct {
	CaseID string        `json:"case_id"`
	Reset  []PendingCall `json:"reset"`
}

// Retry resets every failing call of a case through Temporal's ResetActivity: the attempt count
// starts again at 1 and a call waiting out its backoff is scheduled at once, so a case whose
// partner is back does not wait up to 10 minutes for its next attempt. A call that has not
// failed is left alone; with none failing, it returns ErrNothingToRetry.
func (s *Service) Retry(ctx context.Context, caseID, identity string) (RetryResult, error) {
	res := RetryResult{CaseID: caseID, Reset: []PendingCall{}}
	info, err := s.Describe(ctx, caseID)
	if err != nil {
		return res, err
	}
	for _, p := range info.Pending {
		if !p.Failing {
			continue
		}
		_, err := s.Temporal.WorkflowService().ResetActivity(ctx, &workflowservice.ResetActivityRequest{
			Namespace: s.Config.Temporal.Namespace,
			Execution: &commonpb.WorkflowExecution{WorkflowId: info.WorkflowID, RunId: info.RunID},
			Identity:  identity,
			Activity:  &workflowservice.ResetActivityRequest_Id{Id: p.ActivityID},
		})
		if err != nil {
			return res, fmt.Errorf("case %s: reset %s: %w", caseID, p.Type, err)
		}
		res.Reset = append(res.Reset, p)
	}
	if len(res.Reset) == 0 {
		return res, fmt.Errorf("%w: case %s has no failing call (%d pending)", ErrNothingToRetry, caseID, len(info.Pending))
	}
	return res, nil
}

// StartEscalation starts the workflow that notifies the role an escalation is for; it returns
// the workflow ID.
func (s *Service) StartEscalation(ctx context.Context, in workflows.EscalationInput) (string, error) {
	id := fmt.Sprintf("escalation/%s/%d", in.CaseID, in.At.UnixNano())
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.TaskQueue},
		workflows.EscalationWorkflowName, in)
	if err != nil {
		return "", fmt.Errorf("start escalation of case %s: %w", in.CaseID, err)
	}
	return id, nil
}

// failureText decodes a failure's message: kompeten's failure converter encrypts messages, so
// the server only holds "Encoded failure".
func (s *Service) failureText(f *failurepb.Failure) string {
	fc := s.failureConverter()
	if fc == nil {
		return f.GetMessage()
	}
	err := fc.FailureToError(f)
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message() // without the error type and retry flag the SDK appends
	}
	if err != nil {
		return err.Error()
	}
	return f.GetMessage()
}

// failureConverters caches the failure converter per configuration (a process may hold several
// services in tests); building one reads the payload keys.
var failureConverters sync.Map // *config.Config -> converter.FailureConverter (nil when no keys)

// failureConverter is the one every kompeten client uses (see temporalclient.Dial); nil when the
// payload keys cannot be loaded, in which case messages are shown as the server has them.
func (s *Service) failureConverter() converter.FailureConverter {
	if v, ok := failureConverters.Load(s.Config); ok {
		fc, _ := v.(converter.FailureConverter)
		return fc
	}
	var fc converter.FailureConverter
	if ring, err := temporalclient.Keyring(s.Config); err == nil {
		fc = codec.FailureConverter(codec.DataConverter(ring))
	}
	failureConverters.Store(s.Config, fc)
	return fc
}

func timeOf(ts *timestamppb.Timestamp) *time.Time {
	if ts == nil || (ts.GetSeconds() == 0 && ts.GetNanos() == 0) {
		return nil
	}
	t := ts.AsTime()
	return &t
}
