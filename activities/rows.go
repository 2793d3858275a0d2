package activities

import (
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// caseRow is the store's row for a journey's read-model write. Attempts, last error and
// escalation are the store's own (written by the activities and the API): a workflow's write
// leaves them as they are.
func caseRow(c contract.CaseRow) store.Case {
	m := c.Milestones
	var f *store.FollowUp
	if cf := c.FollowUp; cf != nil {
		f = &store.FollowUp{Next: cf.Next, Missed: cf.Missed, Unanswered: cf.Unanswered, Contact: cf.Contact,
			ContactAt: cf.ContactAt, ContactNote: cf.ContactNote, ConfirmUntil: cf.ConfirmUntil, Employer: cf.Employer}
	}
	return store.Case{
		CaseID: c.CaseID, WorkflowID: c.WorkflowID, PackageCode: c.PackageCode, CentreCode: c.CentreCode,
		LSPCode: c.LSPCode, NIKHash: c.NIKHash, Stage: c.Stage, Status: c.Status, Outcome: c.Outcome,
		WaitingOn: c.WaitingOn, Stuck: c.Stuck, StuckCode: c.StuckCode, StuckReason: c.StuckReason,
		StuckMessage: c.StuckMessage, StuckParams: c.StuckParams,
		StuckSince: c.StuckSince, StageEnteredAt: c.StageEnteredAt, KPJ: c.KPJ, CertificateNo: c.CertificateNo,
		Version: c.Version, UpdatedAt: c.UpdatedAt, FollowUp: f,
		Milestones: store.Milestones{
			Enrolled: m.Enrolled, Insured: m.Insured, Graduated: m.Graduated, Assessed: m.Assessed,
			Competent: m.Competent, Certified: m.Certified, GraduatedOn: m.GraduatedOn,
			PlacementCategory: m.PlacementCategory, PlacedOn: m.PlacedOn,
			PlacementSelfReported: m.PlacementSelfReported, CertificateIssuedOn: m.CertificateIssuedOn,
			CertificateExpiresOn: m.CertificateExpiresOn,
		},
	}
}

// caseEvent is the store's entry for a case event; the store numbers it.
func caseEvent(e contract.CaseEvent) store.Event {
	out := store.Event{CaseID: e.CaseID, Key: e.Key, Kind: e.Kind, Stage: e.Stage, ActorID: e.ActorID,
		ActorRole: e.ActorRole, Detail: e.Detail, Code: e.Code, Params: e.Params, At: e.At}
	if ev := e.Evidence; ev != nil {
		out.Evidence = &store.EventEvidence{Assessor: ev.Assessor, Warnings: ev.Warnings, WarningNotes: ev.WarningNotes, Rules: ev.Rules}
		for _, u := range ev.Units {
			out.Evidence.Units = append(out.Evidence.Units, store.UnitResult{Unit: u.Unit, Result: u.Result})
		}
	}
	return out
}

// agreementRow is the store's row for an agreement's read-model write; the store numbers it.
func agreementRow(a contract.AgreementRow) store.Agreement {
	return store.Agreement{
		Number: a.Number, Kind: a.Kind, Parent: a.Parent, PartnerCode: a.PartnerCode, Title: a.Title,
		Status: a.Status, SignedOn: a.SignedOn, Signatories: a.Signatories, ValidFrom: a.ValidFrom,
		ValidUntil: a.ValidUntil, TerminatedOn: a.TerminatedOn, EndReason: a.EndReason, Centres: a.Centres,
		Schemes: a.Schemes, TestSites: a.TestSites, Predecessor: a.Predecessor, Successor: a.Successor,
		Flags: a.Flags, Amendments: a.Amendments, WorkflowID: a.WorkflowID, Version: a.Version,
		UpdatedAt: a.UpdatedAt,
	}
}

// agreementEvents are the store's entries for an agreement's events; the store numbers them.
func agreementEvents(es []contract.AgreementEvent) []store.AgreementEvent {
	out := make([]store.AgreementEvent, 0, len(es))
	for _, e := range es {
		out = append(out, store.AgreementEvent{Number: e.Number, Key: e.Key, Kind: e.Kind, ActorID: e.ActorID,
			ActorRole: e.ActorRole, Detail: e.Detail, At: e.At})
	}
	return out
}

// stuckGroup is the digest's view of one group of stuck cases.
func stuckGroup(g store.StuckGroup) contract.StuckGroup {
	return contract.StuckGroup{CentreCode: g.CentreCode, LSPCode: g.LSPCode, Reason: g.Reason,
		WaitingOn: g.WaitingOn, Count: g.Count, Oldest: g.Oldest, OldestCase: g.OldestCase}
}
