// Package pgcluster runs a private PostgreSQL cluster from the locally installed server binaries,
// for `kompeten dev` and for tests when no PostgreSQL answers on localhost.
package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
)

// debianGlob is where Debian/Ubuntu install the server binaries; they are not on PATH there.
var debianGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory holding initdb and pg_ctl: from PATH when both are there,
// else the newest /usr/lib/postgresql/<version>/bin.
func FindBinaries() (string, error) {
	if dir, ok := fromPath(); ok {
		return dir, nil
	}
	dirs, _ := filepath.Glob(debianGlob)
	// Sort by numeric major version so 15 beats 9.6.
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if hasBinaries(d) {
			return d, nil
		}
	}
	return "", errors.New("postgresql server binaries (initdb, pg_ctl) not found on PATH or in " +
		debianGlob + ": install them (e.g. `apt-get install postgresql`) or point database.url " +
		"(KOMPETEN_DATABASE_URL) at an existing server")
}

// fromPath resolves symlinks so the directory also holds the postgres binary that pg_ctl starts
// (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb).
func fromPath() (string, bool) {
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", false
	}
	if _, err := exec.LookPath("pg_ctl"); err != nil {
		return "", false
	}
	real, err := filepath.EvalSymlinks(initdb)
	if err != nil {
		return "", false
	}
	dir := filepath.Dir(real)
	if !hasBinaries(dir) {
		return "", false
	}
	return dir, true
}

func hasBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// version extracts the major version from /usr/lib/postgresql/<v>/bin; unknown sorts last.
func version(binDir string) float64 {
	v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	if err != nil {
		return -1
	}
	return v
}

// describe is used in errors: which binaries were used.
func describe(binDir string) string { return fmt.Sprintf("postgresql binaries in %s", binDir) }
