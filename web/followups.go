package web

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// followUpLimit is how many cases in placement follow-up one page reads (each one's journey
// state is one query: a centre follows a few dozen graduates at a time).
const followUpLimit = 200

// followUpRow is one graduate whose follow-up is due or overdue.
type followUpRow struct {
	store.Case
	Name, Phone string
	// Next is the next follow-up; Missed how many passed with no placement reported.
	Next    *time.Time
	Missed  int
	Overdue bool
	// LastContact is the latest follow-up contact that found no placement, if any.
	LastContact *workflows.ContactState
	// Unanswered is the month whose follow-up message and reminder went unanswered: call.
	Unanswered int
	// Confirm and Report are a self-reported placement waiting for staff to confirm or correct
	// it (the page's "to confirm" section).
	Confirm *workflows.ConfirmationState
	Report  *workflows.PlacementReport
}

// followUpsData is the follow-ups page of a centre (or every centre in the reader's scope).
type followUpsData struct {
	Centre     string
	Choices    choices
	Rows       []followUpRow
	Later      int // in follow-up, nothing due yet
	Unreadable []string
	Categories []category
	// Contacts are the outcomes of a contact that found no placement (the form's other choices).
	Contacts []contactChoice
	Today    string
	// CSV is the list's download (apiclient.FollowUpsCSV), of the centre filtered on.
	CSV string

	// ToConfirm are the graduates whose self-reported placement waits for staff, soonest
	// closing first.
	ToConfirm []followUpRow
}

// contactChoice is a follow-up contact outcome in the form's menu.
type contactChoice struct {
	Code   vocab.Contact
	ID, EN string
}

// contactChoices are the follow-up contact outcomes with their labels.
func contactChoices() []contactChoice {
	out := make([]contactChoice, 0, len(vocab.Contacts))
	for _, c := range vocab.Contacts {
		l := c.Label()
		out = append(out, contactChoice{Code: c, ID: l.ID, EN: l.EN})
	}
	return out
}

// category is a placement category in the form's menu.
type category struct {
	Code   vocab.Placement
	ID, EN string
}

// categories are the placement categories with their labels.
func categories() []category {
	out := make([]category, 0, len(vocab.Placements))
	for _, p := range vocab.Placements {
		l := p.Label()
		out = append(out, category{Code: p, ID: l.ID, EN: l.EN})
	}
	return out
}

// followUpRoutes adds the placement follow-ups page and its form.
func (s *Server) followUpRoutes(mux *http.ServeMux, forms map[string]http.HandlerFunc) {
	mux.HandleFunc("GET /followups", s.followUpsPage)
	forms["POST /cases/{id}/placement"] = s.reportPlacement
	forms["POST /followups/not-reached"] = s.notReachedMany // web/followups_bulk.go
	s.reviewRoutes(forms)                                   // confirm a self-report, revoke a certificate: web/review.go
}

// followUpsPage lists the graduates in placement follow-up whose follow-up is overdue (one or
// more passed with no placement reported) or due within api.FollowUpAhead, overdue first, each with
// name and phone and a form to report the placement (the report-placement update).
func (s *Server) followUpsPage(w http.ResponseWriter, r *http.Request) {
	d := followUpsData{Centre: r.URL.Query().Get("centre"), Categories: categories(), Contacts: contactChoices(), Today: s.opts.today()}
	d.CSV = string(apiclient.FollowUpsCSV(d.Centre))
	var err error
	if d.Choices, err = s.choices(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	pg, err := s.api.SearchCases(r.Context(), api.SearchRequest{Centre: d.Centre, Stage: vocab.StagePlacement, Status: store.StatusOpen, Limit: followUpLimit})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	now := time.Now()
	for _, c := range pg.Cases {
		v, err := s.api.GetCase(r.Context(), c.CaseID)
		if err != nil || v.State == nil {
			d.Unreadable = append(d.Unreadable, c.CaseID)
			continue
		}
		p := v.State.Placement
		row := followUpRow{Case: c, Next: p.NextFollowUp, Missed: p.FollowUpsDone, Overdue: p.FollowUpsDone > 0, LastContact: p.LastContact, Unanswered: p.Unanswered}
		if c.Person != nil {
			row.Name, row.Phone = c.Person.Name, c.Person.Phone
		}
		if p.AwaitingConfirmation() {
			row.Confirm, row.Report = p.Confirmation, p.Report
			d.ToConfirm = append(d.ToConfirm, row)
			continue
		}
		if !api.FollowUpDue(p, now) {
			d.Later++
			continue
		}
		d.Rows = append(d.Rows, row)
	}
	sort.SliceStable(d.Rows, func(a, b int) bool {
		ra, rb := d.Rows[a], d.Rows[b]
		if ra.Missed != rb.Missed {
			return ra.Missed > rb.Missed
		}
		return ra.Next != nil && rb.Next != nil && ra.Next.Before(*rb.Next)
	})
	sort.SliceStable(d.ToConfirm, func(a, b int) bool { return d.ToConfirm[a].Confirm.Until.Before(d.ToConfirm[b].Confirm.Until) })
	s.render(w, r, "followups", page{Title: both("Tindak lanjut penempatan", "Placement follow-ups"), Nav: "followups", Data: d})
}

// reportPlacement sends the follow-up form as the report-placement update (POST
// /api/v1/cases/{id}/placement, the CLI's `kompeten place`), or, for "still looking" and "not
// reached", as a follow-up contact that leaves the case in follow-up (POST
// /api/v1/cases/{id}/follow-up, `kompeten follow-up`): the journey's answer, or its refusal in
// its words, comes back on the list.
func (s *Server) reportPlacement(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleCentreAdmin)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if c := vocab.Contact(r.PostFormValue("category")); c.Valid() {
		res, err := s.api.RecordFollowUp(r.Context(), id, workflows.FollowUpContact{Actor: a, Contact: c, Note: strings.TrimSpace(r.PostFormValue("note"))})
		s.answer(w, r, id+": "+res.Message, err)
		return
	}
	rep := workflows.PlacementReport{Actor: a, Category: vocab.Placement(r.PostFormValue("category")),
		Employer: strings.TrimSpace(r.PostFormValue("employer"))}
	if v := r.PostFormValue("start"); v != "" {
		start, err := time.ParseInLocation(time.DateOnly, v, s.opts.Location)
		if err != nil {
			setFlash(w, false, both(id+": mulai: isi tanggal (TTTT-BB-HH), tertulis "+v, id+": start: give a date (YYYY-MM-DD), got "+v))
			http.Redirect(w, r, back(r), http.StatusSeeOther)
			return
		}
		rep.Start = start
	}
	res, err := s.api.ReportPlacement(r.Context(), id, rep)
	s.answer(w, r, id+": "+res.Message, err)
}

// followUpAction is the follow-up form's action, for may.
var followUpAction = auth.Action(workflows.UpdateReportPlacement)
