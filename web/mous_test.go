package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// mouAPI answers the agreement endpoints the agreements page reads.
type mouAPI struct{ asked []string }

func (f *mouAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.asked = append(f.asked, r.URL.RequestURI())
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	n := func(v int) *int { return &v }
	ending := starter.AgreementView{Agreement: store.Agreement{ID: 1, Number: "MOU/BPVP-SDA/LSP-BLK-SBY/2023", Kind: "mou",
		PartnerCode: "LSP-BLK-SBY", Status: agreement.Expiring, ValidFrom: day(2023, 1, 19), ValidUntil: day(2026, 12, 18)},
		PartnerKind: "certifier", LastDay: day(2026, 12, 18), DaysToExpiry: n(21), DependentCases: 2, Highlight: true,
		Attention:      []string{"ends in 21 day(s) with 2 live case(s) depending on it and no successor"},
		AttentionNotes: []i18n.Message{i18n.M("mou.ending", "days", "21", "cases", "2")}}
	ended := starter.AgreementView{Agreement: store.Agreement{ID: 2, Number: "MOU/OLD", Kind: "mou", PartnerCode: "LSP-BLK-SDA",
		Status: agreement.Terminated, EndReason: "licence suspended", ValidFrom: day(2020, 1, 1), ValidUntil: day(2024, 12, 31)},
		LastDay: day(2024, 6, 30), DaysToExpiry: n(0)}
	pks := starter.AgreementView{Agreement: store.Agreement{ID: 3, Number: "PKS/BLK-SDA/1", Kind: "pks", Parent: "MOU/BPVP-SDA/BPJSTK-JATIM/2023",
		PartnerCode: "BPJSTK-JATIM", Status: agreement.Active, Centres: []string{"BLK-SDA"}, ValidFrom: day(2024, 1, 1), ValidUntil: day(2027, 12, 31)},
		LastDay: day(2027, 12, 31), DaysToExpiry: n(398), Attention: []string{"shortened to 2027-12-31 with its MoU"}}
	send := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch r.URL.Path {
	case "/api/v1/mous":
		send([]starter.AgreementView{ended, pks, ending})
	case "/api/v1/mous/" + ending.Number:
		send(starter.AgreementDetail{AgreementView: ending, Cases: []store.AgreementCase{
			{CaseID: "case000001", CentreCode: "BLK-SBY", PackageCode: "P1", Stage: "assessment", StuckReason: "no active MoU with LSP-BLK-SBY"},
			{CaseID: "case000002", CentreCode: "BLK-SBY", PackageCode: "P1", Stage: "training"},
		}})
	case "/api/v1/partners":
		send([]store.Partner{{Code: "BPJSTK-JATIM", Kind: "insurer"}, {Code: "LSP-BLK-SBY", Kind: "certifier"}})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}
}

// The agreements page lists every agreement with status, days left and the cases depending on
// it; the one ending soon with cases and no successor comes first, marked, with its cases.
func TestAgreementsPage(t *testing.T) {
	f := &mouAPI{}
	s, err := web.New(f, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/mous?partner=LSP-BLK-SBY", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d: %s", rec.Code, body)
	}
	rows := regexp.MustCompile(`<tr id="mou-(\d+)"[^>]*class="([^"]*)"`).FindAllStringSubmatch(body, -1)
	if len(rows) != 3 || rows[0][1] != "1" || !strings.Contains(rows[0][2], "highlight") || rows[1][1] != "3" || rows[2][1] != "2" {
		t.Fatalf("rows (id, class) = %v; want the ending MoU first and highlighted, the ended one last", rows)
	}
	for _, want := range []string{
		`id="mou-attention"`,
		"berakhir dalam 21 hari dengan 2 kasus aktif yang bergantung padanya dan tanpa pengganti",
		`<a class="code" href="/cases/case000001">case000001</a>`, "no active MoU with LSP-BLK-SBY",
		"Segera berakhir", "Diakhiri lebih awal", "licence suspended", "PKS di bawah",
		`<td class="days" data-label="Sisa hari">21</td>`, `<td class="days" data-label="Sisa hari">0</td>`, "2026-12-18", `href="/mous" aria-current="page"`,
		`<option value="LSP-BLK-SBY" selected>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	wantAsked := []string{"/api/v1/mous?partner=LSP-BLK-SBY", "/api/v1/partners", "/api/v1/mous/MOU%2FBPVP-SDA%2FLSP-BLK-SBY%2F2023"}
	if strings.Join(f.asked, " ") != strings.Join(wantAsked, " ") {
		t.Errorf("asked %v, want %v (details only for agreements with dependent cases)", f.asked, wantAsked)
	}
}
