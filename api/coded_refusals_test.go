package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The service's own coded refusals (an agreement's create, amend and renew checks, a package's
// creation) reach the API's message worded from their codes in the request's language, with
// the status of their kind; Error stays the English sentence (issue 15).
func TestCodedCheckRefusalMessages(t *testing.T) {
	create := &starter.CodedError{Err: fmt.Errorf(`agreement MOU/X: unknown partner "LSP-NOPE"; unknown centre "BLK-NOPE": %w`, store.ErrInvalid),
		Coded: []workflows.RefusalDetails{{Code: "refusal.mou-partner-unknown", Params: map[string]string{"partner": "LSP-NOPE"}},
			{Code: "refusal.mou-centre-unknown", Params: map[string]string{"centre": "BLK-NOPE"}}}}
	taken := &starter.CodedError{Err: fmt.Errorf("renew MOU/1: successor number MOU/2 is taken: %w", store.ErrExists),
		Coded: []workflows.RefusalDetails{{Code: "refusal.mou-successor-taken", Params: map[string]string{"successor": "MOU/2"}}}}
	pkg := &starter.CodedError{Err: fmt.Errorf("package P 1: code may not contain spaces or / ? # %%; capacity must be at least 1: %w", store.ErrInvalid),
		Coded: []workflows.RefusalDetails{{Code: "refusal.package-code-chars"}, {Code: "refusal.package-capacity"}}}
	dependents := &starter.DependentsError{Number: "MOU/1", Count: 7, First: []store.AgreementCase{{CaseID: "c1", CentreCode: "BLK-SBY", Stage: "training"}, {CaseID: "c2"}}}
	for _, tc := range []struct {
		err     error
		status  int
		id, en  string
		english []string
	}{
		{create, http.StatusUnprocessableEntity, "Ditolak: mitra LSP-NOPE tidak dikenal; BLK BLK-NOPE tidak dikenal",
			`Refused: unknown partner "LSP-NOPE"; unknown centre "BLK-NOPE"`, []string{"unknown", "agreement"}},
		{taken, http.StatusConflict, "Bertentangan dengan keadaan kasus: nomor perjanjian pengganti MOU/2 sudah dipakai",
			"Conflicts with the case's state: successor number MOU/2 is taken", []string{"successor", "taken", "renew"}},
		{pkg, http.StatusUnprocessableEntity, "Ditolak: kode paket tidak boleh berisi spasi atau / ? # %; kapasitas paling sedikit 1",
			"Refused: code may not contain spaces or / ? # %; capacity must be at least 1", []string{"capacity", "must"}},
		{dependents, http.StatusConflict, "Bertentangan dengan keadaan kasus: perjanjian MOU/1 masih diperlukan oleh 7 kasus berjalan: c1, c2 dan 5 lainnya; mengakhirinya membuat kasus-kasus itu menunggu perjanjian — akhiri dengan paksa (force) bila tetap ingin mengakhirinya",
			"Conflicts with the case's state: agreement MOU/1 has 7 live case(s) depending on it: c1, c2 and 5 more; terminating it leaves them waiting for an agreement — terminate with force to end it anyway",
			[]string{"depending", "terminating", "waiting", "training", "more"}},
	} {
		for lang, want := range map[string]string{"": tc.id, "en-GB,en;q=0.8": tc.en} {
			r := httptest.NewRequest("POST", "/api/v1/mous", nil)
			if lang != "" {
				r.Header.Set("Accept-Language", lang)
			}
			w := httptest.NewRecorder()
			(&Server{}).fail(w, r, tc.err)
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tc.status || body.Error != tc.err.Error() || body.Message != want {
				t.Errorf("%v, Accept-Language %q: HTTP %d, error %q, message %q; want %d, %q", tc.err, lang, w.Code, body.Error, body.Message, tc.status, want)
			}
			if lang == "" {
				for _, e := range tc.english {
					if strings.Contains(body.Message, e) {
						t.Errorf("%v: the Indonesian %q has English %q", tc.err, body.Message, e)
					}
				}
			}
		}
	}
}
