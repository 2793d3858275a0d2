package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// peopleAPI answers the case search and the inbox with 120 cases of named people, and records
// every URL and search body it got.
type peopleAPI struct {
	mu     sync.Mutex
	urls   []string
	bodies []api.SearchRequest
}

func (f *peopleAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.urls = append(f.urls, r.Method+" "+r.URL.RequestURI())
	f.mu.Unlock()
	born := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	person := &store.Person{Name: "Siti Nurhaliza", NIKMasked: "3517••••••••0003", BirthDate: &born, Age: 36, Phone: "0812-3456-7890"}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/v1/cases/search":
		var req api.SearchRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		f.mu.Lock()
		f.bodies = append(f.bodies, req)
		f.mu.Unlock()
		page := api.CasePage{Total: 120, Limit: req.Limit, Offset: req.Offset}
		for i := req.Offset; i < min(req.Offset+req.Limit, 120); i++ {
			page.Cases = append(page.Cases, store.Case{CaseID: fmt.Sprintf("case%06d", i), Stage: "enrolment", CentreCode: "BLK-SBY", Person: person})
		}
		_ = json.NewEncoder(w).Encode(page)
	case "/api/v1/inbox":
		off := 0
		_, _ = fmt.Sscan(r.URL.Query().Get("offset"), &off)
		g := api.InboxGroup{Kind: "enrolment-approval", Role: "centre-admin", Action: "enrolment", Label: "Enrolment approvals",
			LabelID: "Persetujuan pendaftaran", Total: 120, Offset: off}
		for i := off; i < min(off+50, 120); i++ {
			g.Cases = append(g.Cases, api.InboxItem{CaseID: fmt.Sprintf("case%06d", i), Stage: "enrolment", Since: since, Person: person,
				Evidence: &api.Evidence{Kind: "enrolment-checked", RulesNotMet: []string{"package P1 is full (20 of 20 seats)"}, At: since}})
		}
		_ = json.NewEncoder(w).Encode(api.Inbox{Groups: []api.InboxGroup{g}})
	case "/api/v1/centres", "/api/v1/partners":
		_, _ = io.WriteString(w, "[]")
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not here"}`)
	}
}

// TestPeoplePages: the case list, the search and the inbox name people (masked NIK, age, a
// tel: and a WhatsApp link), page through all 120 cases saying "1–50 / 120", and a search by
// name travels only in form bodies, never in a URL, its paging included.
func TestPeoplePages(t *testing.T) {
	f := &peopleAPI{}
	s, err := web.New(f, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	b := &browser{t: t, base: srv.URL, c: srv.Client()}

	code, _, page := b.get("/cases")
	if code != http.StatusOK {
		t.Fatalf("GET /cases: HTTP %d\n%s", code, page)
	}
	contains(t, page, "Siti Nurhaliza", "3517••••••••0003", "36", `href="tel:081234567890"`, `href="https://wa.me/6281234567890"`,
		`<span id="cases-range">1–50 / 120</span>`, `<form method="get" action="/cases">`, `name="offset" value="50"`)
	if strings.Contains(page, `id="cases-prev"`) {
		t.Error("the first page offers a previous page")
	}
	code, _, page = b.get("/cases?offset=100")
	if code != http.StatusOK {
		t.Fatalf("GET /cases?offset=100: HTTP %d", code)
	}
	contains(t, page, "101–120 / 120", `name="offset" value="50"`)
	if strings.Contains(page, `id="cases-next"`) {
		t.Error("the last page offers a next page")
	}

	// A search posts the name; the next page posts it again.
	resp, err := b.c.PostForm(srv.URL+"/cases", url.Values{"name": {"siti nur"}, "offset": {"50"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page = string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /cases: HTTP %d\n%s", resp.StatusCode, page)
	}
	contains(t, page, "51–100 / 120", `<form method="post" action="/cases">`, `name="name" value="siti nur"`)
	f.mu.Lock()
	last := f.bodies[len(f.bodies)-1]
	urls := strings.Join(f.urls, "\n")
	f.mu.Unlock()
	if last.Name != "siti nur" || last.Offset != 50 || last.Limit != 50 {
		t.Fatalf("the search sent %+v", last)
	}
	if strings.Contains(strings.ToLower(urls), "siti") {
		t.Fatalf("a name reached a URL:\n%s", urls)
	}

	code, _, page = b.get("/inbox")
	if code != http.StatusOK {
		t.Fatalf("GET /inbox: HTTP %d", code)
	}
	contains(t, page, "Siti Nurhaliza", "1–50 / 120", `href="/inbox?offset=50#group-enrolment-approval"`,
		"Aturan belum terpenuhi", "<li>package P1 is full (20 of 20 seats)</li>")
	_, _, page = b.get("/inbox?offset=100")
	contains(t, page, "101–120 / 120", `href="/inbox?offset=50#group-enrolment-approval"`)
	f.mu.Lock()
	asked := f.urls[len(f.urls)-4:] // centres, partners, the inbox, its self-reports to confirm
	f.mu.Unlock()
	if !strings.Contains(strings.Join(asked, " "), "/api/v1/inbox?limit=50&offset=100") {
		t.Fatalf("the inbox asked %v", asked)
	}
}
