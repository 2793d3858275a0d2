package api

import (
	"context"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Evidence is what a decision in the inbox rests on, from the case's event log: for an
// enrolment approval the rules the check found not met; for a certification approval the
// assessment's result (K and BK counts), who recorded it and when.
type Evidence struct {
	// Kind is the event it comes from: enrolment-checked or assessment-result.
	Kind string `json:"kind"`
	// RulesNotMet are the enrolment rules the check found not met (empty: all rules pass).
	RulesNotMet []string `json:"rules_not_met,omitempty"`
	// RuleNotes are RulesNotMet as catalogue messages, in the same order, and WarningNotes the
	// same for Warnings, when the journey recorded their codes (empty for older checks: word
	// the English then).
	RuleNotes    []i18n.Message `json:"rule_notes,omitempty"`
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
	// Detail is the event's sentence ("assessment result recorded: 3 K, 0 BK (assessor asr-7)").
	Detail string `json:"detail"`
	// Units is the assessment's result per competency unit (K or BK), and Assessor who assessed,
	// for journeys that record them (since the evidence-in-read-model change).
	Units    []store.UnitResult `json:"units,omitempty"`
	Assessor string             `json:"assessor,omitempty"`
	// Warnings are the import's and the enrolment check's warnings (a NIK whose birth date
	// differs from the stated one, a missing phone), beside an enrolment approval.
	Warnings []string   `json:"warnings,omitempty"`
	By       string     `json:"by,omitempty"`
	Role     vocab.Role `json:"role,omitempty"`
	At       time.Time  `json:"at"`
}

// evidenceKinds is the event behind each inbox group's decision.
var evidenceKinds = map[string]string{"enrolment-approval": "enrolment-checked", "certification-approval": "assessment-result"}

// rulesNotMetMark starts the rules in an enrolment-checked event's detail (workflows/step_enrol.go).
const rulesNotMetMark = "; rules not met: "

// notAutoMark starts the part of an enrolment-checked detail that says why a case whose rules
// pass was not approved automatically (a full package); it is no rule.
const notAutoMark = "; not approved automatically: "

// RulesNotMet reads the rules an enrolment-checked event's detail lists as not met (none when
// every rule passed); the case page asks it, as the inbox does.
func RulesNotMet(detail string) []string { return rulesNotMet(detail) }

// rulesNotMet reads the rules an enrolment-checked event's detail lists as not met.
func rulesNotMet(detail string) []string {
	_, rules, found := strings.Cut(detail, rulesNotMetMark)
	if !found {
		return nil
	}
	rules, _, _ = strings.Cut(rules, notAutoMark)
	return strings.Split(rules, "; ")
}

// attachEvidence fills Evidence on a group's items from their latest event of the group's kind.
func (s *Server) attachEvidence(ctx context.Context, g *InboxGroup) error {
	kind, ok := evidenceKinds[g.Kind]
	if !ok || len(g.Cases) == 0 {
		return nil
	}
	ids := make([]string, len(g.Cases))
	for i, c := range g.Cases {
		ids[i] = c.CaseID
	}
	evs, err := s.Store.LatestEvents(ctx, ids, kind)
	if err != nil {
		return err
	}
	for i := range g.Cases {
		e, ok := evs[g.Cases[i].CaseID]
		if !ok {
			continue
		}
		ev := &Evidence{Kind: e.Kind, Detail: e.Detail, By: e.ActorID, Role: e.ActorRole, At: e.At}
		ev.RulesNotMet = rulesNotMet(e.Detail)
		if x := e.Evidence; x != nil {
			ev.Units, ev.Assessor, ev.Warnings = x.Units, x.Assessor, x.Warnings
			if len(x.WarningNotes) == len(x.Warnings) {
				ev.WarningNotes = x.WarningNotes
			}
		}
		ev.RuleNotes = ruleNotes(e.Evidence, len(ev.RulesNotMet))
		g.Cases[i].Evidence = ev
	}
	return nil
}
