package starter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// PackageChanges are the fields of a package an edit changes; nil leaves a field as it is. The
// code, centre and trade name the package and never change; the scheme is refused (see
// EditPackage).
type PackageChanges struct {
	Capacity      *int
	Start         *time.Time
	End           *time.Time
	Hours         *int
	AttendanceMin *float64
	AutoApprove   *bool
	LSP           *string
	Scheme        *string
}

// Outcomes of an edit for one case (PackageCaseNotice.Outcome).
const (
	// NoticeSent: the journey took the change; its message says what it applied and what not.
	NoticeSent = "sent"
	// NoticeRefused: the journey refused the change (it closed meanwhile, say).
	NoticeRefused = "refused"
	// NoticeFailed: the change did not reach the journey (an outage); the same edit again
	// resends it (EditPackage), and the cases that have it answer that they have nothing to apply.
	NoticeFailed = "failed"
)

// PackageEdited is the answer to an edit of a package: the package as it is now, the cases a
// raised capacity seated from the waiting list, each change in words, the agreements the package
// is not covered by on its (new) dates, and what each running journey of the package answered.
// Changes and Warnings are in English (the CLI prints them); ChangeNotes and WarningNotes are the
// same as catalogue messages, which the pages word in the reader's language.
type PackageEdited struct {
	Package      store.Package           `json:"package"`
	MovedIn      []string                `json:"moved_in"`
	Changes      []string                `json:"changes,omitempty"`
	Warnings     []string                `json:"warnings,omitempty"`
	ChangeNotes  []i18n.Message          `json:"change_notes,omitempty"`
	WarningNotes []i18n.Message          `json:"warning_notes,omitempty"`
	Cases        []store.PackageEditCase `json:"cases,omitempty"`
}

// CapacityChange is the answer of a change of the capacity alone (PackageEdited, whose other
// fields stay empty).
type CapacityChange = PackageEdited

// noticeConcurrency bounds the package-changed updates one edit sends at once.
const noticeConcurrency = 8

// EditPackage changes a package and tells its running journeys. The new values are checked
// as a whole (an end before the start, hours or capacity below 1, a minimum outside 0..1 are
// refused with the reason); dates cannot move once training has begun (the journeys in
// training would keep the old ones) nor to a start in the past; the scheme cannot change (the
// units a trainee is assessed on come from it: make a new package). The capacity goes through
// SetCapacity (a raise seats the waiting list). The other fields are stored and audited in one
// transaction, then each open case of the package gets the package-changed update, at most
// noticeConcurrency at a time, and what each answered is kept with the audit and returned.
func (s *Service) EditPackage(ctx context.Context, code string, ch PackageChanges, actor workflows.Actor) (PackageEdited, error) {
	out := PackageEdited{MovedIn: []string{}}
	old, err := s.Store.GetPackage(ctx, code)
	if err != nil {
		return out, err
	}
	next, problems, coded := s.applyChanges(old, ch)
	if next.LSPCode != old.LSPCode && next.LSPCode != "" {
		// Checked again in the edit's transaction; here so that a capacity given with an unknown
		// LSP is not saved alone.
		switch partner, err := s.Store.GetPartner(ctx, next.LSPCode); {
		case errors.Is(err, store.ErrNotFound):
			problems = append(problems, fmt.Sprintf("unknown LSP %q", next.LSPCode))
			coded = append(coded, problemCode("refusal.package-lsp-unknown", "lsp", next.LSPCode))
		case err != nil:
			return out, fmt.Errorf("package %s: %w", code, err)
		case partner.Kind != "certifier":
			problems = append(problems, fmt.Sprintf("partner %q is not an LSP", next.LSPCode))
			coded = append(coded, problemCode("refusal.package-lsp-not-certifier", "partner", next.LSPCode))
		}
	}
	if len(problems) > 0 {
		return out, &InvalidRequestError{Problems: problems, Coded: coded}
	}
	if ch.Capacity != nil {
		// The same capacity again is no change, but it is taken as before: it seats the waiting
		// list and sends the seat notices that failed the last time.
		cc, err := s.SetCapacity(ctx, code, *ch.Capacity)
		out.MovedIn = cc.MovedIn
		if err != nil {
			return out, err
		}
		if *ch.Capacity != old.Capacity {
			out.ChangeNotes = append(out.ChangeNotes, i18n.M("change.capacity", "new", strconv.Itoa(*ch.Capacity), "old", strconv.Itoa(old.Capacity)))
		}
	}
	changes := describeChanges(old, next, s.loc)
	// The same values again, naming what the journeys hold, is how an edit is sent again to the
	// cases it did not reach (failed): audited like an edit, old and new alike.
	resend := len(changes) == 0 && ch.journeyFields()
	if resend {
		changes = []i18n.Message{i18n.M("change.resend")}
	}
	if len(changes) > 0 {
		_, id, err := s.Store.EditPackage(ctx, code, store.ValuesOf(next), actor.ID, string(actor.Role))
		if err != nil {
			return out, err
		}
		out.ChangeNotes = append(out.ChangeNotes, changes...)
		msg, ok := s.journeyChange(old, next, actor)
		if resend {
			msg, ok = s.resentChange(next, ch, actor), true
		}
		if ok {
			out.Cases, err = s.noticeCases(ctx, code, msg)
			if err != nil {
				return out, err
			}
			if err := s.Store.RecordPackageEditCases(ctx, id, out.Cases); err != nil {
				return out, err
			}
		}
	}
	out.Changes = i18n.EnglishAll(out.ChangeNotes)
	if len(out.Changes) == 0 && ch.Capacity == nil {
		return out, invalid("refusal.package-unchanged", "nothing to change: the values given are the package's already")
	}
	if out.Package, err = s.Store.GetPackage(ctx, code); err != nil {
		return out, fmt.Errorf("package %s: %w", code, err)
	}
	if out.WarningNotes, err = s.AgreementGaps(ctx, out.Package); err != nil {
		return out, err
	}
	out.Warnings = i18n.EnglishAll(out.WarningNotes)
	return out, nil
}

// applyChanges is old with the changes, and the reasons it cannot be: in English and, in the
// same order, as message codes that word them in the reader's language (issue 15).
func (s *Service) applyChanges(old store.Package, ch PackageChanges) (store.Package, []string, []workflows.RefusalDetails) {
	p := old
	var problems []string
	var coded []workflows.RefusalDetails
	add := func(problem, code string, kv ...string) {
		problems = append(problems, problem)
		coded = append(coded, problemCode(code, kv...))
	}
	if ch.Scheme != nil && *ch.Scheme != old.Scheme {
		add(fmt.Sprintf("scheme cannot change (%s): its units of competence are what the trainees are assessed on; create a new package for scheme %s", old.Scheme, *ch.Scheme),
			"refusal.package-scheme-fixed", "scheme", old.Scheme, "new", *ch.Scheme)
	}
	if ch.Capacity != nil {
		p.Capacity = *ch.Capacity
	}
	if ch.Start != nil {
		p.StartDate = *ch.Start
	}
	if ch.End != nil {
		p.EndDate = *ch.End
	}
	if ch.Hours != nil {
		p.Hours = *ch.Hours
		if *ch.Hours < 1 {
			add(fmt.Sprintf("hours must be at least 1, got %d", *ch.Hours), "refusal.package-hours", "got", strconv.Itoa(*ch.Hours))
		}
	}
	if ch.AttendanceMin != nil {
		p.AttendanceMin = *ch.AttendanceMin
	}
	if ch.AutoApprove != nil {
		p.AutoApprove = *ch.AutoApprove
	}
	if ch.LSP != nil {
		p.LSPCode = strings.TrimSpace(*ch.LSP)
	}
	now := time.Now()
	moved := !p.StartDate.Equal(old.StartDate) || !p.EndDate.Equal(old.EndDate)
	switch {
	case !moved:
	case !now.Before(old.StartDate):
		add(fmt.Sprintf("dates cannot change: training began on %s (the trainees in training keep their dates)", s.day(old.StartDate)),
			"refusal.package-dates-began", "start", s.day(old.StartDate))
	case !p.StartDate.Equal(old.StartDate) && !now.Before(p.StartDate):
		add(fmt.Sprintf("start %s is in the past: give a first training day still to come", s.day(p.StartDate)),
			"refusal.package-start-past", "start", s.day(p.StartDate))
	}
	more, moreCoded := packageProblems(p)
	return p, append(problems, more...), append(coded, moreCoded...)
}

// day words an instant as its calendar day in the network's time zone.
func (s *Service) day(t time.Time) string { return t.In(s.loc).Format(time.DateOnly) }

// describeChanges words each change of the fields besides the capacity, as catalogue messages
// (change.*): English for the CLI, the reader's language on the pages.
func describeChanges(old, next store.Package, loc *time.Location) []i18n.Message {
	var out []i18n.Message
	day := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
	if !next.StartDate.Equal(old.StartDate) {
		out = append(out, i18n.M("change.start", "new", day(next.StartDate), "old", day(old.StartDate)))
	}
	if !next.EndDate.Equal(old.EndDate) {
		out = append(out, i18n.M("change.end", "new", day(next.EndDate), "old", day(old.EndDate)))
	}
	if next.Hours != old.Hours {
		out = append(out, i18n.M("change.hours", "new", strconv.Itoa(next.Hours), "old", strconv.Itoa(old.Hours)))
	}
	if math.Abs(next.AttendanceMin-old.AttendanceMin) > 1e-9 {
		pct := func(v float64) string { return fmt.Sprintf("%.0f", v*100) }
		out = append(out, i18n.M("change.attendance", "new", pct(next.AttendanceMin), "old", pct(old.AttendanceMin)))
	}
	if next.AutoApprove != old.AutoApprove {
		out = append(out, i18n.M("change.auto-approve", "new", strconv.FormatBool(next.AutoApprove), "old", strconv.FormatBool(old.AutoApprove)))
	}
	if next.LSPCode != old.LSPCode {
		out = append(out, i18n.M("change.lsp", "new", next.LSPCode, "old", old.LSPCode))
	}
	return out
}

// journeyChange is the package-changed message for what the journeys copied at their start;
// false when only the hours changed (no journey holds them).
func (s *Service) journeyChange(old, next store.Package, actor workflows.Actor) (workflows.PackageChange, bool) {
	c := workflows.PackageChange{Actor: actor}
	if !next.StartDate.Equal(old.StartDate) || !next.EndDate.Equal(old.EndDate) {
		start, end, days := next.StartDate, next.EndDate, TrainingDays(next.StartDate, next.EndDate, s.loc)
		c.Start, c.End, c.TrainingDays = &start, &end, &days
	}
	if math.Abs(next.AttendanceMin-old.AttendanceMin) > 1e-9 {
		v := next.AttendanceMin
		c.AttendanceMin = &v
	}
	if next.AutoApprove != old.AutoApprove {
		v := next.AutoApprove
		c.AutoApprove = &v
	}
	if next.LSPCode != old.LSPCode {
		c.LSP = next.LSPCode
	}
	empty := c.Start == nil && c.AttendanceMin == nil && c.AutoApprove == nil && c.LSP == ""
	return c, !empty
}

// journeyFields says whether the changes name a field the journeys hold.
func (ch PackageChanges) journeyFields() bool {
	return ch.Start != nil || ch.End != nil || ch.AttendanceMin != nil || ch.AutoApprove != nil || ch.LSP != nil
}

// resentChange is the package-changed message with the package's values of the fields ch names:
// a journey that has them answers that it has nothing to apply and writes nothing.
func (s *Service) resentChange(p store.Package, ch PackageChanges, actor workflows.Actor) workflows.PackageChange {
	c := workflows.PackageChange{Actor: actor}
	if ch.Start != nil || ch.End != nil {
		start, end, days := p.StartDate, p.EndDate, TrainingDays(p.StartDate, p.EndDate, s.loc)
		c.Start, c.End, c.TrainingDays = &start, &end, &days
	}
	if ch.AttendanceMin != nil {
		v := p.AttendanceMin
		c.AttendanceMin = &v
	}
	if ch.AutoApprove != nil {
		v := p.AutoApprove
		c.AutoApprove = &v
	}
	if ch.LSP != nil {
		c.LSP = p.LSPCode
	}
	return c
}

// noticeCases sends the change to every open case of the package, noticeConcurrency at a time,
// and reports each in the package's case order.
func (s *Service) noticeCases(ctx context.Context, code string, msg workflows.PackageChange) ([]store.PackageEditCase, error) {
	cases, err := s.Store.ListCases(ctx, store.CaseFilter{PackageCode: code, Status: store.StatusOpen})
	if err != nil {
		return nil, fmt.Errorf("package %s: the change is saved, but its cases could not be listed to tell them: %w", code, err)
	}
	out := make([]store.PackageEditCase, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, noticeConcurrency)
	for i, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, caseID string) {
			defer func() { <-sem; wg.Done() }()
			out[i] = s.noticeCase(ctx, caseID, msg)
		}(i, c.CaseID)
	}
	wg.Wait()
	return out, nil
}

// noticeCase sends the change to one case and words its answer.
func (s *Service) noticeCase(ctx context.Context, caseID string, msg workflows.PackageChange) store.PackageEditCase {
	res, err := s.Update(ctx, caseID, workflows.UpdatePackageChanged, msg)
	return noticeOutcome(caseID, res, err)
}

// noticeOutcome is what one case answered to the change, as the edit's audit keeps it.
func noticeOutcome(caseID string, res workflows.UpdateResult, err error) store.PackageEditCase {
	var refused *RefusedError
	var closed *ClosedError
	switch {
	case errors.As(err, &refused):
		// The journey's code and parameters are kept with the sentence: the pages word the
		// refusal in the reader's language (an older worker's refusal has none, and keeps its
		// English).
		return store.PackageEditCase{CaseID: caseID, Outcome: NoticeRefused, Message: refused.Reason, Code: refused.Code, Params: refused.Params}
	case errors.As(err, &closed):
		return store.PackageEditCase{CaseID: caseID, Outcome: NoticeRefused, Message: closed.Error(), Code: closed.Code, Params: closed.Params}
	case err != nil:
		return store.PackageEditCase{CaseID: caseID, Outcome: NoticeFailed, Message: err.Error()}
	}
	return store.PackageEditCase{CaseID: caseID, Outcome: NoticeSent, Message: res.Message}
}
