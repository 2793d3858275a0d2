package nik

import "strings"

// Sex codes as used in Indonesian forms.
const (
	SexMale   = "L" // laki-laki
	SexFemale = "P" // perempuan
)

// sexAliases maps the spellings seen in registration exports, lower-cased
// with spaces and hyphens removed, to L or P.
var sexAliases = map[string]string{
	"l": SexMale, "lk": SexMale, "lakilaki": SexMale, "laki": SexMale, "pria": SexMale,
	"m": SexMale, "male": SexMale, "man": SexMale,
	"p": SexFemale, "pr": SexFemale, "perempuan": SexFemale, "wanita": SexFemale,
	"f": SexFemale, "female": SexFemale, "woman": SexFemale, "w": SexFemale,
}

// NormalizeSex maps L/P, M/F, male/female, laki-laki/perempuan (and a few
// other common spellings, case-insensitive) to "L" or "P".
func NormalizeSex(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(" ", "", "-", "", "_", "", ".", "").Replace(k)
	v, ok := sexAliases[k]
	return v, ok
}
