package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// States of a cohort job.
const (
	CohortJobRunning = "running"
	CohortJobDone    = "done"
	CohortJobFailed  = "failed"
)

// CohortJob is the start of an uploaded cohort running in the background (web/cohort_job.go).
// The store never sees the upload in clear: NameSealed and UploadSealed are sealed by the
// caller with the payload keys; Report is the row report, masked NIKs and no names.
type CohortJob struct {
	// TokenHash is the SHA-256 of the upload's token (the token is in the page's address).
	TokenHash []byte
	Package   string
	// Actor, Role and Scopes are who started the job, as the case logs name them: the job
	// acts as them when it resumes.
	Actor  string
	Role   vocab.Role
	Scopes []string
	State  string
	// Total is the valid rows to start, Done those the enrol API has answered for.
	Total, Done int
	// Report is the importer's report as JSON; nil before the first checkpoint.
	Report []byte
	// Error is why a failed job stopped.
	Error        string
	NameSealed   []byte
	UploadSealed []byte // only filled by CohortJobUpload and ClaimCohortJobs
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const cohortJobColumns = `token_hash, package_code, actor, role, scopes, state, total, done, report, error, name_sealed, created_at, updated_at`

func scanCohortJob(row pgx.Row, extra ...any) (CohortJob, error) {
	var j CohortJob
	dest := append([]any{&j.TokenHash, &j.Package, &j.Actor, &j.Role, &j.Scopes, &j.State, &j.Total, &j.Done, &j.Report, &j.Error,
		&j.NameSealed, &j.CreatedAt, &j.UpdatedAt}, extra...)
	err := row.Scan(dest...)
	return j, err
}

// seconds is a lease as the float seconds make_interval takes.
func seconds(d time.Duration) float64 { return d.Seconds() }

// CreateCohortJob records a job as running, leased to owner for lease (the process that runs
// it). A job with the same token is ErrExists: an upload starts once.
func (s *Store) CreateCohortJob(ctx context.Context, j CohortJob, owner string, lease time.Duration) error {
	if j.Scopes == nil {
		j.Scopes = []string{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO cohort_jobs (token_hash, package_code, actor, role, scopes, state, total, name_sealed, upload_sealed, owner, lease_until)
		VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8, $9, now() + make_interval(secs => $10))`,
		j.TokenHash, j.Package, j.Actor, string(j.Role), j.Scopes, j.Total, j.NameSealed, j.UploadSealed, owner, seconds(lease))
	switch pgCode(err) {
	case "":
		return nil
	case pgUniqueViolation:
		return fmt.Errorf("%w: this upload has started already", ErrExists)
	default:
		return fmt.Errorf("create cohort job of %s: %w", j.Package, err)
	}
}

// CohortJob reads a job without its sealed upload, or ErrNotFound.
func (s *Store) CohortJob(ctx context.Context, tokenHash []byte) (CohortJob, error) {
	j, err := scanCohortJob(s.pool.QueryRow(ctx, `SELECT `+cohortJobColumns+` FROM cohort_jobs WHERE token_hash = $1`, tokenHash))
	if errors.Is(err, pgx.ErrNoRows) {
		return CohortJob{}, fmt.Errorf("%w: cohort job", ErrNotFound)
	}
	if err != nil {
		return CohortJob{}, fmt.Errorf("read cohort job: %w", err)
	}
	return j, nil
}

// CohortJobUpload reads a job's sealed upload, or ErrNotFound.
func (s *Store) CohortJobUpload(ctx context.Context, tokenHash []byte) ([]byte, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT upload_sealed FROM cohort_jobs WHERE token_hash = $1`, tokenHash).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: cohort job", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read cohort job upload: %w", err)
	}
	return b, nil
}

// CheckpointCohortJob records a running job's progress and report so far. A job owner no
// longer holds (its lease ran out and another process took it, or it finished) is
// ErrNotFound: the caller stops working it.
func (s *Store) CheckpointCohortJob(ctx context.Context, tokenHash []byte, owner string, done, total int, report []byte) error {
	tag, err := s.pool.Exec(ctx, `UPDATE cohort_jobs SET done = $3, total = $4, report = COALESCE($5, report), updated_at = now()
		WHERE token_hash = $1 AND owner = $2 AND state = 'running'`, tokenHash, owner, done, total, report)
	if err != nil {
		return fmt.Errorf("checkpoint cohort job: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: cohort job running here", ErrNotFound)
	}
	return nil
}

// FinishCohortJob ends a job owner holds: done, or failed with errText. ErrNotFound when owner
// no longer holds it.
func (s *Store) FinishCohortJob(ctx context.Context, tokenHash []byte, owner, state string, done, total int, report []byte, errText string) error {
	if state != CohortJobDone && state != CohortJobFailed {
		return fmt.Errorf("%w: a cohort job ends done or failed, not %q", ErrInvalid, state)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE cohort_jobs SET state = $3, done = $4, total = $5, report = COALESCE($6, report), error = $7,
		owner = '', lease_until = '-infinity', updated_at = now()
		WHERE token_hash = $1 AND owner = $2 AND state = 'running'`, tokenHash, owner, state, done, total, report, errText)
	if err != nil {
		return fmt.Errorf("finish cohort job: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: cohort job running here", ErrNotFound)
	}
	return nil
}

// ClaimCohortJobs hands owner, for lease, up to limit running jobs nobody holds (their process
// stopped or died), oldest first, with their sealed uploads. Two processes claiming at once
// never get the same job.
func (s *Store) ClaimCohortJobs(ctx context.Context, owner string, lease time.Duration, limit int) ([]CohortJob, error) {
	rows, err := s.pool.Query(ctx, `UPDATE cohort_jobs SET owner = $1, lease_until = now() + make_interval(secs => $2)
		WHERE token_hash IN (SELECT token_hash FROM cohort_jobs WHERE state = 'running' AND lease_until < now()
			ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING `+cohortJobColumns+`, upload_sealed`, owner, seconds(lease), limit)
	if err != nil {
		return nil, fmt.Errorf("claim cohort jobs: %w", err)
	}
	defer rows.Close()
	var out []CohortJob
	for rows.Next() {
		var upload []byte
		j, err := scanCohortJob(rows, &upload)
		if err != nil {
			return nil, fmt.Errorf("claim cohort jobs: %w", err)
		}
		j.UploadSealed = upload
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim cohort jobs: %w", err)
	}
	return out, nil
}

// RenewCohortJobs extends owner's lease on the running jobs it holds among tokenHashes (those
// it is working now: a job whose run ended without a word, the database gone at that moment,
// lapses and is taken over).
func (s *Store) RenewCohortJobs(ctx context.Context, owner string, lease time.Duration, tokenHashes [][]byte) error {
	if len(tokenHashes) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `UPDATE cohort_jobs SET lease_until = now() + make_interval(secs => $2)
		WHERE owner = $1 AND state = 'running' AND token_hash = ANY($3)`, owner, seconds(lease), tokenHashes); err != nil {
		return fmt.Errorf("renew cohort job leases: %w", err)
	}
	return nil
}

// ReleaseCohortJob hands back a running job owner holds (its process is stopping), so the
// next process to look takes it at once instead of waiting out the lease.
func (s *Store) ReleaseCohortJob(ctx context.Context, tokenHash []byte, owner string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE cohort_jobs SET owner = '', lease_until = '-infinity'
		WHERE token_hash = $1 AND owner = $2 AND state = 'running'`, tokenHash, owner); err != nil {
		return fmt.Errorf("release cohort job: %w", err)
	}
	return nil
}

// DeleteCohortJobsBefore deletes the jobs last changed before cutoff (the retention: their
// reports have been downloaded or forgotten, and the sealed uploads must not stay for ever).
func (s *Store) DeleteCohortJobsBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM cohort_jobs WHERE updated_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("delete old cohort jobs: %w", err)
	}
	return tag.RowsAffected(), nil
}
