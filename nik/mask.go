package nik

import "strings"

// Mask hides the middle of a NIK for display, keeping the first 4 and last 2
// characters: "3515**********01". Inputs of 6 characters or fewer are masked
// entirely, since the kept parts would reveal most of them.
func Mask(nik string) string {
	r := []rune(nik)
	if len(r) <= 6 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-6) + string(r[len(r)-2:])
}
