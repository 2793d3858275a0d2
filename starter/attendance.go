package starter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// InvalidRequestError is a request refused before any journey is asked, with every problem
// found (the API answers 422).
type InvalidRequestError struct {
	Problems []string
	// Code and Params word a single problem from the message catalogue; Coded words each of
	// several, in the order of Problems. Both are empty where the problems have no codes yet.
	Code   string
	Params map[string]string
	Coded  []workflows.RefusalDetails
}

// invalid is an InvalidRequestError of one problem with its message code (name, value pairs).
func invalid(code, problem string, kv ...string) *InvalidRequestError {
	d := problemCode(code, kv...)
	return &InvalidRequestError{Problems: []string{problem}, Code: d.Code, Params: d.Params}
}

// problemCode is a problem's message code with its parameters as name, value pairs.
func problemCode(code string, kv ...string) workflows.RefusalDetails {
	params := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
	}
	return workflows.RefusalDetails{Code: code, Params: params}
}

func (e *InvalidRequestError) Error() string { return strings.Join(e.Problems, "; ") }

// Register is one day's attendance register for a package: every trainee in training is
// listed once, present or absent. Day is the calendar day (midnight UTC, as ParseDay gives).
type Register struct {
	Package string
	Day     time.Time
	Present []string
	Absent  []string
	Actor   workflows.Actor
}

// The outcome of one case of a register.
const (
	RegisterSent      = "sent"      // its new count went to the journey, which took it
	RegisterUnchanged = "unchanged" // its count is what the journey already has
	RegisterRefused   = "refused"   // the journey refused it (Message says why)
	RegisterFailed    = "failed"    // it could not be sent (Message says why); recording the day again retries it
)

// RegisterCase is what the register did for one case.
type RegisterCase struct {
	CaseID  string `json:"case_id"`
	Present bool   `json:"present"`
	// DaysPresent and DaysAbsent count every day recorded for the case so far.
	DaysPresent int `json:"days_present"`
	DaysAbsent  int `json:"days_absent"`
	// Sent is the count sent to the journey in the register's mode: days attended (presence)
	// or days missed (absence).
	Sent    int    `json:"sent"`
	Outcome string `json:"outcome"`
	Message string `json:"message,omitempty"`
	// Code and Params word a refusal from the message catalogue (Message stays English).
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

// RegisterResult is the answer to a recorded register.
type RegisterResult struct {
	Package string         `json:"package"`
	Date    string         `json:"date"`
	Mode    string         `json:"mode"`
	Present int            `json:"present"`
	Absent  int            `json:"absent"`
	Cases   []RegisterCase `json:"cases"`
}

// registerConcurrency bounds the updates one register sends at once.
const registerConcurrency = 8

// RecordRegister checks a day's register, stores it (replacing that day's earlier register for
// the listed cases), recomputes each listed case's running count over every recorded day and
// sends it to the journey as the record-attendance update — one update per case whose count
// changed — in the mode of journey.attendance_mode: days attended (presence) or days missed
// (absence). The day must be a training day of the package and not in the future; every case
// listed must belong to the package and be in training; and every trainee in training must be
// listed exactly once (a trainee left off is not taken as absent: the register is refused
// naming them).
func (s *Service) RecordRegister(ctx context.Context, r Register) (RegisterResult, error) {
	pkg, err := s.Store.GetPackage(ctx, r.Package)
	if err != nil {
		return RegisterResult{}, err
	}
	day := r.Day
	if err := s.checkRegisterDay(pkg, day); err != nil {
		return RegisterResult{}, err
	}
	cases, err := s.Store.ListCases(ctx, store.CaseFilter{PackageCode: pkg.Code})
	if err != nil {
		return RegisterResult{}, err
	}
	marks, err := checkRegisterCases(pkg.Code, r.Present, r.Absent, cases)
	if err != nil {
		return RegisterResult{}, err
	}
	counts, err := s.Store.RecordAttendanceDay(ctx, store.AttendanceDay{Package: pkg.Code, Day: day, Marks: marks,
		RecordedBy: r.Actor.ID, RecordedRole: r.Actor.Role})
	if err != nil {
		return RegisterResult{}, err
	}
	mode := s.Config.Journey.AttendanceMode
	res := RegisterResult{Package: pkg.Code, Date: day.Format(time.DateOnly), Mode: mode, Present: len(r.Present), Absent: len(r.Absent),
		Cases: make([]RegisterCase, len(counts))}
	present := map[string]bool{}
	for _, id := range r.Present {
		present[id] = true
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, registerConcurrency)
	for i, c := range counts {
		rc := RegisterCase{CaseID: c.CaseID, Present: present[c.CaseID], DaysPresent: c.Present, DaysAbsent: c.Absent, Sent: c.Present}
		if mode == "absence" {
			rc.Sent = c.Absent
		}
		res.Cases[i] = rc
		if c.Sent != nil && *c.Sent == rc.Sent && c.SentMode == mode {
			res.Cases[i].Outcome = RegisterUnchanged
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(rc *RegisterCase) {
			defer func() { <-sem; wg.Done() }()
			s.sendCount(ctx, r.Actor, mode, rc)
		}(&res.Cases[i])
	}
	wg.Wait()
	return res, nil
}

// sendCount sends one case's running count to its journey and records what it accepted.
func (s *Service) sendCount(ctx context.Context, actor workflows.Actor, mode string, rc *RegisterCase) {
	n := rc.Sent
	a := workflows.Attendance{Actor: actor, Attended: &n}
	if mode == "absence" {
		a = workflows.Attendance{Actor: actor, Absent: &n}
	}
	ur, err := s.Update(ctx, rc.CaseID, workflows.UpdateRecordAttendance, a)
	var refused *RefusedError
	var closed *ClosedError
	switch {
	case errors.As(err, &refused):
		rc.Outcome, rc.Message, rc.Code, rc.Params = RegisterRefused, refused.Reason, refused.Code, refused.Params
		return
	case errors.As(err, &closed):
		rc.Outcome, rc.Message, rc.Code, rc.Params = RegisterRefused, closed.Error(), closed.Code, closed.Params
		return
	case err != nil:
		rc.Outcome, rc.Message = RegisterFailed, err.Error()
		return
	}
	if err := s.Store.MarkAttendanceSent(ctx, rc.CaseID, mode, n, time.Now()); err != nil {
		// The journey has the count; the next register sends it again, which changes nothing.
		rc.Outcome, rc.Message = RegisterSent, ur.Message+" (not noted as sent: "+err.Error()+")"
		return
	}
	rc.Outcome, rc.Message = RegisterSent, ur.Message
}

// TrainingDayBounds are the first and last training day of a package as calendar days
// (midnight UTC) in the network's time zone.
func (s *Service) TrainingDayBounds(pkg store.Package) (first, last time.Time) {
	day := func(t time.Time) time.Time {
		l := t.In(s.loc)
		return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	}
	return day(pkg.StartDate), day(pkg.EndDate)
}

// Today is today's calendar day (midnight UTC) in the network's time zone.
func (s *Service) Today() time.Time {
	l := time.Now().In(s.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

func (s *Service) checkRegisterDay(pkg store.Package, day time.Time) error {
	first, last := s.TrainingDayBounds(pkg)
	d := day.Format(time.DateOnly)
	switch {
	case day.Before(first) || day.After(last):
		return invalid("refusal.register-day", fmt.Sprintf("%s is not a training day of package %s (%s to %s)",
			d, pkg.Code, first.Format(time.DateOnly), last.Format(time.DateOnly)),
			"day", d, "package", pkg.Code, "first", first.Format(time.DateOnly), "last", last.Format(time.DateOnly))
	case day.After(s.Today()):
		return invalid("refusal.register-future", fmt.Sprintf("%s is in the future: record a day once it has happened", d), "day", d)
	}
	return nil
}

// checkRegisterCases checks the lists against the package's cases and returns the marks.
func checkRegisterCases(pkg string, present, absent []string, cases []store.Case) ([]store.AttendanceMark, error) {
	byID := make(map[string]store.Case, len(cases))
	for _, c := range cases {
		byID[c.CaseID] = c
	}
	var problems []string
	var coded []workflows.RefusalDetails
	problem := func(d workflows.RefusalDetails, words string) {
		problems = append(problems, words)
		coded = append(coded, d)
	}
	seen := map[string]bool{}
	var marks []store.AttendanceMark
	for _, list := range []struct {
		ids     []string
		present bool
	}{{present, true}, {absent, false}} {
		for _, id := range list.ids {
			c, ok := byID[id]
			switch {
			case seen[id]:
				problem(problemCode("refusal.register-twice", "case", id), fmt.Sprintf("case %s is listed more than once", id))
				continue
			case !ok:
				problem(problemCode("refusal.register-other-package", "case", id, "package", pkg), fmt.Sprintf("case %s is not in package %s", id, pkg))
			case c.Status == store.StatusClosed:
				problem(problemCode("refusal.register-closed", "case", id, "outcome", string(c.Outcome)), fmt.Sprintf("case %s is closed (%s), not in training", id, c.Outcome))
			case c.Stage != vocab.StageTraining:
				problem(problemCode("refusal.register-stage", "case", id, "stage", string(c.Stage)), fmt.Sprintf("case %s is in stage %s, not in training", id, c.Stage))
			}
			seen[id] = true
			marks = append(marks, store.AttendanceMark{CaseID: id, Present: list.present})
		}
	}
	var missing []string
	for _, c := range cases {
		if c.Status == store.StatusOpen && c.Stage == vocab.StageTraining && !seen[c.CaseID] {
			missing = append(missing, c.CaseID)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		problem(problemCode("refusal.register-missing", "cases", strings.Join(missing, ", ")),
			fmt.Sprintf("not listed: %s — list every trainee in training once, as present or absent (nobody is taken as absent by being left off)",
				strings.Join(missing, ", ")))
	}
	if len(marks) == 0 && len(problems) == 0 {
		problem(problemCode("refusal.register-empty", "package", pkg), fmt.Sprintf("nobody listed, and package %s has nobody in training", pkg))
	}
	if len(problems) > 0 {
		return nil, &InvalidRequestError{Problems: problems, Coded: coded}
	}
	return marks, nil
}
