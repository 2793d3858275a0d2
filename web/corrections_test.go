package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// A case whose data BPJS refused shows the refusal and a form with the record on file (the NIK
// masked, its input empty); sending it posts only what changed, the NIK in full when typed.
func TestCorrectionFromTheCasePage(t *testing.T) {
	f, b := newSite(t)
	code, _, page := b.get("/cases/corr000001")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d", code)
	}
	contains(t, page, `id="correction"`, "Data ditolak BPJS", "does not match the population register",
		`action="/cases/corr000001/correct"`, `id="correct-name" value="Siti Nur"`, `id="correct-birth-date" value="19-07-2004"`,
		`id="correct-nik-masked">3515••••••••1187<`, `name="nik" id="correct-nik" maxlength="40" inputmode="numeric"`)
	if strings.Contains(page, `id="correct-nik" value=`) {
		t.Error("the NIK input is prefilled")
	}
	// Other cases have no correction form.
	if _, _, other := b.get("/cases/cert000001"); strings.Contains(other, `id="correction"`) {
		t.Error("a case not waiting for a correction shows the form")
	}

	b.post("/actor", url.Values{"name": {"ani"}, "back": {"/"}})
	code, loc := b.post("/cases/corr000001/correct", url.Values{"name": {"Siti Nurhaliza"}, "was_name": {"Siti Nur"},
		"birth_date": {"19-07-2004"}, "was_birth_date": {"19-07-2004"}, "nik": {" 3515015907041187 "}, "note": {"KK"}, "back": {"/cases/corr000001"}})
	if code != http.StatusSeeOther || loc != "/cases/corr000001" {
		t.Fatalf("post: %d → %s", code, loc)
	}
	var sent api.CorrectionRequest
	if err := json.Unmarshal(f.bodies["/api/v1/cases/corr000001/correction"], &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Name != "Siti Nurhaliza" || sent.BirthDate != "" || sent.NIK != "3515015907041187" || sent.Note != "KK" || sent.Actor.ID != "ani" {
		t.Fatalf("sent %+v", sent)
	}
	_, _, page = b.get("/cases/corr000001")
	contains(t, page, "corr000001: koreksi diterima; pendaftaran BPJS akan dicoba lagi", "S••• N•••••••")
	lacks(t, page, "correction accepted")

	// Nothing changed: refused on the page, nothing sent.
	delete(f.bodies, "/api/v1/cases/corr000001/correction")
	b.post("/cases/corr000001/correct", url.Values{"name": {"Siti Nur"}, "was_name": {"Siti Nur"}, "back": {"/cases/corr000001"}})
	if _, sentAgain := f.bodies["/api/v1/cases/corr000001/correction"]; sentAgain {
		t.Fatal("an unchanged form was sent")
	}
	_, _, page = b.get("/cases/corr000001")
	contains(t, page, "ubah nama, tanggal lahir atau NIK dulu")
}
