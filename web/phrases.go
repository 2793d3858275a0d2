package web

import (
	"regexp"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// phrase is one English sentence the engine writes (an enrolment rule not met, an import
// warning, an update's answer) with its message code in the catalogue: the pattern's named
// groups are the message's parameters.
type phrase struct {
	code    string
	pattern *regexp.Regexp
}

// phrases are English sentences the pages word in the reader's language when nothing better is
// at hand. The enrolment rules (activities/enrolment.go) and the import warnings
// (cohort/fields.go, nik/check.go) now come with their codes (sayEach words those); their
// patterns stay for what was recorded before: the rules and warnings in the histories and events
// of older journeys, and the reports of older imports, which hold the English alone. The
// journey's update answers (workflows) are still read from their English here. A sentence not
// listed is shown as written.
//
// TestPhrasesMatchTheirSources keeps the answers in step with the journey's code, and
// TestPhrasesHaveMessages every pattern with the English of its message.
var phrases = []phrase{
	{"rule.age-below", regexp.MustCompile(`^age (?P<age>-?\d+) at the start date is below the minimum (?P<min>\d+)$`)},
	{"rule.age-above", regexp.MustCompile(`^age (?P<age>\d+) at the start date is above the maximum (?P<max>\d+)$`)},
	{"rule.overlap", regexp.MustCompile(`^already active in package (?P<package>.+) \(case (?P<case>[^)]+)\) whose dates overlap$`)},
	{"rule.full", regexp.MustCompile(`^package (?P<package>.+) is full \((?P<taken>\d+) of (?P<capacity>\d+) seats taken\)$`)},
	{"warning.phone", regexp.MustCompile(`^phone number is not a recognisable Indonesian mobile number \(08…, \+62…\)$`)},
	{"warning.email", regexp.MustCompile(`^email address does not look valid$`)},
	{"warning.consent", regexp.MustCompile(`^persetujuan_pesan is not ya or tidak: no messages will be sent$`)},
	{"warning.nik-birth-date", regexp.MustCompile(`^NIK encodes birth date (?P<nik>\S+) but the stated birth date is (?P<stated>\S+); check which one is right$`)},
	{"warning.nik-sex", regexp.MustCompile(`^NIK encodes sex (?P<nik>\S+) but the stated sex is (?P<stated>\S+); check which one is right$`)},
	{"done.enrolment-approved", regexp.MustCompile(`^enrolment approved$`)},
	{"done.enrolment-rejected", regexp.MustCompile(`^enrolment rejected$`)},
	{"done.correction", regexp.MustCompile(`^correction accepted; registration will be retried$`)},
	{"done.withdrawal", regexp.MustCompile(`^withdrawal accepted; the case will close$`)},
	{"done.certification-approved", regexp.MustCompile(`^certification approved; the certificate will be issued$`)},
	{"done.certification-rejected", regexp.MustCompile(`^certification rejected$`)},
	{"done.self-report-waits", regexp.MustCompile(`^self-reported placement recorded; it waits for staff to confirm or correct it until (?P<until>\S+)$`)},
	{"done.self-report", regexp.MustCompile(`^self-reported placement recorded; the case will close$`)},
	{"done.placement", regexp.MustCompile(`^placement recorded; the case will close$`)},
	{"done.self-report-confirmed", regexp.MustCompile(`^self-reported placement confirmed; the case will close$`)},
	{"done.placement-corrected", regexp.MustCompile(`^placement corrected; it replaces the self-report and the case will close$`)},
	{"done.contact", regexp.MustCompile(`^follow-up contact recorded: (?P<contact>\S+); the case stays in follow-up$`)},
	{"done.answer", regexp.MustCompile(`^answer recorded; the follow-up goes on$`)},
	// Answers worded like the event they record: the event's message serves.
	{"event.attendance", regexp.MustCompile(`^attendance now (?P<rate>\d+)% of (?P<days>\d+) days$`)},
	{"event.enrolment-approved.seat", regexp.MustCompile(`^enrolment approved: seat (?P<taken>\d+) of (?P<capacity>\d+)$`)},
	{"event.enrolment-approved.over", regexp.MustCompile(`^enrolment approved over capacity: (?P<taken>\d+) of (?P<capacity>\d+) seats taken; reason: (?P<reason>.*)$`)},
	{"event.enrolment-waitlisted", regexp.MustCompile(`^enrolment approved onto the waiting list of (?P<package>.+) at position (?P<position>\d+) \((?P<taken>\d+) of (?P<capacity>\d+) seats taken\)$`)},
	// An agreement's flags and end reasons as the agreement's workflow records them
	// (workflows/mou_pks.go: a PKS follows its MoU).
	{"mou.shortened", regexp.MustCompile(`^shortened to (?P<until>\S+) with its MoU (?P<mou>\S+) \((?P<reason>.*)\)$`)},
	{"mou.narrowed", regexp.MustCompile(`^(?P<what>\S+) narrowed to (?P<list>.+) with its MoU (?P<mou>\S+)$`)},
	{"mou.no-longer-covers", regexp.MustCompile(`^its MoU (?P<mou>\S+) no longer covers its (?P<what>\S+)$`)},
	{"event.assessment-result", regexp.MustCompile(`^assessment result recorded: (?P<k>\d+) K, (?P<bk>\d+) BK \(assessor (?P<assessor>[^)]*)\)$`)},
}

// recognise finds a sentence's code and parameters; ok is false for a sentence not listed.
func recognise(text string) (code string, params map[string]string, ok bool) {
	for _, p := range phrases {
		m := p.pattern.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		params = map[string]string{}
		for i, name := range p.pattern.SubexpNames() {
			if name != "" {
				params[name] = m[i]
			}
		}
		return p.code, params, true
	}
	return "", nil, false
}

// sayPhrase words a sentence of the engine in the reader's language, or shows it as written.
func sayPhrase(rd i18n.Reader, text string) string {
	if code, params, ok := recognise(text); ok {
		if out, found := rd.Lookup(code, params); found {
			return out
		}
	}
	return text
}

// sayEach words sentences of the engine for the reader: from their catalogue messages when there is
// one for each sentence (producers since the rules and warnings have codes), else each English
// sentence as sayPhrase words it (what older histories and reports hold).
func sayEach(rd i18n.Reader, notes []i18n.Message, texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		if len(notes) == len(texts) {
			out[i] = notes[i].In(rd)
		} else {
			out[i] = sayPhrase(rd, t)
		}
	}
	return out
}

// sayFlash words a flash from an update's answer, which the pages write as "CASE-ID: answer"
// (a whole answer is tried first: some answers have a colon of their own).
func sayFlash(rd i18n.Reader, text string) string {
	if out := sayPhrase(rd, text); out != text {
		return out
	}
	prefix, rest, found := strings.Cut(text, ": ")
	if !found {
		return text
	}
	if out := sayPhrase(rd, rest); out != rest {
		return prefix + ": " + out
	}
	return text
}
