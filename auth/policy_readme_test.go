package auth_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// README.md's role table says exactly what auth's policy decides: every action in one row
// with the same roles, no action the policy lacks, and the viewer in no row.
func TestREADMERoleTableIsThePolicy(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "<!-- role-table")
	if !ok {
		t.Fatal("README.md has no <!-- role-table --> marker")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	code := regexp.MustCompile("`([^`]+)`")
	readme := map[auth.Action][]vocab.Role{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(line, "| `") {
			continue
		}
		var roles []vocab.Role
		for _, m := range code.FindAllStringSubmatch(cells[2], -1) {
			roles = append(roles, vocab.Role(m[1]))
		}
		slices.Sort(roles)
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			a := auth.Action(m[1])
			if _, dup := readme[a]; dup {
				t.Errorf("README lists %s twice", a)
			}
			readme[a] = roles
		}
	}
	for _, a := range auth.Actions() {
		want := auth.RolesFor(a)
		slices.Sort(want)
		got, listed := readme[a]
		if !listed {
			t.Errorf("README's role table lacks %s (%v)", a, want)
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: README says %v, the policy %v", a, got, want)
		}
		delete(readme, a)
	}
	for a := range readme {
		t.Errorf("README lists %s, which the policy does not have", a)
	}
	for _, a := range auth.Actions() {
		if auth.Allowed(vocab.RoleViewer, a) {
			t.Errorf("the viewer may %s", a)
		}
	}
}

// The operator runs the system and decides nothing about people or contracts (issue 14 point
// 7): it may unblock cases, run the doctor and move the batch file, and nothing else.
func TestOperatorLeastPrivilege(t *testing.T) {
	var got []auth.Action
	for _, a := range auth.Actions() {
		if auth.Allowed(vocab.RoleOperator, a) {
			got = append(got, a)
		}
	}
	want := []auth.Action{auth.ActionDoctor, auth.ActionEscalate, auth.ActionExportBatch, auth.ActionImportBatch, auth.ActionRetry,
		"correct-participant", "resolve-number-conflict", "withdraw"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("the operator may %v, want exactly %v", got, want)
	}
}
