package starter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/registry"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// NewAgreement is an MoU or a PKS to create: a draft, or signed at once when Sign is given.
type NewAgreement struct {
	Number      string
	Kind        string // mou (default) | pks
	Parent      string // for a PKS: the MoU it implements
	PartnerCode string // for a PKS: empty means its MoU's partner
	Title       string
	ValidFrom   time.Time
	ValidUntil  time.Time
	Scope       workflows.Scope
	Sign        *workflows.SignRequest
	Actor       workflows.Actor
}

// ErrAgreementEnded is returned for a change to an agreement whose workflow has ended.
var ErrAgreementEnded = errors.New("agreement has ended")

var coordinatorOnce = sync.OnceValue(func() string {
	if reg, err := registry.Load(); err == nil {
		return reg.Coordinator.Code
	}
	return ""
})

// MoUSettingsFrom copies the agreement rules out of the configuration; each agreement keeps the
// copy it started with (and carries it when it continues as new).
func (s *Service) MoUSettingsFrom() workflows.MoUSettings {
	return workflows.MoUSettings{
		ReminderDays: slices.Clone(s.Config.MoU.ReminderDays),
		Timezone:     s.Config.Journey.Timezone,
		Coordinator:  coordinatorOnce(),
		ClaimWindow:  s.Config.Security.ClaimWindow,
	}
}

// today is the calendar day now in the network's time zone.
func (s *Service) today() time.Time {
	y, m, d := time.Now().In(s.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CreateAgreement checks a new agreement against the registry and (for a PKS) its MoU, takes its
// number in the store, and starts its workflow. It returns the stored row.
func (s *Service) CreateAgreement(ctx context.Context, n NewAgreement) (store.Agreement, error) {
	n.Number = strings.TrimSpace(n.Number)
	if n.Kind == "" {
		n.Kind = agreement.KindMoU
	}
	st := workflows.MoUState{Number: n.Number, Kind: n.Kind, Parent: n.Parent, PartnerCode: n.PartnerCode,
		Title: n.Title, Status: agreement.Draft, ValidFrom: day(n.ValidFrom), ValidUntil: day(n.ValidUntil),
		Scope: n.Scope, Origin: "created"}
	var problems problemList
	if n.Number == "" || strings.ContainsAny(n.Number, "\n\r\t") {
		problems.add("refusal.mou-number-required", "number is required (one line)")
	}
	if n.Kind != agreement.KindMoU && n.Kind != agreement.KindPKS {
		problems.add("refusal.mou-kind", "kind must be mou or pks")
	}
	if n.ValidFrom.IsZero() || n.ValidUntil.IsZero() {
		problems.add("refusal.mou-validity-required", "valid_from and valid_until are required")
	} else if st.ValidUntil.Before(st.ValidFrom) {
		problems.add("refusal.mou-validity-order", "validity ends before it starts",
			"until", st.ValidUntil.Format(time.DateOnly), "from", st.ValidFrom.Format(time.DateOnly))
	}
	if n.Kind == agreement.KindPKS {
		p, err := s.parentOf(ctx, n.Parent)
		if err != nil {
			return store.Agreement{}, err
		}
		if st.PartnerCode == "" {
			st.PartnerCode = p.PartnerCode
		}
		problems.addAll(pksProblems(st, p))
		last := p.LastDay()
		st.ParentLastDay = &last
	} else if n.Parent != "" {
		problems.add("refusal.mou-parent-only-pks", "only a PKS has a parent MoU")
	}
	partner, err := s.Store.GetPartner(ctx, st.PartnerCode)
	if errors.Is(err, store.ErrNotFound) {
		problems.add("refusal.mou-partner-unknown", fmt.Sprintf("unknown partner %q", st.PartnerCode), "partner", st.PartnerCode)
	} else if err != nil {
		return store.Agreement{}, fmt.Errorf("create agreement %s: %w", n.Number, err)
	}
	scope, err := s.scopeProblems(ctx, partner, st.Scope)
	if err != nil {
		return store.Agreement{}, fmt.Errorf("create agreement %s: %w", n.Number, err)
	}
	problems.addAll(scope)
	if n.Sign != nil {
		if len(nonBlank(n.Sign.Signatories)) == 0 {
			problems.add("refusal.mou-signatory-required", "at least one signatory is required")
		}
		const signedOn = "the signing date is required and may not be in the future"
		switch {
		case n.Sign.SignedOn.IsZero():
			problems.add("refusal.mou-signed-on-required", signedOn)
		case day(n.Sign.SignedOn).After(s.today()):
			problems.add("refusal.mou-signed-on-future", signedOn, "day", day(n.Sign.SignedOn).Format(time.DateOnly))
		}
		signed := day(n.Sign.SignedOn)
		st.Status, st.SignedOn, st.Signatories = agreement.Signed, &signed, nonBlank(n.Sign.Signatories)
	}
	if !problems.empty() {
		return store.Agreement{}, problems.err("agreement "+n.Number, store.ErrInvalid)
	}
	row := store.Agreement{Number: st.Number, Kind: st.Kind, Parent: st.Parent, PartnerCode: st.PartnerCode,
		Title: st.Title, Status: st.Status, SignedOn: st.SignedOn, Signatories: st.Signatories,
		ValidFrom: st.ValidFrom, ValidUntil: st.ValidUntil, Centres: st.Scope.Centres, Schemes: st.Scope.Schemes,
		TestSites: st.Scope.TestSites, WorkflowID: workflows.MoUWorkflowID(st.Number)}
	if err := s.Store.CreateAgreement(ctx, row); err != nil {
		if errors.Is(err, store.ErrExists) {
			return store.Agreement{}, withCode(err, "refusal.mou-number-taken", "number", n.Number)
		}
		return store.Agreement{}, err
	}
	if err := s.startAgreement(ctx, st, enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE); err != nil {
		return store.Agreement{}, fmt.Errorf("agreement %s stored as %s, but its workflow did not start (it will at the next start): %w", n.Number, st.Status, err)
	}
	return s.Store.GetAgreement(ctx, n.Number)
}

// parentOf loads the MoU a PKS implements; it must be a live MoU.
func (s *Service) parentOf(ctx context.Context, number string) (store.Agreement, error) {
	if number == "" {
		return store.Agreement{}, withCode(fmt.Errorf("a PKS needs its parent MoU: %w", store.ErrInvalid), "refusal.mou-parent-required")
	}
	p, err := s.Store.GetAgreement(ctx, number)
	if errors.Is(err, store.ErrNotFound) {
		return p, withCode(fmt.Errorf("parent MoU %s does not exist: %w", number, store.ErrInvalid), "refusal.mou-parent-unknown", "mou", number)
	}
	if err != nil {
		return p, err
	}
	if p.Kind != agreement.KindMoU {
		return p, withCode(fmt.Errorf("parent %s is a %s, not an MoU: %w", number, p.Kind, store.ErrInvalid),
			"refusal.mou-parent-not-mou", "parent", number, "kind", p.Kind)
	}
	if !p.Live() {
		return p, withCode(fmt.Errorf("parent MoU %s is %s: %w", number, p.Status, store.ErrInvalid),
			"refusal.mou-parent-not-live", "mou", number, "status", p.Status)
	}
	return p, nil
}

// pksProblems checks that a PKS stays inside its MoU: same partner, within its validity and scope.
func pksProblems(st workflows.MoUState, p store.Agreement) problemList {
	var out problemList
	if st.PartnerCode != p.PartnerCode {
		out.add("refusal.mou-pks-partner", fmt.Sprintf("a PKS under %s is with %s, not %s", p.Number, p.PartnerCode, st.PartnerCode),
			"mou", p.Number, "partner", p.PartnerCode, "got", st.PartnerCode)
	}
	if st.ValidFrom.Before(p.ValidFrom) {
		out.add("refusal.mou-pks-starts-early", fmt.Sprintf("a PKS may not start before its MoU (%s)", p.ValidFrom.Format(time.DateOnly)),
			"mou", p.Number, "from", p.ValidFrom.Format(time.DateOnly))
	}
	if st.ValidUntil.After(p.LastDay()) {
		out.add("refusal.mou-pks-outlives", fmt.Sprintf("a PKS may not outlive its MoU: %s covers until %s", p.Number, p.LastDay().Format(time.DateOnly)),
			"mou", p.Number, "last", p.LastDay().Format(time.DateOnly), "until", st.ValidUntil.Format(time.DateOnly))
	}
	out.addAll(subsetProblem("centres", st.Scope.Centres, p.Centres, p.Number))
	out.addAll(subsetProblem("schemes", st.Scope.Schemes, p.Schemes, p.Number))
	out.addAll(subsetProblem("test sites", st.Scope.TestSites, p.TestSites, p.Number))
	return out
}

// subsetProblem refuses a PKS's scope list (name: "centres", "schemes", "test sites") that is
// not inside its MoU's; the message's {what} is the name as a code of the catalogue's mou-scope.
func subsetProblem(name string, own, parent []string, parentNumber string) problemList {
	var out problemList
	if len(parent) == 0 {
		return out
	}
	what := strings.ReplaceAll(name, " ", "-")
	if len(own) == 0 {
		out.add("refusal.mou-pks-scope-unnamed", fmt.Sprintf("%s: %s covers only %s; name them", name, parentNumber, strings.Join(parent, ",")),
			"what", what, "mou", parentNumber, "covers", strings.Join(parent, ", "))
		return out
	}
	for _, x := range own {
		if !slices.Contains(parent, x) {
			out.add("refusal.mou-pks-scope-outside", fmt.Sprintf("%s: %s is not in the scope of %s", name, x, parentNumber),
				"what", what, "code", x, "mou", parentNumber)
			return out
		}
	}
	return out
}

// scopeProblems checks the scope against the registry: known centres, and schemes and test
// sites only for an LSP. The error is a failure to read the registry, not a problem of the scope.
func (s *Service) scopeProblems(ctx context.Context, partner store.Partner, sc workflows.Scope) (problemList, error) {
	var out problemList
	if partner.Kind == "insurer" && (len(sc.Schemes) > 0 || len(sc.TestSites) > 0) {
		out.add("refusal.mou-insurer-scope", "schemes and test sites apply to an LSP, not to the insurer")
	}
	if len(sc.Centres) == 0 {
		return out, nil
	}
	centres, err := s.Store.ListCentres(ctx)
	if err != nil {
		return out, fmt.Errorf("centres cannot be checked: %w", err)
	}
	for _, code := range sc.Centres {
		if !slices.ContainsFunc(centres, func(c store.Centre) bool { return c.Code == code }) {
			out.add("refusal.mou-centre-unknown", fmt.Sprintf("unknown centre %q", code), "centre", code)
		}
	}
	return out, nil
}

// SignAgreement signs a draft.
func (s *Service) SignAgreement(ctx context.Context, number string, r workflows.SignRequest) (string, error) {
	return s.updateAgreement(ctx, number, workflows.UpdateMoUSign, r)
}

// AmendAgreement records an addendum; a PKS's new end and scope are checked against its MoU.
func (s *Service) AmendAgreement(ctx context.Context, number string, a workflows.Amendment) (string, error) {
	cur, err := s.Store.GetAgreement(ctx, number)
	if err != nil {
		return "", err
	}
	if a.Centres != nil || a.Schemes != nil || a.TestSites != nil {
		partner, err := s.Store.GetPartner(ctx, cur.PartnerCode)
		if err != nil {
			return "", err
		}
		sc := workflows.Scope{Centres: cur.Centres, Schemes: cur.Schemes, TestSites: cur.TestSites}
		for _, c := range []struct{ to, from *[]string }{{a.Centres, &sc.Centres}, {a.Schemes, &sc.Schemes}, {a.TestSites, &sc.TestSites}} {
			if c.to != nil {
				*c.from = *c.to
			}
		}
		problems, err := s.scopeProblems(ctx, partner, sc)
		if err != nil {
			return "", fmt.Errorf("amend %s: %w", number, err)
		}
		if !problems.empty() {
			return "", problems.err("amend "+number, store.ErrInvalid)
		}
		if cur.Kind == agreement.KindPKS {
			p, err := s.Store.GetAgreement(ctx, cur.Parent)
			if err != nil {
				return "", err
			}
			st := workflows.MoUState{PartnerCode: cur.PartnerCode, ValidFrom: cur.ValidFrom, ValidUntil: cur.ValidUntil, Scope: sc}
			if a.ValidUntil != nil {
				st.ValidUntil = day(*a.ValidUntil)
			}
			if problems := pksProblems(st, p); !problems.empty() {
				return "", problems.err("amend "+number, store.ErrInvalid)
			}
		}
	}
	return s.updateAgreement(ctx, number, workflows.UpdateMoUAmend, a)
}

// RenewAgreement signs a successor to take over from the agreement. The successor's number
// must be free; a successor PKS gets its MoU's last day so it cannot outlive it.
func (s *Service) RenewAgreement(ctx context.Context, number string, r workflows.RenewRequest) (string, error) {
	cur, err := s.Store.GetAgreement(ctx, number)
	if err != nil {
		return "", err
	}
	if cur.Successor == "" || cur.Successor != r.Successor {
		if _, err := s.Store.GetAgreement(ctx, r.Successor); err == nil {
			return "", withCode(fmt.Errorf("renew %s: successor number %s is taken: %w", number, r.Successor, store.ErrExists),
				"refusal.mou-successor-taken", "successor", r.Successor)
		} else if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
	}
	if cur.Kind == agreement.KindPKS {
		parent := r.Parent
		if parent == "" {
			parent = cur.Parent
		}
		p, err := s.parentOf(ctx, parent)
		if err != nil {
			return "", err
		}
		last := p.LastDay()
		r.Parent, r.ParentLastDay = parent, &last
	} else if r.Parent != "" {
		return "", withCode(fmt.Errorf("renew %s: only a PKS has a parent MoU: %w", number, store.ErrInvalid), "refusal.mou-parent-only-pks")
	}
	return s.updateAgreement(ctx, number, workflows.UpdateMoURenew, r)
}

// updateAgreement sends the update to the agreement's workflow and waits for its answer. An
// agreement without a running workflow (a seeded MoU before its first start, or one whose
// workflow was lost) gets one from its row first. A refusal by the workflow's validator comes
// back as a *RefusedError. The actor is signed like a journey step's (the claim's subject is
// the agreement's workflow ID): the workers refuse an agreement update without a valid claim.
func (s *Service) updateAgreement(ctx context.Context, number, name string, arg any) (string, error) {
	arg, err := s.signed(workflows.MoUWorkflowID(number), name, arg)
	if err != nil {
		return "", fmt.Errorf("agreement %s: %w", number, err)
	}
	send := func() (string, error) {
		h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID:   workflows.MoUWorkflowID(number),
			UpdateName:   name,
			Args:         []any{arg},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		var msg string
		if err == nil {
			err = h.Get(ctx, &msg)
		}
		return msg, err
	}
	msg, err := send()
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		row, rerr := s.Store.GetAgreement(ctx, number)
		if rerr != nil {
			return "", rerr
		}
		if rerr := s.ensureAgreement(ctx, row); rerr != nil {
			return "", rerr
		}
		msg, err = send()
	}
	if err != nil {
		return "", s.classifyAgreement(ctx, number, err)
	}
	return msg, nil
}

// classifyAgreement words a failed update: refused by the workflow, or sent to one that ended.
func (s *Service) classifyAgreement(ctx context.Context, number string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		status := "ended"
		if row, rerr := s.Store.GetAgreement(ctx, number); rerr == nil {
			status = row.Status
		}
		return agreementEnded(number, status)
	}
	var app interface{ Message() string }
	if errors.As(err, &app) {
		// The validator's code and parameters, when it gave them, word the refusal in the
		// reader's language (issue 15); the Reason stays the English sentence.
		coded, _ := workflows.RefusalOf(err)
		return &RefusedError{CaseID: number, Reason: app.Message(), Code: coded.Code, Params: coded.Params}
	}
	return fmt.Errorf("agreement %s: %w", number, err)
}

// agreementEnded refuses a change to an agreement whose workflow has ended, with its message code.
func agreementEnded(number, status string) *RefusedError {
	return &RefusedError{CaseID: number, Reason: fmt.Sprintf("%s is %s: %v", number, status, ErrAgreementEnded),
		Code: "refusal.mou-ended", Params: map[string]string{"number": number, "status": status}}
}

// ensureAgreement starts the agreement's workflow from its row when it has none (a seeded MoU,
// or a row whose workflow was lost). A workflow already running, or one that ended, is left
// alone.
func (s *Service) ensureAgreement(ctx context.Context, row store.Agreement) error {
	if !row.Live() {
		return agreementEnded(row.Number, row.Status)
	}
	st, err := s.stateFromRow(ctx, row)
	if err != nil {
		return err
	}
	err = s.startAgreement(ctx, st, enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) {
		return err
	}
	return nil
}

// StartAgreementWorkflows starts a workflow for every live agreement that has none running: the
// seeded MoUs on a fresh database, and any whose workflow was lost. It returns the numbers it
// started; running it again starts nothing.
func (s *Service) StartAgreementWorkflows(ctx context.Context) ([]string, error) {
	rows, err := s.Store.ListAgreements(ctx, store.AgreementFilter{LiveOnly: true})
	if err != nil {
		return nil, err
	}
	var started []string
	var errs []error
	// MoUs first: a PKS restored from its row reads its MoU's row.
	for _, row := range rows {
		st, err := s.stateFromRow(ctx, row)
		if err == nil {
			err = s.startAgreement(ctx, st, enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
		}
		var already *serviceerror.WorkflowExecutionAlreadyStarted
		switch {
		case err == nil:
			started = append(started, row.Number)
		case errors.As(err, &already):
		default:
			errs = append(errs, fmt.Errorf("%s: %w", row.Number, err))
		}
	}
	return started, errors.Join(errs...)
}

// stateFromRow rebuilds an agreement's workflow state from its read-model row. A row never
// written by a workflow (version 0) is a seed or a fresh create; one written before continues
// its version and event numbering, so its log keeps growing instead of colliding.
func (s *Service) stateFromRow(ctx context.Context, row store.Agreement) (workflows.MoUState, error) {
	st := workflows.MoUState{Number: row.Number, Kind: row.Kind, Parent: row.Parent, PartnerCode: row.PartnerCode,
		Title: row.Title, Status: row.Status, SignedOn: row.SignedOn, Signatories: row.Signatories,
		ValidFrom: row.ValidFrom, ValidUntil: row.ValidUntil, TerminatedOn: row.TerminatedOn, EndReason: row.EndReason,
		Scope:       workflows.Scope{Centres: row.Centres, Schemes: row.Schemes, TestSites: row.TestSites},
		Predecessor: row.Predecessor, Successor: row.Successor, Flags: row.Flags, Version: row.Version}
	switch {
	case row.Version > 0:
		events, err := s.Store.AgreementEvents(ctx, row.Number)
		if err != nil {
			return st, err
		}
		st.Seq, st.Origin = len(events), "restored"
	case row.Status == agreement.Draft:
		st.Origin = "created"
	default:
		st.Origin = "seed"
	}
	if row.Kind == agreement.KindPKS {
		p, err := s.Store.GetAgreement(ctx, row.Parent)
		if err != nil {
			return st, fmt.Errorf("parent of %s: %w", row.Number, err)
		}
		last := p.LastDay()
		st.ParentLastDay = &last
	}
	return st, nil
}

// startAgreement starts an agreement's workflow; its ID comes from the number, so a second start
// is refused by Temporal itself (WorkflowExecutionAlreadyStarted).
func (s *Service) startAgreement(ctx context.Context, st workflows.MoUState, reuse enumspb.WorkflowIdReusePolicy) error {
	wid := workflows.MoUWorkflowID(st.Number)
	// The worker ends an agreement whose start kompeten did not sign at its first task.
	in, err := s.signed(wid, auth.StartName(workflows.MoUWorkflowName), workflows.MoUInput{State: st, Settings: s.MoUSettingsFrom()})
	if err != nil {
		return fmt.Errorf("start agreement workflow %s: %w", st.Number, err)
	}
	_, err = s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       wid,
		TaskQueue:                s.TaskQueue,
		WorkflowIDReusePolicy:    reuse,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without this the SDK hands back the running workflow as if it had just been started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		StaticSummary:                            st.Kind + " " + st.Number + " with " + st.PartnerCode,
	}, workflows.MoUWorkflowName, in)
	if err != nil {
		return fmt.Errorf("start agreement workflow %s: %w", st.Number, err)
	}
	return nil
}

// day keeps the calendar date of t as written.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func nonBlank(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
