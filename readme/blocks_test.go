package readme

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The marks README.md puts on the line before a shell block the test runs.
const (
	markRun = "<!-- readme-test -->"
	// markDev is the block that starts kompeten dev: its build line is done by the test, its
	// dev line runs in the background while the other blocks run.
	markDev = "<!-- readme-test: dev -->"
)

// block is one marked shell block of README.md.
type block struct {
	dev      bool
	line     int      // README line of the opening fence
	commands []string // complete shell commands, continuation lines joined
}

// readBlocks returns README.md's marked shell blocks, in order.
func readBlocks(t *testing.T, path string) []block {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		blocks []block
		cur    *block
		mark   string
		lines  []string
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.commands = commands(t, cur.line, lines)
			blocks = append(blocks, *cur)
			cur, lines = nil, nil
		case cur != nil:
			lines = append(lines, line)
		case mark != "" && strings.TrimSpace(line) == "":
		case mark != "":
			if strings.TrimSpace(line) != "```sh" {
				t.Fatalf("README.md:%d: %s must come right before a ```sh block", n, mark)
			}
			cur, mark = &block{dev: mark == markDev, line: n}, ""
		case strings.TrimSpace(line) == markRun || strings.TrimSpace(line) == markDev:
			mark = strings.TrimSpace(line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil || mark != "" {
		t.Fatal("README.md: a marked block is not closed")
	}
	return blocks
}

// commands splits a block into the commands a person pastes one at a time: a line ending in a
// backslash continues on the next, and lines are joined until bash reads them as complete (a
// loop or an if written over several lines).
func commands(t *testing.T, fence int, lines []string) []string {
	t.Helper()
	var out []string
	pending := ""
	for i, line := range lines {
		if strings.TrimSpace(line) == "" && pending == "" {
			continue
		}
		if pending != "" {
			pending += "\n"
		}
		pending += line
		if strings.HasSuffix(line, `\`) && i < len(lines)-1 {
			continue
		}
		if err := exec.Command("bash", "-n", "-c", pending).Run(); err != nil {
			continue // incomplete: a compound command goes on
		}
		out = append(out, pending)
		pending = ""
	}
	if pending != "" {
		t.Fatalf("README.md:%d: the block ends inside a command bash does not accept:\n%s", fence, pending)
	}
	return out
}

// TestBlocksAreSplitIntoCommands checks the splitting on a block with a continued line, a loop
// over several lines, a comment and a blank line.
func TestBlocksAreSplitIntoCommands(t *testing.T) {
	got := commands(t, 1, []string{
		`export A=1   # a comment`,
		`./kompeten package create X --centre C \`,
		`    --start +1m`,
		``,
		`for id in $(./kompeten case list -o ids); do`,
		`  ./kompeten case show "$id"`,
		`done`,
	})
	want := []string{
		`export A=1   # a comment`,
		"./kompeten package create X --centre C \\\n    --start +1m",
		"for id in $(./kompeten case list -o ids); do\n  ./kompeten case show \"$id\"\ndone",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("commands:\n%q\nwant\n%q", got, want)
	}
}
