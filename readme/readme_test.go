package readme

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
)

// Deadlines of the steps; each is generous for two busy cores, and a step that ends sooner goes
// on at once.
const (
	buildTimeout   = 10 * time.Minute // a cold build links the Temporal server
	startTimeout   = 3 * time.Minute  // kompeten dev up: migrations, the embedded server, the worker
	commandTimeout = 4 * time.Minute  // every marked command, one after the other
	stopTimeout    = 30 * time.Second // Ctrl-C to a clean exit
)

// The commands of README.md's marked shell blocks run literally, as a user pastes them into a
// terminal beside a running `kompeten dev`: in a fresh directory that holds what a user has
// (examples/ and the kompeten the dev block builds), each command's exit code and output are
// checked against its expectation (expect_test.go).
func TestREADMECommandsRunAsWritten(t *testing.T) {
	var dev *block
	var run []block
	for _, b := range readBlocks(t, "../README.md") {
		if b.dev {
			if dev != nil {
				t.Fatalf("README.md:%d: a second dev block (the first is at line %d)", b.line, dev.line)
			}
			dev = &b
			continue
		}
		run = append(run, b)
	}
	if dev == nil || len(run) == 0 {
		t.Fatalf("README.md marks no dev block or no block to run (%s, %s)", markDev, markRun)
	}
	var cmds []string
	for _, b := range run {
		cmds = append(cmds, b.commands...)
	}
	want := expectations(t)
	for _, c := range cmds {
		if _, ok := expectationFor(want, c); !ok {
			t.Errorf("README command %q has no expectation in readme/expect_test.go: add one", c)
		}
	}
	for _, e := range want {
		used := false
		for _, c := range cmds {
			if got, _ := expectationFor(want, c); got.prefix == e.prefix {
				used = true
			}
		}
		if !used {
			t.Errorf("expectation %q matches no README command: was the command changed?", e.prefix)
		}
	}
	if t.Failed() {
		return
	}

	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS("../examples")); err != nil {
		t.Fatal(err)
	}
	env := userEnv(t)
	devProc := startDev(t, dir, env, dev)
	addr := strings.TrimPrefix(lookupEnv(env, "KOMPETEN_HTTP_ADDR"), "http://")
	waitHealthy(t, devProc, "http://"+addr+"/healthz")
	checkFirstLogin(t, devProc)

	outputs, codes := runCommands(t, dir, env, cmds, devProc)
	for i, c := range cmds {
		e, _ := expectationFor(want, c)
		if problem := e.check(codes[i], outputs[i]); problem != "" {
			t.Errorf("README command %q: %s\noutput:\n%s", c, problem, outputs[i])
		}
	}
	// The import's report lands in the working directory, one line per row and a header.
	if b, err := os.ReadFile(filepath.Join(dir, "sample-cohort-report.csv")); err != nil || bytes.Count(b, []byte("\n")) != 49 {
		t.Errorf("the import's report: %d lines (%v), want 49", bytes.Count(b, []byte("\n")), err)
	}
	if t.Failed() {
		t.Logf("kompeten dev's log:\n%s", devProc.log())
	}
}

// userEnv is the environment of a user's terminal on this machine: the test process's, without
// any KOMPETEN_* of the developer running the tests, plus what differs from a user's machine.
// Other tests run beside this one, so kompeten dev cannot take the default ports: the addresses
// come from the environment, which every command reads as it reads the demo's file. PostgreSQL
// is a fresh database of the tests' server (internal/testdb), dropped at the end.
func userEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KOMPETEN_") {
			env = append(env, kv)
		}
	}
	port := func() string {
		p, err := freeport.Find("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(p)
	}
	return append(env,
		"KOMPETEN_HTTP_ADDR=127.0.0.1:"+port(),
		"KOMPETEN_TEMPORAL_ADDRESS=127.0.0.1:"+port(),
		"KOMPETEN_DEV_UI_ADDR=127.0.0.1:0", // no Web UI: nobody looks at it here
		"KOMPETEN_DATABASE_URL="+testdb.New(t),
	)
}

func lookupEnv(env []string, name string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// devProcess is the kompeten dev the dev block started.
type devProcess struct {
	cmd     *exec.Cmd
	logFile string // its standard output and error
	exited  chan struct{}
}

// log is what kompeten dev has logged so far.
func (d *devProcess) log() string {
	b, err := os.ReadFile(d.logFile)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// startDev does what the dev block says, in dir: builds kompeten (the block's go build line,
// run from the module's root with its output in dir) and starts the block's kompeten dev line
// in the background. It is stopped with Ctrl-C (SIGINT) when the test ends.
func startDev(t *testing.T, dir string, env []string, b *block) *devProcess {
	t.Helper()
	var d *devProcess
	for _, c := range b.commands {
		line, _, _ := strings.Cut(c, " #")
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 4 && fields[0] == "go" && fields[1] == "build" && fields[2] == "-o":
			fields[3] = filepath.Join(dir, fields[3])
			ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
			build := exec.CommandContext(ctx, "go", fields[1:]...)
			build.Dir = ".."
			out, err := build.CombinedOutput()
			cancel()
			if err != nil {
				t.Fatalf("README.md:%d: %s: %v\n%s", b.line, line, err, out)
			}
		case strings.HasPrefix(line, "./kompeten dev"):
			// The log goes beside the directory, not into it: that is the user's.
			d = &devProcess{logFile: filepath.Join(t.TempDir(), "dev.log"), exited: make(chan struct{})}
			logf, err := os.Create(d.logFile)
			if err != nil {
				t.Fatal(err)
			}
			d.cmd = exec.Command("bash", "-c", "exec "+line)
			d.cmd.Dir, d.cmd.Env, d.cmd.Stdout, d.cmd.Stderr = dir, env, logf, logf
			err = d.cmd.Start()
			logf.Close() // the process has its own copy
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = d.cmd.Wait(); close(d.exited) }()
			t.Cleanup(func() { stopDev(t, d) })
		default:
			t.Fatalf("README.md:%d: the dev block may hold a go build -o line and a ./kompeten dev line, not %q", b.line, c)
		}
	}
	if d == nil {
		t.Fatalf("README.md:%d: the dev block starts no ./kompeten dev", b.line)
	}
	return d
}

// stopDev presses Ctrl-C and waits for kompeten dev to stop; a dev that does not stop in time is
// killed and the test fails.
func stopDev(t *testing.T, d *devProcess) {
	select {
	case <-d.exited:
		return
	default:
	}
	_ = d.cmd.Process.Signal(os.Interrupt)
	select {
	case <-d.exited:
	case <-time.After(stopTimeout):
		_ = d.cmd.Process.Kill()
		<-d.exited
		t.Errorf("kompeten dev did not stop within %s of Ctrl-C:\n%s", stopTimeout, d.log())
	}
}

// waitHealthy polls the health endpoint until it answers 200 or dev exits.
func waitHealthy(t *testing.T, d *devProcess, url string) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kompeten dev not healthy at %s within %s (last: %v):\n%s", url, startTimeout, err, d.log())
		}
		select {
		case <-d.exited:
			t.Fatalf("kompeten dev exited before it was up:\n%s", d.log())
		case <-tick.C:
		}
	}
}

// marker lines the script prints around each command; the commands' own output cannot start a
// line with them.
var markerLine = regexp.MustCompile(`(?m)^@@readme-(begin|end) (\d+)(?: (\d+))?$`)

// runCommands runs cmds one after the other in one bash, as lines pasted into one terminal (an
// export holds for the commands after it), and returns each command's output and exit code.
func runCommands(t *testing.T, dir string, env []string, cmds []string, d *devProcess) ([]string, []int) {
	t.Helper()
	var script strings.Builder
	script.WriteString("exec 2>&1\n")
	for i, c := range cmds {
		fmt.Fprintf(&script, "printf '\\n@@readme-begin %d\\n'\n%s\n__rc=$?; printf '\\n@@readme-end %d %%d\\n' \"$__rc\"\n", i, c, i)
	}
	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	defer cancel()
	sh := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", script.String())
	sh.Dir, sh.Env = dir, env
	raw, err := sh.Output()
	outputs, codes := make([]string, len(cmds)), make([]int, len(cmds))
	ended := make([]bool, len(cmds))
	text := string(raw)
	marks := markerLine.FindAllStringSubmatchIndex(text, -1)
	for k, m := range marks {
		i, _ := strconv.Atoi(text[m[4]:m[5]])
		if text[m[2]:m[3]] == "end" {
			codes[i], _ = strconv.Atoi(text[m[6]:m[7]])
			ended[i] = true
			continue
		}
		end := len(text)
		if k+1 < len(marks) {
			end = marks[k+1][0]
		}
		outputs[i] = strings.Trim(text[m[1]:end], "\n")
	}
	for i, c := range cmds {
		if !ended[i] {
			t.Fatalf("README command %q did not finish (%v; the commands have %s together)\noutput:\n%s\nkompeten dev's log:\n%s",
				c, err, commandTimeout, outputs[i], d.log())
		}
	}
	return outputs, codes
}
