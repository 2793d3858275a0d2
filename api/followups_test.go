package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// followUpJourneys answers each journey's state query from states, by workflow ID; a journey
// not in it does not answer.
type followUpJourneys struct {
	unreachableTemporal
	states map[string]workflows.CaseState
}

func (j followUpJourneys) QueryWorkflow(_ context.Context, wid, _, _ string, _ ...any) (converter.EncodedValue, error) {
	st, ok := j.states[wid]
	if !ok {
		return nil, errTemporalReached
	}
	return jsonValue{st}, nil
}

// The follow-ups list downloads whole, a batch at a time, as the page lists it: with batches of
// 4, the 11 graduates due or overdue arrive in plain CSV, Excel's CSV (';' and a BOM) and XLSX,
// each with the month, due date and last contact, the named one with name and phone; a
// follow-up months away, a self-report waiting for staff and a case in training are not in
// it, and a journey that does not answer is listed as unreadable rather than left out.
func TestFollowUpsExportStreamsEveryRow(t *testing.T) {
	st, cfg, svc := newStoreService(t)
	j := followUpJourneys{states: map[string]workflows.CaseState{}}
	svc.Temporal = j
	srv := httptest.NewServer((&api.Server{Svc: svc, Store: st}).Handler())
	t.Cleanup(srv.Close)
	s := &opsServer{t: t, store: st, url: srv.URL, cfg: cfg}
	defer api.SetExportBatch(4)()
	ctx := context.Background()

	now := time.Now()
	soon, later := now.Add(3*24*time.Hour), now.Add(40*24*time.Hour)
	var want []string
	put := func(id string, p workflows.PlacementState) {
		c := opsCase(id, "BLK-SBY", "LSP-BLK-SBY", vocab.StagePlacement, "")
		s.put(c)
		j.states[c.WorkflowID] = workflows.CaseState{Placement: p}
	}
	for i := range 11 {
		id := fmt.Sprintf("fu%02d", i)
		p := workflows.PlacementState{NextFollowUp: &soon}
		if i%3 == 0 {
			p = workflows.PlacementState{FollowUpsDone: 2, NextFollowUp: &later,
				LastContact: &workflows.ContactState{Contact: vocab.Contacts[0], At: now.Add(-time.Hour)}}
		}
		put(id, p)
		want = append(want, id)
	}
	put("fulater", workflows.PlacementState{NextFollowUp: &later})
	put("fuconfirm", workflows.PlacementState{FollowUpsDone: 1, Confirmation: &workflows.ConfirmationState{Status: workflows.ConfirmAwaiting, Until: later}})
	s.put(opsCase("futrain", "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, ""))
	gone := opsCase("fugone", "BLK-SBY", "LSP-BLK-SBY", vocab.StagePlacement, "")
	s.put(gone) // no journey answers for it
	want = append(want, "fugone")
	slices.Sort(want)

	named := opsCase("fu00", "BLK-SBY", "LSP-BLK-SBY", vocab.StagePlacement, "")
	if err := st.UpsertParticipant(ctx, store.Participant{NIKHash: named.NIKHash, NIK: "3515015907041187", Name: "Siti Nur", Sex: "P",
		Phone: "081234567890", BirthDate: time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	plain := s.getCSV("/api/v1/followups?format=csv")
	if got := sortedColumn(t, plain, "case_id"); !slices.Equal(got, want) {
		t.Errorf("plain CSV: %d rows %v, want %d %v", len(got), got, len(want), want)
	}
	byID := map[string]map[string]string{}
	for _, r := range plain[1:] {
		m := map[string]string{}
		for i, h := range plain[0] {
			m[h] = r[i]
		}
		byID[r[0]] = m
	}
	if r := byID["fu00"]; r["name"] != "Siti Nur" || r["phone"] != "081234567890" || r["overdue"] != "true" || r["missed"] != "2" ||
		r["followup_month"] != "3" || r["last_contact"] != string(vocab.Contacts[0]) || r["last_contact_at"] == "" || r["state"] != "ok" {
		t.Errorf("an overdue graduate's row: %v", r)
	}
	if r := byID["fu01"]; r["overdue"] != "false" || r["followup_month"] != "1" || r["due"] != soon.UTC().Format(time.RFC3339) || r["last_contact"] != "" {
		t.Errorf("a graduate due soon: %v", r)
	}
	if r := byID["fugone"]; !strings.HasPrefix(r["state"], "unreadable: ") {
		t.Errorf("a journey that does not answer: %v", r)
	}
	_, _, excel := s.do("GET", "/api/v1/followups?format=csv&dialect=excel&centre=BLK-SBY", nil)
	if !bytes.HasPrefix(excel, []byte("\uFEFFcase_id;name;phone;")) {
		t.Errorf("Excel CSV: no BOM and ';' header: %.60q", excel)
	}
	if n := bytes.Count(excel, []byte("\n")); n != len(want)+1 {
		t.Errorf("Excel CSV: %d lines, want %d", n, len(want)+1)
	}
	code, ctype, data := s.do("GET", "/api/v1/followups?format=xlsx", nil)
	if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("xlsx: HTTP %d %s %s", code, ctype, data)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedColumn(t, rows, "case_id"); !slices.Equal(got, want) {
		t.Errorf("XLSX: %d rows %v, want %v", len(got), got, want)
	}
	if code, _, _ := s.do("GET", "/api/v1/followups", nil); code != 400 {
		t.Errorf("no format: HTTP %d, want 400", code)
	}

	// The page's scope rules: a viewer gets the rows without names or phones; another
	// centre's admin gets none of them, and is refused this centre's.
	as := func(id auth.Identity) *opsServer {
		h := (&api.Server{Svc: svc, Store: st}).Handler()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(api.WithIdentity(r.Context(), id)))
		}))
		t.Cleanup(srv.Close)
		return &opsServer{t: t, store: st, url: srv.URL, cfg: cfg}
	}
	viewer := as(auth.Identity{Name: "vera", Role: vocab.RoleViewer}).getCSV("/api/v1/followups?format=csv")
	if got := sortedColumn(t, viewer, "case_id"); !slices.Equal(got, want) {
		t.Errorf("viewer's download: %v", got)
	}
	if names := strings.Join(sortedColumn(t, viewer, "name"), "") + strings.Join(sortedColumn(t, viewer, "phone"), ""); names != "" {
		t.Errorf("a viewer's download holds names or phones: %q", names)
	}
	other := as(auth.Identity{Name: "tono", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-TBN"}})
	if rows := other.getCSV("/api/v1/followups?format=csv"); len(rows) != 1 {
		t.Errorf("another centre's admin downloads %d rows", len(rows)-1)
	}
	if code, _, _ := other.do("GET", "/api/v1/followups?format=csv&centre=BLK-SBY", nil); code != 403 {
		t.Errorf("another centre's admin asking for BLK-SBY: HTTP %d, want 403", code)
	}
}

// The follow-ups list reads the read model, not the journeys (none of them answers here): the
// JSON page lists the due ones, most missed first, with the counts, the self-reports waiting
// for staff and the rows not known yet, names for a role that may see people; the download has
// the read model's rows as ok.
func TestFollowUpsPageFromReadModel(t *testing.T) {
	st, cfg, svc := newStoreService(t)
	svc.Temporal = followUpJourneys{states: map[string]workflows.CaseState{}}
	srv := httptest.NewServer((&api.Server{Svc: svc, Store: st}).Handler())
	t.Cleanup(srv.Close)
	s := &opsServer{t: t, store: st, url: srv.URL, cfg: cfg}
	ctx := context.Background()
	now := time.Now()
	at := func(d time.Duration) *time.Time { t := now.Add(d).Truncate(time.Second); return &t }
	put := func(id string, f *store.FollowUp) {
		c := opsCase(id, "BLK-SBY", "LSP-BLK-SBY", vocab.StagePlacement, "")
		c.FollowUp = f
		s.put(c)
	}
	put("rmlate", &store.FollowUp{Missed: 2, Next: at(40 * 24 * time.Hour), Contact: vocab.ContactNotReached, ContactAt: at(-time.Hour)})
	put("rmsoon", &store.FollowUp{Next: at(3 * 24 * time.Hour)})
	put("rmlater", &store.FollowUp{Next: at(40 * 24 * time.Hour)})
	put("rmconfirm", &store.FollowUp{ConfirmUntil: at(5 * 24 * time.Hour), Employer: "PT Baja"})
	put("rmunknown", nil)
	named := opsCase("rmlate", "BLK-SBY", "LSP-BLK-SBY", vocab.StagePlacement, "")
	if err := st.UpsertParticipant(ctx, store.Participant{NIKHash: named.NIKHash, NIK: "3515015907041187", Name: "Siti Nur", Sex: "P",
		Phone: "081234567890", BirthDate: time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	var l api.FollowUpList
	s.getJSON("/api/v1/followups?format=json&centre=BLK-SBY", &l)
	var ids []string
	for _, c := range l.Cases {
		ids = append(ids, c.CaseID)
	}
	if !slices.Equal(ids, []string{"rmlate", "rmsoon"}) || l.Total != 2 || l.Later != 1 || l.Unknown != 1 ||
		!slices.Equal(l.UnknownCases, []string{"rmunknown"}) || l.Limit != 200 {
		t.Errorf("page: %v of %d, later %d, unknown %d %v, limit %d", ids, l.Total, l.Later, l.Unknown, l.UnknownCases, l.Limit)
	}
	if c := l.Cases[0]; c.Person == nil || c.Person.Name != "Siti Nur" || c.FollowUp.Missed != 2 || !c.Overdue() || c.FollowUp.Contact != vocab.ContactNotReached {
		t.Errorf("the overdue graduate: %+v person %+v", c.FollowUp, c.Person)
	}
	if len(l.ToConfirm) != 1 || l.ToConfirmTotal != 1 || l.ToConfirm[0].CaseID != "rmconfirm" || l.ToConfirm[0].FollowUp.Employer != "PT Baja" ||
		!l.ToConfirm[0].FollowUp.ConfirmUntil.Equal(*at(5 * 24 * time.Hour)) {
		t.Errorf("to confirm: %+v (total %d)", l.ToConfirm, l.ToConfirmTotal)
	}
	s.getJSON("/api/v1/followups?format=json&limit=1&offset=1", &l)
	if len(l.Cases) != 1 || l.Cases[0].CaseID != "rmsoon" || l.Total != 2 || l.Offset != 1 {
		t.Errorf("second page of one: %+v", l)
	}
	if code, _, _ := s.do("GET", "/api/v1/followups?format=json&limit=0", nil); code != 400 {
		t.Errorf("limit 0: HTTP %d, want 400", code)
	}

	rows := s.getCSV("/api/v1/followups?format=csv")
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]] = r[len(r)-1]
	}
	if len(got) != 3 || got["rmlate"] != "ok" || got["rmsoon"] != "ok" || !strings.HasPrefix(got["rmunknown"], "unreadable: ") {
		t.Errorf("download: %v", got)
	}
}
