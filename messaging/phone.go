package messaging

import "strings"

// International turns an Indonesian mobile number as the cohort file holds it ("08…", "+62…",
// "62…") into the form providers address: digits with the country code, "628…". It returns
// false for anything else.
func International(phone string) (string, bool) {
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "62"):
	case strings.HasPrefix(d, "0"):
		d = "62" + d[1:]
	case strings.HasPrefix(d, "8"):
		d = "62" + d
	default:
		return "", false
	}
	if len(d) < 10 || len(d) > 15 || d[2] != '8' {
		return "", false
	}
	return d, true
}

// Local is the form the participants table holds ("08…") of an international number ("628…").
func Local(international string) string {
	if d, ok := International(international); ok {
		return "0" + d[2:]
	}
	return international
}
