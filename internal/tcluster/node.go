package tcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Node is one running temporal-server process with all four services.
type Node struct {
	// N is the node's number, from 1.
	N int
	// Config is its configuration file; Log the file its output goes to.
	Config, Log string
	// Frontend is its own frontend's gRPC address.
	Frontend string

	bin  string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// start runs the node's server process.
func (n *Node) start() error {
	logf, err := os.OpenFile(n.Log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("node %d log: %w", n.N, err)
	}
	// --allow-no-auth: the cluster is on loopback for tests and development; the server warns
	// (and a future version refuses) without it.
	cmd := exec.Command(n.bin, "--config-file", n.Config, "--allow-no-auth", "start")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start node %d: %w", n.N, err)
	}
	n.cmd, n.done = cmd, make(chan struct{})
	go func() {
		n.err = cmd.Wait()
		logf.Close()
		close(n.done)
	}()
	return nil
}

// Pid is the node's process id.
func (n *Node) Pid() int { return n.cmd.Process.Pid }

// Running says whether the process was started and has not exited.
func (n *Node) Running() bool {
	if n.cmd == nil {
		return false
	}
	select {
	case <-n.done:
		return false
	default:
		return true
	}
}

// Kill ends the node with SIGKILL, as a machine dying would, and waits for the process to go.
func (n *Node) Kill() error {
	if !n.Running() {
		return fmt.Errorf("node %d is not running: %v", n.N, n.err)
	}
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill node %d: %w", n.N, err)
	}
	<-n.done
	return nil
}

// Stop ends the node with SIGTERM (the server shuts down in order), and with SIGKILL when it
// has not exited within grace.
func (n *Node) Stop(grace time.Duration) error {
	if n.cmd == nil || !n.Running() {
		return nil
	}
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop node %d: %w", n.N, err)
	}
	select {
	case <-n.done:
		return nil
	case <-time.After(grace):
		_ = n.cmd.Process.Signal(syscall.SIGKILL)
		<-n.done
		return fmt.Errorf("node %d did not stop within %s of SIGTERM: killed", n.N, grace)
	}
}
