package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// FollowUpAhead is how far ahead a placement follow-up counts as due: the centre calls the
// graduate in the fortnight before it. The follow-ups page and its download share it.
const FollowUpAhead = 14 * 24 * time.Hour

// followUpExportHeader are the columns of the follow-ups download: the graduate (name and phone
// when the reader's role may see people), where they trained, the follow-up month coming (or
// missed), its due date and the last contact that found no placement.
var followUpExportHeader = []string{"case_id", "name", "phone", "centre", "package", "followup_month", "due", "overdue",
	"missed", "last_contact", "last_contact_at", "state"}

// FollowUpDue says whether a case in placement follow-up belongs on the follow-ups list at now:
// one or more follow-ups passed with no placement, or the next due within FollowUpAhead. A
// self-reported placement waiting for staff is listed apart on the page (to confirm), not here.
func FollowUpDue(p workflows.PlacementState, now time.Time) bool {
	if p.AwaitingConfirmation() {
		return false
	}
	return p.FollowUpsDone > 0 || p.NextFollowUp != nil && !p.NextFollowUp.After(now.Add(FollowUpAhead))
}

// followUpPageLimit is how many graduates one JSON page of the follow-ups list holds by
// default (the page's one screen, a centre's few dozen at a time); followUpConfirmLimit bounds
// the self-reports to confirm, followUpUnknownLimit the rows not known yet it names.
const (
	followUpPageLimit    = 200
	followUpConfirmLimit = 200
	followUpUnknownLimit = 50
)

// FollowUpCase is one graduate on the follow-ups list: the case (with the person, for a role
// that may see people) and its placement follow-up from the read model.
type FollowUpCase struct {
	store.Case
	FollowUp store.FollowUp `json:"followup"`
}

// Overdue says one or more follow-ups passed with no placement reported.
func (c FollowUpCase) Overdue() bool { return c.FollowUp.Missed > 0 }

// FollowUpList is one page of the follow-ups list (GET /api/v1/followups?format=json), read
// from the read model in one round trip.
type FollowUpList struct {
	// Cases are the graduates due or overdue (FollowUpDue), most missed first, then soonest
	// due; Total counts them all, from Offset on Cases holds at most Limit.
	Cases  []FollowUpCase `json:"cases"`
	Total  int            `json:"total"`
	Offset int            `json:"offset"`
	Limit  int            `json:"limit"`
	// Later counts the graduates in follow-up with nothing due yet.
	Later int `json:"later"`
	// ToConfirm are the self-reported placements waiting for staff, soonest closing first (at
	// most 200); ToConfirmTotal counts them all.
	ToConfirm      []FollowUpCase `json:"to_confirm"`
	ToConfirmTotal int            `json:"to_confirm_total"`
	// Unknown counts the graduates in follow-up whose read-model row does not know their
	// follow-up yet (journeys that have not written since the follow-up columns came):
	// `kompeten doctor --repair` fills them. UnknownCases names the first 50.
	Unknown      int      `json:"unknown"`
	UnknownCases []string `json:"unknown_cases,omitempty"`
}

// followUpCases pairs cases with their follow-up; a row without one (not known yet) is left out.
func followUpCases(cs []store.Case) []FollowUpCase {
	out := make([]FollowUpCase, 0, len(cs))
	for _, c := range cs {
		if c.FollowUp != nil {
			out = append(out, FollowUpCase{Case: c, FollowUp: *c.FollowUp})
		}
	}
	return out
}

// followUpRow renders one case as a download row from its follow-up in the read model.
func followUpRow(c store.Case, f store.FollowUp, atp func(*time.Time) string) []string {
	person := personCells(c.Person)
	row := []string{c.CaseID, person[0], person[3], c.CentreCode, c.PackageCode}
	contact, contactAt := string(f.Contact), atp(f.ContactAt)
	return append(row, strconv.Itoa(f.Missed+1), atp(f.Next), strconv.FormatBool(f.Missed > 0),
		strconv.Itoa(f.Missed), contact, contactAt, "ok")
}

// followUpStateRow renders as a download row a case whose read-model row does not know its
// follow-up yet, from its journey's state (the state query); a journey that did not answer is
// listed with its error in state, so that the file is never silently short.
func followUpStateRow(c store.Case, p *workflows.PlacementState, stateErr error, atp func(*time.Time) string) []string {
	if p == nil {
		person := personCells(c.Person)
		return append([]string{c.CaseID, person[0], person[3], c.CentreCode, c.PackageCode}, "", "", "", "", "", "", "unreadable: "+stateErr.Error())
	}
	f := store.FollowUp{Next: p.NextFollowUp, Missed: p.FollowUpsDone}
	if lc := p.LastContact; lc != nil {
		t := lc.At
		f.Contact, f.ContactAt = lc.Contact, &t
	}
	return followUpRow(c, f, atp)
}

// listFollowUps answers GET /api/v1/followups: every graduate in the reader's scope (of one
// centre with ?centre=) whose placement follow-up is overdue or due within FollowUpAhead, as
// the follow-ups page lists them, read from the read model's follow-up columns (migration
// 00025). format=json answers one page (limit, offset) with the self-reports waiting for staff;
// csv (dialect=excel) or xlsx streams every row, a page of exportBatch at a time. A case whose
// row does not know its follow-up yet is asked of its journey for the file (the way the list
// was read before), so the file is never short; the JSON page counts it as unknown. Names and
// phones are in it only for a role that may see people.
func (s *Server) listFollowUps(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "csv" && format != "xlsx" && format != "json" {
		writeError(w, r, http.StatusBadRequest, say("api.bad-choice", "name", "format", "values", "json, csv, xlsx", "value", format), "format must be json, csv or xlsx, got %q", format)
		return
	}
	scope, ok := scopedFilter(w, r, q.Get("centre"), "")
	if !ok {
		return
	}
	f := store.FollowUpFilter{Scope: scope, CentreCode: q.Get("centre"), Due: time.Now().Add(FollowUpAhead)}
	if format == "json" {
		s.followUpPage(w, r, f)
		return
	}
	_, atp := s.timeCells(r, format)
	s.streamTable(w, r, format, "tindak-lanjut-followups", followUpExportHeader, func(emit func([][]string) error) error {
		f.Limit, f.ToConfirmLimit, f.UnknownLimit = exportBatch, 1, 1<<30
		var unknown []store.Case
		for {
			l, err := s.Store.ListFollowUps(r.Context(), f)
			if err != nil {
				return fmt.Errorf("export follow-ups: %w", err)
			}
			if f.Offset == 0 {
				unknown = l.UnknownCases
			}
			if err := s.attachPeople(r.Context(), l.Cases); err != nil {
				return fmt.Errorf("export follow-ups: %w", err)
			}
			rows := make([][]string, 0, len(l.Cases))
			for _, c := range l.Cases {
				rows = append(rows, followUpRow(c, *c.FollowUp, atp))
			}
			if len(rows) > 0 {
				if err := emit(rows); err != nil {
					return err
				}
			}
			if len(l.Cases) < exportBatch {
				break
			}
			f.Offset += exportBatch
			f.UnknownLimit = 0
		}
		now := time.Now()
		for len(unknown) > 0 {
			cs := unknown[:min(exportBatch, len(unknown))]
			unknown = unknown[len(cs):]
			if err := s.attachPeople(r.Context(), cs); err != nil {
				return fmt.Errorf("export follow-ups: %w", err)
			}
			rows := make([][]string, 0, len(cs))
			for _, c := range cs {
				st, err := s.Svc.State(r.Context(), c.CaseID)
				if err != nil {
					rows = append(rows, followUpStateRow(c, nil, err, atp))
					continue
				}
				if FollowUpDue(st.Placement, now) {
					rows = append(rows, followUpStateRow(c, &st.Placement, nil, atp))
				}
			}
			if len(rows) > 0 {
				if err := emit(rows); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// followUpPage answers the JSON page of the follow-ups list.
func (s *Server) followUpPage(w http.ResponseWriter, r *http.Request, f store.FollowUpFilter) {
	limit, ok := intParam(w, r, "limit", followUpPageLimit, 1, 1000)
	if !ok {
		return
	}
	offset, ok := intParam(w, r, "offset", 0, 0, 1<<30)
	if !ok {
		return
	}
	f.Limit, f.Offset, f.ToConfirmLimit, f.UnknownLimit = limit, offset, followUpConfirmLimit, followUpUnknownLimit
	l, err := s.Store.ListFollowUps(r.Context(), f)
	if err != nil {
		s.fail(w, r, fmt.Errorf("list follow-ups: %w", err))
		return
	}
	// One read of the people for both lists.
	both := append(append([]store.Case(nil), l.Cases...), l.ToConfirm...)
	if err := s.attachPeople(r.Context(), both); err != nil {
		s.fail(w, r, fmt.Errorf("list follow-ups: %w", err))
		return
	}
	out := FollowUpList{Cases: followUpCases(both[:len(l.Cases)]), Total: l.Total, Offset: offset, Limit: limit, Later: l.Later,
		ToConfirm: followUpCases(both[len(l.Cases):]), ToConfirmTotal: l.ToConfirmTotal, Unknown: l.Unknown}
	for _, c := range l.UnknownCases {
		out.UnknownCases = append(out.UnknownCases, c.CaseID)
	}
	writeJSON(w, http.StatusOK, out)
}
