package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Every message is in every language, with the same parameters: a message in one language only
// fails here, not on a page.
func TestCatalogueComplete(t *testing.T) {
	for _, l := range Langs {
		if len(Codes(l)) < 100 {
			t.Fatalf("%s catalogue has only %d messages", l, len(Codes(l)))
		}
		for _, other := range Langs {
			for _, code := range Codes(l) {
				if !Has(other, code) {
					t.Errorf("%s is in %s but not in %s", code, l, other)
					continue
				}
				a, b := ParamNames(Text(l, code)), ParamNames(Text(other, code))
				slices.Sort(a)
				slices.Sort(b)
				if !slices.Equal(a, b) {
					t.Errorf("%s: %s names parameters %v, %s names %v", code, l, a, other, b)
				}
			}
		}
		for _, code := range Codes(l) {
			if strings.TrimSpace(Text(l, code)) == "" {
				t.Errorf("%s: %s has an empty text", l, code)
			}
		}
	}
}

// Every value of the journey's vocabulary has its label in the catalogue.
func TestCatalogueKnowsTheVocabulary(t *testing.T) {
	want := map[string][]string{
		"stage": vocab.Strings(vocab.Stages), "outcome": vocab.Strings(vocab.Outcomes), "reason": vocab.Strings(vocab.Reasons),
		"role": vocab.Strings(vocab.Roles), "waiting": vocab.Strings(vocab.Parties), "contact": vocab.Strings(vocab.Contacts),
		"placement": vocab.Strings(vocab.Placements),
	}
	for kind, values := range want {
		for _, v := range values {
			for _, l := range Langs {
				if !Has(l, kind+"."+v) {
					t.Errorf("%s has no label for %s %q", l, kind, v)
				}
			}
		}
	}
	// The command line words the vocabulary with vocab's own labels: they must say what the
	// pages say.
	labels := map[string]func(string) vocab.Label{
		"stage": func(v string) vocab.Label { return vocab.Stage(v).Label() }, "outcome": func(v string) vocab.Label { return vocab.Outcome(v).Label() },
		"reason": func(v string) vocab.Label { return vocab.Reason(v).Label() }, "role": func(v string) vocab.Label { return vocab.Role(v).Label() },
		"waiting": func(v string) vocab.Label { return vocab.Party(v).Label() }, "contact": func(v string) vocab.Label { return vocab.Contact(v).Label() },
		"placement": func(v string) vocab.Label { return vocab.Placement(v).Label() },
	}
	for kind, values := range want {
		for _, v := range values {
			l := labels[kind](v)
			if Text(ID, kind+"."+v) != l.ID || Text(EN, kind+"."+v) != l.EN {
				t.Errorf("%s %q: the catalogue says %q / %q, vocab %q / %q", kind, v, Text(ID, kind+"."+v), Text(EN, kind+"."+v), l.ID, l.EN)
			}
		}
	}
}

// codeInSource finds the message codes the Go code names: say("event.x", …) and friends.
var codeInSource = regexp.MustCompile(`"((?:event|stuck|digest|error|api|settings|duration|unblock|rule|warning|done|refusal|change-applied|change-skipped)\.[a-zA-Z0-9.-]+[a-zA-Z0-9])"`)

// eventKind finds the kinds of the events a journey records: ev("kind", …), evBy("kind", …).
var eventKind = regexp.MustCompile(`\bevBy?\("([a-z-]+)"`)

// Every code the journey, the digest and the pages name has a message: a code with no message
// fails here. Codes built at run time ("stuck."+code) are listed in dynamicCodes.
func TestEveryCodeHasAMessage(t *testing.T) {
	var codes []string
	for _, dir := range []string{"../workflows", "../web", "../api", "../starter", "../worker"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range codeInSource.FindAllStringSubmatch(string(b), -1) {
				codes = append(codes, m[1])
			}
			// Every kind of event a journey records has its label (the agreements' own
			// timeline, mou*.go, is worded apart).
			if dir == "../workflows" && !strings.HasPrefix(filepath.Base(f), "mou") {
				for _, m := range eventKind.FindAllStringSubmatch(string(b), -1) {
					codes = append(codes, "kind."+m[1])
				}
			}
		}
	}
	codes = append(codes, dynamicCodes...)
	if len(codes) < 60 {
		t.Fatalf("found only %d codes in the source: the pattern no longer matches how codes are written", len(codes))
	}
	for _, c := range codes {
		for _, l := range Langs {
			if !Has(l, c) {
				t.Errorf("code %s has no message in %s", c, l)
			}
		}
	}
}

// dynamicCodes are the codes the journey builds from a value: its refusals' stuck reasons and
// the ways out of a refusal.
var dynamicCodes = []string{
	"stuck.assessment-refused", "stuck.assessment-refused.overdue", "stuck.certificate-refused",
	"stuck.certificate-refused.overdue", "event.refusal-retried", "event.reassessment-ordered", "event.closed-uncertified",
	"error.not-found.title", "error.forbidden.title", "error.form-expired.title", "error.session-expired.title", "error.failed.title",
	"settings.zone.WIB", "settings.zone.WITA", "settings.zone.WIT", "settings.lang.id", "settings.lang.en",
	// Refusals whose code ends in a value (workflows/validate.go, step_numbers.go, step_confirm.go).
	"refusal.attendance-range.attended", "refusal.attendance-range.absent", "refusal.number-held.kpj", "refusal.number-held.certificate",
	"refusal.no-confirmation.stage", "refusal.no-confirmation.status", "refusal.no-confirmation.none",
}

func TestParametersAndFormats(t *testing.T) {
	wit, err := time.LoadLocation("Asia/Jayapura")
	if err != nil {
		t.Fatal(err)
	}
	id, en := For(ID, wit), For(EN, wit)
	if got := id.Tf("stuck.no-agreement", "partner", "LSP-A", "centre", "BLK-SBY"); got != "Tidak ada MoU aktif dengan LSP-A untuk BLK BLK-SBY" {
		t.Errorf("optional part without its parameter: %q", got)
	}
	if got := en.Tf("stuck.no-agreement", "partner", "LSP-A", "centre", "BLK-SBY", "scheme", "SKM"); got != "No active MoU with LSP-A for centre BLK-SBY and scheme SKM" {
		t.Errorf("optional part with its parameter: %q", got)
	}
	if got := id.Tf("stuck.result-overdue", "lsp", "LSP-A", "sla", (72 * time.Hour).String()); got != "Hasil uji dari LSP-A terlambat lebih dari 3 hari" {
		t.Errorf("duration: %q", got)
	}
	if got := en.Tf("event.assessment-scheduled", "id", "AS-1", "at", "2026-11-29T01:00:00Z", "tuk", "TUK-1", "assessor", "asr"); got != "Assessment AS-1 on 2026-11-29 10:00 WIT at TUK TUK-1, assessor asr" {
		t.Errorf("time in the reader's zone: %q", got)
	}
	if got := id.Tf("event.closed", "outcome", "rejected"); got != "Ditutup: Ditolak" {
		t.Errorf("code parameter: %q", got)
	}
	if got := id.Tf("refusal.role", "role", "viewer", "allowed", "centre-admin,coordinator"); got != "peran Pemantau tidak boleh melakukan ini; yang boleh: Admin BLK, Koordinator BPVP" {
		t.Errorf("list of codes: %q", got)
	}
	if got := id.T("no.such.code", nil); got != "no.such.code" {
		t.Errorf("unknown code: %q", got)
	}
	if got := en.Tf("event.insured"); got != "Insured, KPJ {kpj}" {
		t.Errorf("missing parameter: %q", got)
	}
}

func TestLanguageChoice(t *testing.T) {
	for h, want := range map[string]Lang{"": ID, "en-US,en;q=0.9": EN, "id-ID,id;q=0.9,en;q=0.8": ID, "fr-FR": ID,
		"de;q=0.9, en;q=0.8": EN, "garbage;;": ID} {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", h, got, want)
		}
	}
	for s, want := range map[string]Lang{"en": EN, "EN-gb": EN, "id": ID, "xx": ID, "": ID} {
		if got := Parse(s); got != want {
			t.Errorf("Parse(%q) = %s, want %s", s, got, want)
		}
	}
}

// actionInSource finds the steps a refusal names (requireStage("decide enrolment", …)), and
// nothingInSource what a closed case's refusal says there is no longer to do (starter/closed.go).
var (
	actionInSource  = regexp.MustCompile(`require(?:Stage|Refusal|Confirmation)\("([a-zA-Z -]+)"`)
	nothingInSource = regexp.MustCompile(`return "([a-z-]+)", "(?:nothing|no) `)
)

// Every step a refusal names, and every "nothing to do" of a closed case, has its words: the
// refusals word them as {action|refusal-action} and {nothing|refusal-nothing}, which would show
// a bare code otherwise.
func TestRefusalWordsComplete(t *testing.T) {
	var codes []string
	for _, pat := range []string{"../workflows/*.go", "../starter/closed.go"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range actionInSource.FindAllStringSubmatch(string(b), -1) {
				codes = append(codes, "refusal-action."+strings.ReplaceAll(m[1], " ", "-"))
			}
			for _, m := range nothingInSource.FindAllStringSubmatch(string(b), -1) {
				codes = append(codes, "refusal-nothing."+m[1])
			}
		}
	}
	if len(codes) < 25 {
		t.Fatalf("found only %d steps and closed-case words: the patterns no longer match the source", len(codes))
	}
	for _, c := range codes {
		for _, l := range Langs {
			if !Has(l, c) {
				t.Errorf("%s has no message in %s", c, l)
			}
		}
	}
}

// A message inside a message ("{why|msg}") is worded whole from its code and the parameters
// named "why.*"; a code it does not know shows as the code.
func TestNestedMessage(t *testing.T) {
	p := Params("what", "kpj-delivered", "why", "refusal.role", "why.role", "assessor", "why.allowed", "insurer-liaison,coordinator")
	if got := For(ID, nil).T("event.refused.coded", p); got != "Permintaan ditolak (KPJ dari pertukaran berkas BPJS): peran Asesor tidak boleh melakukan ini; yang boleh: Penghubung BPJS, Koordinator BPVP" {
		t.Errorf("Indonesian: %q", got)
	}
	if got := For(EN, nil).T("event.refused.coded", p); got != "Request refused (KPJ from the BPJS batch exchange): role Assessor may not do this; allowed: BPJS liaison, BPVP coordinator" {
		t.Errorf("English: %q", got)
	}
	if got := For(EN, nil).T("event.refused.coded", Params("what", "x", "why", "no.such")); got != "Request refused (x): no.such" {
		t.Errorf("unknown inner code: %q", got)
	}
	// A list of messages ("{applied|msgs}"): the count, then each item's code and parameters;
	// a list not given leaves its optional part out.
	list := Params("package", "P1", "applied", "2", "applied.0", "change-applied.lsp", "applied.0.lsp", "LSP-B", "applied.0.was", "LSP-A",
		"applied.1", "change-applied.auto-off", "applied.10.lsp", "not mine")
	if got := For(ID, nil).T("event.package-changed.items", list); got != "Paket P1 diubah oleh koordinator; diterapkan: LSP LSP-B (sebelumnya LSP-A); persetujuan otomatis nonaktif: kasus ini sudah menunggu keputusan admin BLK" {
		t.Errorf("list: %q", got)
	}
}
