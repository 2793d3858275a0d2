package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A cohort job is created leased to its process, which alone may checkpoint and finish it; a
// second start of the same upload is refused; a released job is claimed by the next process
// (once, however many ask), with its sealed upload; a lapsed lease is claimable too; the
// retention deletes jobs last changed before the cutoff and keeps the others.
func TestCohortJobsLeaseAndRetention(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	a := store.CohortJob{TokenHash: []byte("hash-a"), Package: "P1", Actor: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"},
		NameSealed: []byte("sealed-name"), UploadSealed: []byte("sealed-upload")}
	must(t, st.CreateCohortJob(ctx, a, "proc-1", time.Minute))
	mustErrIs(t, st.CreateCohortJob(ctx, a, "proc-2", time.Minute), store.ErrExists)

	// Held by proc-1: nobody else claims it or writes to it.
	if got, err := st.ClaimCohortJobs(ctx, "proc-2", time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("claimed a held job: %d, %v", len(got), err)
	}
	mustErrIs(t, st.CheckpointCohortJob(ctx, a.TokenHash, "proc-2", 1, 2, []byte(`{"rows":[]}`)), store.ErrNotFound)
	must(t, st.CheckpointCohortJob(ctx, a.TokenHash, "proc-1", 200, 1000, []byte(`{"rows":[{"row":1}]}`)))
	// A renewal covers only the jobs named (those the process is working).
	must(t, st.RenewCohortJobs(ctx, "proc-1", time.Minute, [][]byte{a.TokenHash}))
	j, err := st.CohortJob(ctx, a.TokenHash)
	must(t, err)
	if j.State != store.CohortJobRunning || j.Done != 200 || j.Total != 1000 || j.Actor != "siti" || j.Role != vocab.RoleCentreAdmin ||
		len(j.Scopes) != 1 || string(j.NameSealed) != "sealed-name" || j.UploadSealed != nil || len(j.Report) == 0 {
		t.Fatalf("job read back: %+v", j)
	}

	// proc-1 stops: the job goes to the first of two processes that ask, with its upload.
	must(t, st.ReleaseCohortJob(ctx, a.TokenHash, "proc-1"))
	got, err := st.ClaimCohortJobs(ctx, "proc-2", time.Minute, 10)
	must(t, err)
	if len(got) != 1 || string(got[0].UploadSealed) != "sealed-upload" || got[0].Done != 200 {
		t.Fatalf("claim after release: %+v", got)
	}
	if again, err := st.ClaimCohortJobs(ctx, "proc-3", time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("a claimed job claimed again: %d, %v", len(again), err)
	}
	mustErrIs(t, st.FinishCohortJob(ctx, a.TokenHash, "proc-1", store.CohortJobDone, 1000, 1000, nil, ""), store.ErrNotFound)
	must(t, st.FinishCohortJob(ctx, a.TokenHash, "proc-2", store.CohortJobDone, 1000, 1000, nil, ""))
	j, err = st.CohortJob(ctx, a.TokenHash)
	must(t, err)
	if j.State != store.CohortJobDone || j.Done != 1000 || len(j.Report) == 0 {
		t.Fatalf("finished job: %+v", j)
	}

	// A process that died: its lease lapses and the job is claimable.
	b := a
	b.TokenHash = []byte("hash-b")
	must(t, st.CreateCohortJob(ctx, b, "proc-dead", time.Millisecond))
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := st.ClaimCohortJobs(ctx, "proc-2", time.Minute, 10)
		must(t, err)
		if len(got) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a lapsed lease was never claimable")
		}
		time.Sleep(5 * time.Millisecond) // a poll's pace
	}

	// A job renewed by its process is not taken over, however short its first lease.
	c := a
	c.TokenHash = []byte("hash-c")
	must(t, st.CreateCohortJob(ctx, c, "proc-4", time.Millisecond))
	must(t, st.RenewCohortJobs(ctx, "proc-4", time.Minute, [][]byte{c.TokenHash}))
	if got, err := st.ClaimCohortJobs(ctx, "proc-2", time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("claimed a renewed job: %d, %v", len(got), err)
	}

	// Retention: a cutoff between the two changes deletes only the older job.
	_, err = st.Pool().Exec(ctx, `UPDATE cohort_jobs SET updated_at = now() - interval '31 days' WHERE token_hash = $1`, a.TokenHash)
	must(t, err)
	n, err := st.DeleteCohortJobsBefore(ctx, time.Now().Add(-30*24*time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("deleted %d jobs, want 1", n)
	}
	if _, err := st.CohortJob(ctx, a.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the old job: %v, want not found", err)
	}
	if _, err := st.CohortJob(ctx, b.TokenHash); err != nil {
		t.Fatalf("the recent job: %v", err)
	}
}
