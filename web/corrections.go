package web

import (
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// correctionForm is what the case page shows when BPJS refused the participant's data: the
// refusal and the record on file to correct (issue 16, point 5).
type correctionForm struct {
	// Reason is BPJS's words, from the journey's state or else the refusal's timeline entry.
	Reason    string
	Name      string
	BirthDate string // DD-MM-YYYY, as the spreadsheet and the form take it
	NIKMasked string
}

// correctionOf is the correction form of a case waiting for one, or nil.
func correctionOf(v api.CaseView) *correctionForm {
	c := v.Case
	if c.Status != store.StatusOpen || c.Stage != vocab.StageInsurance || c.WaitingOn != vocab.WaitingCorrection {
		return nil
	}
	f := &correctionForm{}
	if v.State != nil {
		f.Reason = v.State.Insurance.DataError
	}
	for i := len(v.Events) - 1; i >= 0 && f.Reason == ""; i-- {
		if v.Events[i].Kind == "insurance-data-error" {
			f.Reason = v.Events[i].Detail
		}
	}
	if p := c.Person; p != nil {
		f.Name, f.NIKMasked = p.Name, p.NIKMasked
		if p.BirthDate != nil {
			f.BirthDate = p.BirthDate.Format("02-01-2006")
		}
	}
	return f
}

// correct sends the corrected record from the case page. Fields left as they were are not
// sent, so the API's audit lists only what the person changed; the NIK field is empty unless
// typed (the page shows it masked).
func (s *Server) correct(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleCentreAdmin)
	if !ok {
		return
	}
	id := r.PathValue("id")
	req := api.CorrectionRequest{Actor: a, Note: strings.TrimSpace(r.FormValue("note")), NIK: strings.TrimSpace(r.FormValue("nik"))}
	if n := strings.TrimSpace(r.FormValue("name")); n != r.FormValue("was_name") {
		req.Name = n
	}
	if b := strings.TrimSpace(r.FormValue("birth_date")); b != r.FormValue("was_birth_date") {
		req.BirthDate = b
	}
	if req.Name == "" && req.BirthDate == "" && req.NIK == "" {
		setFlash(w, false, both(id+": ubah nama, tanggal lahir atau NIK dulu", id+": change the name, birth date or NIK first"))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	}
	res, err := s.api.CorrectParticipant(r.Context(), id, req)
	// The answer and its warnings are the engine's English: worded in each language here, as
	// the flash carries more than the answer (sayFlash words only a bare answer).
	say := func(rd i18n.Reader) string {
		msg := id + ": " + sayPhrase(rd, res.Message)
		for _, c := range res.Changes {
			msg += " · " + c.Field + " " + c.Old + " → " + c.New
		}
		for _, w := range sayEach(rd, res.WarningNotes, res.Warnings) {
			msg += " · ⚠ " + w
		}
		return msg
	}
	s.answer(w, r, both(say(i18n.For(i18n.ID, nil)), say(i18n.For(i18n.EN, nil))), err)
}
