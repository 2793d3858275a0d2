package api

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// words is what a person reads of an error: a catalogue code (i18n/messages) and its
// parameters, worded in the request's language when the error is written.
type words struct {
	code   string
	params map[string]string
	// parts are parameters that are catalogue messages themselves, worded in the same language.
	parts map[string]i18n.Message
}

// say is the words of code with its parameters as name, value pairs. The code is a literal at
// every call (TestEveryErrorHasCatalogueWords checks it is in the catalogue with these names).
func say(code string, kv ...string) words {
	return words{code: code, params: i18n.Params(kv...)}
}

// wording is w with the parameter name worded from err's catalogue message when err carries one
// (a NIK's problem, a date the parser refused): the reader then sees it in their language. For an
// error the catalogue does not word, the parameter stays as say gave it (its English).
func (w words) wording(name string, err error) words {
	if m, ok := i18n.WordsOf(err); ok {
		return w.part(name, m)
	}
	return w
}

// part is w with the parameter name worded from the message m.
func (w words) part(name string, m i18n.Message) words {
	w.parts = maps.Clone(w.parts) // say's words may be shared: the part is this copy's alone
	if w.parts == nil {
		w.parts = map[string]i18n.Message{}
	}
	w.parts[name] = m
	return w
}

// in words w for the reader.
func (w words) in(rd i18n.Reader) string {
	return i18n.Message{Code: w.code, Params: w.params, Parts: w.parts}.In(rd)
}

// readerOf is the reader of the request's language: the one its Accept-Language header
// prefers, Indonesian by default.
func readerOf(r *http.Request) i18n.Reader {
	return i18n.For(i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")), nil)
}

// refuseRole answers 403 for a role that may not take action a, worded like the request
// check's refusals (refusal, refusalWords).
func refuseRole(w http.ResponseWriter, r *http.Request, role vocab.Role, a auth.Action) {
	writeError(w, r, http.StatusForbidden, roleWords(r, role, a), "%s", auth.Refusal(role, a))
}

// roleWords says that role may not take action a, naming the roles that may in the request's
// language.
func roleWords(r *http.Request, role vocab.Role, a auth.Action) words {
	return say("api.role-may-not", "role", string(role), "action", string(a), "allowed", roleLabels(r, auth.RolesFor(a), ", "))
}

// roleLabels lists roles by their labels in the request's language.
func roleLabels(r *http.Request, roles []vocab.Role, sep string) string {
	rd := readerOf(r)
	labels := make([]string, 0, len(roles))
	for _, role := range roles {
		labels = append(labels, rd.Label("role", string(role)))
	}
	return strings.Join(labels, sep)
}

// jsonWords words a body encoding/json refused: a field it does not know, a value of the wrong
// type for a field, or JSON that does not parse.
func jsonWords(err error) words {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return say("api.json-type", "field", typ.Field, "type", typ.Type.String())
	}
	// encoding/json has no type for an unknown field, only this sentence.
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return say("api.unknown-field", "field", field)
	}
	return say("api.bad-json", "detail", err.Error())
}
