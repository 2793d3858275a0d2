package integration

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// buildKompetenErr builds the kompeten binary into dir; a failure comes back as a string
// starting with "error:" (it runs beside the server build, off the test goroutine).
func buildKompetenErr(dir string) string {
	bin := filepath.Join(dir, "kompeten")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/bpvp-sidoarjo/kompeten/cmd/kompeten").CombinedOutput(); err != nil {
		return fmt.Sprintf("error: build kompeten: %v\n%s", err, out)
	}
	return bin
}

// clusterEnv writes the configuration every kompeten process of the cluster test reads (the
// test's shortened journey, the cluster's front door, the database, the simulators, the keys)
// and returns the environment that points at it. sim and httpAddr may be empty (migrate).
func clusterEnv(t *testing.T, c *config.Config, dir, temporal, sim, httpAddr string) []string {
	t.Helper()
	yaml := fmt.Sprintf(`data_dir: %q
log:
  level: warn
http:
  addr: %q
database:
  url: %q
temporal:
  address: %q
  namespace: kompeten
journey:
  month: %s
  followup_months: [1, 2]
  result_poll_interval: %s
  agreement_poll: %s
  attendance_mode: absence
partners:
  attempt_timeout: 4s
  bpjs:
    base_url: %q
    timeout: 2s
  lsp:
    base_url: %q
    timeout: 2s
security:
  nik_hash_key: %q
  actor_key: %q
  payload_key_file: %q
selfreport:
  key: %q
worker:
  stop_timeout: 0s
digest:
  enabled: false
`, filepath.Join(dir, "data"), httpAddr, c.Database.URL, temporal,
		c.Journey.Month, c.Journey.ResultPollInterval, c.Journey.AgreementPoll,
		sim+"/bpjs", sim+"/lsp", c.Security.NIKHashKey, c.Security.ActorKey, c.Security.PayloadKeyFile, c.SelfReport.Key)
	path := filepath.Join(dir, fmt.Sprintf("kompeten-%d.yaml", time.Now().UnixNano()))
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	// The test's own KOMPETEN_* settings (a developer's shell) must not leak into the processes.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KOMPETEN_") {
			env = append(env, kv)
		}
	}
	return append(env, "KOMPETEN_CONFIG="+path)
}

// runKompeten runs one kompeten command to its end and returns its standard output; a failure
// (any exit code but 0) fails the test with what it printed.
func runKompeten(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("kompeten %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// kompetenProcess is a long-running kompeten command (serve, worker) with its log in a file.
type kompetenProcess struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// startKompeten starts a long-running kompeten command; at the end of the test it is stopped
// with SIGTERM (SIGKILL after 30 s) and, when the test failed, its log's tail is printed.
func startKompeten(t *testing.T, bin string, env []string, logPath string, args ...string) *kompetenProcess {
	t.Helper()
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	p := &kompetenProcess{name: filepath.Base(logPath), cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		if p.running() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-p.done
			}
		}
		if t.Failed() {
			t.Logf("%s (tail):\n%s", p.name, fileTail(logPath, 3000))
		}
	})
	return p
}

func (p *kompetenProcess) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// kill ends the process with SIGKILL, as a crash would, and waits for it.
func (p *kompetenProcess) kill(t *testing.T) {
	t.Helper()
	if !p.running() {
		t.Fatalf("%s exited before it was to be killed:\n%s", p.name, fileTail(p.log, 3000))
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// ready says whether a readiness endpoint answers 200.
func ready(u string) bool {
	resp, err := http.Get(u)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// fileTail is the end of a log file.
func fileTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
