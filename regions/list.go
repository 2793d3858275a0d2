package regions

import (
	"sort"
	"strings"
)

// DistrictCodes returns the dotted codes of every district whose code starts with prefix
// ("35." for Jawa Timur, "" for all), sorted. Generators of test and benchmark cohorts use it
// to build NIKs whose area codes exist.
func DistrictCodes(prefix string) []string {
	var out []string
	for code := range load().districts {
		if strings.HasPrefix(code, prefix) {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}
