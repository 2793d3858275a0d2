package readme

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/internal/gomod"
)

// expectation is what one README command must do when the test runs it.
type expectation struct {
	// prefix is how the command starts; the longest prefix that matches a command is its
	// expectation.
	prefix string
	// codes are the exit codes it may end with; none means 0.
	codes []int
	// says are regular expressions its output (standard output and error together) matches.
	says []string
}

// expectations holds one entry for every command of the marked blocks: a command without one
// fails the test, so a new README command comes with its check, and so does an entry no command
// uses (a command renamed in the README and not here).
func expectations(t *testing.T) []expectation {
	server, sdk := required(t, "go.temporal.io/server"), required(t, "go.temporal.io/sdk")
	return []expectation{
		// A cohort in five minutes.
		{prefix: "export KOMPETEN_CONFIG=examples/demo.yaml"},
		{prefix: "./kompeten version", says: []string{`(?m)^kompeten \S+`, `(?m)^commit: +\S+`,
			`temporal server: +` + regexp.QuoteMeta(server), `temporal sdk: +` + regexp.QuoteMeta(sdk)}},
		{prefix: "./kompeten package create DEMO-1", says: []string{`DEMO-1 +BLK-SBY +Las \(welding\) +SKM-LAS +LSP-BLK-SBY`}},
		// Exit code 1: an import with rows that did not start (README, exit codes).
		{prefix: "./kompeten import examples/sample-cohort.csv --package DEMO-1", codes: []int{1},
			says: []string{`48 rows read from examples/sample-cohort.csv for package DEMO-1`, `started +28\n`, `rejected +20\n`,
				`row 9: sci_notation: NIK looks like Excel scientific notation`, `row 31: underage`, `report: sample-cohort-report.csv`}},
		// Run at once after the import, some journeys may still be checking their rules (waiting
		// on nobody yet); a person pasting the lines sees them waiting on the centre admin.
		{prefix: "./kompeten case list --package DEMO-1 --stage enrolment", says: []string{`(?m)^[a-z2-7]{10} +DEMO-1 +BLK-SBY +enrolment `}},
		// 28 eligible cases, 16 seats: the approval takes the 16 seats and queues the other 12.
		{prefix: "./kompeten approve enrolment --package DEMO-1 --all-eligible --waitlist", says: []string{
			`(?m)^[a-z2-7]{10}: enrolment approved: seat 16 of 16$`,
			`(?m)^[a-z2-7]{10}: enrolment approved onto the waiting list of DEMO-1 at position 12 \(16 of 16 seats taken\)$`}},
		{prefix: "./kompeten package update DEMO-1 --capacity 18", says: []string{
			`(?m)^moved in from the waiting list: [a-z2-7]{10}\nmoved in from the waiting list: [a-z2-7]{10}\n`, `DEMO-1 +BLK-SBY`}},
		{prefix: `./kompeten case show "$(./kompeten case list --package DEMO-1 -o ids | head -1)"`,
			says: []string{`(?m)^Case [a-z2-7]{10} +package DEMO-1 +centre BLK-SBY +LSP LSP-BLK-SBY`, `(?m)^Stage: `, `Timeline:`, `case opened`}},
		{prefix: "./kompeten stuck", says: []string{`nothing is stuck|(?m)^CASE`}},
		// The certification block runs at once, not four minutes later: nothing waits for the LSP
		// manager yet (the journey tests in integration/ take cases through certification).
		{prefix: "./kompeten case list --package DEMO-1 --stage certification", says: []string{`(?m)^CASE +PACKAGE`}},
		{prefix: "export BUDI=$(./kompeten token create --role lsp-manager --scope LSP-BLK-SBY --name budi)", says: []string{`token created`}},
		{prefix: `./kompeten approve certification --package DEMO-1 --all-eligible --token "$BUDI"`,
			says: []string{`no case of package DEMO-1 waits for a decision on its certification|certification approved`}},
		{prefix: "./kompeten case list --package DEMO-1", says: []string{`(?m)^[a-z2-7]{10} +DEMO-1 +BLK-SBY`}},

		// Agreements.
		{prefix: "./kompeten mou list", says: []string{`MOU/BPVP-SDA/LSP-BLK-SBY/2023`}},
		{prefix: "./kompeten mou terminate MOU/BPVP-SDA/LSP-BLK-SBY/2023", says: []string{`MOU/BPVP-SDA/LSP-BLK-SBY/2023`}},
		{prefix: "./kompeten case list --stuck", says: []string{`(?m)^CASE +PACKAGE`}},
		{prefix: "./kompeten mou create MOU/BPVP-SDA/LSP-BLK-SBY/2026", says: []string{`MOU/BPVP-SDA/LSP-BLK-SBY/2026`}},
		{prefix: "./kompeten mou show MOU/BPVP-SDA/LSP-BLK-SBY/2026", says: []string{`MOU/BPVP-SDA/LSP-BLK-SBY/2026`, `LSP-BLK-SBY`}},
	}
}

// expectationFor is the expectation with the longest prefix of command.
func expectationFor(all []expectation, command string) (expectation, bool) {
	best, found := expectation{}, false
	for _, e := range all {
		if strings.HasPrefix(command, e.prefix) && len(e.prefix) >= len(best.prefix) {
			best, found = e, true
		}
	}
	return best, found
}

// check reports how a command's exit code and output differ from e ("" when they do not).
func (e expectation) check(code int, output string) string {
	codes := e.codes
	if len(codes) == 0 {
		codes = []int{0}
	}
	var problems []string
	if !slices.Contains(codes, code) {
		problems = append(problems, fmt.Sprintf("exit code %d, want one of %v", code, codes))
	}
	for _, re := range e.says {
		if !regexp.MustCompile(re).MatchString(output) {
			problems = append(problems, "output does not match "+re)
		}
	}
	return strings.Join(problems, "; ")
}

// required reads the version go.mod requires of module path.
func required(t *testing.T, path string) string {
	t.Helper()
	v, err := gomod.Required("../go.mod", path)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
