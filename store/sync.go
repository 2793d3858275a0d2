package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// SyncCase writes a case's row (UpsertCase) and its new events (AppendEvent) in one statement:
// a journey's read-model write carries every event of its workflow task, and PostgreSQL's cost
// of a write is mostly per statement and per commit, not per row (BENCHMARKS.md, "Where the rest
// of a journey's CPU goes"). Both writes are idempotent as they are alone; the events are
// written even when the row is stale (an older projection replayed), as AppendEvent would:
// the events' insert is a part of the statement of its own, which the row's version rule does
// not hold back.
func (s *Store) SyncCase(ctx context.Context, c Case, events []Event) error {
	args, err := upsertCaseArgs(c)
	if err != nil {
		return err
	}
	for i, e := range events {
		eargs, err := appendEventArgs(e)
		if err != nil {
			return fmt.Errorf("sync case %s: event %d: %w", c.CaseID, i+1, err)
		}
		args = append(args, eargs...)
	}
	_, err = s.pool.Exec(ctx, syncCaseSQL(len(args)-len(events)*eventArgs, len(events)), args...)
	if err := upsertCaseError(c, err); err != nil {
		return fmt.Errorf("sync case with %d events: %w", len(events), err)
	}
	return nil
}

// eventArgs is how many arguments appendEventArgs gives an event.
const eventArgs = 11

// syncSQL holds the statements syncCaseSQL built, by first and n: SyncCase is on every
// journey's hot path, and the text of a given shape never changes.
var syncSQL sync.Map

// syncCaseSQL is upsertCaseSQL with an insert of n events in front, their arguments numbered
// after the row's first ones. The text depends on n only, so the driver prepares one statement
// per number of events a workflow task brings (one to a few).
func syncCaseSQL(first, n int) string {
	if n == 0 {
		return upsertCaseSQL
	}
	key := [2]int{first, n}
	if q, ok := syncSQL.Load(key); ok {
		return q.(string)
	}
	q, _ := syncSQL.LoadOrStore(key, buildSyncCaseSQL(first, n))
	return q.(string)
}

// buildSyncCaseSQL writes syncCaseSQL's statement.
func buildSyncCaseSQL(first, n int) string {
	var b strings.Builder
	b.WriteString("WITH events AS (\nINSERT INTO case_events (case_id, event_key, kind, stage, actor_id, actor_role, detail, at, evidence, code, params)\nVALUES ")
	p := first
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j := range eventArgs {
			if j > 0 {
				b.WriteString(", ")
			}
			arg := "$" + strconv.Itoa(p+1)
			if j == 7 { // at: the time the event happened, else now (as appendEventSQL)
				arg = "COALESCE(" + arg + ", now())"
			}
			b.WriteString(arg)
			p++
		}
		b.WriteString(")")
	}
	b.WriteString("\nON CONFLICT (case_id, event_key) DO NOTHING\n),")
	// upsertCaseSQL starts with its own WITH; its CTEs follow the events'.
	b.WriteString(strings.TrimPrefix(strings.TrimSpace(upsertCaseSQL), "WITH"))
	return b.String()
}
