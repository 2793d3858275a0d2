#!/usr/bin/env bash
# The README's test command: make sure what the tests need is on this machine, then run
# go vet and the tests. CI (.ci/run) runs exactly this.
#
#   ./test.sh                      # go vet ./... and go test ./...
#   ./test.sh ./cohort ./nik       # go vet and go test of these packages only
#   ./test.sh -run TestX ./api     # anything else is passed to go test (vet gets the packages)
#
# What it may install, with apt-get, when it runs as root (otherwise it says what to install):
#   - PostgreSQL (Debian's postgresql) when no server answers on 127.0.0.1:5432 and no server
#     binaries are installed for the tests' private cluster; an installed but stopped local
#     cluster is started instead;
#   - Chromium (Debian's chromium) for the browser test of the pages.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "test.sh: Go is not installed: see https://go.dev/doc/install (go.mod names the version)" >&2
  exit 1
fi

# need PACKAGE WHY: installs it with apt-get as root, else stops with the command to run.
need() {
  if [ "$(id -u)" != 0 ]; then
    echo "test.sh: $2; install it with: sudo apt-get install -y $1" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: $2, and this is no Debian-like system: install $1 with the system's package manager" >&2
    exit 1
  fi
  echo "test.sh: installing $1 ($2)"
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

pg_answers() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q
}

# PostgreSQL: $KOMPETEN_TEST_DATABASE_URL when set; else the server on 127.0.0.1:5432 (started
# here when it is installed but stopped); else the tests start a private cluster from the
# server binaries, which are installed when missing (internal/testdb).
if [ -z "${KOMPETEN_TEST_DATABASE_URL:-}" ] && ! pg_answers; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ] && [ "$(id -u)" = 0 ]; then
    echo "test.sh: starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  if ! pg_answers && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need postgresql "no PostgreSQL answers on 127.0.0.1:5432 and no server binaries are installed for a private cluster"
  fi
fi

# The browser test of the pages (integration/browser_test.go) drives Debian's Chromium.
if ! command -v chromium >/dev/null 2>&1; then
  need chromium "the browser test of the pages needs Chromium"
fi

# The packages are the arguments that name them (./x), else the whole module; go vet checks
# them, go test gets every argument.
pkgs=()
for a in "$@"; do
  case "$a" in
    ./*|.) pkgs+=("$a") ;;
  esac
done
if [ "${#pkgs[@]}" -eq 0 ]; then
  pkgs=(./...)
  set -- "$@" ./...
fi

# go test's own 10-minute limit per package is close to what the integration package takes on
# a busy two-core machine; a hung test still ends, with its goroutines dumped, at 30 minutes.
case " $* " in
  *" -timeout"*) ;;
  *) set -- -timeout 30m "$@" ;;
esac

go vet "${pkgs[@]}"
go test "$@"
