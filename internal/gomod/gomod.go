// Package gomod reads what a go.mod requires, for tests that hold a program's output (such as
// `kompeten version`) to the versions the module builds with.
package gomod

import (
	"fmt"
	"os"
	"regexp"
)

// Required returns the version the go.mod file at path requires of module.
func Required(path, module string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	m := regexp.MustCompile(`(?m)^(?:require)?\s*` + regexp.QuoteMeta(module) + `\s+(v\S+)`).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s requires no %s", path, module)
	}
	return string(m[1]), nil
}
