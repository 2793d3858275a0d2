package i18n

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed messages/*.yaml
var files embed.FS

// catalogue is every language's messages, code to text, loaded once from the embedded files.
var catalogue = mustLoad()

func mustLoad() map[Lang]map[string]string {
	out := map[Lang]map[string]string{}
	for _, l := range Langs {
		b, err := files.ReadFile("messages/" + string(l) + ".yaml")
		if err != nil {
			panic(fmt.Sprintf("i18n: read the %s catalogue: %v", l, err))
		}
		m := map[string]string{}
		if err := yaml.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: parse the %s catalogue: %v", l, err))
		}
		out[l] = m
	}
	return out
}

// Codes lists the codes of a language's messages, sorted.
func Codes(l Lang) []string {
	out := make([]string, 0, len(catalogue[l]))
	for c := range catalogue[l] {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Has says whether the language has a message for code.
func Has(l Lang, code string) bool {
	_, ok := catalogue[l][code]
	return ok
}

// Text is a message's raw text with its parameters still in braces ("" when there is none).
func Text(l Lang, code string) string { return catalogue[l][code] }

// Reader words messages for one person: their language and their time zone.
type Reader struct {
	Lang Lang
	Loc  *time.Location
}

// For is a reader of language l in zone loc (UTC when nil).
func For(l Lang, loc *time.Location) Reader {
	if loc == nil {
		loc = time.UTC
	}
	return Reader{Lang: Parse(string(l)), Loc: loc}
}

// T words a message with its parameters. A code with no message is shown as the code itself,
// never hidden (the catalogue test keeps that from happening).
func (r Reader) T(code string, params map[string]string) string {
	text, ok := catalogue[r.Lang][code]
	if !ok {
		return code
	}
	return r.fill(text, params)
}

// Tf is T with the parameters as name, value pairs.
func (r Reader) Tf(code string, kv ...string) string {
	return r.T(code, pairs(kv))
}

// Label words a code of a vocabulary ("stage", "enrolment") as the message "stage.enrolment";
// a value the catalogue does not know is shown as it is.
func (r Reader) Label(kind, value string) string {
	if value == "" {
		return ""
	}
	if text, ok := catalogue[r.Lang][kind+"."+value]; ok {
		return text
	}
	return value
}

// Lookup is T for a code that may not exist: ok is false, and the text empty, when it does not.
func (r Reader) Lookup(code string, params map[string]string) (string, bool) {
	text, ok := catalogue[r.Lang][code]
	if !ok {
		return "", false
	}
	return r.fill(text, params), true
}

func pairs(kv []string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// fill replaces each "{name}" or "{name|format}" in text ("{name|msg}": the message whose code
// is the parameter, with the parameters "name.*" as its own; "{name|msgs}": as many such
// messages as the parameter says, see list); an unknown parameter stays in braces
// so a missing value shows rather than vanishes. A part in [square brackets] is left out when a
// parameter in it is empty or missing (an optional note, a scheme the agreement may not name).
func (r Reader) fill(text string, params map[string]string) string {
	if strings.Contains(text, "[") {
		text = optional(text, params)
	}
	if !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:open])
		name, format, _ := strings.Cut(text[open+1:open+end], "|")
		if v, ok := params[name]; ok && format == "msg" {
			// A message inside the message: v is its code, and its parameters are the ones
			// named "<name>.<parameter>" (a refusal recorded on the timeline, worded whole).
			b.WriteString(r.T(v, nested(params, name+".")))
		} else if ok && format == "msgs" {
			b.WriteString(r.list(name, v, params))
		} else if ok {
			b.WriteString(r.format(v, format))
		} else {
			b.WriteString(text[open : open+end+1])
		}
		text = text[open+end+1:]
	}
}

// list words a list of messages inside the message ("{name|msgs}"): v is how many; message i is
// "<name>.<i>" ("{<name>.<i>|msg}"), from 0; they are joined with "; ".
func (r Reader) list(name, v string, params map[string]string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 100 {
		return v
	}
	out := make([]string, 0, n)
	for i := range n {
		item := name + "." + strconv.Itoa(i)
		out = append(out, r.T(params[item], nested(params, item+".")))
	}
	return strings.Join(out, "; ")
}

// nested is the parameters whose names start with prefix, without it.
func nested(params map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	// Copied into a map: the order the map is read in never shows in the result (the digest
	// words messages inside a workflow).
	//workflowcheck:ignore
	for k, v := range params {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	return out
}

// optional keeps the [bracketed] parts of text whose parameters are all given, without their
// brackets, and drops the others.
func optional(text string, params map[string]string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(text, '[')
		if open < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := strings.IndexByte(text[open:], ']')
		if end < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:open])
		part := text[open+1 : open+end]
		keep := true
		for _, name := range ParamNames(part) {
			if params[name] == "" {
				keep = false
			}
		}
		if keep {
			b.WriteString(part)
		}
		text = text[open+end+1:]
	}
}

// format words one parameter value: as it is, as an instant or date, as a vocabulary code, or
// as a list of them (a format ending in "*").
func (r Reader) format(v, format string) string {
	switch format {
	case "":
		return v
	case "time":
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return v
		}
		return t.In(r.Loc).Format("2006-01-02 15:04 MST")
	case "day":
		return v
	case "duration":
		d, err := time.ParseDuration(v)
		if err != nil {
			return v
		}
		return r.Duration(d)
	default:
		if kind, list := strings.CutSuffix(format, "*"); list {
			// A list of vocabulary codes, comma-separated ("centre-admin,coordinator"): each
			// labelled, so that a refusal naming the roles allowed reads in the reader's language.
			parts := strings.Split(v, ",")
			for i, p := range parts {
				parts[i] = r.Label(kind, strings.TrimSpace(p))
			}
			return strings.Join(parts, ", ")
		}
		return r.Label(format, v)
	}
}

// Params builds a parameter map from name, value pairs (for callers outside a Reader).
func Params(kv ...string) map[string]string { return pairs(kv) }

// ParamNames lists the parameter names a text uses, in order of first use.
func ParamNames(text string) []string {
	var out []string
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			return out
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			return out
		}
		name, _, _ := strings.Cut(text[open+1:open+end], "|")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
		text = text[open+end+1:]
	}
}

// Duration words a length of time roughly, in the reader's language ("3 hari", "48 hours").
func (r Reader) Duration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return r.Tf("duration.days", "n", strconv.Itoa(int(d/(24*time.Hour))))
	case d >= time.Hour:
		return r.Tf("duration.hours", "n", strconv.Itoa(int(d/time.Hour)))
	case d >= time.Minute:
		return r.Tf("duration.minutes", "n", strconv.Itoa(int(d/time.Minute)))
	default:
		return r.Tf("duration.seconds", "n", strconv.Itoa(int(d/time.Second)))
	}
}
