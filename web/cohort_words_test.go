package web_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// failingEnrolAPI is enrolAPI whose enrolments all fail as the enrol API fails a NIK a correction
// replaced: the English error and the catalogue's message.
type failingEnrolAPI struct{ enrolAPI }

func (f *failingEnrolAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != "POST" || r.URL.Path != "/api/v1/packages/P1/enrolments" {
		f.enrolAPI.ServeHTTP(w, r)
		return
	}
	var req api.EnrolRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	var out api.EnrolResponse
	for range req.People {
		out.Results = append(out.Results, starter.EnrolResult{Outcome: starter.OutcomeFailed,
			Error: starter.ErrSupersededNIK.Error(), Why: i18n.M("enrol.superseded-nik")})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// The cohort upload page says why a file does not read, and why the enrol API failed a row,
// wholly in the reader's language: Indonesian by default with none of the English, English
// after the switch, every parameter filled.
func TestCohortUploadProblemsInTheReadersLanguage(t *testing.T) {
	f := &failingEnrolAPI{enrolAPI{seen: map[string]string{}}}
	s, err := web.New(f, web.Options{MinAge: 17})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	lang := string(i18n.ID)
	do := func(method, path, ctype string, body io.Reader) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, body)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.AddCookie(&http.Cookie{Name: "kompeten_actor", Value: "siti"})
		req.AddCookie(&http.Cookie{Name: "kompeten_lang", Value: lang})
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, html.UnescapeString(string(b))
	}
	upload := func(name, content string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = io.WriteString(fw, content)
		_ = mw.Close()
		return do("POST", "/packages/P1/cohort", mw.FormDataContentType(), &buf)
	}
	errorOf := regexp.MustCompile(`(?s)id="cohort-error">(.*?)</p>`)
	unfilled := regexp.MustCompile(`\{[a-z]+(\|[a-z]+)?\}`)
	files := []struct{ name, content, english string }{
		{"peserta.csv", "nik;nama;jenis_kelamin\r\n", `missing required column "tanggal_lahir" (or "birth_date")`},
		{"peserta.csv", "nik,nama,nik,jenis_kelamin,tanggal_lahir\n", `column "nik" appears twice (columns 1 and 3)`},
		{"peserta.csv", "\xff\xfen\x00i\x00k\x00", `file is UTF-16 encoded; save it as "CSV UTF-8"`},
		{"peserta.xlsx", "nik,nama\n", "not an XLSX workbook"},
	}
	said := map[string][]string{}
	for _, lang = range []string{string(i18n.ID), string(i18n.EN)} {
		for _, file := range files {
			code, page := upload(file.name, file.content)
			m := errorOf.FindStringSubmatch(page)
			if code != http.StatusUnprocessableEntity || m == nil {
				t.Fatalf("%s %q: HTTP %d, no error shown:\n%s", lang, file.content, code, page)
			}
			if unfilled.MatchString(m[1]) {
				t.Errorf("%s: %q leaves a parameter unfilled", lang, m[1])
			}
			if english := strings.Contains(m[1], file.english); english != (lang == string(i18n.EN)) {
				t.Errorf("%s: %q; the English %q in it: %v", lang, m[1], file.english, english)
			}
			said[lang] = append(said[lang], m[1])
		}
	}
	for i := range files {
		if said["id"][i] == said["en"][i] {
			t.Errorf("file %d: the same words in both languages: %q", i, said["id"][i])
		}
	}

	// A row the enrol API failed: its reason in the reader's language on the outcome page.
	lang = string(i18n.ID)
	code, page := upload("peserta.csv", cohortCSV)
	m := regexp.MustCompile(`action="(/packages/P1/cohort/[0-9a-f]{32}/start)"`).FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		t.Fatalf("preview: HTTP %d: %s", code, page)
	}
	page = html.UnescapeString(startAndWait(t, do, m[1]))
	if !strings.Contains(page, `id="count-failed"><b>2</b>`) {
		t.Fatalf("outcome: want 2 failed rows:\n%s", page)
	}
	contains(t, page, i18n.For(i18n.ID, nil).T("enrol.superseded-nik", nil))
	lacks(t, page, "was corrected to another NIK", i18n.M("enrol.superseded-nik").English())
}

// The result file upload says why a file does not read in the reader's language too.
func TestResultFileProblemsInTheReadersLanguage(t *testing.T) {
	s, err := web.New(&assessAPI{}, web.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	lsp := auth.Identity{Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-BLK-SBY"}}
	errorOf := regexp.MustCompile(`(?s)id="results-error">(.*?)</p>`)
	say := func(lang, name, content string) string {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = io.WriteString(fw, content)
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/assessments/results", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(&http.Cookie{Name: "kompeten_lang", Value: lang})
		req = req.WithContext(api.WithIdentity(req.Context(), lsp))
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		m := errorOf.FindStringSubmatch(html.UnescapeString(rec.Body.String()))
		if rec.Code != http.StatusUnprocessableEntity || m == nil {
			t.Fatalf("%s %s: HTTP %d, no error shown", lang, name, rec.Code)
		}
		return m[1]
	}
	for _, c := range []struct{ name, content, english string }{
		{"hasil.csv", "case_id;unit\nasse000001;U1\n", "the header lacks the column(s) result, assessor"},
		{"hasil.csv", "", "the file is empty"},
		{"hasil.ods", "x", `unsupported file type ".ods"`},
		{"hasil.xlsx", "case_id,unit\n", "not an XLSX workbook"},
	} {
		id, en := say("id", c.name, c.content), say("en", c.name, c.content)
		if strings.Contains(id, c.english) || !strings.Contains(en, c.english) || id == en || regexp.MustCompile(`\{[a-z]+`).MatchString(id+en) {
			t.Errorf("%s %q: Indonesian %q, English %q", c.name, c.content, id, en)
		}
	}
}
