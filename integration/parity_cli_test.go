package integration

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// parityOperator is one side of the parity test: a centre admin's and an LSP manager's
// routine, through the command line or through the pages. Each step fails the test when the
// system refuses it.
type parityOperator interface {
	createPackage(req api.PackageRequest)
	importCohort(pkg, file string)
	approveEnrolment(id string)
	correctName(id, was, name, note string)
	recordRegister(pkg, date string, present []string)
	assess(id, assessmentID string, units []string, assessor string)
	approveCertification(id string)
	notReached(id, note string)
	// placeFormal reports formal employment starting on day (YYYY-MM-DD), typed as a person
	// would type it on each side.
	placeFormal(id, employer, day string)
}

// cliOperator runs the built kompeten binary against the test system's HTTP address, with a
// centre admin's token or an LSP manager's, as an operator at a terminal would.
type cliOperator struct {
	t          *testing.T
	bin, dir   string
	server     string
	admin, lsp string
}

// run runs one command with token and fails the test on a non-zero exit, with its output.
func (c *cliOperator) run(token string, args ...string) string {
	c.t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "KOMPETEN_SERVER="+c.server, "KOMPETEN_TOKEN="+token, "KOMPETEN_DATA_DIR="+c.dir)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		c.t.Fatalf("kompeten %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

func (c *cliOperator) createPackage(req api.PackageRequest) {
	c.t.Helper()
	args := []string{"package", "create", req.Code, "--centre", req.Centre, "--trade", req.Trade, "--scheme", req.Scheme, "--lsp", req.LSP,
		"--start", req.Start, "--end", req.End, "--hours", strconv.Itoa(req.Hours)}
	if req.AutoApprove {
		args = append(args, "--auto-approve")
	}
	c.run(c.admin, args...)
}

func (c *cliOperator) importCohort(pkg, file string) {
	c.t.Helper()
	c.run(c.admin, "import", file, "--package", pkg, "--report", filepath.Join(c.dir, pkg+"-report.csv"))
}

func (c *cliOperator) approveEnrolment(id string) {
	c.t.Helper()
	c.run(c.admin, "approve", "enrolment", id)
}

func (c *cliOperator) correctName(id, _, name, note string) {
	c.t.Helper()
	c.run(c.admin, "correct", id, "--name", name, "--note", note)
}

func (c *cliOperator) recordRegister(pkg, date string, present []string) {
	c.t.Helper()
	c.run(c.admin, "attend", "--package", pkg, "--date", date, "--present", strings.Join(present, ","))
}

func (c *cliOperator) assess(id, _ string, units []string, assessor string) {
	c.t.Helper()
	args := []string{"assess", id, "--assessor", assessor}
	for _, u := range units {
		args = append(args, "--unit", u+"=K")
	}
	c.run(c.lsp, args...)
}

func (c *cliOperator) approveCertification(id string) {
	c.t.Helper()
	c.run(c.lsp, "approve", "certification", id)
}

func (c *cliOperator) notReached(id, note string) {
	c.t.Helper()
	c.run(c.admin, "follow-up", id, "--contact", "not-reached", "--note", note)
}

func (c *cliOperator) placeFormal(id, employer, day string) {
	c.t.Helper()
	c.run(c.admin, "place", id, "--category", "formal", "--employer", employer, "--start", day)
}
