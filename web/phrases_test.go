package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/nik"
)

// rulesAPI answers the inbox with one enrolment approval whose evidence holds the rules and
// warnings as the engine writes them (English); every other call goes to the usual fake.
type rulesAPI struct {
	fakeAPI
	rules, warnings []string
	// ruleNotes and warningNotes are the same as messages, as journeys since the codes record them.
	ruleNotes, warningNotes []i18n.Message
}

func (f *rulesAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/inbox" {
		f.fakeAPI.ServeHTTP(w, r)
		return
	}
	g := api.InboxGroup{Kind: "enrolment-approval", Role: "centre-admin", Action: "enrolment", Label: "Enrolment approvals",
		LabelID: "Persetujuan pendaftaran", Total: 1,
		Cases: []api.InboxItem{{CaseID: "rule000001", Stage: "enrolment", Since: at,
			Evidence: &api.Evidence{Kind: "enrolment-checked", RulesNotMet: f.rules, Warnings: f.warnings,
				RuleNotes: f.ruleNotes, WarningNotes: f.warningNotes, At: at}}}}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(api.Inbox{Groups: []api.InboxGroup{g}})
}

// The inbox card's rules not met and import warnings of an older journey (English only, read
// through web/phrases.go) are in Indonesian by default and in English after the switch; a
// sentence the catalogue does not know is shown as written.
func TestInboxRulesInTheReadersLanguage(t *testing.T) {
	// The warnings as nik.Check writes them: a NIK of a woman born 19-07-04, stated otherwise.
	_, _, nikWarnings, err := nik.Check("3515015907041187", time.Date(2003, 7, 19, 0, 0, 0, 0, time.UTC), "L")
	if err != nil || len(nikWarnings) != 2 {
		t.Fatalf("nik.Check: %v %q", err, nikWarnings)
	}
	f := &rulesAPI{
		rules: []string{"age 15 at the start date is below the minimum 18",
			"already active in package P0 (case prev000001) whose dates overlap", "a rule of the future"},
		warnings: append([]string{"phone number is not a recognisable Indonesian mobile number (08…, +62…)"}, i18n.EnglishAll(nikWarnings)...),
	}
	b := newSiteWith(t, f)
	allOf := func(l i18n.Lang) []string {
		rd := i18n.For(l, nil)
		return []string{
			rd.Tf("rule.age-below", "age", "15", "min", "18"),
			rd.Tf("rule.overlap", "package", "P0", "case", "prev000001"),
			rd.T("warning.phone", nil),
			rd.Tf("warning.nik-birth-date", "nik", "19-07-..04", "stated", "19-07-2003"),
			rd.Tf("warning.nik-sex", "nik", "P", "stated", "L"),
		}
	}
	id, en := allOf(i18n.ID), allOf(i18n.EN)
	// The two languages differ in every sentence, so the checks below can fail.
	for i := range id {
		if id[i] == en[i] {
			t.Fatalf("sentence %d is the same in both languages: %q", i, id[i])
		}
	}
	// The English is exactly what the engine wrote.
	if want := append(append([]string{}, f.rules[:2]...), f.warnings...); len(want) != len(en) || en[0] != want[0] || en[1] != want[1] ||
		en[2] != want[2] || en[3] != want[3] || en[4] != want[4] {
		t.Fatalf("the English catalogue drifted from the engine's sentences:\n%q\n%q", en, want)
	}

	_, _, page := b.get("/inbox")
	page = html.UnescapeString(page)
	for _, s := range id {
		contains(t, page, "<li>"+s+"</li>")
	}
	contains(t, page, "Aturan belum terpenuhi", "Peringatan impor", "<li>a rule of the future</li>")
	lacks(t, page, en...)

	code, _ := b.post("/preferences", url.Values{"lang": {"en"}, "zone": {"WIB"}, "back": {"/inbox"}})
	if code != http.StatusSeeOther {
		t.Fatalf("switch: %d", code)
	}
	_, _, page = b.get("/inbox")
	page = html.UnescapeString(page)
	for _, s := range en {
		contains(t, page, "<li>"+s+"</li>")
	}
	contains(t, page, "Rules not met", "Import warnings", "<li>a rule of the future</li>")
	lacks(t, page, id...)
}

// A journey since the codes records its rules and warnings as messages: the inbox words them from
// the codes, whatever the English beside them says (here English no pattern knows), in the
// reader's language.
func TestInboxRulesFromTheirCodes(t *testing.T) {
	_, _, nikWarnings, err := nik.Check("3515015907041187", time.Date(2003, 7, 19, 0, 0, 0, 0, time.UTC), "L")
	if err != nil || len(nikWarnings) != 2 || nikWarnings[0].Code != "warning.nik-birth-date" || nikWarnings[1].Code != "warning.nik-sex" {
		t.Fatalf("nik.Check: %v %+v", err, nikWarnings)
	}
	f := &rulesAPI{
		rules:        []string{"rule one as some older English", "rule two"},
		ruleNotes:    []i18n.Message{i18n.M("rule.full", "package", "P7", "taken", "16", "capacity", "16"), i18n.M("rule.age-above", "age", "41", "max", "40")},
		warnings:     []string{"warning one", "warning two", "warning three"},
		warningNotes: append([]i18n.Message{i18n.M("warning.email")}, nikWarnings...),
	}
	b := newSiteWith(t, f)
	wordsIn := func(l i18n.Lang) []string {
		rd := i18n.For(l, nil)
		out := []string{}
		for _, m := range append(append([]i18n.Message{}, f.ruleNotes...), f.warningNotes...) {
			out = append(out, m.In(rd))
		}
		return out
	}
	_, _, page := b.get("/inbox")
	page = html.UnescapeString(page)
	for _, s := range wordsIn(i18n.ID) {
		contains(t, page, "<li>"+s+"</li>")
	}
	lacks(t, page, append(append([]string{}, f.rules...), f.warnings...)...)
	lacks(t, page, wordsIn(i18n.EN)...)
	if code, _ := b.post("/preferences", url.Values{"lang": {"en"}, "zone": {"WIB"}, "back": {"/inbox"}}); code != http.StatusSeeOther {
		t.Fatalf("switch: %d", code)
	}
	_, _, page = b.get("/inbox")
	page = html.UnescapeString(page)
	for _, s := range wordsIn(i18n.EN) {
		contains(t, page, "<li>"+s+"</li>")
	}
}
