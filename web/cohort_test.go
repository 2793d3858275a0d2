package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// enrolAPI answers the package and enrols like the API: a NIK seen before is already-enrolled.
// The enrolments come from the start's job, in its own goroutine: the fields are read under mu.
// hold, when set, is called with each batch's number before it is answered (a test's barrier).
type enrolAPI struct {
	mu      sync.Mutex
	seen    map[string]string
	batches int
	asked   int // enrolled questions (the previews')
	// hold gets the request's context: a job that stops cancels it (a restart's barrier).
	hold func(ctx context.Context, batch int)
	// sent counts how often each NIK was sent to be enrolled.
	sent map[string]int
}

func (f *enrolAPI) enrolled() (people, batches int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen), f.batches
}

func (f *enrolAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1":
		send(api.PackageView{Package: store.Package{Code: "P1", CentreCode: "BLK-SBY", StartDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}})
	case r.Method == "POST" && r.URL.Path == "/api/v1/packages/P1/enrolments":
		f.mu.Lock()
		f.batches++
		n := f.batches
		f.mu.Unlock()
		if f.hold != nil {
			f.hold(r.Context(), n)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		var req api.EnrolRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		var out api.EnrolResponse
		for _, p := range req.People {
			if f.sent != nil {
				f.sent[p.NIK]++
			}
			if id, ok := f.seen[p.NIK]; ok {
				out.Results = append(out.Results, starter.EnrolResult{CaseID: id, Outcome: starter.OutcomeAlreadyEnrolled})
				continue
			}
			id := "case" + p.NIK[10:]
			f.seen[p.NIK] = id
			out.Results = append(out.Results, starter.EnrolResult{CaseID: id, Outcome: starter.OutcomeStarted})
		}
		// A caller gone while the batch was held (a server stopping): the journeys started, as
		// they would have in Temporal, but the answer is lost.
		if r.Context().Err() != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"error":"the server is stopping"}`)
			return
		}
		send(out)
	case r.Method == "POST" && r.URL.Path == "/api/v1/packages/P1/enrolled":
		f.mu.Lock()
		defer f.mu.Unlock()
		f.asked++
		var req api.EnrolledRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		out := api.EnrolledResponse{Results: []api.EnrolledResult{}}
		for _, n := range req.NIKs {
			id := f.seen[n]
			out.Results = append(out.Results, api.EnrolledResult{Enrolled: id != "", CaseID: id})
		}
		send(out)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}
}

// cohortCSV is a ';'-separated export with a byte-order mark, as Excel saves it: two good rows,
// a NIK in scientific notation and a birth date that does not exist.
const cohortCSV = "\ufeffnik;nama;jenis_kelamin;tempat_lahir;tanggal_lahir;no_hp;email;pendidikan;alamat\r\n" +
	"3504035907041187;Kartika Hidayat;P;Sidoarjo;19-07-2004;08140166131;k@mail.example;D3;Jl. A\r\n" +
	"3.51514E+15;Rina Wati;P;Sidoarjo;01-01-2000;0812345678;r@mail.example;SMA;Jl. B\r\n" +
	"3528055501022182;Nurul Ramadhan;P;Surabaya;31-02-2001;081882199351;n@mail.example;D3;Jl. C\r\n" +
	"3523080209959594;Joko Maulana;L;Surabaya;02-09-1995;08221948757;j@mail.example;SD;Jl. D\r\n"

// Issue 16 point 2 on the pages: the upload previews every row with the CLI's validator and
// starts nothing; the start enrols the valid rows through the enrol API; the same file again
// previews already-enrolled with the case IDs and offers no start; the row report downloads
// with masked NIKs and no names; a file of another type is refused in words.
func TestCohortUploadPreviewStartAndAgain(t *testing.T) {
	f := &enrolAPI{seen: map[string]string{}}
	s, err := web.New(f, web.Options{MinAge: 17})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path, ctype string, body io.Reader) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, body)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.AddCookie(&http.Cookie{Name: "kompeten_actor", Value: "siti"})
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	upload := func(name, content string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = io.WriteString(fw, content)
		_ = mw.Close()
		return do("POST", "/packages/P1/cohort", mw.FormDataContentType(), &buf)
	}
	start := regexp.MustCompile(`action="(/packages/P1/cohort/[0-9a-f]{32}/start)"`)
	startButton := regexp.MustCompile(`(?s)id="cohort-start-button">(.*?)</button>`)
	tags := regexp.MustCompile(`<[^>]*>`)
	code, page := upload("peserta.csv", cohortCSV)
	if code != http.StatusOK {
		t.Fatalf("preview: HTTP %d: %s", code, page)
	}
	for _, w := range []string{`id="count-valid"><b>2</b>`, `id="count-rejected"><b>2</b>`, "tampil sebagai notasi ilmiah Excel",
		"Nurul Ramadhan", `data-outcome="rejected"`, "3504**********87"} {
		if !strings.Contains(page, w) {
			t.Errorf("preview lacks %q", w)
		}
	}
	if b := startButton.FindStringSubmatch(page); b == nil || !strings.Contains(tags.ReplaceAllString(b[1], ""), " 2 ") {
		t.Errorf("the start button does not count the 2 rows to start: %q", b)
	}
	if _, batches := f.enrolled(); batches != 0 {
		t.Fatal("the preview enrolled someone")
	}
	m := start.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no start form: %s", page)
	}
	first := m[1]
	page = startAndWait(t, do, first)
	if !strings.Contains(page, `id="count-started"><b>2</b>`) || !strings.Contains(page, `id="count-rejected"><b>2</b>`) {
		t.Fatalf("start: want 2 started: %s", page)
	}
	if n, _ := f.enrolled(); n != 2 {
		t.Fatalf("enrolled %d people, want 2", n)
	}
	// The same file again: the preview asks who is enrolled and says so, with the cases.
	code, page = upload("peserta.csv", cohortCSV)
	if code != http.StatusOK {
		t.Fatalf("second preview: HTTP %d: %s", code, page)
	}
	for _, w := range []string{`id="count-already-enrolled"><b>2</b>`, `id="count-rejected"><b>2</b>`, `id="cohort-none"`,
		`href="/cases/case041187"`, `data-outcome="already-enrolled"`} {
		if !strings.Contains(page, w) {
			t.Errorf("second preview lacks %q", w)
		}
	}
	if strings.Contains(page, `id="count-valid"`) || start.MatchString(page) {
		t.Errorf("second preview offers rows to start: %s", page)
	}
	f.mu.Lock()
	asked := f.asked
	f.mu.Unlock()
	if asked != 2 {
		t.Errorf("the previews asked who is enrolled %d times, want 2", asked)
	}
	if n, batches := f.enrolled(); n != 2 || batches != 1 {
		t.Fatalf("after the second preview: %d people in %d batches, want 2 in 1", n, batches)
	}
	code, report := do("GET", strings.TrimSuffix(first, "/start")+"/report.csv", "", nil)
	if code != http.StatusOK || !strings.HasPrefix(report, "row,nik,case_id,outcome,reason,warnings\n1,3504**********87,case041187,started") ||
		strings.Contains(report, "Kartika") || strings.Contains(report, "3504035907041187") {
		t.Errorf("report: HTTP %d:\n%s", code, report)
	}
	if code, page := upload("peserta.xls", "x"); code != http.StatusUnprocessableEntity || !strings.Contains(page, "format lama .xls tidak didukung") {
		t.Errorf("an .xls: HTTP %d, want 422 in words", code)
	}
}

// An XLSX cohort is read with the import's spreadsheet reader: a NIK cell stored as a number is
// rejected with the import's reason, a text one is valid.
func TestCohortUploadXLSX(t *testing.T) {
	f := &enrolAPI{seen: map[string]string{}}
	s, err := web.New(f, web.Options{MinAge: 17})
	if err != nil {
		t.Fatal(err)
	}
	x := excelize.NewFile()
	rows := [][]any{
		{"nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "no_hp"},
		{"3504035907041187", "Kartika Hidayat", "P", "Sidoarjo", "19-07-2004", "08140166131"},
		{3523080209959594, "Joko Maulana", "L", "Surabaya", "02-09-1995", "08221948757"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var file bytes.Buffer
	if err := x.Write(&file); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "peserta.xlsx")
	_, _ = fw.Write(file.Bytes())
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/packages/P1/cohort", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "kompeten_actor", Value: "siti"})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	page := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d: %s", rec.Code, page)
	}
	for _, want := range []string{`id="count-valid"><b>1</b>`, `id="count-rejected"><b>1</b>`, "sel NIK tersimpan sebagai angka", "Kartika Hidayat"} {
		if !strings.Contains(page, want) {
			t.Errorf("XLSX preview lacks %q:\n%s", want, page[strings.Index(page, "<table"):])
		}
	}
	if _, batches := f.enrolled(); batches != 0 {
		t.Error("the preview enrolled someone")
	}
}
