package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// MaxBulkDecisions bounds one bulk decision: more cases are refused whole (422) with the count,
// so that a request's answer stays readable and its time bounded.
const MaxBulkDecisions = 1000

// DecisionsRequest approves or rejects several enrolments or certifications in one action: the
// cases named, or every case waiting for the decision that matches Filter (in the caller's scope).
type DecisionsRequest struct {
	// Kind is the decision: enrolment or certification.
	Kind string `json:"kind"`
	// Action is approve or reject.
	Action string `json:"action"`
	// CaseIDs are the cases to decide; give them or Filter, not both.
	CaseIDs []string `json:"case_ids,omitempty"`
	// Filter selects every case waiting for the decision that matches it.
	Filter *DecisionFilter `json:"filter,omitempty"`
	// Reason is required to reject, to approve over capacity and to approve an enrolment whose
	// check found rules not met (it lands in each case's timeline).
	Reason string `json:"reason,omitempty"`
	// OverrideRules confirms approving enrolments whose check found rules not met (with Reason);
	// without it such cases are refused, each naming its rules, and the others approved.
	OverrideRules bool `json:"override_rules,omitempty"`
	// Waitlist and OverCapacity are an enrolment approval's seat options (see EnrolmentDecision).
	Waitlist     bool `json:"waitlist,omitempty"`
	OverCapacity bool `json:"over_capacity,omitempty"`
	// Actor is read only by a server that requires no tokens (handler tests); the token says who.
	Actor workflows.Actor `json:"actor,omitzero"`
}

// DecisionFilter selects the cases waiting for a decision: by package, centre and LSP (each
// optional), always within the caller's scope.
type DecisionFilter struct {
	Package string `json:"package,omitempty"`
	Centre  string `json:"centre,omitempty"`
	LSP     string `json:"lsp,omitempty"`
}

// DecisionOutcome is what became of one case of a bulk decision: done, or refused with the
// status and words the single-case endpoint would have answered.
type DecisionOutcome struct {
	CaseID  string `json:"case_id"`
	OK      bool   `json:"ok"`
	Status  int    `json:"status"`
	Message string `json:"message"`
	// Code and Params are a refusal's message code in the catalogue and its parameters, when
	// it has one; Words is the refusal worded from them in the language the request's
	// Accept-Language prefers (Message stays the English it always was).
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	Words  string            `json:"words,omitempty"`
	// Rules are the rules not met of a refusal for them (refusal.rules-not-met), as catalogue
	// messages, when the case's check recorded their codes.
	Rules []i18n.Message `json:"rules,omitempty"`
}

// refused fills a refusal's code, parameters and words (a failure of several problems keeps
// the first problem's code and the words of them all).
func (o *DecisionOutcome) refused(r *http.Request, codes ...workflows.RefusalDetails) {
	if len(codes) == 0 {
		return
	}
	o.Code, o.Params = codes[0].Code, codes[0].Params
	o.Words = refusalText(requestReader(r), codes)
}

// DecisionsResponse answers a bulk decision case by case, in the order they were decided.
type DecisionsResponse struct {
	Kind     string            `json:"kind"`
	Action   string            `json:"action"`
	Total    int               `json:"total"`
	Done     int               `json:"done"`
	Refused  int               `json:"refused"`
	Outcomes []DecisionOutcome `json:"outcomes"`
}

// bulkKinds maps a bulk decision's kind onto its update and the inbox group it answers.
var bulkKinds = map[string]struct {
	update string
	group  string
}{
	"enrolment":     {workflows.UpdateDecideEnrolment, "enrolment-approval"},
	"certification": {workflows.UpdateDecideCertification, "certification-approval"},
}

// decideMany takes one decision on many cases. The request as a whole is refused only for what
// concerns them all (a bad kind or action, a missing reason to reject, a role that may not take
// the decision, too many cases); otherwise every case is decided in turn (the longest waiting
// first for a filter, in the given order for IDs, which is also the order seats are taken) and
// answered on its own: a case out of scope is "not found", one the journey refuses carries the
// journey's words ("package X is full: 16 of 16 seats taken").
func (s *Server) decideMany(w http.ResponseWriter, r *http.Request) {
	var req DecisionsRequest
	if !decode(w, r, &req) {
		return
	}
	k, known := bulkKinds[req.Kind]
	if !known {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-choice", "name", "kind", "values", "enrolment, certification", "value", req.Kind), "kind: enrolment or certification, not %q", req.Kind)
		return
	}
	if req.Action != "approve" && req.Action != "reject" {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-choice", "name", "action", "values", "approve, reject", "value", req.Action), "action: approve or reject, not %q", req.Action)
		return
	}
	approve := req.Action == "approve"
	req.Reason = strings.TrimSpace(req.Reason)
	switch {
	case !approve && req.Reason == "":
		writeError(w, r, http.StatusUnprocessableEntity, say("api.reason-reject"), "reason: required to reject")
		return
	case len(req.Reason) > maxNote:
		writeError(w, r, http.StatusUnprocessableEntity, say("api.too-long", "field", "reason", "max", strconv.Itoa(maxNote)), "reason: at most %d characters", maxNote)
		return
	case req.OverrideRules && req.Reason == "":
		writeError(w, r, http.StatusUnprocessableEntity, say("api.reason-override"), "reason: required to override rules not met (it lands in each case's timeline)")
		return
	case req.OverrideRules && (req.Kind != "enrolment" || !approve):
		writeError(w, r, http.StatusUnprocessableEntity, say("api.override-enrolments"), "override_rules applies to approving enrolments")
		return
	case (req.Waitlist || req.OverCapacity) && (req.Kind != "enrolment" || !approve):
		writeError(w, r, http.StatusUnprocessableEntity, say("api.waitlist-enrolments"), "waitlist and over_capacity apply to approving enrolments")
		return
	case (len(req.CaseIDs) > 0) == (req.Filter != nil):
		writeError(w, r, http.StatusUnprocessableEntity, say("api.ids-or-filter"), "give case_ids or a filter, not both and not neither")
		return
	case len(req.CaseIDs) > MaxBulkDecisions:
		writeError(w, r, http.StatusUnprocessableEntity, say("api.too-many-cases", "max", strconv.Itoa(MaxBulkDecisions), "n", strconv.Itoa(len(req.CaseIDs))),
			"at most %d cases per request, not %d: split them", MaxBulkDecisions, len(req.CaseIDs))
		return
	}
	actor := identityActor(r, req.Actor)
	if id, ok := IdentityFrom(r.Context()); ok && !id.May(auth.Action(k.update)) {
		refuseRole(w, r, id.Role, auth.Action(k.update))
		return
	}
	if !checkActor(w, r, actor) {
		return
	}
	ids := dedupe(req.CaseIDs)
	if req.Filter != nil {
		var ok bool
		if ids, ok = s.matching(w, r, k.group, *req.Filter); !ok {
			return
		}
	}
	out := DecisionsResponse{Kind: req.Kind, Action: req.Action, Total: len(ids), Outcomes: make([]DecisionOutcome, 0, len(ids))}
	rules, err := s.failedRules(r, req.Kind, approve, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, id := range ids {
		o := s.decideOne(r, req, k.update, id, actor, rules[id])
		if o.OK {
			out.Done++
		} else {
			out.Refused++
		}
		out.Outcomes = append(out.Outcomes, o)
	}
	writeJSON(w, http.StatusOK, out)
}

// dedupe keeps the first of each ID, in order.
func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// matching lists the cases in the caller's scope waiting for the group's decision that match f,
// the longest waiting first; more than MaxBulkDecisions is refused with the count.
func (s *Server) matching(w http.ResponseWriter, r *http.Request, group string, f DecisionFilter) ([]string, bool) {
	scope, ok := scopedFilter(w, r, f.Centre, f.LSP)
	if !ok {
		return nil, false
	}
	i := slices.IndexFunc(inboxKinds, func(k inboxKind) bool { return k.Kind == group })
	k := inboxKinds[i]
	total, cs, err := s.Store.WaitingCases(r.Context(), store.WaitFilter{Scope: scope, WaitingOn: k.WaitingOn, Stage: k.Stage,
		Reason: k.Reason, NotReasons: k.otherReasons(), CentreCode: f.Centre, LSPCode: f.LSP, PackageCode: f.Package,
		Limit: MaxBulkDecisions + 1})
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if total > MaxBulkDecisions {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.filter-too-wide", "n", strconv.Itoa(total), "max", strconv.Itoa(MaxBulkDecisions)),
			"the filter matches %d cases; at most %d per request: narrow it (a package, a centre)", total, MaxBulkDecisions)
		return nil, false
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.CaseID
	}
	return ids, true
}

// failedRules are the rules each case's enrolment check found not met, for an enrolment
// approval (overriding them needs a reason); nil otherwise.
func (s *Server) failedRules(r *http.Request, kind string, approve bool, ids []string) (map[string]failed, error) {
	if kind != "enrolment" || !approve {
		return nil, nil
	}
	evs, err := s.Store.LatestEvents(r.Context(), ids, "enrolment-checked")
	if err != nil {
		return nil, fmt.Errorf("rules not met of %d cases: %w", len(ids), err)
	}
	out := map[string]failed{}
	for id, e := range evs {
		if rules := rulesNotMet(e.Detail); len(rules) > 0 {
			out[id] = failed{rules: rules, notes: ruleNotes(e.Evidence, len(rules))}
		}
	}
	return out, nil
}

// failed are the rules an enrolment check found not met: their English, as the event's detail
// lists them, and the same as catalogue messages for checks since the rules have codes.
type failed struct {
	rules []string
	notes []i18n.Message
}

// english is the rules in English, joined (the API's English fields and the timeline).
func (f failed) english() string { return strings.Join(f.rules, "; ") }

// in is the rules in the reader's language, joined: from their codes when the check recorded
// them, else the English as the check wrote it.
func (f failed) in(rd i18n.Reader) string {
	if len(f.notes) != len(f.rules) {
		return f.english()
	}
	parts := make([]string, len(f.notes))
	for i, m := range f.notes {
		parts[i] = m.In(rd)
	}
	return strings.Join(parts, "; ")
}

// ruleNotes are an enrolment-checked event's rules as messages, when its evidence has one for
// each of the n rules its detail lists; nil otherwise.
func ruleNotes(ev *store.EventEvidence, n int) []i18n.Message {
	if ev == nil || len(ev.Rules) != n {
		return nil
	}
	return ev.Rules
}

// decideOne decides one case of a bulk decision as the single-case endpoint would: the case
// must be readable by the caller (else "not found"), an override of failed rules needs the
// reason, and the journey's refusal is reported in its words.
func (s *Server) decideOne(r *http.Request, req DecisionsRequest, update, caseID string, actor workflows.Actor, rules failed) DecisionOutcome {
	o := DecisionOutcome{CaseID: caseID}
	c, err := s.Store.GetCase(r.Context(), caseID)
	if err == nil && !mayRead(r.Context(), c) {
		err = store.ErrNotFound
	}
	if err != nil {
		o.Status, o.Message = s.failure(r, err)
		if o.Status == http.StatusNotFound {
			o.Message = "case " + caseID + " not found"
			o.refused(r, workflows.RefusalDetails{Code: "refusal.case-not-found", Params: map[string]string{"case": caseID}})
		}
		return o
	}
	approve := req.Action == "approve"
	if approve && len(rules.rules) > 0 && !req.OverrideRules {
		o.Status = http.StatusUnprocessableEntity
		o.Message = "rules not met (" + rules.english() + "): not approved; to approve anyway, confirm the override (override_rules) with a reason"
		// Params keep the English rules (as Message does); Words words each rule in the
		// request's language from its code, and Rules gives the codes to whoever words it
		// itself (the pages). A check recorded before the codes keeps its English in both.
		o.refused(r, workflows.RefusalDetails{Code: "refusal.rules-not-met", Params: map[string]string{"rules": rules.english()}})
		o.Words = requestReader(r).T("refusal.rules-not-met", map[string]string{"rules": rules.in(requestReader(r))})
		o.Rules = rules.notes
		return o
	}
	var body any = &workflows.CertificationDecision{Actor: actor, Approve: approve, Reason: req.Reason}
	if update == workflows.UpdateDecideEnrolment {
		body = &workflows.EnrolmentDecision{Actor: actor, Approve: approve, Reason: req.Reason, Waitlist: req.Waitlist, OverCapacity: req.OverCapacity}
	}
	res, err := s.Svc.UpdateRead(r.Context(), c, update, body)
	if err != nil {
		o.Status, o.Message = s.failure(r, err)
		o.refused(r, refusalCodes(err)...)
		return o
	}
	if err := s.recordOverride(r, c, rules, req.Reason, actor, approve); err != nil {
		o.Status, o.Message = s.failure(r, err)
		o.Message = res.Message + "; but the override's reason was not recorded: " + o.Message
		return o
	}
	o.OK, o.Status, o.Message = true, http.StatusOK, res.Message
	return o
}

// overrideRefusal is the refusal of an enrolment approval over failed rules without a reason,
// or "" when there is nothing to override or a reason is given.
func overrideRefusal(rules []string, reason string) string {
	if len(rules) == 0 || strings.TrimSpace(reason) != "" {
		return ""
	}
	return "reason: required to approve an enrolment whose check found rules not met (" + strings.Join(rules, "; ") +
		"): confirm the override and say why"
}

// recordOverride writes an approval over failed rules, with its reason, to the case's timeline.
func (s *Server) recordOverride(r *http.Request, c store.Case, rules failed, reason string, a workflows.Actor, approve bool) error {
	if !approve || len(rules.rules) == 0 {
		return nil
	}
	detail := "approved although rules were not met (" + rules.english() + "); reason: " + strings.TrimSpace(reason)
	if err := s.Store.AppendEvent(r.Context(), opsEvent(c, "rules-overridden", detail, a, time.Now())); err != nil {
		return fmt.Errorf("record the override of case %s: %w", c.CaseID, err)
	}
	return nil
}

// checkOverride guards the single-case enrolment approval: an approval of a case whose check
// found rules not met needs a reason (422 naming it). It returns the rules to record after the
// approval, and false when it has answered.
func (s *Server) checkOverride(w http.ResponseWriter, r *http.Request, caseID string, d *workflows.EnrolmentDecision) (failed, bool) {
	if !d.Approve {
		return failed{}, true
	}
	rules, err := s.failedRules(r, "enrolment", true, []string{caseID})
	if err != nil {
		s.fail(w, r, err)
		return failed{}, false
	}
	f := rules[caseID]
	if msg := overrideRefusal(f.rules, d.Reason); msg != "" {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.override-reason", "rules", f.in(requestReader(r))), "%s", msg)
		return failed{}, false
	}
	return f, true
}
