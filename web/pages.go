package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// step is one bar of a funnel chart.
type step struct {
	label
	Count int
}

// funnelOf lists a funnel's steps in order.
func funnelOf(f store.Funnel) []step {
	counts := map[string]int{"enrolled": f.Enrolled, "insured": f.Insured, "trained": f.Trained, "assessed": f.Assessed,
		"competent": f.Competent, "certified": f.Certified, "placed": f.Placed}
	out := make([]step, len(funnelSteps))
	for i, s := range funnelSteps {
		out[i] = step{label: s.label, Count: counts[s.Key]}
	}
	return out
}

type centreRow struct {
	api.CentreFunnel
	Steps []step
}

type overviewData struct {
	Overview api.Overview
	Steps    []step // the network's funnel
	Max      int    // the widest bar: cases in all
	Centres  []centreRow
	Waiting  int // cases waiting on a person's decision
	// Channels are the follow-ups per centre by channel, self-reported against staff-reported.
	Channels []store.ChannelRow
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	var d overviewData
	var err error
	if d.Overview, err = s.api.Overview(r.Context()); err != nil {
		s.failPage(w, r, err)
		return
	}
	in, err := s.api.Inbox(r.Context(), apiclient.InboxFilter{Limit: 1})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, g := range in.Groups {
		d.Waiting += g.Total
	}
	tracer, err := s.api.TracerStudy(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	d.Channels = tracer.Channels
	d.Steps = funnelOf(d.Overview.Total)
	d.Max = d.Overview.Total.Cases
	for _, c := range d.Overview.Centres {
		d.Centres = append(d.Centres, centreRow{CentreFunnel: c, Steps: funnelOf(c.Funnel)})
	}
	s.render(w, r, "overview", page{Title: both("Ringkasan", "Overview"), Nav: "overview", Data: d})
}

// filters are the list filters a page was asked for; each list gets those its API operation takes.
type filters struct {
	Centre, LSP, Stage, Reason, Role string
	Offset                           int
}

func filtersOf(r *http.Request) filters {
	q := r.URL.Query()
	off, _ := strconv.Atoi(q.Get("offset"))
	return filters{Centre: q.Get("centre"), LSP: q.Get("lsp"), Stage: q.Get("stage"), Reason: q.Get("reason"),
		Role: q.Get("role"), Offset: max(off, 0)}
}

// stuck are the filters of the stuck list.
func (f filters) stuck() apiclient.StuckFilter {
	return apiclient.StuckFilter{Centre: f.Centre, LSP: f.LSP, Stage: vocab.Stage(f.Stage), Reason: vocab.Reason(f.Reason)}
}

// inbox are the filters of the approvals inbox.
func (f filters) inbox() apiclient.InboxFilter {
	return apiclient.InboxFilter{Role: vocab.Role(f.Role), Centre: f.Centre, LSP: f.LSP}
}

// query is the page's own query string with extra, for the links between pages.
func (f filters) query(extra url.Values) string {
	q := url.Values{}
	for k, v := range map[string]string{"centre": f.Centre, "lsp": f.LSP, "stage": f.Stage, "reason": f.Reason, "role": f.Role} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for k, vs := range extra {
		q[k] = vs
	}
	return q.Encode()
}

// choices are the registry's centres and LSPs for the filter menus.
type choices struct {
	Centres []store.Centre
	LSPs    []store.Partner
}

func (s *Server) choices(r *http.Request) (choices, error) {
	var c choices
	var err error
	if c.Centres, err = s.api.ListCentres(r.Context()); err != nil {
		return c, err
	}
	ps, err := s.api.ListPartners(r.Context())
	if err != nil {
		return c, err
	}
	for _, p := range ps {
		if p.Kind == "certifier" {
			c.LSPs = append(c.LSPs, p)
		}
	}
	return c, nil
}

// stuckPageSize is how many stuck cases one page lists.
const stuckPageSize = 50

type stuckData struct {
	List    api.StuckList
	Filter  filters
	Choices choices
	Reasons []api.StuckReason
	Stages  []vocab.Stage
	CSV     string
	Prev    string
	Next    string
}

func (s *Server) stuckPage(w http.ResponseWriter, r *http.Request) {
	f := filtersOf(r)
	d := stuckData{Filter: f, Stages: vocab.OpenStages}
	one := f.stuck()
	one.Limit, one.Offset = stuckPageSize, f.Offset
	var err error
	if d.List, err = s.api.ListStuck(r.Context(), one); err != nil {
		s.failPage(w, r, err)
		return
	}
	if d.Reasons, err = s.api.StuckReasons(r.Context()); err != nil {
		s.failPage(w, r, err)
		return
	}
	if d.Choices, err = s.choices(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	d.CSV = string(apiclient.StuckCSV(f.stuck()))
	if f.Offset > 0 {
		d.Prev = "/stuck?" + f.query(url.Values{"offset": {strconv.Itoa(max(f.Offset-stuckPageSize, 0))}})
	}
	if f.Offset+len(d.List.Cases) < d.List.Total {
		d.Next = "/stuck?" + f.query(url.Values{"offset": {strconv.Itoa(f.Offset + stuckPageSize)}})
	}
	s.render(w, r, "stuck", page{Title: both("Kasus macet", "Stuck cases"), Nav: "stuck", Data: d})
}

type inboxData struct {
	Inbox api.Inbox
	// Groups are the groups with cases waiting (or paged past); Empty the ones with none, shown
	// folded below them so that on a phone the first card is on the first screen (issue 15).
	Groups, Empty []api.InboxGroup
	Roles         []vocab.Role // the roles the inbox groups by, for its filter
	Filter        filters
	Choices       choices
	CSV           string
	Total         int
	// ToConfirm are self-reported placements waiting for staff to confirm them, soonest
	// closing first (the first inboxPageSize); ToConfirmTotal counts them all. Only the centre
	// admins' part of the inbox shows them (no role filter, or centre-admin, and no LSP).
	ToConfirm      []followUpRow
	ToConfirmTotal int
	// ToConfirmFailed says the self-reports could not be read: the decisions still show.
	ToConfirmFailed bool
}

// inboxToConfirm reads the self-reported placements waiting for staff into the inbox, from the
// read model (the follow-ups list's to-confirm part), when the filter shows centre admins' work.
func (s *Server) inboxToConfirm(r *http.Request, d *inboxData) error {
	f := d.Filter
	if (f.Role != "" && f.Role != string(vocab.RoleCentreAdmin)) || f.LSP != "" {
		return nil
	}
	l, err := s.api.FollowUps(r.Context(), apiclient.FollowUpFilter{Centre: f.Centre, Limit: 1})
	if err != nil {
		return err
	}
	d.ToConfirmTotal = l.ToConfirmTotal
	for i, c := range l.ToConfirm {
		if i == inboxPageSize {
			break
		}
		d.ToConfirm = append(d.ToConfirm, followUpRowOf(c))
	}
	return nil
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	f := filtersOf(r)
	d := inboxData{Filter: f, Roles: api.InboxRoles}
	in := f.inbox()
	in.Limit, in.Offset = inboxPageSize, f.Offset
	var err error
	if d.Inbox, err = s.api.Inbox(r.Context(), in); err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, g := range d.Inbox.Groups {
		d.Total += g.Total
		if g.Total == 0 && len(g.Cases) == 0 {
			d.Empty = append(d.Empty, g)
		} else {
			d.Groups = append(d.Groups, g)
		}
	}
	if d.Choices, err = s.choices(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	if err := s.inboxToConfirm(r, &d); err != nil {
		// A side list: the decisions waiting are the inbox's work, and they still show.
		s.opts.Logger.Warn("inbox: self-reported placements to confirm not read", "error", err)
		d.ToConfirmFailed = true
	}
	d.CSV = string(apiclient.InboxCSV(f.inbox()))
	s.render(w, r, "inbox", page{Title: both("Kotak masuk", "Inbox"), Nav: "inbox", Data: d})
}

type caseData struct {
	View     api.CaseView
	Workflow *starter.WorkflowInfo
	// WorkflowError says why Temporal's live view is missing.
	WorkflowError string
	// Decision is the decision the case waits for on this page ("enrolment", "certification"), if any.
	Decision string
	// RulesNotMet are the rules the enrolment check found not met, when an enrolment decision
	// waits: approving then asks for a confirmation and a reason (web/decisions.go).
	RulesNotMet []string
	// RuleNotes are RulesNotMet as catalogue messages, when the check recorded them.
	RuleNotes []i18n.Message
	Steps     []milestone
	// Assess is the assessment result form, when the case's assessment waits for its result
	// (web/assess.go).
	Assess *assessForm
	// Correction is the form of a record BPJS refused, when the case waits for one.
	Correction *correctionForm
	// Revocation is the certificate's revocation, from the timeline (nil: not revoked).
	Revocation *api.Revocation
	// Categories and Today fill the correction form of a self-reported placement waiting for
	// staff (web/review.go).
	Categories []category
	Today      string
}

type milestone struct {
	label
	Done bool
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	s.renderCase(w, r, r.PathValue("id"), nil, http.StatusOK)
}

// renderCase draws a case page; assess, when not nil, is the assessment form as entered (with
// the journey's refusal), else the form starts empty when the assessment waits for its result.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, id string, assess *assessForm, status int) {
	var d caseData
	var err error
	if d.View, err = s.api.GetCase(r.Context(), id); err != nil {
		s.failPage(w, r, err)
		return
	}
	wf, err := s.api.CaseWorkflow(r.Context(), id)
	if err != nil {
		d.WorkflowError = err.Error()
	} else {
		d.Workflow = &wf
	}
	c := d.View.Case
	switch {
	case c.Status == store.StatusOpen && c.Stage == vocab.StageEnrolment && c.WaitingOn == vocab.WaitingCentreAdmin:
		d.Decision = "enrolment"
	case c.Status == store.StatusOpen && c.Stage == vocab.StageCertification && c.WaitingOn == vocab.WaitingLSPManager:
		d.Decision = "certification"
	}
	if d.Decision == "enrolment" {
		d.RulesNotMet, d.RuleNotes = failedRules(d.View.Events)
	}
	if d.Assess = assess; d.Assess == nil {
		d.Assess = assessFormOf(c, d.View.State)
	}
	d.Correction = correctionOf(d.View)
	d.Revocation = api.RevocationIn(d.View.Events)
	d.Categories, d.Today = categories(), s.opts.today()
	m := c.Milestones
	done := []bool{m.Enrolled, m.Insured, m.Graduated, m.Assessed, m.Competent, m.Certified, m.PlacementCategory.Placed()}
	for i, st := range funnelSteps {
		d.Steps = append(d.Steps, milestone{label: st.label, Done: done[i]})
	}
	s.render(w, r, "case", page{Title: both("Kasus "+c.CaseID, "Case "+c.CaseID), Nav: "case", Data: d, Status: status})
}
