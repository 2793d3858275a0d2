package i18n

// Message is a sentence kept as its catalogue code and parameters rather than as words, so
// whoever shows it words it in the reader's language (the pages) or in English (the CLI, the
// API's English fields).
type Message struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// M is the message code with its parameters as name, value pairs.
func M(code string, kv ...string) Message { return Message{Code: code, Params: pairs(kv)} }

// In words the message for the reader.
func (m Message) In(r Reader) string { return r.T(m.Code, m.Params) }

// English words the message in English (in UTC): the words of the API's and the CLI's English
// fields, so the English there and on the pages come from one catalogue.
func (m Message) English() string { return For(EN, nil).T(m.Code, m.Params) }

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
