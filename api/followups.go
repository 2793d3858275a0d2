package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
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

// followUpRow renders one case as a download row; a journey that did not answer is listed with
// its error in state, so that the file is never silently short.
func followUpRow(c store.Case, p *workflows.PlacementState, stateErr error, at func(time.Time) string, atp func(*time.Time) string) []string {
	person := personCells(c.Person)
	row := []string{c.CaseID, person[0], person[3], c.CentreCode, c.PackageCode}
	if p == nil {
		return append(row, "", "", "", "", "", "", "unreadable: "+stateErr.Error())
	}
	contact, contactAt := "", ""
	if p.LastContact != nil {
		contact, contactAt = string(p.LastContact.Contact), at(p.LastContact.At)
	}
	return append(row, strconv.Itoa(p.FollowUpsDone+1), atp(p.NextFollowUp), strconv.FormatBool(p.FollowUpsDone > 0),
		strconv.Itoa(p.FollowUpsDone), contact, contactAt, "ok")
}

// listFollowUps answers GET /api/v1/followups?format=csv (dialect=excel) or xlsx: every graduate
// in the reader's scope (of one centre with ?centre=) whose placement follow-up is overdue or due
// within FollowUpAhead, as the follow-ups page lists them. The cases are read a batch of
// exportBatch at a time and each one's journey is asked for its follow-up state, so the file
// streams however many there are. Names and phones are in it only for a role that may see
// people.
func (s *Server) listFollowUps(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "csv" && format != "xlsx" {
		writeError(w, r, http.StatusBadRequest, say("api.bad-choice", "name", "format", "values", "csv, xlsx", "value", format), "format must be csv or xlsx, got %q", format)
		return
	}
	scope, ok := scopedFilter(w, r, q.Get("centre"), "")
	if !ok {
		return
	}
	f := store.CaseFilter{Scope: scope, CentreCode: q.Get("centre"), Stage: vocab.StagePlacement, Status: store.StatusOpen}
	at, atp := s.timeCells(r, format)
	now := time.Now()
	s.streamTable(w, r, format, "tindak-lanjut-followups", followUpExportHeader, func(emit func([][]string) error) error {
		return s.Store.EachCaseBatch(r.Context(), f, exportBatch, func(cs []store.Case) error {
			if err := s.attachPeople(r.Context(), cs); err != nil {
				return fmt.Errorf("export follow-ups: %w", err)
			}
			rows := make([][]string, 0, len(cs))
			for _, c := range cs {
				st, err := s.Svc.State(r.Context(), c.CaseID)
				if err != nil {
					rows = append(rows, followUpRow(c, nil, err, at, atp))
					continue
				}
				if FollowUpDue(st.Placement, now) {
					rows = append(rows, followUpRow(c, &st.Placement, nil, at, atp))
				}
			}
			if len(rows) == 0 {
				return nil
			}
			return emit(rows)
		})
	})
}
