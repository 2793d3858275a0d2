package workflows

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// itemCall finds each item("code", "name", value, …) of package_change.go, with its arguments.
var itemCall = regexp.MustCompile(`item\("([a-z.-]+)"((?:[^()]|\([^()]*\))*)\)`)

// Every item a package change records names exactly the parameters its message uses, in both
// languages, and reads in Indonesian without the English sentence (issue 15).
func TestPackageChangeItemsAreWorded(t *testing.T) {
	b, err := os.ReadFile("package_change.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := itemCall.FindAllStringSubmatch(string(b), -1)
	if len(calls) < 15 {
		t.Fatalf("found only %d items: the pattern no longer matches how they are written", len(calls))
	}
	var e packageEdit
	for _, c := range calls {
		var names []string
		for _, m := range regexp.MustCompile(`, "([a-z_]+)", `).FindAllStringSubmatch(c[2]+", ", -1) {
			names = append(names, m[1])
		}
		want := i18n.ParamNames(i18n.Text(i18n.EN, c[1]))
		slices.Sort(names)
		slices.Sort(want)
		if !i18n.Has(i18n.EN, c[1]) || !slices.Equal(names, want) {
			t.Errorf("%s: gives %v, its message uses %v", c[1], names, want)
		}
		kv := make([]string, 0, 2*len(names))
		for _, n := range names {
			kv = append(kv, n, "X")
		}
		if strings.HasPrefix(c[1], "change-applied.") {
			e.did(item(c[1], kv...), "x")
		} else {
			e.skip(item(c[1], kv...), "x")
		}
	}
	w := e.words("P1")
	id, en := i18n.For(i18n.ID, nil).T(w.code, w.params), i18n.For(i18n.EN, nil).T(w.code, w.params)
	if strings.ContainsAny(id+en, "{}") || id == en {
		t.Errorf("worded %q / %q", id, en)
	}
	for _, english := range []string{"applied", "automatic approval", "training", "was ", "decides", "coverage"} {
		if strings.Contains(id, english) {
			t.Errorf("the Indonesian has English %q: %s", english, id)
		}
	}
}
