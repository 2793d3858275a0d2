// Package bench measures kompeten against the Temporal server it runs on, in one process and one
// run: the import start rate next to the engine's raw start rate, journey throughput next to a
// no-op workflow of the same shape, approval latency with open journeys, worker memory per open
// journey, and history events and bytes per closed journey. `kompeten bench` runs it; the
// method and the figures are in BENCHMARKS.md.
//
// Ratios are the point: absolute rates depend on the machine and on what else runs on it, so
// every comparison is made between phases of the same run, on the same server.
package bench
