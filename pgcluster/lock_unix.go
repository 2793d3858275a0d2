//go:build unix

package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ownerLock is the ownership of a private cluster: an exclusive flock on a file beside its data
// directory, with the owner's pid written in it. The kernel releases the lock when the owner
// exits however it exits, so a crashed owner never leaves a cluster owned; Go opens files
// close-on-exec, so the postmaster pg_ctl starts does not inherit it.
type ownerLock struct {
	f *os.File
}

// tryLock takes the lock at path, or reports the pid of the process holding it.
func tryLock(path string) (*ownerLock, int, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, 0, fmt.Errorf("ownership lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return nil, pid, nil
		}
		return nil, 0, fmt.Errorf("ownership lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("ownership lock %s: %w", path, err)
	}
	return &ownerLock{f: f}, 0, nil
}

// release gives the cluster up: the pid is cleared and the lock dropped.
func (l *ownerLock) release() {
	if l == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = l.f.Close()
}
