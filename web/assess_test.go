package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// assessUnits are the scheme's units of the fake case.
var assessUnits = []string{"LOG.OO01.002.01", "LOG.OO09.001.01", "LOG.OO18.002.01"}

// assessAPI has one case whose assessment waits for its result; it refuses a result without
// every unit as the journey does, naming the missing ones, and records a whole one.
type assessAPI struct {
	got []workflows.AssessmentResult
}

func (f *assessAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.URL.Path == "/api/v1/cases/asse000001" && r.Method == "GET":
		send(200, api.CaseView{
			Case: store.Case{CaseID: "asse000001", Status: store.StatusOpen, Stage: vocab.StageAssessment, WaitingOn: vocab.WaitingLSP,
				CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY", Person: &store.Person{Name: "Sri Wahyuni"}},
			State: &workflows.CaseState{CaseID: "asse000001", Assessment: workflows.AssessmentState{Units: assessUnits,
				Schedule: &workflows.ScheduleInfo{AssessmentID: "AS-77", Units: assessUnits}}},
		})
	case r.URL.Path == "/api/v1/cases/search":
		send(200, api.CasePage{Total: 2, Cases: []store.Case{
			{CaseID: "asse000001", Stage: vocab.StageAssessment, WaitingOn: vocab.WaitingLSP, Person: &store.Person{Name: "Sri Wahyuni"}},
			{CaseID: "asse000002", Stage: vocab.StageAssessment, WaitingOn: vocab.WaitingLSPManager}}})
	case r.URL.Path == "/api/v1/centres":
		send(200, []store.Centre{{Code: "BLK-SBY"}})
	case r.URL.Path == "/api/v1/partners":
		send(200, []store.Partner{{Code: "LSP-BLK-SBY", Kind: "certifier"}})
	case strings.HasSuffix(r.URL.Path, "/assessment") && r.Method == "POST":
		var res workflows.AssessmentResult
		_ = json.NewDecoder(r.Body).Decode(&res)
		f.got = append(f.got, res)
		have := map[string]bool{}
		for _, u := range res.Units {
			have[u.Unit] = true
		}
		var missing []string
		for _, u := range assessUnits {
			if !have[u] {
				missing = append(missing, u)
			}
		}
		if len(missing) > 0 {
			// Worded as the API words it: the kind (api.refused) around the journey's refusal,
			// in the language the page asked for.
			rd := i18n.For(i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")), nil)
			words := rd.Tf("api.refused", "detail", rd.Tf("refusal.units-mismatch", "units", strings.Join(assessUnits, ", "), "missing", strings.Join(missing, ", ")))
			send(422, map[string]string{"error": "a result needs K or BK for every unit assessed, once: missing units " + strings.Join(missing, ", "),
				"code": "refused", "message": words})
			return
		}
		send(200, workflows.UpdateResult{Message: "assessment result recorded: 3 K, 0 BK (assessor " + res.AssessorID + ")"})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}
}

// The case page of an assessment waiting for its result offers an LSP manager every unit with
// K and BK; a partial result comes back with the journey's refusal naming the missing units and
// the choices kept; a whole one is sent as the record-assessment update (what `kompeten assess`
// sends) and the page says so. A centre admin sees no form.
func TestAssessmentFormOnTheCasePage(t *testing.T) {
	f := &assessAPI{}
	s, err := web.New(f, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	lsp := auth.Identity{Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-BLK-SBY"}}
	get := func(id auth.Identity) string {
		req := httptest.NewRequest("GET", "/cases/asse000001", nil)
		req = req.WithContext(api.WithIdentity(req.Context(), id))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("HTTP %d: %s", rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	page := get(lsp)
	for _, u := range assessUnits {
		for _, v := range []string{"K", "BK"} {
			if want := `name="result.` + u + `" value="` + v + `">`; !strings.Contains(page, want) {
				t.Errorf("form lacks %s", want)
			}
		}
	}
	if !strings.Contains(page, `id="assess-form"`) || !strings.Contains(page, "AS-77") {
		t.Error("no assessment form on the case page")
	}
	if strings.Contains(get(auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}), `id="assess-form"`) {
		t.Error("a centre admin is offered the assessment form")
	}
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/cases/asse000001/assessment", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req = req.WithContext(api.WithIdentity(req.Context(), lsp))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	partial := url.Values{"assessor": {"ASR-007"}, "assessment_id": {"AS-77"}, "unit": assessUnits,
		"result." + assessUnits[0]: {"K"}, "result." + assessUnits[2]: {"BK"}}
	rec := post(partial)
	body := rec.Body.String()
	// The refusal reads once, in the reader's language: the form's "Hasil ditolak:" and the
	// journey's words, without the API's own "Ditolak:" in between.
	id := i18n.For(i18n.ID, nil)
	detail := id.Tf("refusal.units-mismatch", "units", strings.Join(assessUnits, ", "), "missing", assessUnits[1])
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="assess-error"`) ||
		!strings.Contains(html.UnescapeString(body), "Hasil ditolak: "+detail+"</p>") {
		t.Fatalf("partial: HTTP %d, want 422 with the refusal %q:\n%s", rec.Code, "Hasil ditolak: "+detail, body)
	}
	if n := strings.Count(html.UnescapeString(body), id.Tf("api.refused", "detail", "")); n != 0 {
		t.Errorf("the refusal says %q %d times beside the form's own", id.Tf("api.refused", "detail", ""), n)
	}
	for _, want := range []string{`name="result.` + assessUnits[0] + `" value="K" checked`, `name="result.` + assessUnits[2] + `" value="BK" checked`, `value="ASR-007"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lost what was entered: no %s", want)
		}
	}
	if strings.Contains(body, `name="result.`+assessUnits[1]+`" value="K" checked`) || strings.Contains(body, `name="result.`+assessUnits[1]+`" value="BK" checked`) {
		t.Error("the missing unit came back chosen")
	}
	if len(f.got) != 1 || len(f.got[0].Units) != 2 || f.got[0].AssessmentID != "AS-77" || f.got[0].Actor.ID != "budi" {
		t.Fatalf("sent %+v", f.got)
	}

	partial.Set("result."+assessUnits[1], "k")
	rec = post(partial)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/asse000001" {
		t.Fatalf("whole: HTTP %d to %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	sent := f.got[1]
	if len(sent.Units) != 3 || sent.Units[1] != (workflows.UnitResult{Unit: assessUnits[1], Result: "K"}) || sent.Units[2].Result != "BK" || sent.AssessorID != "ASR-007" {
		t.Fatalf("whole result sent %+v", sent)
	}
	var msg string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "kompeten_flash" {
			msg, _ = url.QueryUnescape(c.Value)
		}
	}
	if !strings.Contains(msg, "assessment result recorded") {
		t.Errorf("flash %q", msg)
	}
}

// The assessments page lists the cases waiting for a result (not one waiting on a decision)
// and takes the LSP's result file: one row per person-unit; a whole case is recorded, a
// partial one refused naming its missing units, a bad row rejected and its case not sent; a
// file over the cohort upload's limit is refused before it is read.
func TestResultFileUpload(t *testing.T) {
	f := &assessAPI{}
	s, err := web.New(f, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	lsp := auth.Identity{Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-BLK-SBY"}}
	req := httptest.NewRequest("GET", "/assessments", nil)
	req = req.WithContext(api.WithIdentity(req.Context(), lsp))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, `id="assessment-asse000001"`) || strings.Contains(page, `id="assessment-asse000002"`) ||
		!strings.Contains(page, `id="results-upload"`) || !strings.Contains(page, `href="/assessments"`) {
		t.Fatalf("assessments page: HTTP %d\n%s", rec.Code, page)
	}

	upload := func(name string, content []byte, id auth.Identity) *httptest.ResponseRecorder {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content)
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/assessments/results", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req = req.WithContext(api.WithIdentity(req.Context(), id))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	file := "\ufeffcase_id;unit;result;assessor\n"
	for _, u := range assessUnits {
		file += "asse000001;" + u + ";K;ASR-1\n"
	}
	file += "asse000003;" + assessUnits[0] + ";K;ASR-2\n" + // partial: refused by the journey
		"asse000004;" + assessUnits[0] + ";K;ASR-3\n" + "asse000004;" + assessUnits[1] + ";maybe;ASR-3\n"
	rec = upload("hasil.csv", []byte(file), lsp)
	page = rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("upload: HTTP %d\n%s", rec.Code, page)
	}
	contains(t, page, `id="results-count-recorded"><b>3</b>`, `id="results-count-refused"><b>1</b>`, `id="results-count-rejected"><b>1</b>`,
		`id="results-count-not-sent"><b>1</b>`, "missing units "+assessUnits[1]+", "+assessUnits[2])
	// The rows' problems and outcomes in the reader's language (Indonesian by default), the
	// not-sent case naming the line that held it back.
	contains(t, page, "<b>1</b> tidak dikirim", "<b>1</b> baris ditolak", "hasil harus K atau BK, tertulis &#34;MAYBE&#34;",
		"baris 7: hasil harus K atau BK")
	if strings.Contains(page, "result must be K or BK") || strings.Contains(page, "not-sent</td>") {
		t.Errorf("English in the Indonesian report:\n%s", page)
	}
	for line, outcome := range map[int]string{2: "recorded", 4: "recorded", 5: "refused", 6: "not-sent", 7: "rejected"} {
		if want := fmt.Sprintf(`id="results-line-%d" data-outcome="%s"`, line, outcome); !strings.Contains(page, want) {
			t.Errorf("line %d is not %s", line, outcome)
		}
	}
	if len(f.got) != 2 || f.got[0].AssessorID != "ASR-1" || len(f.got[0].Units) != 3 || f.got[0].Actor.ID != "budi" || len(f.got[1].Units) != 1 {
		t.Fatalf("sent %+v, want the whole case and the partial one", f.got)
	}

	if rec := upload("hasil.csv", []byte(file), auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}); rec.Code != http.StatusForbidden || len(f.got) != 2 {
		t.Errorf("a centre admin's upload: HTTP %d, %d sent", rec.Code, len(f.got))
	}
	big := bytes.Repeat([]byte("x"), web.MaxUploadBytes+1)
	if rec := upload("hasil.csv", big, lsp); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "pecah menjadi beberapa berkas") {
		t.Errorf("a file over the limit: HTTP %d", rec.Code)
	}
}
