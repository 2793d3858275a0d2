package config_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// readmeKeys reads the keys named in the first column of README.md's configuration table,
// expanding `a.{b,c}` into a.b and a.c. Flags (`--data-dir`) are skipped.
func readmeKeys(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Configuration\n")
	if !ok {
		t.Fatal("README.md has no ## Configuration section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	code := regexp.MustCompile("`([^`]+)`")
	var keys []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			if !strings.HasPrefix(m[1], "-") {
				keys = append(keys, expand(m[1])...)
			}
		}
	}
	if len(keys) == 0 {
		t.Fatal("no keys found in README.md's configuration table")
	}
	return keys
}

// expand turns "a.{b,c}.{d,e}" into a.b.d, a.b.e, a.c.d, a.c.e.
func expand(s string) []string {
	open := strings.Index(s, "{")
	if open < 0 {
		return []string{s}
	}
	end := open + strings.Index(s[open:], "}")
	var out []string
	for _, alt := range strings.Split(s[open+1:end], ",") {
		out = append(out, expand(s[:open]+alt+s[end+1:])...)
	}
	return out
}

func TestExpand(t *testing.T) {
	got := strings.Join(expand("s.{b,l}.{x,y}"), " ")
	if got != "s.b.x s.b.y s.l.x s.l.y" {
		t.Fatalf("expand = %s", got)
	}
}

// Every key has a row in README.md's configuration table, and every row names real keys.
func TestEveryKeyIsInTheREADME(t *testing.T) {
	documented := map[string]bool{}
	for _, k := range readmeKeys(t) {
		documented[k] = true
	}
	// A map's entries are documented as its name, a dot and a placeholder.
	covers := func(k config.Key, name string) bool {
		return name == k.Name || k.Map && strings.HasPrefix(name, k.Name+".")
	}
	keys := config.Keys(config.Default())
	for _, k := range keys {
		found := false
		for name := range documented {
			found = found || covers(k, name)
		}
		if !found {
			t.Errorf("%s has no row in README.md's configuration table", k.Name)
		}
	}
	for name := range documented {
		found := false
		for _, k := range keys {
			found = found || covers(k, name)
		}
		if !found {
			t.Errorf("README.md's configuration table names %s, which is not a configuration key", name)
		}
	}
}
