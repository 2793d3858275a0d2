package web

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// Every phrase has a message in each language whose parameters are the phrase's groups, and the
// English message read back through its pattern gives the same parameters (the pattern and the
// catalogue cannot drift apart unnoticed).
func TestPhrasesHaveMessages(t *testing.T) {
	for _, p := range phrases {
		names := map[string]string{}
		for i, n := range p.pattern.SubexpNames() {
			if n != "" {
				names[n] = strconv.Itoa(10 + i) // numbers fit every group, and differ
			}
		}
		for _, l := range i18n.Langs {
			if !i18n.Has(l, p.code) {
				t.Errorf("%s: no message in %s", p.code, l)
				continue
			}
			for _, n := range i18n.ParamNames(i18n.Text(l, p.code)) {
				if _, ok := names[n]; !ok {
					t.Errorf("%s in %s names {%s}, which the pattern does not capture", p.code, l, n)
				}
			}
		}
		if p.code == "done.contact" {
			continue // a vocabulary-formatted parameter does not read back as given
		}
		en := i18n.For(i18n.EN, nil).T(p.code, names)
		// An event's message starts with a capital; the engine's answer does not.
		if strings.HasPrefix(p.code, "event.") {
			en = strings.ToLower(en[:1]) + en[1:]
		}
		code, got, ok := recognise(en)
		if !ok || code != p.code {
			t.Errorf("%s: its English %q reads as %q (%v)", p.code, en, code, ok)
			continue
		}
		for n, v := range names {
			if got[n] != v {
				t.Errorf("%s: parameter %s read back as %q, want %q", p.code, n, got[n], v)
			}
		}
	}
}

// A flash "CASE: answer" keeps the case and words the answer; an unknown answer stays English.
func TestSayFlash(t *testing.T) {
	id := i18n.For(i18n.ID, nil)
	for in, want := range map[string]string{
		"cert000001: certification approved; the certificate will be issued":            "cert000001: sertifikasi disetujui; sertifikat akan diterbitkan",
		"case1: follow-up contact recorded: still-looking; the case stays in follow-up": "case1: kontak tindak lanjut dicatat: " + id.Label("contact", "still-looking") + "; kasus tetap dalam tindak lanjut",
		"case1: enrolment approved: seat 7 of 16":                                       "case1: Pendaftaran disetujui: kursi 7 dari 16",
		"case1: way out taken": "case1: way out taken",
	} {
		if got := sayFlash(id, in); got != want {
			t.Errorf("sayFlash(%q) = %q, want %q", in, got, want)
		}
	}
}

// sourceSentence finds the English sentences the engine writes for the pages to word: the
// journey's answers (j.ok("…")). The enrolment rules and the import warnings have codes now
// (activities/enrolment.go, cohort/fields.go, nik/check.go); their patterns serve the English of
// older histories, and TestPhrasesHaveMessages keeps them in step with their messages.
var sourceSentence = regexp.MustCompile(`j\.ok\("([^"]+)"`)

// Every sentence the journey's fixed answers write is recognised, so a reworded source cannot
// silently leave the pages in English.
func TestPhrasesMatchTheirSources(t *testing.T) {
	verbs := strings.NewReplacer("%02d", "07", "%d", "7", "%s", "P1", "%.0f%%", "80%", "%q", `"x"`)
	var found int
	for _, f := range []string{"../workflows/handlers.go", "../workflows/step_confirm.go", "../workflows/step_selfreport.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range sourceSentence.FindAllStringSubmatch(string(b), -1) {
			found++
			s := verbs.Replace(m[1])
			if strings.HasSuffix(s, " ") {
				s += "2026-11-29" // the sentence goes on with a day: "… until " + j.day(…)
			}
			if _, _, ok := recognise(s); !ok {
				t.Errorf("%s writes %q, which web/phrases.go does not recognise", f, m[1])
			}
		}
	}
	if found < 10 {
		t.Fatalf("found only %d sentences in the sources: the pattern no longer matches how they are written", found)
	}
}

// Every enrolment rule and import warning of the catalogue keeps its pattern: older journeys
// recorded their English alone, and the pages still word it.
func TestOldRulesAndWarningsStillRead(t *testing.T) {
	known := map[string]bool{}
	for _, p := range phrases {
		known[p.code] = true
	}
	for _, c := range i18n.Codes(i18n.EN) {
		if (strings.HasPrefix(c, "rule.") || strings.HasPrefix(c, "warning.")) && !known[c] {
			t.Errorf("%s has no pattern in web/phrases.go: its English in an older history would show in English", c)
		}
	}
}
