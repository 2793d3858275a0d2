package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// assessForm is the assessment result form of a case page (issue 16 point 6): every unit of
// the assessment waiting for its result with a K/BK choice, and the assessor. A refused form
// comes back with what was entered and the journey's refusal in its words.
type assessForm struct {
	AssessmentID string
	Units        []assessUnit
	Assessor     string
	// Error is the journey's refusal of the last post (a partial result names the missing units).
	Error string
}

// assessUnit is one unit on the form and the result chosen for it ("K", "BK" or none yet).
type assessUnit struct {
	Code, Result string
}

// resultField is the form field of a unit's K/BK choice.
func resultField(unit string) string { return "result." + unit }

// assessFormOf is the form for a case whose assessment waits for its result, or nil: the
// units assessed now (the scheme's at a first assessment, the BK ones at a re-assessment).
func assessFormOf(c store.Case, st *workflows.CaseState) *assessForm {
	if c.Status != store.StatusOpen || c.Stage != vocab.StageAssessment || c.WaitingOn != vocab.WaitingLSP || st == nil {
		return nil
	}
	sc := st.Assessment.Schedule
	if sc == nil {
		return nil
	}
	units := sc.Units
	if len(units) == 0 {
		units = st.Assessment.Units
	}
	if len(units) == 0 {
		return nil // a journey before the scheme's units were known: `kompeten assess` only
	}
	f := &assessForm{AssessmentID: sc.AssessmentID}
	for _, u := range units {
		f.Units = append(f.Units, assessUnit{Code: u})
	}
	return f
}

// fill puts a post's choices on the form, as entered, so a refused form comes back filled in.
func (f *assessForm) fill(r *http.Request) {
	f.Assessor = strings.TrimSpace(r.PostFormValue("assessor"))
	for i := range f.Units {
		f.Units[i].Result = strings.ToUpper(r.PostFormValue(resultField(f.Units[i].Code)))
	}
}

// result is the update the form sends: the units given K or BK, in the form's order. A unit
// left without a choice is left out, so the journey refuses the result naming it, as it
// refuses `kompeten assess` without it.
func (f *assessForm) result(a workflows.Actor) workflows.AssessmentResult {
	res := workflows.AssessmentResult{Actor: a, AssessmentID: f.AssessmentID, AssessorID: f.Assessor}
	for _, u := range f.Units {
		if u.Result != "" {
			res.Units = append(res.Units, workflows.UnitResult{Unit: u.Code, Result: u.Result})
		}
	}
	return res
}

// postedForm reads the result form as posted: its units (hidden fields, in the form's order),
// each one's K/BK choice, the assessment and the assessor.
func postedForm(r *http.Request) *assessForm {
	f := &assessForm{AssessmentID: r.PostFormValue("assessment_id")}
	for _, u := range r.PostForm["unit"] {
		if u = strings.TrimSpace(u); u != "" {
			f.Units = append(f.Units, assessUnit{Code: u})
		}
	}
	f.fill(r)
	return f
}

// recordAssessment sends the case page's result form as the record-assessment update (POST
// /api/v1/cases/{id}/assessment, the CLI's `kompeten assess`). Recorded, the case page says so;
// refused by the journey (a partial result, say), the page comes back with the refusal and the
// choices made; any other refusal (role, scope) is said like every form's.
func (s *Server) recordAssessment(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleLSPManager)
	if !ok {
		return
	}
	id := r.PathValue("id")
	f := postedForm(r)
	res, err := s.api.RecordAssessment(r.Context(), id, f.result(a))
	var ae *apiclient.Error
	if errors.As(err, &ae) && ae.Code == apiclient.CodeRefused && len(f.Units) > 0 {
		f.Error = refusalDetail(prefsOf(r).Lang, ae.Say())
		s.renderCase(w, r, id, f, http.StatusUnprocessableEntity)
		return
	}
	if r.PostFormValue("back") == "" {
		r.Form.Set("back", "/cases/"+id)
	}
	s.answer(w, r, id+": "+res.Message, err)
}

// assessAction is the result form's action, for may.
var assessAction = auth.Action(workflows.UpdateRecordAssessment)

// refusalDetail is the API's words for a refusal without their kind ("Ditolak: …", api.refused in
// lang), for a page that names the kind itself ("Hasil ditolak: …"): the kind is said once.
// Words of another form are kept whole.
func refusalDetail(lang i18n.Lang, words string) string {
	prefix, _, ok := strings.Cut(i18n.Text(lang, "api.refused"), "{detail}")
	if !ok || prefix == "" {
		return words
	}
	if rest, cut := strings.CutPrefix(words, prefix); cut && rest != "" {
		return rest
	}
	return words
}
