package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// Issue 16 point 1, the edit half, through the real API: the package page offers the edit form
// (what PATCH /api/v1/packages/{code} accepts: the capacity) prefilled to the roles the policy
// lets update a package and to no one else; a capacity below the seats taken, a number that is
// not one and a role the policy refuses come back on the page in the API's words with the value
// typed kept; the agreement check answers without saving; a save changes the read model.
func TestPackageEditPageThroughTheAPI(t *testing.T) {
	s := newScopedServer(t)
	s.svc.Temporal = unreachableTemporal{}
	site, err := web.New(s.api.Handler(), web.Options{Location: s.svc.Location()})
	if err != nil {
		t.Fatal(err)
	}
	w := weekSite{t: t, pages: site.Handler()}
	cora := auth.Identity{Name: "cora", Role: vocab.RoleCoordinator}
	ani := auth.Identity{Name: "ani", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	now := time.Now().In(s.svc.Location())
	p := store.Package{Code: "SBY-LAS-E1", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSPCode: "LSP-BLK-SBY",
		StartDate: now.AddDate(0, 0, -2), EndDate: now.AddDate(0, 0, 5), Hours: 40, Capacity: 2, AttendanceMin: 0.8}
	if _, err := s.svc.CreatePackage(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"edaaaaaaaa", "edbbbbbbbb"} {
		c := opsCase(id, "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, "")
		c.PackageCode = p.Code
		if err := s.st.UpsertCase(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if ok, _, err := s.st.ReserveSeat(t.Context(), p.Code, id, p.Capacity); err != nil || !ok {
			t.Fatalf("seat for %s: %v, %v", id, ok, err)
		}
	}
	capacity := func() int {
		t.Helper()
		got, err := s.st.GetPackage(t.Context(), p.Code)
		if err != nil {
			t.Fatal(err)
		}
		return got.Capacity
	}

	// The form, prefilled, for the coordinator; none for the centre admin (the policy's today).
	if rec := w.send(cora, "GET", "/packages/SBY-LAS-E1", nil); rec.Code != http.StatusOK ||
		!strings.Contains(rec.Body.String(), `id="edit-package"`) || !strings.Contains(rec.Body.String(), `id="edit-capacity" min="1" step="1" inputmode="numeric" required value="2"`) {
		t.Fatalf("coordinator's package page: HTTP %d without the prefilled edit form: %s", rec.Code, rec.Body.String())
	}
	allowed := auth.Allowed(ani.Role, auth.ActionUpdatePackage)
	if rec := w.send(ani, "GET", "/packages/SBY-LAS-E1", nil); strings.Contains(rec.Body.String(), `id="edit-package"`) != allowed {
		t.Errorf("centre admin offered the edit form = %v, the policy allows = %v", !allowed, allowed)
	}

	// Refusals, in the API's words, the value typed kept.
	rec := w.send(cora, "POST", "/packages/SBY-LAS-E1/edit", url.Values{"capacity": {"1"}})
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusConflict ||
		!strings.Contains(body, `id="edit-error"`) || !strings.Contains(body, "capacity 1 is below the 2 seats taken") || !strings.Contains(body, `required value="1"`) {
		t.Errorf("capacity below the seats taken: HTTP %d: %s", rec.Code, body)
	}
	rec = w.send(cora, "POST", "/packages/SBY-LAS-E1/edit", url.Values{"capacity": {"lots"}})
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `capacity: give a whole number, got &#34;lots&#34;`) ||
		!strings.Contains(body, `required value="lots"`) {
		t.Errorf("capacity not a number: HTTP %d: %s", rec.Code, body)
	}
	if !allowed {
		rec = w.send(ani, "POST", "/packages/SBY-LAS-E1/edit", url.Values{"capacity": {"5"}})
		if body := rec.Body.String(); rec.Code != http.StatusForbidden || !strings.Contains(body, `id="edit-error">Peran Admin BLK tidak boleh melakukan tindakan ini (update-package); yang boleh: Koordinator BPVP`) {
			t.Errorf("centre admin's save: HTTP %d, want 403 in the policy's words: %s", rec.Code, body)
		}
	}
	if got := capacity(); got != 2 {
		t.Fatalf("a refused edit changed the capacity to %d", got)
	}

	// The check answers from the agreements and saves nothing.
	rec = w.send(cora, "POST", "/packages/SBY-LAS-E1/edit/check", url.Values{"capacity": {"4"}})
	if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, `id="edit-agreements-cover"`) || !strings.Contains(body, `required value="4"`) {
		t.Errorf("check: HTTP %d, want the seeded agreements covering it: %s", rec.Code, body)
	}
	if got := capacity(); got != 2 {
		t.Fatalf("the check saved the capacity %d", got)
	}

	// The save goes through the API and lands in the read model.
	rec = w.send(cora, "POST", "/packages/SBY-LAS-E1/edit", url.Values{"capacity": {"4"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/packages/SBY-LAS-E1" {
		t.Fatalf("save: HTTP %d to %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	if f := flashOf(rec); f != "1Paket SBY-LAS-E1 disimpan: 4 kursi\x1fPackage SBY-LAS-E1 saved: 4 seats" {
		t.Errorf("save flash = %q", f)
	}
	if got := capacity(); got != 4 {
		t.Errorf("stored capacity = %d after saving 4", got)
	}
}
