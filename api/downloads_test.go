package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// TestDownloads: a list exports as plain CSV (comma, no BOM, UTC) for scripts, as CSV for Excel
// set to Indonesian (semicolon, BOM, WIB) and as XLSX with a frozen, filtered header; and a
// browser logged in on the pages downloads them (and the OpenAPI document) at /download/ with
// its session, scoped as its token is, where /api/ still wants a bearer token.
func TestDownloads(t *testing.T) {
	s := newScopedServer(t)
	s.api.Location = time.FixedZone("WIB", 7*3600)
	ctx := context.Background()
	if err := s.st.UpsertParticipant(ctx, store.Participant{NIKHash: s.svc.NIKHash(scopeNIK), NIK: scopeNIK, Name: "Siti Nurhaliza"}); err != nil {
		t.Fatal(err)
	}

	defer api.SetExportBatch(3)() // the 4 cases stream in two batches
	_, plain := s.do("cora", "GET", "/api/v1/cases?format=csv", nil)
	if n := bytes.Count(plain, []byte("\n")); n != 5 {
		t.Fatalf("plain CSV streamed in batches of 3: %d lines, want a header and 4 rows:\n%s", n, plain)
	}
	if bytes.HasPrefix(plain, []byte("\uFEFF")) || !bytes.HasPrefix(plain, []byte("case_id,package,")) || !regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`).Match(plain) {
		t.Fatalf("plain CSV changed:\n%s", plain)
	}
	_, excel := s.do("cora", "GET", "/api/v1/cases?format=csv&dialect=excel", nil)
	if !bytes.HasPrefix(excel, []byte("\uFEFFcase_id;package;")) || bytes.Count(excel, []byte("\n")) != 5 {
		t.Fatalf("Excel CSV: want a BOM, semicolons and 4 rows:\n%s", excel)
	}
	if !strings.Contains(string(excel), apiT0.In(s.api.Location).Format("2006-01-02 15:04:05")) {
		t.Fatalf("Excel CSV times are not in WIB (%s):\n%s", apiT0.In(s.api.Location).Format("2006-01-02 15:04:05"), excel)
	}
	// A person in WIT asks for their zone (the pages' links pass it): the same instants, two hours on.
	_, wit := s.do("cora", "GET", "/api/v1/cases?format=csv&dialect=excel&zone=WIT", nil)
	if want := apiT0.In(time.FixedZone("WIT", 9*3600)).Format("2006-01-02 15:04:05"); !strings.Contains(string(wit), want) || strings.Contains(string(wit), apiT0.In(s.api.Location).Format("2006-01-02 15:04:05")) {
		t.Fatalf("Excel CSV times are not in WIT (%s):\n%s", want, wit)
	}

	resp, data := sendJSON(t, "GET", s.url+"/api/v1/cases?format=xlsx", s.token["ani"], nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: HTTP %d %s", resp.StatusCode, resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "case_id" || !strings.Contains(strings.Join(rows[1], "|")+strings.Join(rows[2], "|"), "Siti Nurhaliza") {
		t.Fatalf("ani's workbook: want a header and her 2 cases, one named: %v", rows)
	}
	panes, err := f.GetPanes("Sheet1")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("the header is not frozen: %+v %v", panes, err)
	}
	found := false
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" && strings.Contains(n.RefersTo, "$A$1") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no filter on the header: %+v", f.GetDefinedName())
	}
	if w, err := f.GetColWidth("Sheet1", "A"); err != nil || w < 10 {
		t.Fatalf("column A width %v %v", w, err)
	}

	// The pages' login: the session authorises /download/, never /api/.
	site, err := web.New(s.api.Handler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sessions := &web.Sessions{Lookup: api.StoreTokens(s.st), Key: []byte("session-key-0123456789abcdef0123456789"), Store: s.st}
	srv := httptest.NewServer(sessions.Wrap(site.Handler()))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := browser.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	_, form := get("/login")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(form)
	if m == nil {
		t.Fatalf("no CSRF token on the login form:\n%s", form)
	}
	if resp, err := browser.PostForm(srv.URL+"/login", url.Values{"token": {s.token["ani"]}, "csrf": {string(m[1])}}); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %v", resp, err)
	}
	if resp, _ := get("/api/v1/cases?format=csv"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("/api/ with only a session cookie: HTTP %d, want 401 (the API wants a token)", resp.StatusCode)
	}
	resp, csv := get("/download/v1/cases?format=csv")
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(csv, []byte("\uFEFFcase_id;")) || bytes.Count(csv, []byte("\n")) != 3 || bytes.Contains(csv, []byte("tbnaaaaaaa")) {
		t.Fatalf("ani's download: HTTP %d, want her 2 cases as Excel CSV:\n%s", resp.StatusCode, csv)
	}
	if resp, doc := get("/download/openapi.yaml"); resp.StatusCode != http.StatusOK || !bytes.Equal(doc, api.OpenAPI) {
		t.Fatalf("OpenAPI download: HTTP %d", resp.StatusCode)
	}
	if resp, _ := get("/download/v1/cases?format=xlsx"); resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx download: HTTP %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get("/download/v1/tokens"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a path that is not a download: HTTP %d", resp.StatusCode)
	}
}
