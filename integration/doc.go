// Package integration holds the system tests: the embedded Temporal server, a fresh PostgreSQL
// database, the partner simulators over real HTTP, a worker and the HTTP API, all in the test
// process. It is the only test package that links the Temporal server, so the build cost is
// paid once.
package integration
