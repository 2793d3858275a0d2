package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// CorrectionRequest corrects the participant's record of a case whose data BPJS refused, and
// tells the journey to register again (issue 16, point 5). Any subset of name, birth date and
// NIK; none at all only tells the journey (a record corrected elsewhere).
type CorrectionRequest struct {
	Actor workflows.Actor `json:"actor"`
	Note  string          `json:"note,omitempty"`
	Name  string          `json:"name,omitempty"`
	// BirthDate is DD-MM-YYYY or YYYY-MM-DD, as the cohort spreadsheet takes it.
	BirthDate string `json:"birth_date,omitempty"`
	// NIK is the full corrected NIK; it is stored like an imported one and never echoed.
	NIK string `json:"nik,omitempty"`
}

// CorrectionResult is the journey's answer with what changed (values masked) and the warnings
// the import's validator had about the corrected record.
type CorrectionResult struct {
	workflows.UpdateResult
	Changes  []store.CorrectionChange `json:"changes,omitempty"`
	Warnings []string                 `json:"warnings,omitempty"`
	// WarningNotes are Warnings as catalogue messages, in the same order, for a display in the
	// reader's language.
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
}

// maxCorrectionNote bounds the note, which lands in the case's timeline.
const maxCorrectionNote = 500

// correct writes the corrected record and then tells the journey. The journey is asked first
// whether it waits for a correction (its state), so a case that does not is refused before
// anything is written; should the journey still refuse the update (it moved on meanwhile), the
// record is put back. The record's key never changes: see store.CorrectParticipant.
func (s *Server) correct(w http.ResponseWriter, r *http.Request) {
	var req CorrectionRequest
	if !decode(w, r, &req) {
		return
	}
	id := r.PathValue("id")
	who, read, ok := s.authorize(w, r, id, workflows.UpdateCorrectParticipant, req.Actor)
	if !ok {
		return
	}
	if len(req.Note) > maxCorrectionNote {
		writeError(w, r, http.StatusBadRequest, say("api.too-long", "field", "note", "max", strconv.Itoa(maxCorrectionNote)), "note: at most %d characters", maxCorrectionNote)
		return
	}
	fields := cohort.Correction{NIK: req.NIK, Name: req.Name, BirthDate: req.BirthDate}
	if fields.Empty() {
		// Nothing to write: the journey alone decides, as before corrections carried data.
		res, err := s.sendUpdate(r, read, id, workflows.UpdateCorrectParticipant, &workflows.Correction{Actor: who, Note: req.Note})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, CorrectionResult{UpdateResult: res})
		return
	}
	c, err := s.Store.GetCase(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Status != store.StatusOpen {
		writeError(w, r, http.StatusConflict, say("api.correct-closed", "case", c.CaseID, "outcome", string(c.Outcome)),
			"kasus %s sudah ditutup (%s): tidak ada yang dikoreksi · case %s is closed (%s): nothing to correct", c.CaseID, c.Outcome, c.CaseID, c.Outcome)
		return
	}
	// The values first (the store alone), then the journey: a typo is answered even when the
	// journey is busy, and nothing is written for a case that does not wait.
	corr, warnings, refusal, err := s.checkCorrection(r.Context(), c, fields)
	if err == nil && refusal == nil {
		refusal, err = s.awaitsCorrection(r.Context(), c)
	}
	if err != nil || refusal != nil {
		if err != nil {
			s.fail(w, r, err)
		} else {
			writeError(w, r, http.StatusUnprocessableEntity, say("api.correction-refused", "detail", refusal.Error()).wording("detail", refusal), "%v", refusal)
		}
		return
	}
	corr.Actor, corr.Role, corr.Note = who.ID, who.Role, req.Note
	applied, err := s.Store.CorrectParticipant(r.Context(), corr)
	switch {
	case errors.Is(err, store.ErrNothingToCorrect):
		writeError(w, r, http.StatusUnprocessableEntity, say("api.nothing-changed"), "tidak ada yang berubah: nilai koreksi sama dengan data tercatat · nothing changed: the corrected values are the ones on record")
		return
	case errors.Is(err, store.ErrNIKTaken):
		writeError(w, r, http.StatusConflict, say("api.nik-taken"), "%s", store.ErrNIKTaken.Error())
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	res, err := s.Svc.Update(r.Context(), id, workflows.UpdateCorrectParticipant, &workflows.Correction{Actor: who, Note: timelineNote(applied.Changes, req.Note)})
	if err != nil {
		// The journey did not take it: the record goes back as it was, whatever the client does.
		if rerr := s.Store.RevertCorrection(context.WithoutCancel(r.Context()), applied); rerr != nil {
			s.logger().Error("correction refused by the journey and not reverted", "case", id, "correction", applied.ID, "error", rerr)
		}
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, CorrectionResult{UpdateResult: res, Changes: applied.Changes, Warnings: i18n.EnglishAll(warnings), WarningNotes: warnings})
}

// awaitsCorrection says, in the journey's own terms, why a case does not wait for a corrected
// record (nil when it does): past the insurance stage, or BPJS did not refuse its data. The
// refusal's English is the sentence the API has always answered; its message words it.
func (s *Server) awaitsCorrection(ctx context.Context, c store.Case) (*i18n.Error, error) {
	st, err := s.Svc.State(ctx, c.CaseID)
	if err != nil {
		return nil, err
	}
	if st.Outcome != "" || st.Stage != vocab.StageInsurance || st.Insurance.DataError == "" {
		return &i18n.Error{Msg: i18n.M("correction.not-waiting", "case", c.CaseID, "stage", string(st.Stage)),
			Text: fmt.Sprintf("kasus %s tidak menunggu koreksi data: BPJS tidak menolak data peserta ini · case %s is not waiting for a correction: BPJS has not refused this participant's data (stage %s)",
				c.CaseID, c.CaseID, st.Stage)}, nil
	}
	return nil, nil
}

// checkCorrection validates the corrected fields against the record on file with the import's
// rules, and turns them into the store's correction. A refusal comes back as refusal: the
// import's reason for the row, worded by the catalogue (the validator's message).
func (s *Server) checkCorrection(ctx context.Context, c store.Case, f cohort.Correction) (corr store.ParticipantCorrection, warnings []i18n.Message, refusal *i18n.Error, err error) {
	p, err := s.Store.GetParticipant(ctx, c.NIKHash)
	if err != nil {
		return corr, nil, nil, err
	}
	pkg, err := s.Store.GetPackage(ctx, c.PackageCode)
	if err != nil {
		return corr, nil, nil, err
	}
	rules := cohort.Rules{StartDate: pkg.StartDate.In(s.location()), MinAge: s.Svc.Config.Journey.MinAge, MaxAge: s.Svc.Config.Journey.MaxAge}
	row := cohort.CheckCorrection(f, cohort.Row{NIK: p.NIK, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate}, rules)
	if row.Err != nil {
		why := row.Reason
		if why.Code == "" {
			why = i18n.M("row.error", "error", row.Err.Error())
		}
		return corr, nil, &i18n.Error{Msg: why, Err: row.Err, Text: "koreksi ditolak · correction refused: " + row.Err.Error()}, nil
	}
	corr = store.ParticipantCorrection{Key: c.NIKHash, CaseID: c.CaseID}
	if strings.TrimSpace(f.Name) != "" {
		corr.Name = &row.Name
	}
	if strings.TrimSpace(f.BirthDate) != "" {
		corr.BirthDate = &row.BirthDate
	}
	if strings.TrimSpace(f.NIK) != "" {
		corr.NIK, corr.NIKHash = row.NIK, s.Svc.NIKHash(row.NIK)
	}
	return corr, row.WarningNotes, nil, nil
}

// timelineNote is the correction's line in the case's timeline: the fields changed (no
// values: the timeline is read widely) and the person's note.
func timelineNote(changes []store.CorrectionChange, note string) string {
	names := map[string]string{"name": "name", "birth_date": "birth date", "nik": "NIK"}
	var fs []string
	for _, c := range changes {
		fs = append(fs, names[c.Field])
	}
	out := strings.Join(fs, ", ")
	if note = strings.TrimSpace(note); note != "" {
		out += "; " + note
	}
	return out
}
