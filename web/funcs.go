package web

import (
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// vocabLabel is a vocabulary code's label from the catalogue, in both languages (bi picks).
func vocabLabel(kind, code string) label {
	return label{ID: i18n.For(i18n.ID, nil).Label(kind, code), EN: i18n.For(i18n.EN, nil).Label(kind, code)}
}

// funcs are the template helpers for one reader: words in their one language, times in their
// zone, numbers.
func (s *Server) funcs(rd i18n.Reader) template.FuncMap {
	loc := rd.Loc
	// one keeps the reader's language of a pair written in the template.
	one := func(id, en string) string {
		if rd.Lang == i18n.EN {
			return en
		}
		return id
	}
	fm := template.FuncMap{
		// bi (and tr, its name in attributes) words a text written in the template as an
		// Indonesian, English pair: the page shows the reader's language only.
		"bi": one,
		"tr": one,
		// msg words a message of the catalogue with its parameters as name, value pairs.
		"msg": func(code string, kv ...string) string { return rd.Tf(code, kv...) },
		// event words a timeline event from its code and parameters; events recorded before the
		// journey recorded codes show their stored (English) detail.
		"event": func(code string, params map[string]string, detail string) string {
			if text, ok := rd.Lookup(code, params); ok && code != "" {
				return text
			}
			return timesInZone(detail, loc)
		},
		// phrase words a sentence the engine records in English (a rule not met, an import
		// warning) in the reader's language; one it does not know is shown as written.
		"phrase": func(text string) string { return sayPhrase(rd, text) },
		// sayEach words sentences given as their messages and their English, one for one: the rules not met and the warnings of a check or an import.
		"sayEach": func(notes []i18n.Message, texts []string) []string { return sayEach(rd, notes, texts) },
		// timeline words a timeline event (see eventWords).
		"timeline": func(e store.Event) string { return eventWords(rd, e) },
		// say words a message a producer gave as its catalogue code and parameters.
		"say": func(m i18n.Message) string { return m.In(rd) },
		// kind words an event's kind (its column on the timeline).
		"kind":      func(kind string) string { return rd.Label("kind", kind) },
		"role":      func(code vocab.Role) label { return vocabLabel("role", string(code)) },
		"stage":     func(code vocab.Stage) label { return vocabLabel("stage", string(code)) },
		"contact":   func(code vocab.Contact) label { return vocabLabel("contact", string(code)) },
		"waiting":   func(code vocab.Party) label { return vocabLabel("waiting", string(code)) },
		"outcome":   func(code vocab.Outcome) label { return vocabLabel("outcome", string(code)) },
		"reason":    func(code vocab.Reason) label { return vocabLabel("reason", string(code)) },
		"placement": func(code vocab.Placement) label { return vocabLabel("placement", string(code)) },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(loc).Format("2006-01-02 15:04 MST")
		},
		"whenSec": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(loc).Format("2006-01-02 15:04:05 MST")
		},
		"day": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(loc).Format("2006-01-02")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// inZone rewrites the UTC timestamps inside a text from elsewhere (a partner's error, a
		// stuck reason) into the pages' zone, so a card never mixes WIB and UTC.
		"inZone": func(text string) string { return timesInZone(text, loc) },
		// age words how long ago t was, in both languages ("3 hari", "3 days"): bi picks one.
		"age": func(t time.Time) label { return ageLabel(time.Since(t)) },
		"ageSeconds": func(sec int64) label {
			return ageLabel(time.Duration(sec) * time.Second)
		},
		"pct": func(r *float64) string {
			if r == nil {
				return "–"
			}
			return fmt.Sprintf("%.0f%%", *r*100)
		},
		"share": func(n, of int) string {
			if of == 0 {
				return "–"
			}
			return fmt.Sprintf("%.0f%%", float64(n)*100/float64(of))
		},
		// bar is a bar's length in a chart of width w for n out of max.
		"bar": func(n, max int, w float64) float64 {
			if max <= 0 || n <= 0 {
				return 0
			}
			return float64(n) / float64(max) * w
		},
		"add":  func(a, b int) int { return a + b },
		"mul":  func(a, b int) int { return a * b },
		"mulf": func(a, b float64) float64 { return a * b },
		"query": func(base string, kv ...string) string {
			q := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] != "" {
					q.Set(kv[i], kv[i+1])
				}
			}
			if len(q) == 0 {
				return base
			}
			return base + "?" + q.Encode()
		},
	}
	for k, f := range peopleFuncs() {
		fm[k] = f
	}
	return fm
}

// utcStamp is an RFC 3339 timestamp in UTC as Go and the partners write them.
var utcStamp = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z`)

// timesInZone rewrites every UTC timestamp in text as the same instant in loc ("2026-11-29
// 21:10 WIB"); anything that does not parse is left as it is.
func timesInZone(text string, loc *time.Location) string {
	return utcStamp.ReplaceAllStringFunc(text, func(s string) string {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return s
		}
		return t.In(loc).Format("2006-01-02 15:04:05 MST")
	})
}

func ageLabel(d time.Duration) label {
	switch {
	case d >= 48*time.Hour:
		n := int(d / (24 * time.Hour))
		return label{fmt.Sprintf("%d hari", n), fmt.Sprintf("%d days", n)}
	case d >= time.Hour:
		n := int(d / time.Hour)
		return label{fmt.Sprintf("%d jam", n), fmt.Sprintf("%dh", n)}
	case d >= time.Minute:
		n := int(d / time.Minute)
		return label{fmt.Sprintf("%d menit", n), fmt.Sprintf("%d min", n)}
	default:
		n := int(d / time.Second)
		return label{fmt.Sprintf("%d detik", n), fmt.Sprintf("%ds", n)}
	}
}
