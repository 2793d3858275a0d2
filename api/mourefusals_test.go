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

// An agreement's refusal and a package edit's problems reach the API's message worded whole
// from their catalogue codes in the request's language: no English sentence inside the
// Indonesian; Error stays the English sentence scripts read (issue 15).
func TestMoUAndPackageEditRefusalMessages(t *testing.T) {
	notLive := &starter.RefusedError{CaseID: "MOU/1", Reason: "cannot terminate: mou MOU/1 is expired",
		Code: "refusal.mou-not-live", Params: map[string]string{"action": "terminate", "kind": "mou", "number": "MOU/1", "status": "expired"}}
	afterEnd := &starter.RefusedError{CaseID: "MOU/1", Reason: "it ends after 2027-12-31 anyway; a termination on 2028-01-01 changes nothing",
		Code: "refusal.mou-terminate-after-end", Params: map[string]string{"until": "2027-12-31", "on": "2028-01-01"}}
	ended := &starter.RefusedError{CaseID: "MOU/1", Reason: "MOU/1 is renewed: agreement has ended",
		Code: "refusal.mou-ended", Params: map[string]string{"number": "MOU/1", "status": "renewed"}}
	edit := &starter.InvalidRequestError{Problems: []string{"hours must be at least 1, got 0", "end date is before the start date"},
		Coded: []workflows.RefusalDetails{{Code: "refusal.package-hours", Params: map[string]string{"got": "0"}},
			{Code: "refusal.package-end-before-start"}}}
	unchanged := &starter.InvalidRequestError{Problems: []string{"nothing to change: the values given are the package's already"},
		Code: "refusal.package-unchanged"}
	// The store's refusal of a capacity below the seats taken, as EditPackage passes it on.
	below := fmt.Errorf("package P1: %w", &store.CapacityBelowTakenError{Capacity: 1, Taken: 2})
	for _, tc := range []struct {
		err            error
		english        string
		id, en         string
		englishWordsID []string
	}{
		{notLive, notLive.Reason, "Ditolak: tidak dapat mengakhiri: MoU MOU/1 berstatus kedaluwarsa",
			"Refused: cannot terminate: MoU MOU/1 is expired", []string{"cannot", "expired", "terminate"}},
		{afterEnd, afterEnd.Reason, "Ditolak: perjanjian berakhir setelah 2027-12-31 dengan sendirinya; pengakhiran pada 2028-01-01 tidak mengubah apa pun",
			"Refused: it ends after 2027-12-31 anyway; a termination on 2028-01-01 changes nothing", []string{"anyway", "termination", "changes nothing"}},
		{ended, ended.Reason, "Ditolak: MOU/1 berstatus diperpanjang: perjanjian sudah berakhir",
			"Refused: MOU/1 is renewed: the agreement has ended", []string{"renewed", "has ended"}},
		{edit, edit.Error(), "Ditolak: jumlah jam paling sedikit 1, tertulis 0; tanggal selesai sebelum tanggal mulai",
			"Refused: hours must be at least 1, got 0; end date is before the start date", []string{"hours", "at least", "before the start"}},
		{unchanged, unchanged.Error(), "Ditolak: tidak ada yang diubah: nilai yang diisi sudah nilai paket ini",
			"Refused: nothing to change: the values given are the package's already", []string{"nothing to change", "values"}},
		{below, below.Error(), "Ditolak: kapasitas 1 di bawah 2 kursi yang sudah terisi",
			"Refused: capacity 1 is below the 2 seats taken", []string{"capacity", "seats taken"}},
	} {
		for lang, want := range map[string]string{"": tc.id, "id-ID,id;q=0.9": tc.id, "en-GB,en;q=0.8": tc.en} {
			r := httptest.NewRequest("PATCH", "/api/v1/packages/P1", nil)
			if lang != "" {
				r.Header.Set("Accept-Language", lang)
			}
			w := httptest.NewRecorder()
			(&Server{}).fail(w, r, tc.err)
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != http.StatusUnprocessableEntity || body.Error != tc.english || body.Message != want {
				t.Errorf("%v, Accept-Language %q: HTTP %d, error %q, message %q; want 422, %q, %q", tc.err, lang, w.Code, body.Error, body.Message, tc.english, want)
			}
			if !strings.HasPrefix(lang, "en") {
				for _, english := range tc.englishWordsID {
					if strings.Contains(body.Message, english) {
						t.Errorf("%v: the Indonesian message %q has English %q", tc.err, body.Message, english)
					}
				}
			}
		}
	}
}
