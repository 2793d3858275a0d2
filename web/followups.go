package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

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

// followUpRowOf is a graduate of the follow-ups list (the read model's follow-up) as the page
// shows it.
func followUpRowOf(c api.FollowUpCase) followUpRow {
	f := c.FollowUp
	row := followUpRow{Case: c.Case, Next: f.Next, Missed: f.Missed, Overdue: c.Overdue(), Unanswered: f.Unanswered}
	if c.Person != nil {
		row.Name, row.Phone = c.Person.Name, c.Person.Phone
	}
	if f.Contact != "" && f.ContactAt != nil {
		row.LastContact = &workflows.ContactState{Contact: f.Contact, Note: f.ContactNote, At: *f.ContactAt}
	}
	if f.ConfirmUntil != nil {
		row.Confirm = &workflows.ConfirmationState{Status: workflows.ConfirmAwaiting, Until: *f.ConfirmUntil}
		row.Report = &workflows.PlacementReport{Category: c.PlacementCategory, Employer: f.Employer, SelfReported: c.PlacementSelfReported}
		if c.PlacedOn != nil {
			row.Report.Start = *c.PlacedOn
		}
	}
	return row
}

// followUpsData is the follow-ups page of a centre (or every centre in the reader's scope).
type followUpsData struct {
	Centre  string
	Choices choices
	// Rows are one page of the graduates due or overdue, from Offset on; Total counts them all;
	// Prev and Next are the neighbouring pages' links, when there are.
	Rows       []followUpRow
	Total      int
	Offset     int
	Prev, Next string
	Later      int // in follow-up, nothing due yet
	// Unknown counts the graduates in follow-up the read model does not know the follow-up of
	// yet (kompeten doctor --repair fills them); Unreadable names the first of them.
	Unknown    int
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

// followUpLimit is how many graduates one follow-ups page lists (a centre follows a few
// dozen at a time; the coordinator pages through the network).
const followUpLimit = 200

// followUpsPage lists the graduates in placement follow-up whose follow-up is overdue (one or
// more passed with no placement reported) or due within api.FollowUpAhead, overdue first, each with
// name and phone and a form to report the placement (the report-placement update). The list is
// one page of the read model (GET /api/v1/followups?format=json), one query, not a state
// query per journey.
func (s *Server) followUpsPage(w http.ResponseWriter, r *http.Request) {
	d := followUpsData{Centre: r.URL.Query().Get("centre"), Categories: categories(), Contacts: contactChoices(), Today: s.opts.today()}
	d.CSV = string(apiclient.FollowUpsCSV(d.Centre))
	d.Offset, _ = strconv.Atoi(r.URL.Query().Get("offset"))
	d.Offset = max(d.Offset, 0)
	var err error
	if d.Choices, err = s.choices(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	l, err := s.api.FollowUps(r.Context(), apiclient.FollowUpFilter{Centre: d.Centre, Limit: followUpLimit, Offset: d.Offset})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	d.Total, d.Later, d.Unknown, d.Unreadable = l.Total, l.Later, l.Unknown, l.UnknownCases
	for _, c := range l.Cases {
		d.Rows = append(d.Rows, followUpRowOf(c))
	}
	for _, c := range l.ToConfirm {
		d.ToConfirm = append(d.ToConfirm, followUpRowOf(c))
	}
	pageURL := func(offset int) string {
		q := url.Values{"offset": {strconv.Itoa(offset)}}
		if d.Centre != "" {
			q.Set("centre", d.Centre)
		}
		return "/followups?" + q.Encode()
	}
	if d.Offset > 0 {
		d.Prev = pageURL(max(d.Offset-followUpLimit, 0))
	}
	if d.Offset+len(l.Cases) < l.Total {
		d.Next = pageURL(d.Offset + followUpLimit)
	}
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
