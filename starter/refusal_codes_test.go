package starter

import (
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// throughTemporal is err as a client receives it: turned into a failure by the worker and
// back into an error by the client, with the default converters.
func throughTemporal(err error) error {
	fc := temporal.GetDefaultFailureConverter()
	return fmt.Errorf("update: %w", fc.FailureToError(fc.ErrorToFailure(err)))
}

// A refusal's code and parameters travel from the journey's error into starter's error types;
// the English sentence stays the Reason.
func TestClassifyKeepsTheRefusalsCode(t *testing.T) {
	stage := temporal.NewApplicationErrorWithOptions("cannot decide enrolment: case c1 is in stage training (needs enrolment)",
		workflows.ErrTypeRefusal, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{workflows.RefusalDetails{
			Code: "refusal.stage", Params: map[string]string{"action": "decide-enrolment", "case": "c1", "stage": "training", "needs": "enrolment"}}}})
	var refused *RefusedError
	if err := classify("c1", throughTemporal(stage)); !errors.As(err, &refused) {
		t.Fatalf("a refusal classified as %T %v", err, err)
	}
	if refused.Reason != "cannot decide enrolment: case c1 is in stage training (needs enrolment)" || refused.Code != "refusal.stage" ||
		refused.Params["stage"] != "training" || refused.Params["action"] != "decide-enrolment" {
		t.Errorf("refusal: %+v", refused)
	}

	full := temporal.NewNonRetryableApplicationError("package P1 is full: 16 of 16 seats taken", workflows.ErrTypePackageFull, nil,
		workflows.RefusalDetails{Code: "refusal.package-full", Params: map[string]string{"package": "P1", "taken": "16", "capacity": "16"}})
	var fe *FullError
	if err := classify("c1", throughTemporal(full)); !errors.As(err, &fe) {
		t.Fatalf("a full package classified as %T %v", err, err)
	}
	if fe.Reason != "package P1 is full: 16 of 16 seats taken" || fe.Code != "refusal.package-full" || fe.Params["taken"] != "16" {
		t.Errorf("full package: %+v", fe)
	}

	// A refusal without a code (an older worker's) keeps its sentence only.
	old := temporal.NewApplicationError("role \"viewer\" may not do this", "errorString")
	if err := classify("c1", throughTemporal(old)); !errors.As(err, &refused) || refused.Code != "" || refused.Reason != "role \"viewer\" may not do this" {
		t.Errorf("uncoded refusal: %T %+v", err, err)
	}
}

// A step sent to a closed case is refused with the case, its outcome and what there is no
// longer to do as codes.
func TestClosedCaseRefusalHasItsCode(t *testing.T) {
	e := closedError("c9", vocab.OutcomeWithdrawn, workflows.UpdateDecideEnrolment, &workflows.EnrolmentDecision{Approve: true})
	if e.Error() != "case c9 is closed (withdrawn): nothing to approve" {
		t.Errorf("English: %q", e.Error())
	}
	if e.Code != "refusal.closed" || e.Params["case"] != "c9" || e.Params["outcome"] != "withdrawn" || e.Params["nothing"] != "approve" {
		t.Errorf("code: %+v", e)
	}
	if e := closedError("c9", vocab.OutcomeRejected, workflows.UpdateRecordAttendance, nil); e.Params["nothing"] != "attendance" || e.Nothing != "no attendance to record" {
		t.Errorf("attendance: %+v", e)
	}
}

// A register's problems each carry their code, in the order of the sentences.
func TestRegisterProblemsHaveCodes(t *testing.T) {
	cases := []store.Case{
		{CaseID: "a", Status: store.StatusOpen, Stage: vocab.StageTraining},
		{CaseID: "b", Status: store.StatusOpen, Stage: vocab.StageTraining},
		{CaseID: "c", Status: store.StatusClosed, Outcome: vocab.OutcomeWithdrawn, Stage: vocab.StageClosed},
	}
	_, err := checkRegisterCases("P1", []string{"a", "c"}, []string{"x"}, cases)
	var inv *InvalidRequestError
	if !errors.As(err, &inv) {
		t.Fatalf("register: %v", err)
	}
	want := []string{"refusal.register-closed", "refusal.register-other-package", "refusal.register-missing"}
	if len(inv.Coded) != len(inv.Problems) || len(inv.Coded) != len(want) {
		t.Fatalf("problems %q, codes %+v", inv.Problems, inv.Coded)
	}
	for i, c := range want {
		if inv.Coded[i].Code != c {
			t.Errorf("problem %d %q: code %s, want %s", i, inv.Problems[i], inv.Coded[i].Code, c)
		}
	}
	if inv.Coded[2].Params["cases"] != "b" || inv.Coded[0].Params["outcome"] != "withdrawn" {
		t.Errorf("parameters: %+v", inv.Coded)
	}
}

// A step sent to a case row the caller has already read is refused from that row when it shows
// the case closed, as Update refuses it from the row it reads: nothing reaches Temporal (the
// service has no client here, so a call would panic).
func TestUpdateReadRefusesAClosedRow(t *testing.T) {
	s := &Service{}
	row := store.Case{CaseID: "c9", WorkflowID: "journey-x", Status: "closed", Outcome: vocab.OutcomeWithdrawn}
	_, err := s.UpdateRead(t.Context(), row, workflows.UpdateDecideEnrolment, &workflows.EnrolmentDecision{Approve: true})
	var closed *ClosedError
	if !errors.As(err, &closed) || closed.CaseID != "c9" || closed.Outcome != vocab.OutcomeWithdrawn || closed.Params["nothing"] != "approve" {
		t.Fatalf("closed row: %T %v", err, err)
	}
	if wid, err := openRow(store.Case{CaseID: "c9", WorkflowID: "journey-x", Status: "open"}, workflows.UpdateDecideEnrolment, nil); err != nil || wid != "journey-x" {
		t.Errorf("open row: %q %v", wid, err)
	}
}
