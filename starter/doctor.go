package starter

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Drift is one difference between Temporal (the source of truth) and the read model.
type Drift struct {
	CaseID     string `json:"case_id"`
	WorkflowID string `json:"workflow_id"`
	// Problem says what differs, in words ("stage: read model training, workflow assessment").
	Problem string `json:"problem"`
	// Repaired is true when --repair rewrote the row from the workflow's state.
	Repaired bool `json:"repaired"`
	// RepairError says why a repair did not apply.
	RepairError string `json:"repair_error,omitempty"`
}

// DoctorReport is the outcome of one comparison.
type DoctorReport struct {
	Checked int     `json:"checked"`
	Drifts  []Drift `json:"drifts"`
	// Numbers are cases showing a KPJ or certificate number that belongs to another person
	// (store.NumberConflicts): duplicates from before numbers were claimed, or written by
	// journeys of older revisions. No repair: a person has to find out whose number it is.
	Numbers []store.NumberConflict `json:"numbers"`
}

// Doctor lists the numbers held by two people (DoctorReport.Numbers) and compares every open case of the read model and every running journey in Temporal's
// visibility with the journey's own state (the state query): stage, status, outcome, waiting
// party, stuck mark, version and placement follow-up. With repair it rewrites a drifted row from the workflow's
// state, with the workflow's version (store.UpsertCase), so the next projection of the
// journey still applies, and recreates the row of a running journey that has none.
func (s *Service) Doctor(ctx context.Context, repair bool) (DoctorReport, error) {
	var rep DoctorReport
	rows := map[string]store.Case{}
	for offset := 0; ; offset += 1000 {
		cs, err := s.Store.ListCases(ctx, store.CaseFilter{Status: store.StatusOpen, Limit: 1000, Offset: offset})
		if err != nil {
			return rep, fmt.Errorf("doctor: list open cases: %w", err)
		}
		for _, c := range cs {
			rows[c.WorkflowID] = c
		}
		if len(cs) < 1000 {
			break
		}
	}
	running, err := s.runningJourneys(ctx)
	if err != nil {
		return rep, err
	}
	for _, wid := range running {
		if _, ok := rows[wid]; !ok {
			c, err := s.Store.GetCaseByWorkflowID(ctx, wid)
			if errors.Is(err, store.ErrNotFound) {
				rep.Drifts = append(rep.Drifts, s.missingRow(ctx, wid, repair))
				continue
			}
			if err != nil {
				return rep, err
			}
			rows[wid] = c
		}
	}
	if rep.Numbers, err = s.Store.NumberConflicts(ctx); err != nil {
		return rep, fmt.Errorf("doctor: %w", err)
	}
	for wid, row := range rows {
		rep.Checked++
		st, err := s.stateOf(ctx, wid)
		if err != nil {
			rep.Drifts = append(rep.Drifts, Drift{CaseID: row.CaseID, WorkflowID: wid, Problem: "no state from the workflow: " + err.Error()})
			continue
		}
		want := RowFromState(row, st)
		problem := compareRows(row, want)
		if problem == "" {
			continue
		}
		d := Drift{CaseID: row.CaseID, WorkflowID: wid, Problem: problem}
		if repair {
			if err := s.Store.UpsertCase(ctx, want); err != nil {
				d.RepairError = err.Error()
			} else if again, err := s.Store.GetCase(ctx, row.CaseID); err != nil {
				d.RepairError = err.Error()
			} else if left := compareRows(again, want); left != "" {
				d.RepairError = fmt.Sprintf("the row's version %d is newer than the workflow's %d; not overwritten (%s)", again.Version, want.Version, left)
			} else {
				d.Repaired = true
			}
		}
		rep.Drifts = append(rep.Drifts, d)
	}
	return rep, nil
}

// missingRow reports a running journey without a read-model row and, with repair, recreates
// the row from the workflow (recreateRow); without it the row would come back only at the
// journey's next write, and until then the case answers 404 to the step it waits for.
func (s *Service) missingRow(ctx context.Context, wid string, repair bool) Drift {
	d := Drift{WorkflowID: wid, Problem: missingRowProblem}
	if !repair {
		return d
	}
	row, err := s.recreateRow(ctx, wid)
	d.CaseID = row.CaseID
	if err != nil {
		d.RepairError = err.Error()
		return d
	}
	d.Repaired = true
	return d
}

// runningJourneys lists the workflow IDs of running journeys from Temporal's visibility.
func (s *Service) runningJourneys(ctx context.Context) ([]string, error) {
	var ids []string
	var token []byte
	for {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query:         fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running'", workflows.JourneyWorkflowName),
			NextPageToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("doctor: list running journeys: %w", err)
		}
		for _, e := range resp.Executions {
			ids = append(ids, e.Execution.WorkflowId)
		}
		token = resp.NextPageToken
		if len(token) == 0 {
			return ids, nil
		}
	}
}

func (s *Service) stateOf(ctx context.Context, wid string) (workflows.CaseState, error) {
	var st workflows.CaseState
	v, err := s.Temporal.QueryWorkflow(ctx, wid, "", workflows.QueryState)
	if err != nil {
		return st, err
	}
	return st, v.Get(&st)
}

// RowFromState is the read-model row the journey would write for state st; row supplies what the
// state does not carry (workflow ID, NIK hash, attempts). It mirrors the journey's projection
// (workflows caseRow and milestones).
func RowFromState(row store.Case, st workflows.CaseState) store.Case {
	c := row
	c.Stage, c.Status, c.Outcome = st.Stage, store.StatusOpen, st.Outcome
	if st.Stage == vocab.StageClosed {
		c.Status = store.StatusClosed
	}
	c.PackageCode, c.CentreCode, c.LSPCode = st.PackageCode, st.CentreCode, st.LSPCode
	c.WaitingOn, c.Stuck, c.StuckCode, c.StuckReason, c.StuckSince = st.WaitingOn, st.Stuck, st.StuckCode, st.StuckReason, st.StuckSince
	c.StageEnteredAt, c.KPJ, c.Version, c.UpdatedAt = st.StageEnteredAt, st.Insurance.KPJ, st.Version, time.Now()
	if st.Certification.Certificate != nil {
		c.CertificateNo = st.Certification.Certificate.Number
	}
	c.Enrolled = st.Enrolment.Decision != nil && st.Enrolment.Decision.Approve
	c.Insured = st.Insurance.KPJ != ""
	c.Graduated = st.Training.Graduated
	c.Assessed = c.Assessed || len(st.Assessment.Results) > 0
	c.Competent = st.Assessment.Competent != nil && *st.Assessment.Competent
	c.Certified = st.Certification.Certificate != nil
	c.FollowUp = nil
	if f := workflows.FollowUpRow(st); f != nil {
		c.FollowUp = &store.FollowUp{Next: f.Next, Missed: f.Missed, Unanswered: f.Unanswered, Contact: f.Contact,
			ContactAt: f.ContactAt, ContactNote: f.ContactNote, ConfirmUntil: f.ConfirmUntil, Employer: f.Employer}
	}
	return c
}

// compareRows words the differences that matter to people reading lists: stage, status,
// outcome, waiting party, stuck mark, version and the placement follow-up.
func compareRows(got, want store.Case) string {
	var diffs []string
	add := func(what, g, w string) {
		if g != w {
			diffs = append(diffs, fmt.Sprintf("%s: read model %q, workflow %q", what, g, w))
		}
	}
	add("stage", string(got.Stage), string(want.Stage))
	add("status", got.Status, want.Status)
	add("outcome", string(got.Outcome), string(want.Outcome))
	add("waiting on", string(got.WaitingOn), string(want.WaitingOn))
	add("stuck", fmt.Sprint(got.Stuck), fmt.Sprint(want.Stuck))
	add("stuck code", string(got.StuckCode), string(want.StuckCode))
	add("version", fmt.Sprint(got.Version), fmt.Sprint(want.Version))
	// A row in follow-up written before the follow-up columns came (migration 00025) is unknown
	// to the follow-ups list until this fills it.
	add("follow-up", followUpWords(got.FollowUp), followUpWords(want.FollowUp))
	out := ""
	for i, d := range diffs {
		if i > 0 {
			out += "; "
		}
		out += d
	}
	return out
}

// followUpWords is what compareRows compares of a follow-up: known or not, missed, next due and
// a self-report waiting.
func followUpWords(f *store.FollowUp) string {
	if f == nil {
		return "unknown"
	}
	w := fmt.Sprintf("missed %d", f.Missed)
	if f.Next != nil {
		w += ", next " + f.Next.UTC().Format(time.RFC3339)
	}
	if f.ConfirmUntil != nil {
		w += ", to confirm until " + f.ConfirmUntil.UTC().Format(time.RFC3339)
	}
	return w
}
