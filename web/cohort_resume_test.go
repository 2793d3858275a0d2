package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// pagesOn serves the pages of s and returns how to ask them as "siti".
func pagesOn(t *testing.T, s *web.Server) pageDo {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return func(method, path, ctype string, body io.Reader) (int, string) {
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
}

// A cohort start survives a restart of the server: a 1,000-row start whose second batch is in
// flight (held at the enrol API) is stopped as a shutdown stops it; meanwhile another server
// on the same database shows its progress from there. A server started on that database then
// resumes it from the first row without an answer: the first batch is not sent again, the cut
// batch is sent again (its people had started: already-enrolled), the rest once; every person
// started exactly once. The resumed server's page shows the final report with the names and
// the report downloads; the database never holds a NIK or a name in clear.
func TestCohortStartResumesAfterARestart(t *testing.T) {
	const rows = 1000
	_, st := testdb.NewMigrated(t)
	ring, err := codec.NewKeyring([]codec.Key{{ID: "test", Raw: bytes.Repeat([]byte{7}, codec.KeySize)}})
	if err != nil {
		t.Fatal(err)
	}
	entered := make(chan struct{})
	f := &enrolAPI{seen: map[string]string{}, sent: map[string]int{}, hold: func(ctx context.Context, batch int) {
		if batch == 2 {
			close(entered)
			<-ctx.Done() // held until the server stops the job
		}
	}}
	newServer := func() *web.Server {
		s, err := web.New(f, web.Options{MinAge: 17, Jobs: st, Keyring: ring})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.StopJobs(context.Background()) })
		return s
	}
	first := newServer()
	first.StartJobs()
	do := pagesOn(t, first)

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "besar.csv")
	_, _ = io.WriteString(fw, largeCohort(rows))
	_ = mw.Close()
	code, page := do("POST", "/packages/P1/cohort", mw.FormDataContentType(), &buf)
	m := regexp.MustCompile(`action="(/packages/P1/cohort/[0-9a-f]{32})/start"`).FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		t.Fatalf("preview: HTTP %d, no start form", code)
	}
	upload := m[1]
	if code, _ = do("POST", upload+"/start", "application/x-www-form-urlencoded", strings.NewReader("")); code != http.StatusSeeOther {
		t.Fatalf("start: HTTP %d, want 303", code)
	}
	<-entered

	// Another server on the same database shows the progress: it reads the job from there.
	second := newServer()
	other := pagesOn(t, second)
	code, page = other("GET", upload, "", nil)
	if code != http.StatusOK || !strings.Contains(page, `<progress id="cohort-progress" max="1000" value="200">`) ||
		!strings.Contains(page, `id="cohort-resumes"`) || !strings.Contains(page, "besar.csv") {
		t.Fatalf("another server's progress page: HTTP %d\n%s", code, page)
	}

	// The first server stops as a shutdown does; the batch in flight is cut.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := first.StopJobs(ctx); err != nil {
		t.Fatalf("stop the first server's jobs: %v", err)
	}
	code, page = other("GET", upload, "", nil)
	if code != http.StatusOK || !strings.Contains(page, `value="200"`) || strings.Contains(page, `id="cohort-report"`) {
		t.Fatalf("after the stop the job should still read running at 200: HTTP %d", code)
	}

	// The new server takes it over and finishes it.
	second.StartJobs()
	page = progressUntilDone(t, other, upload, 20*time.Second)
	for _, want := range []string{`id="count-started"><b>800</b>`, `id="count-already-enrolled"><b>200</b>`, "Peserta 1000", "Peserta 1<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the resumed job's outcome page lacks %q", want)
		}
	}
	f.mu.Lock()
	for i := 1; i <= rows; i++ {
		nik := fmt.Sprintf("350403190704%04d", i)
		want := 1
		if i > 200 && i <= 400 {
			want = 2 // the cut batch, sent again
		}
		if f.sent[nik] != want {
			t.Errorf("row %d sent %d times, want %d", i, f.sent[nik], want)
		}
	}
	if len(f.seen) != rows {
		t.Errorf("%d people started, want each of the %d once", len(f.seen), rows)
	}
	f.mu.Unlock()
	code, report := other("GET", upload+"/report.csv", "", nil)
	if code != http.StatusOK || strings.Count(report, ",started,") != 800 || strings.Count(report, ",already-enrolled,") != 200 {
		t.Errorf("row report: HTTP %d, %d started and %d already-enrolled, want 800 and 200", code,
			strings.Count(report, ",started,"), strings.Count(report, ",already-enrolled,"))
	}

	// Pressing Start again on either server starts nothing: it is the same job's page.
	if code, _ = do("POST", upload+"/start", "application/x-www-form-urlencoded", strings.NewReader("")); code != http.StatusSeeOther {
		t.Errorf("start again: HTTP %d, want 303", code)
	}
	if _, batches := f.enrolled(); batches != 6 {
		t.Errorf("%d batches sent, want 6 (2 before the stop, the 800 rows left in 4 after)", batches)
	}

	// Nothing personal in clear in the database: the sealed upload, the sealed name, the report.
	var clear int
	if err := st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM cohort_jobs
		WHERE position($1::bytea in upload_sealed) > 0 OR position($2::bytea in upload_sealed) > 0
		   OR position($3::bytea in name_sealed) > 0 OR report::text LIKE '%' || $4 || '%' OR report::text LIKE '%Peserta%'`,
		[]byte("3504031907040001"), []byte("Peserta 1"), []byte("besar"), "3504031907040001").Scan(&clear); err != nil {
		t.Fatal(err)
	}
	if clear != 0 {
		t.Errorf("%d jobs hold a NIK, a name or the file name in clear", clear)
	}
	var n int
	if err := st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM cohort_jobs WHERE state = $1`, store.CohortJobDone).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d jobs done in the database (%v), want 1", n, err)
	}
}
