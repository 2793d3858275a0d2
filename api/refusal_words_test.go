package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A refusal with a code is worded whole from the catalogue in the request's language: no
// English sentence inside an Indonesian message; Error stays the English it always was. A
// refusal without a code keeps its sentence as the detail.
func TestRefusalMessageFromItsCode(t *testing.T) {
	full := &starter.FullError{CaseID: "c1", Reason: "package P1 is full: 16 of 16 seats taken",
		Code: "refusal.package-full", Params: map[string]string{"package": "P1", "taken": "16", "capacity": "16"}}
	stage := &starter.RefusedError{CaseID: "c1", Reason: "cannot record attendance: case c1 is in stage enrolment (needs training)",
		Code: "refusal.stage", Params: map[string]string{"action": "record-attendance", "case": "c1", "stage": "enrolment", "needs": "training"}}
	role := &starter.RefusedError{CaseID: "c1", Reason: `role "viewer" may not do this; allowed: centre-admin, coordinator`,
		Code: "refusal.role", Params: map[string]string{"role": "viewer", "allowed": "centre-admin,coordinator"}}
	closed := &starter.ClosedError{CaseID: "c1", Outcome: "withdrawn", Nothing: "nothing to approve",
		Code: "refusal.closed", Params: map[string]string{"case": "c1", "outcome": "withdrawn", "nothing": "approve"}}
	register := &starter.InvalidRequestError{Problems: []string{"case a is listed more than once", "not listed: b — list every trainee in training once, as present or absent (nobody is taken as absent by being left off)"},
		Coded: []workflows.RefusalDetails{{Code: "refusal.register-twice", Params: map[string]string{"case": "a"}},
			{Code: "refusal.register-missing", Params: map[string]string{"cases": "b"}}}}
	old := &starter.RefusedError{CaseID: "c1", Reason: "a refusal of an older worker"}
	for _, tc := range []struct {
		err            error
		status         int
		english        string
		id, en         string
		englishWordsID []string
	}{
		{full, http.StatusConflict, "package P1 is full: 16 of 16 seats taken",
			"Bertentangan dengan keadaan kasus: paket P1 penuh: 16 dari 16 kursi terisi",
			"Conflicts with the case's state: package P1 is full: 16 of 16 seats taken", []string{"is full", "seats taken"}},
		{stage, http.StatusUnprocessableEntity, stage.Reason,
			"Ditolak: tidak dapat mencatat kehadiran: kasus c1 ada di tahap Pendaftaran (perlu tahap Pelatihan)",
			"Refused: cannot record attendance: case c1 is in stage Enrolment (needs Training)", []string{"cannot", "stage enrolment"}},
		{role, http.StatusUnprocessableEntity, role.Reason,
			"Ditolak: peran Pemantau tidak boleh melakukan ini; yang boleh: Admin BLK, Koordinator BPVP",
			"Refused: role Viewer may not do this; allowed: Centre admin, BPVP coordinator", []string{"may not", "allowed"}},
		{closed, http.StatusConflict, "case c1 is closed (withdrawn): nothing to approve",
			"Bertentangan dengan keadaan kasus: kasus c1 sudah ditutup (Mengundurkan diri): tidak ada yang perlu disetujui",
			"Conflicts with the case's state: case c1 is closed (Withdrawn): nothing to approve", []string{"is closed", "nothing to"}},
		{register, http.StatusUnprocessableEntity, register.Error(),
			"Ditolak: kasus a tercantum lebih dari sekali; belum tercantum: b — cantumkan setiap peserta pelatihan sekali, hadir atau absen (yang tidak dicantumkan tidak dianggap absen)",
			"Refused: case a is listed more than once; not listed: b — list every trainee in training once, as present or absent (nobody is taken as absent by being left off)",
			[]string{"listed", "trainee"}},
		{old, http.StatusUnprocessableEntity, old.Reason, "Ditolak: a refusal of an older worker", "Refused: a refusal of an older worker", nil},
	} {
		for lang, want := range map[string]string{"": tc.id, "id-ID,id;q=0.9": tc.id, "en-GB,en;q=0.8": tc.en} {
			r := httptest.NewRequest("POST", "/api/v1/cases/c1/attendance", nil)
			if lang != "" {
				r.Header.Set("Accept-Language", lang)
			}
			w := httptest.NewRecorder()
			(&Server{}).fail(w, r, tc.err)
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tc.status || body.Error != tc.english || body.Message != want {
				t.Errorf("%T, Accept-Language %q: HTTP %d, error %q, message %q; want %d, %q, %q", tc.err, lang, w.Code, body.Error, body.Message, tc.status, tc.english, want)
			}
			if lang != "en-GB,en;q=0.8" {
				for _, english := range tc.englishWordsID {
					if strings.Contains(body.Message, english) {
						t.Errorf("%T: the Indonesian message %q has English %q", tc.err, body.Message, english)
					}
				}
			}
		}
	}
}

// A bulk decision's refused case carries its code, parameters and words in the request's
// language; the message stays English.
func TestDecisionOutcomeWordsTheRefusal(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/v1/decisions", nil)
	r.Header.Set("Accept-Language", "id")
	o := DecisionOutcome{CaseID: "c1", Status: http.StatusConflict, Message: "package P1 is full: 16 of 16 seats taken"}
	o.refused(r, refusalCodes(&starter.FullError{CaseID: "c1", Reason: o.Message, Code: "refusal.package-full",
		Params: map[string]string{"package": "P1", "taken": "16", "capacity": "16"}})...)
	if o.Code != "refusal.package-full" || o.Params["package"] != "P1" || o.Words != "paket P1 penuh: 16 dari 16 kursi terisi" ||
		o.Message != "package P1 is full: 16 of 16 seats taken" {
		t.Errorf("outcome: %+v", o)
	}
	// No code: nothing is added, and the message stands.
	o = DecisionOutcome{CaseID: "c1", Message: "an old refusal"}
	o.refused(r, refusalCodes(&starter.RefusedError{CaseID: "c1", Reason: "an old refusal"})...)
	if o.Code != "" || o.Words != "" {
		t.Errorf("uncoded outcome: %+v", o)
	}
}
