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
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// capacityAPI answers a package page's reads and its PATCH like the API: a capacity below the
// two seats taken is refused 422, a raise seats the waiting list (two cases here).
type capacityAPI struct {
	patched []int // the capacities PATCHed, in order
}

func (f *capacityAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	pkg := store.Package{Code: "P1", CentreCode: "BLK-SBY", Capacity: 2, StartDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1":
		send(http.StatusOK, api.PackageView{Package: pkg, Seats: store.SeatCount{Capacity: 2, Taken: 2, Waiting: 2}, Waitlist: []string{"w1", "w2"}})
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1/attendance":
		send(http.StatusOK, starter.RegisterOverview{})
	case r.Method == "POST" && r.URL.Path == "/api/v1/cases/search":
		send(http.StatusOK, map[string]any{"cases": []any{}, "total": 0})
	case r.Method == "PATCH" && r.URL.Path == "/api/v1/packages/P1":
		var req api.PackageUpdate
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Capacity == nil {
			send(http.StatusBadRequest, map[string]string{"error": "no capacity"})
			return
		}
		f.patched = append(f.patched, *req.Capacity)
		if *req.Capacity < 2 {
			send(http.StatusUnprocessableEntity, map[string]string{"error": "capacity 1 is below the 2 seats taken"})
			return
		}
		pkg.Capacity = *req.Capacity
		send(http.StatusOK, starter.CapacityChange{Package: pkg, MovedIn: []string{"w1", "w2"}})
	default:
		send(http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

// Issue 16 point 1 on the page: the edit form is prefilled with the capacity, a refusal comes
// back in the API's words with the value typed, a number that is not one never reaches the
// API, and a raise saves through PATCH and says how many cases moved in from the waiting list.
func TestPackageEditForm(t *testing.T) {
	f := &capacityAPI{}
	s, err := web.New(f, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(form.Encode()))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	if resp, page := do("GET", "/packages/P1", nil); resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="edit-capacity" min="1" step="1" inputmode="numeric" required value="2"`) {
		t.Fatalf("package page: HTTP %d without the prefilled form: %s", resp.StatusCode, page)
	}
	if resp, page := do("POST", "/packages/P1/edit", url.Values{"capacity": {"1"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(page, `id="edit-error">capacity 1 is below the 2 seats taken<`) || !strings.Contains(page, `required value="1"`) {
		t.Errorf("refused save: HTTP %d: %s", resp.StatusCode, page)
	}
	if resp, page := do("POST", "/packages/P1/edit", url.Values{"capacity": {"2.5"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(page, `capacity: give a whole number, got &#34;2.5&#34;`) || !strings.Contains(page, `required value="2.5"`) {
		t.Errorf("not a whole number: HTTP %d: %s", resp.StatusCode, page)
	}
	resp, _ := do("POST", "/packages/P1/edit", url.Values{"capacity": {"4"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/packages/P1" {
		t.Fatalf("save: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var flash string
	for _, ck := range resp.Cookies() {
		if ck.Name == "kompeten_flash" {
			flash, _ = url.QueryUnescape(ck.Value)
		}
	}
	if !strings.Contains(flash, "Paket P1 disimpan: 4 kursi; 2 dari daftar tunggu masuk") || !strings.Contains(flash, "Package P1 saved: 4 seats; 2 moved in from the waiting list") {
		t.Errorf("save flash = %q", flash)
	}
	if len(f.patched) != 2 || f.patched[0] != 1 || f.patched[1] != 4 {
		t.Errorf("PATCHed capacities = %v, want [1 4] (the bad number never sent)", f.patched)
	}
}
