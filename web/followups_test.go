package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// followUpAPI has three graduates in follow-up: one overdue, one due in a week, one due in
// three months; it refuses a placement without an employer as the journey would.
type followUpAPI struct {
	query    url.Values // the follow-ups list's query
	got      *workflows.PlacementReport
	contacts map[string]workflows.FollowUpContact
}

func (f *followUpAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	now := time.Now()
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	states := map[string]workflows.PlacementState{
		"late000001": {FollowUpsDone: 1, NextFollowUp: at(30 * 24 * time.Hour), Contacts: 1,
			LastContact: &workflows.ContactState{Contact: vocab.ContactNotReached, At: now.Add(-24 * time.Hour)}},
		"soon000001": {NextFollowUp: at(7 * 24 * time.Hour)},
		"wait000001": {NextFollowUp: at(90 * 24 * time.Hour)},
	}
	switch {
	case r.URL.Path == "/api/v1/followups" && r.URL.Query().Get("format") == "json":
		// The API's answer from the read model: the due ones, most missed first; the one due
		// later only counted.
		f.query = r.URL.Query()
		l := api.FollowUpList{Later: 1, Limit: 200}
		for _, id := range []string{"late000001", "soon000001"} {
			p := states[id]
			fu := store.FollowUp{Next: p.NextFollowUp, Missed: p.FollowUpsDone}
			if c := p.LastContact; c != nil {
				fu.Contact, fu.ContactAt = c.Contact, &c.At
			}
			l.Cases = append(l.Cases, api.FollowUpCase{Case: store.Case{CaseID: id, CentreCode: "BLK-SBY", PackageCode: "P1", Stage: vocab.StagePlacement,
				Person: &store.Person{Name: "Nama " + id, Phone: "0812-3456-" + id[6:]}}, FollowUp: fu})
		}
		l.Total = len(l.Cases)
		send(200, l)
	case strings.HasSuffix(r.URL.Path, "/follow-up") && r.Method == "POST":
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/cases/"), "/follow-up")
		if id == "gone000001" {
			send(422, map[string]string{"error": "cannot record a follow-up contact: the case is closed", "code": "refused"})
			return
		}
		var c workflows.FollowUpContact
		_ = json.NewDecoder(r.Body).Decode(&c)
		if f.contacts == nil {
			f.contacts = map[string]workflows.FollowUpContact{}
		}
		f.contacts[id] = c
		send(200, workflows.UpdateResult{Message: "follow-up contact recorded: " + string(c.Contact) + "; the case stays in follow-up"})
	case r.URL.Path == "/api/v1/cases/late000001/placement":
		f.got = &workflows.PlacementReport{}
		_ = json.NewDecoder(r.Body).Decode(f.got)
		if f.got.Category == vocab.PlacementFormal && f.got.Employer == "" {
			send(422, map[string]string{"error": "a formal placement names its employer", "code": "refused"})
			return
		}
		send(200, workflows.UpdateResult{Message: "placement reported: " + string(f.got.Category)})
	case r.URL.Path == "/api/v1/centres":
		send(200, []store.Centre{{Code: "BLK-SBY"}})
	case r.URL.Path == "/api/v1/partners":
		send(200, []store.Partner{})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}
}

// The follow-ups list shows the overdue graduate first and the one due within two weeks, each
// with name and phone, not the one due later; the form sends the report-placement update and a
// refusal comes back in the journey's words; a viewer sees no form.
func TestFollowUpsPage(t *testing.T) {
	f := &followUpAPI{}
	s, err := web.New(f, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	get := func(id *auth.Identity) string {
		req := httptest.NewRequest("GET", "/followups?centre=BLK-SBY", nil)
		if id != nil {
			req = req.WithContext(api.WithIdentity(req.Context(), *id))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("HTTP %d: %s", rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	page := get(&auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}})
	if f.query.Get("centre") != "BLK-SBY" {
		t.Errorf("asked the follow-ups list %v", f.query)
	}
	late, soon := strings.Index(page, `id="followup-late000001"`), strings.Index(page, `id="followup-soon000001"`)
	if late < 0 || soon < 0 || late > soon || strings.Contains(page, "followup-wait000001") {
		t.Errorf("rows: overdue at %d, due at %d, later shown = %v", late, soon, strings.Contains(page, "followup-wait000001"))
	}
	for _, want := range []string{"Nama late000001", `href="tel:081234560001"`, "Terlewat", `id="followup-later"`, `action="/cases/late000001/placement"`,
		`href="/download/v1/followups?centre=BLK-SBY&amp;format=csv"`, `href="/download/v1/followups?centre=BLK-SBY&amp;format=xlsx"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(get(&auth.Identity{Name: "v", Role: vocab.RoleViewer}), `/placement"`) {
		t.Error("a viewer is offered the placement form")
	}
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/cases/late000001/placement", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req = req.WithContext(api.WithIdentity(req.Context(), auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	flash := func(rec *httptest.ResponseRecorder) string {
		for _, c := range rec.Result().Cookies() {
			if c.Name == "kompeten_flash" {
				v, _ := url.QueryUnescape(c.Value)
				return v
			}
		}
		return ""
	}
	rec := post(url.Values{"category": {"formal"}, "start": {"2026-11-02"}, "back": {"/followups?centre=BLK-SBY"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/followups?centre=BLK-SBY" || flash(rec) != "0a formal placement names its employer" {
		t.Errorf("refused: HTTP %d to %q, flash %q", rec.Code, rec.Header().Get("Location"), flash(rec))
	}
	rec = post(url.Values{"category": {"formal"}, "employer": {"PT Baja"}, "start": {"2026-11-02"}, "back": {"/followups"}})
	if !strings.Contains(flash(rec), "placement reported: formal") || f.got.Employer != "PT Baja" || f.got.Actor.ID != "siti" ||
		!f.got.Start.Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("flash %q, sent %+v", flash(rec), f.got)
	}
}

// The follow-up form also offers "still looking" and "not reached": they go as a follow-up
// contact (the case stays in follow-up), not as a placement; "not reached" goes in bulk for the
// ticked graduates, each refusal said in the journey's words; the last contact shows on the card.
func TestFollowUpContactsFromThePage(t *testing.T) {
	f := &followUpAPI{}
	s, err := web.New(f, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	siti := auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	req := httptest.NewRequest("GET", "/followups", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), siti)))
	page := rec.Body.String()
	contains(t, page, `<option value="still-looking">Masih mencari kerja</option>`, `<option value="not-reached">Tidak dapat dihubungi</option>`,
		`<form method="post" action="/followups/not-reached" id="followups-not-reached"`, `name="case" value="late000001" form="followups-not-reached"`,
		`<p class="note last-contact" data-contact="not-reached">Kontak terakhir`)
	post := func(path string, form url.Values) string {
		req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), siti)))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("POST %s: HTTP %d", path, rec.Code)
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == "kompeten_flash" {
				v, _ := url.QueryUnescape(c.Value)
				return v
			}
		}
		return ""
	}
	if got := post("/cases/soon000001/placement", url.Values{"category": {"still-looking"}, "note": {"interview Monday"}, "start": {"2026-11-02"}}); !strings.Contains(got, "follow-up contact recorded: still-looking") {
		t.Errorf("still looking: flash %q", got)
	}
	if c := f.contacts["soon000001"]; c.Contact != vocab.ContactStillLooking || c.Note != "interview Monday" || c.Actor.ID != "siti" || f.got != nil {
		t.Errorf("still looking sent %+v (placement %+v)", c, f.got)
	}
	got := post("/followups/not-reached", url.Values{"case": {"late000001", "gone000001", "soon000001"}, "back": {"/followups"}})
	if !strings.HasPrefix(got, "0") || !strings.Contains(got, "Not reached recorded: 2") || !strings.Contains(got, "gone000001: cannot record a follow-up contact: the case is closed") {
		t.Errorf("bulk not reached: flash %q", got)
	}
	if f.contacts["late000001"].Contact != vocab.ContactNotReached || f.contacts["soon000001"].Contact != vocab.ContactNotReached {
		t.Errorf("bulk sent %+v", f.contacts)
	}
	if got := post("/followups/not-reached", url.Values{"back": {"/followups"}}); !strings.Contains(got, "Tick the graduates who were not reached first") {
		t.Errorf("nothing ticked: flash %q", got)
	}
}
