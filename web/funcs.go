package web

import (
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// funcs are the template helpers: bilingual labels, times in the centres' zone, numbers.
func (s *Server) funcs() template.FuncMap {
	loc := s.opts.Location
	fm := template.FuncMap{
		// bi renders an Indonesian label with its English translation beside it.
		"bi": func(id, en string) template.HTML {
			if id == en {
				return template.HTML(template.HTMLEscapeString(id))
			}
			return template.HTML(`<span lang="id">` + template.HTMLEscapeString(id) + `</span> <span class="en" lang="en">` +
				template.HTMLEscapeString(en) + `</span>`)
		},
		"role":    func(code vocab.Role) label { return label(code.Label()) },
		"stage":   func(code vocab.Stage) label { return label(code.Label()) },
		"contact": func(code vocab.Contact) label { return label(code.Label()) },
		"waiting": func(code vocab.Party) label { return label(code.Label()) },
		"outcome": func(code vocab.Outcome) label { return label(code.Label()) },

		"placement": func(code vocab.Placement) label { return label(code.Label()) },
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
		// age words how long ago t was, in both languages ("3 hari / 3 days").
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
