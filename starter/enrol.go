package starter

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Person is one participant to enrol, as validated by the import.
type Person struct {
	NIK        string    `json:"nik"`
	Name       string    `json:"name"`
	Sex        string    `json:"sex"`
	BirthPlace string    `json:"birth_place"`
	BirthDate  time.Time `json:"birth_date"`
	Phone      string    `json:"phone"`
	Email      string    `json:"email"`
	Education  string    `json:"education"`
	Address    string    `json:"address"`
	Warnings   []string  `json:"warnings,omitempty"`
	// WarningNotes are Warnings as messages of the catalogue, in the same order (the import's
	// since warnings have codes); a client that sends only Warnings is read as before.
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
	// Consent to messages about the training by WhatsApp or SMS (the cohort file's
	// persetujuan_pesan column); absent means no (issue 18).
	Consent bool `json:"consent,omitempty"`
}

// Enrolment outcomes of one person.
const (
	OutcomeStarted         = "started"
	OutcomeWarnedStarted   = "warned-and-started"
	OutcomeAlreadyEnrolled = "already-enrolled"
	OutcomeFailed          = "failed"
)

// EnrolResult is what happened to one person.
type EnrolResult struct {
	CaseID  string `json:"case_id,omitempty"`
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
	// Why is a failure as a catalogue message, which the pages word in the reader's language;
	// Error stays the English sentence (scripts, logs). A failure the catalogue has no words for
	// (a store or Temporal error) reads as a system error: its detail is in Error and the log.
	Why i18n.Message `json:"why,omitzero"`
}

// failedWhy is the message of an enrolment's failure: the error's own, else a system error.
func failedWhy(err error) i18n.Message {
	if m, ok := i18n.WordsOf(err); ok {
		return m
	}
	return i18n.M("enrol.failed")
}

// NIKHash is the keyed hash standing for a NIK everywhere but the participants table.
func (s *Service) NIKHash(n string) string { return nik.Hash(s.HashKey, n) }

// PersonKey is the key of the participant a NIK stands for: its hash, or, for a NIK given in a
// correction, the key of the record it corrected (cases, workflows and claims refer to that).
func (s *Service) PersonKey(ctx context.Context, n string) (string, error) {
	return s.Store.ParticipantKey(ctx, s.NIKHash(n))
}

// Enrol saves the person and starts their journey in the package. Starting the same person in
// the same package again is not an error: it reports already-enrolled and starts nothing.
func (s *Service) Enrol(ctx context.Context, pkg store.Package, p Person) (EnrolResult, error) {
	// A NIK corrected on another case is that person: the same record, the same case IDs.
	hash, err := s.PersonKey(ctx, p.NIK)
	if err != nil {
		return EnrolResult{Outcome: OutcomeFailed}, err
	}
	caseID := workflows.CaseIDFor(pkg.Code, hash)
	if res, stop, err := s.supersededNIK(ctx, hash, caseID, p.NIK); stop {
		return res, err
	}
	if err := s.Store.UpsertParticipant(ctx, store.Participant{
		NIKHash: hash, NIK: p.NIK, Name: p.Name, Sex: p.Sex, BirthPlace: p.BirthPlace, BirthDate: p.BirthDate,
		Phone: p.Phone, Email: p.Email, Education: p.Education, Address: p.Address, MessageConsent: p.Consent,
	}); err != nil {
		return EnrolResult{CaseID: caseID, Outcome: OutcomeFailed}, fmt.Errorf("save participant for case %s: %w", caseID, err)
	}
	in := s.journeyInput(pkg, hash, caseID, p)
	now := time.Now()
	wid := workflows.WorkflowIDFor(pkg.Code, hash)
	// The worker ends a journey whose start kompeten did not sign at its first task.
	signed, err := s.signed(wid, auth.StartName(workflows.JourneyWorkflowName), in)
	if err != nil {
		return EnrolResult{CaseID: caseID, Outcome: OutcomeFailed}, err
	}
	_, err = s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       wid,
		TaskQueue:                s.TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without this the SDK hands back the running journey as if it had just been started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    workflows.StartSearchAttributes(in, now),
		StaticSummary:                            "case " + caseID + " in " + pkg.Code,
	}, workflows.JourneyWorkflowName, signed)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &started):
		return EnrolResult{CaseID: caseID, Outcome: OutcomeAlreadyEnrolled}, nil
	case err != nil:
		return EnrolResult{CaseID: caseID, Outcome: OutcomeFailed}, fmt.Errorf("start journey %s: %w", caseID, err)
	}
	if len(p.Warnings) > 0 {
		return EnrolResult{CaseID: caseID, Outcome: OutcomeWarnedStarted}, nil
	}
	return EnrolResult{CaseID: caseID, Outcome: OutcomeStarted}, nil
}

// ErrSupersededNIK refuses a new enrolment under a NIK that a correction replaced. Its sentence
// is both languages, as the enrol API has always answered it; its message words it in one.
var ErrSupersededNIK error = &i18n.Error{Msg: i18n.M("enrol.superseded-nik"),
	Text: "NIK ini telah dikoreksi menjadi NIK lain pada kasus sebelumnya; periksa baris ini · this NIK was corrected to another NIK on an earlier case: check this row (the refused row again, or another person?)"}

// supersededNIK stops the enrolment of a NIK a correction replaced (stop): the same row of the
// same package again is already enrolled, as ever; anywhere else it may be another person whose
// NIK was typed for this one, so it is refused for a person to check rather than joined to the
// corrected record.
func (s *Service) supersededNIK(ctx context.Context, key, caseID, n string) (EnrolResult, bool, error) {
	if key != s.NIKHash(n) {
		return EnrolResult{}, false, nil // the corrected NIK: the record's own
	}
	superseded, err := s.Store.Superseded(ctx, key, n)
	if err != nil {
		return EnrolResult{CaseID: caseID, Outcome: OutcomeFailed}, true, err
	}
	if !superseded {
		return EnrolResult{}, false, nil
	}
	switch _, err := s.Store.GetCase(ctx, caseID); {
	case err == nil:
		return EnrolResult{CaseID: caseID, Outcome: OutcomeAlreadyEnrolled}, true, nil
	case !errors.Is(err, store.ErrNotFound):
		return EnrolResult{Outcome: OutcomeFailed}, true, fmt.Errorf("look up case %s: %w", caseID, err)
	}
	return EnrolResult{Outcome: OutcomeFailed}, true, ErrSupersededNIK
}

func (s *Service) journeyInput(pkg store.Package, hash, caseID string, p Person) workflows.JourneyInput {
	return workflows.JourneyInput{
		CaseID:         caseID,
		NIKHash:        hash,
		PackageCode:    pkg.Code,
		CentreCode:     pkg.CentreCode,
		LSPCode:        pkg.LSPCode,
		InsurerCode:    s.insurerCode(),
		Scheme:         pkg.Scheme,
		Start:          pkg.StartDate,
		End:            pkg.EndDate,
		TrainingDays:   TrainingDays(pkg.StartDate, pkg.EndDate, s.loc),
		Capacity:       pkg.Capacity,
		AttendanceMin:  pkg.AttendanceMin,
		AutoApprove:    pkg.AutoApprove,
		ImportWarnings: p.Warnings,
		// The coded warnings go only when they are the English ones, one for one: the journey
		// words them beside the English, which stays what a reader falls back on.
		ImportWarningNotes: notesOf(p.Warnings, p.WarningNotes),
		Settings:           SettingsFrom(s.Config),
		Revision:           workflows.CurrentRevision,
	}
}

// insurerCode is partners.insurer_code; a file that sets it empty gets the default.
func (s *Service) insurerCode() string {
	if s.Config.Partners.InsurerCode != "" {
		return s.Config.Partners.InsurerCode
	}
	return config.Default().Partners.InsurerCode
}

// EnrolMany enrols people with bounded concurrency; results keep the input order, and one
// person's failure never stops the others.
func (s *Service) EnrolMany(ctx context.Context, pkg store.Package, people []Person, concurrency int) []EnrolResult {
	if concurrency < 1 {
		concurrency = 1
	}
	out := make([]EnrolResult, len(people))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := range people {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			r, err := s.Enrol(ctx, pkg, people[i])
			if err != nil {
				r.Outcome = OutcomeFailed
				r.Error, r.Why = err.Error(), failedWhy(err)
			}
			out[i] = r
		}(i)
	}
	wg.Wait()
	return out
}

// CheckPerson re-checks what the journey relies on, for people that did not come through the
// import's validation (API callers). It returns nil when the record is usable, else an
// *i18n.Error: its English (the API's error field, the logs) as it always was, its message for
// the person who reads it in their language.
func CheckPerson(p Person) error {
	if _, err := nik.Parse(p.NIK); err != nil {
		m, ok := i18n.WordsOf(err)
		if !ok {
			m = i18n.M("row.error", "error", err.Error())
		}
		return &i18n.Error{Msg: i18n.M("person.bad-nik").With("reason", m), Err: err}
	}
	if p.Name == "" {
		return i18n.Errorm("person.name-required")
	}
	if p.BirthDate.IsZero() {
		return i18n.Errorm("person.birth-date-required")
	}
	return nil
}

// notesOf is notes when it words warnings one for one, else nil (a client that sent only the
// English, or a different count, is not guessed at).
func notesOf(warnings []string, notes []i18n.Message) []i18n.Message {
	if len(notes) != len(warnings) {
		return nil
	}
	return notes
}
