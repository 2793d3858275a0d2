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

// reviewAPI has one graduate whose self-report waits for staff (self000001, certified) and one
// in follow-up with nothing to confirm; it records the confirmations and revocations sent.
type reviewAPI struct {
	confirmed []workflows.PlacementConfirmation
	revoked   []api.RevokeCertificateRequest
	revokedAt *time.Time
}

func (f *reviewAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	until := time.Date(2026, 12, 13, 3, 0, 0, 0, time.UTC)
	self := &workflows.PlacementReport{Category: vocab.PlacementFormal, Employer: "PT Baja", SelfReported: true, Start: until.AddDate(0, 0, -20)}
	switch {
	case r.URL.Path == "/api/v1/cases/search":
		send(200, api.CasePage{Total: 2, Cases: []store.Case{
			{CaseID: "self000001", CentreCode: "BLK-SBY", PackageCode: "P1", Stage: vocab.StagePlacement, Person: &store.Person{Name: "Siti Aminah"}},
			{CaseID: "late000001", CentreCode: "BLK-SBY", PackageCode: "P1", Stage: vocab.StagePlacement, Person: &store.Person{Name: "Budi"}},
		}})
	case r.URL.Path == "/api/v1/followups" && r.URL.Query().Get("format") == "json":
		// The read model's follow-ups list: the self-report apart, the call among the due.
		start, next := self.Start, time.Now().Add(24*time.Hour)
		c := store.Case{CaseID: "self000001", CentreCode: "BLK-SBY", PackageCode: "P1", Stage: vocab.StagePlacement, Person: &store.Person{Name: "Siti Aminah"},
			Milestones: store.Milestones{PlacementCategory: vocab.PlacementFormal, PlacedOn: &start, PlacementSelfReported: true}}
		send(200, api.FollowUpList{Total: 1, Limit: 200, ToConfirmTotal: 1,
			ToConfirm: []api.FollowUpCase{{Case: c, FollowUp: store.FollowUp{ConfirmUntil: &until, Employer: "PT Baja"}}},
			Cases: []api.FollowUpCase{{Case: store.Case{CaseID: "late000001", CentreCode: "BLK-SBY", PackageCode: "P1", Stage: vocab.StagePlacement,
				Person: &store.Person{Name: "Budi"}}, FollowUp: store.FollowUp{Next: &next}}}})
	case r.URL.Path == "/api/v1/inbox":
		send(200, api.Inbox{})
	case r.URL.Path == "/api/v1/cases/self000001" && r.Method == "GET":
		c := store.Case{CaseID: "self000001", Stage: vocab.StagePlacement, Status: store.StatusOpen, CertificateNo: "CERT-7",
			WaitingOn: vocab.WaitingCentreAdmin, Milestones: store.Milestones{PlacementCategory: vocab.PlacementFormal, PlacementSelfReported: true}}
		var evs []store.Event
		if f.revokedAt != nil {
			evs = append(evs, store.Event{Kind: api.EventCertificateRevoked, At: *f.revokedAt, ActorID: "budi",
				Detail: "certificate CERT-7 revoked; reason: " + f.revoked[0].Reason})
		}
		send(200, api.CaseView{Case: c, Events: evs, State: &workflows.CaseState{CaseID: "self000001", Stage: vocab.StagePlacement,
			Placement: workflows.PlacementState{Report: self, Confirmation: &workflows.ConfirmationState{Status: workflows.ConfirmAwaiting, Until: until}}}})
	case r.URL.Path == "/api/v1/cases/late000001" && r.Method == "GET":
		next := time.Now().Add(24 * time.Hour)
		send(200, api.CaseView{Case: store.Case{CaseID: "late000001"}, State: &workflows.CaseState{Placement: workflows.PlacementState{NextFollowUp: &next}}})
	case r.URL.Path == "/api/v1/cases/self000001/placement/confirm":
		var c workflows.PlacementConfirmation
		_ = json.NewDecoder(r.Body).Decode(&c)
		f.confirmed = append(f.confirmed, c)
		send(200, workflows.UpdateResult{Message: "self-reported placement confirmed; the case will close"})
	case r.URL.Path == "/api/v1/cases/late000001/placement/confirm":
		send(422, map[string]string{"error": "kasus late000001 tidak menunggu konfirmasi penempatan · case late000001 is not waiting for a placement confirmation", "code": "refused"})
	case r.URL.Path == "/api/v1/cases/self000001/certificate/revoke":
		var q api.RevokeCertificateRequest
		_ = json.NewDecoder(r.Body).Decode(&q)
		f.revoked = append(f.revoked, q)
		now := time.Now()
		f.revokedAt = &now
		send(200, api.RevokeCertificateResponse{CaseID: "self000001", CertificateNo: "CERT-7", Message: "certificate CERT-7 revoked; reason: " + q.Reason})
	case r.URL.Path == "/api/v1/cases/self000001/workflow":
		send(200, map[string]any{})
	case r.URL.Path == "/api/v1/centres":
		send(200, []store.Centre{{Code: "BLK-SBY"}})
	case r.URL.Path == "/api/v1/partners":
		send(200, []store.Partner{})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}
}

// A self-report waiting for staff is under "to confirm" on /followups (not among the calls) and
// has its confirmation and correction forms on the case page, for the roles that may; the
// confirmation goes to the API with the note, a refusal comes back in its words. The revoke
// form sends nothing without its ticked confirmation, and a revoked certificate shows its date
// and reason on the case page and the printable summary.
func TestReviewForms(t *testing.T) {
	f := &reviewAPI{}
	s, err := web.New(f, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	siti := auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	budi := auth.Identity{Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-BLK-SBY"}}
	get := func(path string, id auth.Identity) string {
		req := httptest.NewRequest("GET", path, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), id)))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: HTTP %d: %s", path, rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	post := func(path string, id auth.Identity, form url.Values) string {
		req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), id)))
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

	followups := get("/followups", siti)
	contains(t, followups, `id="to-confirm"`, `id="confirm-self000001"`, `action="/cases/self000001/placement/confirm"`, "2026-12-13", "PT Baja")
	if strings.Contains(followups, `id="followup-self000001"`) || !strings.Contains(followups, `id="followup-late000001"`) {
		t.Error("the self-report waiting for staff is listed among the calls, or the call is missing")
	}
	page := get("/cases/self000001", siti)
	contains(t, page, `id="confirm-placement"`, `id="confirm-form"`, `id="correct-placement-form"`, `data-status="awaiting"`, "2026-12-13")
	if strings.Contains(page, `id="revoke-form"`) {
		t.Error("a centre admin is offered the revoke form")
	}
	managerPage := get("/cases/self000001", budi)
	contains(t, managerPage, `id="revoke-form"`, `id="revoke-confirm"`)
	if strings.Contains(managerPage, `id="confirm-form"`) {
		t.Error("an LSP manager is offered the confirmation")
	}

	if got := post("/cases/self000001/placement/confirm", siti, url.Values{"note": {" called "}, "back": {"/followups"}}); !strings.Contains(got, "confirmed") {
		t.Errorf("confirm: flash %q", got)
	}
	if len(f.confirmed) != 1 || f.confirmed[0].Note != "called" || f.confirmed[0].Actor.ID != "siti" {
		t.Errorf("sent %+v", f.confirmed)
	}
	if got := post("/cases/late000001/placement/confirm", siti, url.Values{"back": {"/followups"}}); !strings.HasPrefix(got, "0kasus late000001 tidak menunggu konfirmasi") {
		t.Errorf("refused confirm: flash %q", got)
	}

	if got := post("/cases/self000001/certificate/revoke", budi, url.Values{"reason": {"forged logbook"}}); !strings.Contains(got, "tick the confirmation") || len(f.revoked) != 0 {
		t.Errorf("revoke without the tick: flash %q, sent %+v", got, f.revoked)
	}
	if got := post("/cases/self000001/certificate/revoke", budi, url.Values{"reason": {"forged logbook"}, "confirm": {"yes"}}); !strings.Contains(got, "revoked; reason: forged logbook") {
		t.Errorf("revoke: flash %q", got)
	}
	if len(f.revoked) != 1 || f.revoked[0].Reason != "forged logbook" {
		t.Fatalf("sent %+v", f.revoked)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	page = get("/cases/self000001", budi)
	contains(t, page, `id="certificate-revoked"`, "forged logbook", today)
	if strings.Contains(page, `id="revoke-form"`) {
		t.Error("a revoked certificate is offered for revocation again")
	}
	summary := get("/cases/self000001/sertifikat", budi)
	contains(t, summary, `id="summary-revoked"`, `<dd id="summary-revoked-reason">forged logbook</dd>`, today)
}

// The inbox lists the self-reported placements awaiting staff confirmation, from the read
// model: name, employer, the window's end and a Confirm button for a role that may confirm,
// in the reader's language; a viewer sees them without the button, and an LSP's filter
// leaves them out.
func TestInboxSelfReportsToConfirm(t *testing.T) {
	f := &reviewAPI{}
	s, err := web.New(f, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	get := func(path string, id auth.Identity, lang string) string {
		req := httptest.NewRequest("GET", path, nil)
		if lang != "" {
			req.AddCookie(&http.Cookie{Name: "kompeten_lang", Value: lang})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), id)))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: HTTP %d: %s", path, rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	siti := auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	page := get("/inbox", siti, "")
	contains(t, page, `id="group-self-report-confirm"`, `id="inbox-confirm-self000001"`, `<b class="name">Siti Aminah</b>`,
		"Penempatan lapor mandiri menunggu konfirmasi", `Perusahaan: <b class="employer">PT Baja</b>`, "batas konfirmasi",
		`<time class="until" datetime="2026-12-13T03:00:00Z">2026-12-13</time>`, `action="/cases/self000001/placement/confirm"`, ">Konfirmasi</button>")
	lacks(t, page, `id="inbox-empty"`, "Self-reported placements awaiting confirmation", `id="to-confirm-failed"`)
	page = get("/inbox", siti, "en")
	contains(t, page, "Self-reported placements awaiting confirmation", `Employer: <b class="employer">PT Baja</b>`, "confirm by", ">Confirm</button>")
	lacks(t, page, "Penempatan lapor mandiri", "Perusahaan")
	viewer := get("/inbox", auth.Identity{Name: "v", Role: vocab.RoleViewer}, "")
	contains(t, viewer, `id="inbox-confirm-self000001"`)
	lacks(t, viewer, `action="/cases/self000001/placement/confirm"`)
	lacks(t, get("/inbox?lsp=LSP-BLK-SBY", siti, ""), `id="group-self-report-confirm"`)

	// The confirmation goes to the journey's update, as from the follow-ups page.
	req := httptest.NewRequest("POST", "/cases/self000001/placement/confirm", strings.NewReader(url.Values{"back": {"/inbox"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), siti)))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inbox" || len(f.confirmed) != 1 || f.confirmed[0].Actor.ID != "siti" {
		t.Errorf("confirm from the inbox: HTTP %d to %q, sent %+v", rec.Code, rec.Header().Get("Location"), f.confirmed)
	}
}
