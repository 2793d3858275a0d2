package web

import (
	"errors"
	"maps"
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// decisionsData is the page that shows what became of each case of a bulk decision.
type decisionsData struct {
	Result api.DecisionsResponse
	// Words is each outcome's detail in the reader's language, in the order of Result.Outcomes.
	Words []string
	// Back is the inbox page the decision was taken on.
	Back string
}

// outcomeWords words one case's outcome of a bulk decision in the reader's language: a refusal
// from its message code (each rule not met worded as the inbox words it), an answer as the
// flash words it; an outcome the catalogue cannot word is shown as the API wrote it.
func outcomeWords(rd i18n.Reader, o api.DecisionOutcome) string {
	if o.Code == "" {
		if o.Words != "" {
			return o.Words
		}
		return sayPhrase(rd, o.Message)
	}
	params := o.Params
	if rules, ok := params["rules"]; ok {
		params = maps.Clone(params)
		params["rules"] = strings.Join(sayEach(rd, o.Rules, strings.Split(rules, "; ")), "; ")
	}
	if out, ok := rd.Lookup(o.Code, params); ok {
		return out
	}
	return o.Message
}

// failedRules are the rules the latest enrolment check in a case's timeline found not met: their
// English, and the same as messages when the check recorded them (else nil).
func failedRules(evs []store.Event) ([]string, []i18n.Message) {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == "enrolment-checked" {
			rules := api.RulesNotMet(evs[i].Detail)
			if ev := evs[i].Evidence; ev != nil && len(ev.Rules) == len(rules) {
				return rules, ev.Rules
			}
			return rules, nil
		}
	}
	return nil, nil
}

// eventWords words a timeline event from its code and parameters; an enrolment check's rules
// not met, a parameter of English sentences, are worded one by one (from their messages when the
// check recorded them). Events recorded before the journey recorded codes show their detail.
func eventWords(rd i18n.Reader, e store.Event) string {
	params := e.Params
	if p, ok := params["problems"]; ok && p != "" && e.Kind == "enrolment-checked" {
		var notes []i18n.Message
		if e.Evidence != nil {
			notes = e.Evidence.Rules
		}
		params = maps.Clone(params)
		params["problems"] = strings.Join(sayEach(rd, notes, strings.Split(p, "; ")), "; ")
	}
	if text, ok := rd.Lookup(e.Code, params); ok && e.Code != "" {
		return text
	}
	return timesInZone(e.Detail, rd.Loc)
}

// decideMany takes one decision on the cases ticked in an inbox group, or on every case of
// the group that matches the inbox's filter ("all"), and shows each case's outcome. The API
// answers case by case; nothing is approved or refused silently.
func (s *Server) decideMany(w http.ResponseWriter, r *http.Request) {
	kind := r.FormValue("kind")
	role, known := decisionRoles[kind]
	if !known {
		http.Error(w, "kind must be enrolment or certification", http.StatusBadRequest)
		return
	}
	a, ok := s.actor(w, r, role)
	if !ok {
		return
	}
	req := api.DecisionsRequest{Kind: kind, Action: r.FormValue("action"), Actor: a, Reason: strings.TrimSpace(r.FormValue("reason")),
		Waitlist: r.FormValue("seat") == "waitlist", OverCapacity: r.FormValue("seat") == "over-capacity",
		OverrideRules: r.FormValue("override") == "yes"}
	if r.FormValue("all") == "yes" {
		req.Filter = &api.DecisionFilter{Centre: r.FormValue("centre"), LSP: r.FormValue("lsp")}
	} else {
		req.CaseIDs = r.Form["case"]
		if len(req.CaseIDs) == 0 {
			setFlash(w, false, both("Pilih kasus dulu, atau “pilih semua”", "Select cases first, or “select all”"))
			http.Redirect(w, r, back(r), http.StatusSeeOther)
			return
		}
	}
	res, err := s.api.DecideMany(r.Context(), req)
	var ae *apiclient.Error
	switch {
	case errors.As(err, &ae):
		setFlash(w, false, ae.Say())
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	case err != nil:
		s.failPage(w, r, err)
		return
	}
	rd := prefsOf(r).reader(s.opts.Location)
	words := make([]string, len(res.Outcomes))
	for i, o := range res.Outcomes {
		words[i] = outcomeWords(rd, o)
	}
	s.render(w, r, "decisions", page{Title: both("Keputusan", "Decisions"), Nav: "inbox", Data: decisionsData{Result: res, Words: words, Back: back(r)}})
}
