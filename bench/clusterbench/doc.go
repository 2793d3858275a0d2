// Package clusterbench measures kompeten at scale on the official Temporal server: a cluster of
// server nodes on PostgreSQL (internal/tcluster, as `go run ./cmd/temporal-cluster` runs it),
// with `kompeten serve`, `kompeten worker` and `kompeten simulate` as separate processes, as an
// operator runs them. It imports a generated cohort (bench.CohortGenerator) in steps with
// `kompeten import` and leaves every journey open, waiting for the centre admin's enrolment
// approval of a package that starts months later; after each step it measures the import rate,
// approval latency through the API, the workers' memory and Temporal sticky cache, the
// databases' sizes and connections and how the workflows spread over the history shards.
// `kompeten bench cluster` runs it; BENCHMARKS.md records its figures.
package clusterbench
