package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language the catalogue speaks, as its BCP 47 code ("id", "en").
type Lang string

// The languages: Indonesian is the default (the centres' language), English the other.
const (
	ID Lang = "id"
	EN Lang = "en"
)

// Langs lists the languages, the default first.
var Langs = []Lang{ID, EN}

// Parse reads a language code ("en", "en-GB", "ID"); anything it does not speak is Indonesian.
func Parse(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Langs {
		if s == string(l) || strings.HasPrefix(s, string(l)+"-") {
			return l
		}
	}
	return ID
}

// Known says whether s names one of Langs exactly.
func Known(s string) bool {
	for _, l := range Langs {
		if s == string(l) {
			return true
		}
	}
	return false
}

var matcher = language.NewMatcher([]language.Tag{language.Indonesian, language.English})

// FromAcceptLanguage picks the language an Accept-Language header prefers; Indonesian when it
// names neither (or is empty or malformed).
func FromAcceptLanguage(header string) Lang {
	if strings.TrimSpace(header) == "" {
		return ID
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return ID
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return ID
	}
	return Langs[i]
}
