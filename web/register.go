package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// today is the calendar day now where the centres are (YYYY-MM-DD).
func (o Options) today() string { return time.Now().In(o.Location).Format(time.DateOnly) }

// registerRow is one trainee of a day's register: the case, the name, and whether the tick is set.
type registerRow struct {
	CaseID string
	Name   string
	Ticked bool
}

// registerData is one day's register of a package.
type registerData struct {
	Package string
	Date    string
	// Mode is presence (tick who came) or absence (tick who did not).
	Mode     string
	Recorded bool
	Rows     []registerRow
	Back     string
}

// Absence says the register ticks only absences.
func (d registerData) Absence() bool { return d.Mode == "absence" }

// registerPage is one screen with every trainee in training on a day and a tick each: present in
// presence mode, absent in absence mode. A day already recorded shows what was recorded.
func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	date := r.URL.Query().Get("date")
	if date == "" {
		date = s.opts.today()
	}
	day, err := s.api.AttendanceDay(r.Context(), code, date)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	o, err := s.api.AttendanceOverview(r.Context(), code)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	ts, _, err := s.trainees(r, code)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	names := map[string]string{}
	for _, t := range ts {
		names[t.CaseID] = t.Name
	}
	present := map[string]bool{}
	for _, m := range day.Marks {
		present[m.CaseID] = m.Present
	}
	d := registerData{Package: code, Date: day.Date, Mode: o.Mode, Recorded: day.Recorded,
		Back: "/packages/" + url.PathEscape(code) + "/register?date=" + url.QueryEscape(day.Date)}
	for _, id := range day.InTraining {
		p, marked := present[id]
		if !marked {
			p = true // an unrecorded day starts with everyone present: the admin ticks the exceptions
		}
		d.Rows = append(d.Rows, registerRow{CaseID: id, Name: names[id], Ticked: p != d.Absence()})
	}
	sort.SliceStable(d.Rows, func(a, b int) bool { return strings.ToLower(d.Rows[a].Name) < strings.ToLower(d.Rows[b].Name) })
	s.render(w, r, "register", page{Title: both("Daftar hadir "+code+" "+day.Date, "Register "+code+" "+day.Date), Nav: "packages", Data: d})
}

// saveRegister sends a day's register in one request (PUT /api/v1/packages/{code}/attendance/{date},
// `kompeten attend`): every listed trainee is present or absent by the tick
// and the mode; the API's refusal comes back in its words.
func (s *Server) saveRegister(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleCentreAdmin)
	if !ok {
		return
	}
	code := r.PathValue("code")
	date := r.PostFormValue("date")
	absence := r.PostFormValue("mode") == "absence"
	if err := r.ParseForm(); err != nil {
		s.answer(w, r, "", err)
		return
	}
	ticked := map[string]bool{}
	for _, id := range r.PostForm["tick"] {
		ticked[id] = true
	}
	req := api.AttendanceRegisterRequest{Actor: a, Present: []string{}, Absent: []string{}}
	for _, id := range r.PostForm["case"] {
		if ticked[id] != absence {
			req.Present = append(req.Present, id)
		} else {
			req.Absent = append(req.Absent, id)
		}
	}
	res, err := s.api.RecordAttendanceDay(r.Context(), code, date, req)
	if err != nil {
		s.answer(w, r, "", err)
		return
	}
	setFlash(w, !registerTrouble(res), registerMessage(res))
	http.Redirect(w, r, "/packages/"+url.PathEscape(code), http.StatusSeeOther)
}

// registerTrouble says whether a case of the register was refused or could not be sent.
func registerTrouble(res starter.RegisterResult) bool {
	for _, c := range res.Cases {
		if c.Outcome == starter.RegisterRefused || c.Outcome == starter.RegisterFailed {
			return true
		}
	}
	return false
}

// registerMessage words a saved register: the counts and every case refused or not sent, with
// the journey's words (case IDs only: names stay on the page).
func registerMessage(res starter.RegisterResult) string {
	id := fmt.Sprintf("Daftar hadir %s %s tersimpan: %d hadir, %d tidak hadir", res.Package, res.Date, res.Present, res.Absent)
	en := fmt.Sprintf("Register of %s %s saved: %d present, %d absent", res.Package, res.Date, res.Present, res.Absent)
	for _, c := range res.Cases {
		if c.Outcome == starter.RegisterRefused || c.Outcome == starter.RegisterFailed {
			// A refusal with a code is worded in each language; a failure (an outage) keeps the
			// server's sentence.
			idWords, enWords := c.Message, c.Message
			if c.Code != "" {
				idWords, enWords = i18n.For(i18n.ID, nil).T(c.Code, c.Params), i18n.For(i18n.EN, nil).T(c.Code, c.Params)
			}
			idOutcome := "ditolak"
			if c.Outcome == starter.RegisterFailed {
				idOutcome = "gagal"
			}
			id += fmt.Sprintf("; %s %s: %s", c.CaseID, idOutcome, idWords)
			en += fmt.Sprintf("; %s %s: %s", c.CaseID, c.Outcome, enWords)
		}
	}
	return both(id, en)
}
