package i18n

import "maps"

// Message is a sentence kept as its catalogue code and parameters rather than as words, so
// whoever shows it words it in the reader's language (the pages) or in English (the CLI, the
// API's English fields).
type Message struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
	// Parts are parameters that are messages themselves (a NIK's problem inside "row N cannot be
	// enrolled: …"): worded in the same reader's language as the message, so no sentence of
	// another language sits inside it. A part overrides a parameter of the same name.
	Parts map[string]Message `json:"parts,omitempty"`
}

// M is the message code with its parameters as name, value pairs.
func M(code string, kv ...string) Message { return Message{Code: code, Params: pairs(kv)} }

// With is the message with the parameter name given as the message part (see Parts).
func (m Message) With(name string, part Message) Message {
	parts := maps.Clone(m.Parts)
	if parts == nil {
		parts = map[string]Message{}
	}
	parts[name] = part
	m.Parts = parts
	return m
}

// In words the message for the reader.
func (m Message) In(r Reader) string { return r.T(m.Code, m.ParamsIn(r)) }

// ParamsIn are the message's parameters with its parts worded for the reader.
func (m Message) ParamsIn(r Reader) map[string]string {
	if len(m.Parts) == 0 {
		return m.Params
	}
	out := make(map[string]string, len(m.Params)+len(m.Parts))
	maps.Copy(out, m.Params)
	for name, part := range m.Parts {
		out[name] = part.In(r)
	}
	return out
}

// English words the message in English (in UTC): the words of the API's and the CLI's English
// fields, so the English there and on the pages come from one catalogue.
func (m Message) English() string { return m.In(For(EN, nil)) }

// EnglishAll words each message in English.
func EnglishAll(ms []Message) []string {
	if ms == nil {
		return nil
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.English()
	}
	return out
}
