package readme

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// The quick start promises two commands: one starts everything, the other runs the tests. The
// test command is the one CI runs (.ci/run calls it as it is written), and it is an executable
// script of the repository (TestREADMECommandsRunAsWritten runs the start command's demo form).
func TestQuickStartCommandsAreWhatCIRuns(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, quick, ok := strings.Cut(string(b), "\n## Quick start\n")
	if !ok {
		t.Fatal("README.md has no Quick start")
	}
	_, fence, ok := strings.Cut(quick, "```sh\n")
	if !ok {
		t.Fatal("the Quick start has no shell block")
	}
	fence, _, _ = strings.Cut(fence, "```")
	var commands []string
	for _, line := range strings.Split(strings.TrimSpace(fence), "\n") {
		c, _, _ := strings.Cut(line, "#")
		commands = append(commands, strings.TrimSpace(c))
	}
	if !slices.Equal(commands, []string{"go run ./cmd/kompeten dev", "./test.sh"}) {
		t.Fatalf("the Quick start's commands are %q, want the start and the test command", commands)
	}
	ci, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(ci), "\n"), "./test.sh") {
		t.Error(".ci/run does not run ./test.sh as the README writes it")
	}
	for _, f := range []string{"../test.sh", "../.ci/run"} {
		if fi, err := os.Stat(f); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("%s is not an executable file (%v)", f, err)
		}
	}
}
