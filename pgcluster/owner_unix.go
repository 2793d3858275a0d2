//go:build unix

package pgcluster

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// owner is the system user the server runs as: nil when we are not root (run as ourselves).
type owner struct {
	uid, gid uint32
}

// prepareOwner decides who runs the server. As root it looks up the "postgres" user, checks it
// can reach dataDir and hands the directory over to it.
func prepareOwner(dataDir string) (*owner, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and initdb refuses root: need a \"postgres\" system user (installed with the postgresql package): %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	o := &owner{uid: uint32(uid), gid: uint32(gid)}
	if err := o.openParent(filepath.Dir(dataDir)); err != nil {
		return nil, err
	}
	if err := o.checkReachable(filepath.Dir(dataDir)); err != nil {
		return nil, err
	}
	if err := o.chownTree(dataDir); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *owner) sysProcAttr() *syscall.SysProcAttr {
	if o == nil {
		return nil
	}
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: o.uid, Gid: o.gid}}
}

func (o *owner) chown(path string) error {
	if o == nil {
		return nil
	}
	return os.Chown(path, int(o.uid), int(o.gid))
}

// chownTree gives dataDir to the postgres user; skipped when it already owns the top directory,
// so restarting a large cluster does not walk every file.
func (o *owner) chownTree(dataDir string) error {
	fi, err := os.Stat(dataDir)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == o.uid {
		return nil
	}
	return filepath.WalkDir(dataDir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(o.uid), int(o.gid))
	})
}

// openParent lets the postgres user pass through the directory that holds the cluster (dev's
// data directory, which dev creates private, 0700) when this process owns it and postgres
// cannot: the directory's group becomes postgres's with traverse only (0710), so postgres
// reaches its cluster but cannot list or read the rest (temporal.db, the keys); nobody else
// gains anything. A directory this process does not own is left for checkReachable to explain.
func (o *owner) openParent(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Uid != uint32(os.Geteuid()) || st.Uid == o.uid {
		return nil
	}
	mode := fi.Mode().Perm()
	if mode&0o001 != 0 || (st.Gid == o.gid && mode&0o010 != 0) {
		return nil // postgres can already pass
	}
	if err := os.Chown(dir, -1, int(o.gid)); err != nil {
		return fmt.Errorf("let the postgres user reach its cluster through %s: %w", dir, err)
	}
	// Group: traverse only (the owner's own bits are kept; others get nothing more).
	if err := os.Chmod(dir, (mode&^0o070)|0o010); err != nil {
		return fmt.Errorf("let the postgres user reach its cluster through %s: %w", dir, err)
	}
	return nil
}

// checkReachable fails early, with advice, when a parent of the data dir is closed to the postgres
// user (t.TempDir() and /root are 0700): otherwise initdb fails with a puzzling message.
func (o *owner) checkReachable(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			mode := fi.Mode().Perm()
			var bit fs.FileMode = 0o001
			switch {
			case st.Uid == o.uid:
				bit = 0o100
			case st.Gid == o.gid:
				bit = 0o010
			}
			if mode&bit == 0 {
				return fmt.Errorf("the postgres user cannot reach the data dir: %s has mode %v; choose a data dir outside it or `chmod o+x %s`", d, mode, d)
			}
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// isPostmasterOf reports whether pid is a live postgres process running in dataDir.
func isPostmasterOf(pid int, dataDir string) bool {
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		// No /proc (not Linux): a live PID is all we can tell; let pg_ctl decide.
		return true
	}
	// A killed postmaster nobody has reaped yet (its parent is init, which in a container may
	// never reap) still answers kill 0: it is dead all the same.
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if _, rest, ok := strings.Cut(string(stat), ") "); ok && (strings.HasPrefix(rest, "Z") || strings.HasPrefix(rest, "X")) {
			return false
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres") {
		return false
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	if err != nil {
		return true // another user's process we cannot inspect: assume it is the server
	}
	want, err := filepath.EvalSymlinks(dataDir)
	if err != nil {
		want = dataDir
	}
	return cwd == want
}
