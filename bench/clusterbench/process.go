package clusterbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// process is a long-running kompeten command (serve, worker, simulate) with its log in a file.
type process struct {
	name    string
	cmd     *exec.Cmd
	log     string
	metrics string // its /metrics URL, when it serves one
	done    chan struct{}
	err     error
}

// startProcess starts bin with args and env, its output appended to logPath.
func startProcess(bin string, env []string, name, logPath string, args ...string) (*process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("%s log: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// running says whether the process has not exited.
func (p *process) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// pid is the process id.
func (p *process) pid() int { return p.cmd.Process.Pid }

// stop ends the process with SIGTERM, and SIGKILL when it has not exited within grace.
func (p *process) stop(grace time.Duration) {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited is an error describing an exit that was not asked for, with the log's tail.
func (p *process) exited() error {
	return fmt.Errorf("%s exited: %v; its log %s ends:\n%s", p.name, p.err, p.log, tail(p.log, 3000))
}

// runCommand runs one kompeten command to its end and returns its standard output.
func runCommand(ctx context.Context, bin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("kompeten %s: %w\n%s%s", strings.Join(args, " "), err, tailOf(out.String(), 2000), tailOf(errOut.String(), 2000))
	}
	return out.String(), nil
}

// tail is the end of a log file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return tailOf(string(b), n)
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// waitFor polls cond every half second until it holds, the timeout passes or ctx ends.
func waitFor(ctx context.Context, timeout time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		ok, err := cond()
		if ok {
			return nil
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s: %w", timeout, what, errors.Join(errors.New("timed out"), last))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
