// Package importer turns a cohort file into journeys: every row is validated, the valid ones
// are enrolled in batches, and every row ends with an outcome in a report — started,
// warned-and-started, already-enrolled (a re-import), or rejected with the reason. Bad rows
// never stop good ones, and running the same import twice starts nothing twice.
package importer

import (
	"context"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// Enroller starts journeys for a batch of people and answers one result per person, in order.
// The CLI enrols through the HTTP API; benchmarks and tests may enrol directly.
type Enroller interface {
	Enrol(ctx context.Context, packageCode string, people []starter.Person) ([]starter.EnrolResult, error)
}

// EnrolledChecker is what an Enroller may also be: it answers, for each NIK in order, the case
// ID of that person's enrolment in the package, "" when not enrolled. A dry run asks it so the
// preview reads already-enrolled for the rows a start would (issue 16 point 2).
type EnrolledChecker interface {
	Enrolled(ctx context.Context, packageCode string, niks []string) ([]string, error)
}

// Row outcomes that only the importer gives (the others come from starter).
const (
	OutcomeRejected = "rejected"
	OutcomeValid    = "valid" // dry run: would be started
	// OutcomeNotSent is a valid row the import never sent: it stopped (an error, an interrupt,
	// a crash) before this row's batch.
	OutcomeNotSent = "not-sent"
	// OutcomeUnknown is a row whose batch was sent when the import stopped, with no answer: it
	// may have started. A re-run says already-enrolled for those that did.
	OutcomeUnknown = "unknown"
)

// The reasons the report gives for rows an interrupted import did not finish, as catalogue
// messages (the report's Reason is their English).
var (
	reasonNotSent = i18n.M("import.not-sent")
	reasonUnknown = i18n.M("import.unknown")
)

// Options tune a run.
type Options struct {
	// BatchSize is how many people go to the Enroller per call (default 200).
	BatchSize int
	// DryRun validates and reports without enrolling anyone.
	DryRun bool
	// Rules are the row-level eligibility rules (age at the package start).
	Rules cohort.Rules
	// Progress, when set, is told how many people have been enrolled so far: with done 0 just
	// before the first batch goes out (a display starts its clock then), then after each batch.
	Progress func(done, total int)
	// Checkpoint, when set, is given the report before each batch is sent, with that batch's
	// rows marked unknown and the rows after it not-sent, so a report written from it after a
	// crash says which rows started, which may have, and which were never sent. An error
	// stops the import before the batch goes out.
	Checkpoint func(Report) error
	// Resume, when set, is the report of an earlier run over the same rows that stopped (a
	// background start cut by a restart): the valid rows it has an answer for keep that answer
	// and are not sent again; the rest (not sent, or sent without an answer) are sent, so the run
	// goes on from the first row not yet done. Progress counts the kept answers as done.
	Resume *Report
}

// RowReport is one row's outcome. The NIK is masked: the report is a file people pass around.
type RowReport struct {
	Line     int      `json:"row"`
	NIK      string   `json:"nik"`
	CaseID   string   `json:"case_id,omitempty"`
	Outcome  string   `json:"outcome"`
	Reason   string   `json:"reason,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// WarningNotes are Warnings as catalogue messages, in the same order: the pages word them
	// in the reader's language. Empty in reports written before the warnings had codes.
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
	// Why is Reason as a catalogue message (a rejection, a row not sent or unanswered, a
	// failure the enrol API worded): the pages word it in the reader's language. Empty when
	// Reason is all there is (an older server's failure).
	Why i18n.Message `json:"why,omitzero"`
}

// because sets the row's reason: the message and its English.
func (r *RowReport) because(m i18n.Message) { r.Reason, r.Why = m.English(), m }

// Report is the outcome of every row, in file order.
type Report struct {
	Rows []RowReport `json:"rows"`
}

// Counts tallies the rows by outcome.
func (r Report) Counts() map[string]int {
	c := map[string]int{}
	for _, row := range r.Rows {
		c[row.Outcome]++
	}
	return c
}

// Run validates rows and enrols the valid ones. On an enrolment error (a cancelled context
// included) it stops and returns the report so far with the error: rows of answered batches
// have their outcomes, the batch in flight reads unknown and the rest not-sent; what was started
// stays started, and a re-run reports it as already-enrolled.
func Run(ctx context.Context, rows []cohort.Row, packageCode string, enr Enroller, o Options) (Report, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = 200
	}
	cohort.Validate(rows, o.Rules)
	rep := Report{Rows: make([]RowReport, len(rows))}
	var people []starter.Person
	var at []int // report index of each person
	kept := 0    // valid rows answered by the run resumed
	for i, r := range rows {
		rep.Rows[i] = RowReport{Line: r.Line, NIK: nik.Mask(r.NIK), Warnings: r.Warnings, WarningNotes: r.WarningNotes}
		if r.Err != nil {
			rep.Rows[i].Outcome = OutcomeRejected
			rep.Rows[i].Reason = fmt.Sprintf("%s: %v", r.ErrKind, r.Err)
			rep.Rows[i].Why = r.Reason
			continue
		}
		if prev, ok := o.Resume.answered(i, r.Line); ok && !o.DryRun {
			rep.Rows[i] = prev
			kept++
			continue
		}
		rep.Rows[i].Outcome = OutcomeValid
		people = append(people, starter.Person{
			NIK: r.NIK, Name: r.Name, Sex: r.Sex, BirthPlace: r.BirthPlace, BirthDate: r.BirthDate,
			Phone: r.Phone, Email: r.Email, Education: r.Education, Address: r.Address, Warnings: r.Warnings, WarningNotes: r.WarningNotes,
			Consent: r.Consent,
		})
		at = append(at, i)
	}
	if o.DryRun {
		return rep, dryRunEnrolled(ctx, &rep, packageCode, enr, people, at)
	}
	for _, i := range at {
		rep.Rows[i].Outcome = OutcomeNotSent
		rep.Rows[i].because(reasonNotSent)
	}
	if o.Progress != nil && len(people) > 0 {
		o.Progress(kept, kept+len(people))
	}
	for from := 0; from < len(people); from += o.BatchSize {
		to := min(from+o.BatchSize, len(people))
		for _, i := range at[from:to] {
			rep.Rows[i].Outcome = OutcomeUnknown
			rep.Rows[i].because(reasonUnknown)
		}
		if o.Checkpoint != nil {
			if err := o.Checkpoint(rep); err != nil {
				for _, i := range at[from:to] {
					rep.Rows[i].Outcome = OutcomeNotSent
					rep.Rows[i].because(reasonNotSent)
				}
				return rep, fmt.Errorf("before rows %d-%d: %w", rep.Rows[at[from]].Line, rep.Rows[at[to-1]].Line, err)
			}
		}
		res, err := enr.Enrol(ctx, packageCode, people[from:to])
		if err != nil {
			return rep, fmt.Errorf("enrol rows %d-%d: %w", rep.Rows[at[from]].Line, rep.Rows[at[to-1]].Line, err)
		}
		if len(res) != to-from {
			return rep, fmt.Errorf("enrol rows %d-%d: %d results for %d people", rep.Rows[at[from]].Line, rep.Rows[at[to-1]].Line, len(res), to-from)
		}
		for k, r := range res {
			row := &rep.Rows[at[from+k]]
			row.CaseID, row.Outcome, row.Reason, row.Why = r.CaseID, r.Outcome, r.Error, r.Why
		}
		if o.Progress != nil {
			o.Progress(kept+to, kept+len(people))
		}
	}
	return rep, nil
}

// answered is the row report of row i (file line line) when r, a resumed run's report, has
// the enrol API's answer for it.
func (r *Report) answered(i, line int) (RowReport, bool) {
	if r == nil || i >= len(r.Rows) || r.Rows[i].Line != line {
		return RowReport{}, false
	}
	switch r.Rows[i].Outcome {
	case "", OutcomeValid, OutcomeRejected, OutcomeNotSent, OutcomeUnknown:
		return RowReport{}, false
	}
	return r.Rows[i], true
}

// dryRunEnrolled marks the valid rows whose person is already enrolled as a start would answer
// them (already-enrolled, with the case ID), when enr can tell; without a checker they stay valid.
func dryRunEnrolled(ctx context.Context, rep *Report, packageCode string, enr Enroller, people []starter.Person, at []int) error {
	chk, ok := enr.(EnrolledChecker)
	if !ok || len(people) == 0 {
		return nil
	}
	niks := make([]string, len(people))
	for k, p := range people {
		niks[k] = p.NIK
	}
	ids, err := chk.Enrolled(ctx, packageCode, niks)
	if err != nil {
		return fmt.Errorf("ask which rows are already enrolled in %s: %w", packageCode, err)
	}
	if len(ids) != len(niks) {
		return fmt.Errorf("ask which rows are already enrolled in %s: %d answers for %d rows", packageCode, len(ids), len(niks))
	}
	for k, id := range ids {
		if id != "" {
			row := &rep.Rows[at[k]]
			row.CaseID, row.Outcome = id, starter.OutcomeAlreadyEnrolled
		}
	}
	return nil
}
