package contract

import (
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/partners"
)

// The journey's activities (methods of activities.Activities).
var (
	// CheckEnrolment applies the enrolment rules that need the store: age, overlap, a seat.
	CheckEnrolment = Activity[EnrolmentCheckInput, EnrolmentCheck]{"CheckEnrolment"}
	// FindAgreement finds the active agreement that lets a centre use a partner on a day.
	FindAgreement = Activity[AgreementQuery, AgreementResult]{"FindAgreement"}
	// RegisterInsurance registers coverage through the BPJS API.
	RegisterInsurance = Activity[InsuranceInput, partners.Coverage]{"RegisterInsurance"}
	// QueueBatchRegistration puts a registration in the batch exchange.
	QueueBatchRegistration = Activity[InsuranceInput, None]{"QueueBatchRegistration"}
	// EndCoverage ends coverage early after a drop-out.
	EndCoverage = Activity[EndCoverageInput, None]{"EndCoverage"}
	// LoadSchemeUnits reads a certification scheme's units of competence from the store.
	LoadSchemeUnits = Activity[SchemeQuery, SchemeUnits]{"LoadSchemeUnits"}
	// RequestAssessment asks the LSP for an assessment schedule.
	RequestAssessment = Activity[AssessmentInput, partners.Schedule]{"RequestAssessment"}
	// FetchAssessmentResult asks the LSP whether an assessment has a result yet.
	FetchAssessmentResult = Activity[ResultInput, ResultOutput]{"FetchAssessmentResult"}
	// IssueCertificate asks the LSP to issue an approved certificate.
	IssueCertificate = Activity[CertificateInput, partners.Certificate]{"IssueCertificate"}
	// SyncCase writes a case's read-model row and its new events (a local activity).
	SyncCase = Activity[SyncInput, None]{"SyncCase"}
	// ClaimNumber gives a partner number (KPJ, certificate) to the case's person unless it
	// belongs to another person already.
	ClaimNumber = Activity[NumberClaimInput, NumberClaimResult]{"ClaimNumber"}
	// TakeSeat decides a seat in the package at the approval of an enrolment (issue 13).
	TakeSeat = Activity[SeatInput, SeatOutcome]{"TakeSeat"}
	// FreeSeat gives up a case's seat or waiting-list place and moves waiting cases in.
	FreeSeat = Activity[FreeSeatInput, FreeSeatResult]{"FreeSeat"}
	// SendMessage sends a trainee the message of a milestone, once per case and milestone
	// (issue 18).
	SendMessage = Activity[MessageInput, MessageResult]{"SendMessage"}
)

// The agreements' activities (methods of activities.Activities).
var (
	// SyncAgreement writes an agreement's read-model row and its new events (a local activity).
	SyncAgreement = Activity[SyncAgreementInput, None]{"SyncAgreement"}
	// NotifyWaitingCases tells the journeys waiting for an agreement in a scope to check again.
	NotifyWaitingCases = Activity[NotifyInput, NotifyResult]{"NotifyWaitingCases"}
	// RemindCoordinator delivers a reminder that an agreement ends soon.
	RemindCoordinator = Activity[ReminderInput, None]{"RemindCoordinator"}
	// TellPKS sends an MoU's change to every live PKS under it.
	TellPKS = Activity[TellPKSInput, TellPKSResult]{"TellPKS"}
)

// The operations workflows' activities (methods of activities.Ops).
var (
	// CountStuckGroups counts the stuck cases by centre, LSP, reason and party waited on.
	CountStuckGroups = Activity[None, []StuckGroup]{"CountStuckGroups"}
	// SendNotification writes a message to the log and posts it to the webhook.
	SendNotification = Activity[notify.Message, None]{"SendNotification"}
)

// All lists every activity above: the worker must register each under its name, with these
// types, and nothing else.
var All = []Described{
	CheckEnrolment, FindAgreement, RegisterInsurance, QueueBatchRegistration, EndCoverage,
	LoadSchemeUnits, RequestAssessment, FetchAssessmentResult, IssueCertificate, SyncCase, ClaimNumber,
	TakeSeat, FreeSeat, SendMessage,
	SyncAgreement, NotifyWaitingCases, RemindCoordinator, TellPKS,
	CountStuckGroups, SendNotification,
}
