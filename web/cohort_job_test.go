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

	"github.com/bpvp-sidoarjo/kompeten/web"
)

// pageDo sends one request to the pages as a person and returns the status and the body.
type pageDo func(method, path, ctype string, body io.Reader) (int, string)

// startAndWait presses a previewed upload's Start (the form post answers 303 to the upload's
// page) and reads that page until the start has ended, polling with a deadline; it returns the
// outcome page.
func startAndWait(t *testing.T, do pageDo, action string) string {
	t.Helper()
	code, _ := do("POST", action, "application/x-www-form-urlencoded", strings.NewReader("back=%2Fpackages%2FP1"))
	if code != http.StatusSeeOther {
		t.Fatalf("start: HTTP %d, want 303 to the upload's page", code)
	}
	return progressUntilDone(t, do, strings.TrimSuffix(action, "/start"), 10*time.Second)
}

// progressUntilDone reads an upload's page until it shows the row report's link.
func progressUntilDone(t *testing.T, do pageDo, path string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		code, page := do("GET", path, "", nil)
		if code == http.StatusOK && strings.Contains(page, `id="cohort-report"`) {
			return page
		}
		if time.Now().After(deadline) {
			t.Fatalf("the upload's page did not reach its outcome within %v: HTTP %d\n%s", within, code, page)
		}
		time.Sleep(20 * time.Millisecond) // a poll's pace, not a wait for something to happen
	}
}

// largeCohort is a ';'-separated cohort of n valid rows (one district, one birthday, serials
// 0001 up).
func largeCohort(n int) string {
	var b strings.Builder
	b.WriteString("nik;nama;jenis_kelamin;tempat_lahir;tanggal_lahir;no_hp\r\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "350403190704%04d;Peserta %d;L;Sidoarjo;19-07-2004;0814%07d\r\n", i, i, i)
	}
	return b.String()
}

// Issue 16 point 2, progress for large files: the start of a 1,000-row cohort answers at once
// while its batches of 200 are still going to the enrol API (the second batch is held until
// the test has read the page); the upload's page shows the progress as a <progress> element
// with "200 dari 1.000 dimulai" and reloads itself (a meta refresh, no script); once the
// batches are through it shows every row's outcome and the row report, which lists all 1,000
// started. Pressing Start again does not start the job twice; an upload the server does not
// hold (a restart) says so and how to finish.
func TestLargeCohortStartsInTheBackground(t *testing.T) {
	const rows = 1000
	entered, release := make(chan struct{}), make(chan struct{})
	f := &enrolAPI{seen: map[string]string{}, hold: func(_ context.Context, batch int) {
		if batch == 2 {
			close(entered)
			<-release
		}
	}}
	released := false
	t.Cleanup(func() {
		if !released {
			close(release)
		}
	})
	s, err := web.New(f, web.Options{MinAge: 17})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var do pageDo = func(method, path, ctype string, body io.Reader) (int, string) {
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
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "besar.csv")
	_, _ = io.WriteString(fw, largeCohort(rows))
	_ = mw.Close()
	code, page := do("POST", "/packages/P1/cohort", mw.FormDataContentType(), &buf)
	if code != http.StatusOK || !strings.Contains(page, `id="count-valid"><b>1000</b>`) {
		t.Fatalf("preview: HTTP %d, want 1000 valid rows", code)
	}
	m := regexp.MustCompile(`action="(/packages/P1/cohort/[0-9a-f]{32})/start"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no start form: %s", page)
	}
	upload := m[1]

	began := time.Now()
	code, _ = do("POST", upload+"/start", "application/x-www-form-urlencoded", strings.NewReader("back=%2Fpackages%2FP1"))
	took := time.Since(began)
	if code != http.StatusSeeOther {
		t.Fatalf("start: HTTP %d, want 303 to the progress page", code)
	}
	// The second batch is held until release: the answer came while the start still ran.
	<-entered
	t.Logf("the start of %d rows answered in %v with its second batch still held", rows, took.Round(time.Millisecond))
	code, page = do("GET", upload, "", nil)
	for _, want := range []string{`<meta http-equiv="refresh" content="2">`, `<progress id="cohort-progress" max="1000" value="200">`,
		`<b>200</b> dari <b>1.000</b> dimulai`} {
		if !strings.Contains(page, want) {
			t.Errorf("the progress page lacks %q", want)
		}
	}
	if strings.Contains(page, "of <b>1,000</b> started") || strings.Contains(page, "1,000") {
		t.Error("the Indonesian progress page has the English count too")
	}
	if code != http.StatusOK || strings.Contains(page, `id="cohort-report"`) {
		t.Fatalf("the progress page while the start runs: HTTP %d, report link shown: %v", code, strings.Contains(page, `id="cohort-report"`))
	}
	// Start pressed again (a second tab, a reload of the post) does not start it twice.
	if code, _ = do("POST", upload+"/start", "application/x-www-form-urlencoded", strings.NewReader("")); code != http.StatusSeeOther {
		t.Errorf("start again: HTTP %d, want 303 to the same page", code)
	}
	released = true
	close(release)

	page = progressUntilDone(t, do, upload, 10*time.Second)
	if strings.Contains(page, `http-equiv="refresh"`) || !strings.Contains(page, `id="count-started"><b>1000</b>`) {
		t.Errorf("the finished page still reloads or does not count 1000 started")
	}
	if people, batches := f.enrolled(); people != rows || batches != rows/200 {
		t.Errorf("enrolled %d people in %d batches, want %d in %d", people, batches, rows, rows/200)
	}
	code, report := do("GET", upload+"/report.csv", "", nil)
	if code != http.StatusOK || strings.Count(report, ",started,") != rows {
		t.Errorf("row report: HTTP %d with %d rows started, want %d", code, strings.Count(report, ",started,"), rows)
	}

	code, page = do("GET", "/packages/P1/cohort/0123456789abcdef0123456789abcdef", "", nil)
	if code != http.StatusNotFound || !strings.Contains(page, "Unggah berkas yang sama lagi") || strings.Contains(page, `<progress`) {
		t.Errorf("an upload the server does not hold: HTTP %d\n%s", code, page)
	}
}
