package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// startWait is how long the start of a cohort waits for its job before it answers with the
// progress page: a class-sized file shows its outcome at once, a large one never holds the
// request while thousands of journeys start.
const startWait = time.Second

// progressRefresh is how often the progress page reloads itself (a meta refresh: the pages
// use no JavaScript).
const progressRefresh = 2

// Defaults of the job options (Options.JobLease, Options.JobRetention).
const (
	defaultJobLease     = time.Minute
	defaultJobRetention = 30 * 24 * time.Hour
	// claimBatch is how many stopped jobs one look takes over.
	claimBatch = 4
	// sweepEvery is how often jobs past the retention are deleted.
	sweepEvery = time.Hour
)

// JobStore keeps the cohort-start jobs (store.Store, table cohort_jobs): the progress page
// reads them from there, so any serve process shows any job, and a process that starts takes
// over the jobs a stopped one left running. Each method is the store's of the same name.
type JobStore interface {
	CreateCohortJob(ctx context.Context, j store.CohortJob, owner string, lease time.Duration) error
	CohortJob(ctx context.Context, tokenHash []byte) (store.CohortJob, error)
	CohortJobUpload(ctx context.Context, tokenHash []byte) ([]byte, error)
	CheckpointCohortJob(ctx context.Context, tokenHash []byte, owner string, done, total int, report []byte) error
	FinishCohortJob(ctx context.Context, tokenHash []byte, owner, state string, done, total int, report []byte, errText string) error
	ClaimCohortJobs(ctx context.Context, owner string, lease time.Duration, limit int) ([]store.CohortJob, error)
	RenewCohortJobs(ctx context.Context, owner string, lease time.Duration, tokenHashes [][]byte) error
	ReleaseCohortJob(ctx context.Context, tokenHash []byte, owner string) error
	DeleteCohortJobsBefore(ctx context.Context, cutoff time.Time) (int64, error)
}

// jobUpload is what a job keeps of its upload, sealed: the file as uploaded (the rows carry
// NIKs, names and phones) and the rules it was previewed with, so a resumed job validates the
// rows exactly as the preview and the first run did.
type jobUpload struct {
	Name  string
	Data  []byte
	Rules cohort.Rules
}

// sealer seals what a job keeps of an upload with the payload keys (package codec, as every
// Temporal payload), so the database never holds the rows' personal data in clear. Without a
// keyring (the in-memory jobs of a server without a JobStore) it keeps them as JSON: they
// then never leave this process's memory.
type sealer struct{ dc converter.DataConverter }

func newSealer(ring *codec.Keyring) sealer {
	if ring == nil {
		return sealer{}
	}
	return sealer{dc: codec.DataConverter(ring)}
}

func (s sealer) seal(v any) ([]byte, error) {
	if s.dc == nil {
		return json.Marshal(v)
	}
	p, err := s.dc.ToPayload(v)
	if err != nil {
		return nil, fmt.Errorf("seal cohort upload: %w", err)
	}
	b, err := proto.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("seal cohort upload: %w", err)
	}
	return b, nil
}

func (s sealer) open(b []byte, v any) error {
	if s.dc == nil {
		return json.Unmarshal(b, v)
	}
	var p commonpb.Payload
	if err := proto.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("open cohort upload: %w", err)
	}
	// The codec passes clear payloads through; a job never stores one, so one is refused.
	if !codec.IsEncrypted(&p) {
		return errors.New("open cohort upload: it is not sealed")
	}
	if err := s.dc.FromPayload(&p, v); err != nil {
		return fmt.Errorf("open cohort upload: %w", err)
	}
	return nil
}

// tokenHash is how a job is found: the SHA-256 of its upload's token (the token itself is in
// the page's address only).
func tokenHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// jobRunner runs the cohort-start jobs of this process: those started here and, once StartJobs
// has been called, those it takes over from a process that stopped (or died: its lease ran
// out). Each job holds a lease the runner renews; StopJobs cancels the jobs, which hand their
// leases back so the next process resumes them at once.
type jobRunner struct {
	s      *Server
	owner  string
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	live   map[string]chan struct{} // token hash (hex) → closed when its run here returns
	loop   sync.Once
}

func newJobRunner(s *Server) *jobRunner {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // a random owner id; crypto/rand does not fail on supported systems
	ctx, cancel := context.WithCancel(context.Background())
	return &jobRunner{s: s, owner: "serve-" + hex.EncodeToString(b), ctx: ctx, cancel: cancel, live: map[string]chan struct{}{}}
}

// StartJobs resumes the cohort-start jobs no process is working (left running by a stopped or
// restarted serve), at once and then every third of the lease, renews the leases of the jobs
// running here, and deletes jobs past the retention. `kompeten serve` calls it at start.
func (s *Server) StartJobs() {
	r := s.jobs
	r.loop.Do(func() {
		r.wg.Add(1)
		go r.watch()
	})
}

// StopJobs stops the jobs running here as a shutdown does: each stops before its next batch
// (the batch in flight is cut; its rows read unknown and are sent again on resume, where a
// started one reads already-enrolled) and hands its lease back, so the next serve process takes
// it over at once. It returns when they have stopped or ctx ends.
func (s *Server) StopJobs(ctx context.Context) error {
	r := s.jobs
	r.cancel()
	stopped := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(stopped)
	}()
	select {
	case <-stopped:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop cohort jobs: %w", ctx.Err())
	}
}

// watch is StartJobs's loop.
func (r *jobRunner) watch() {
	defer r.wg.Done()
	tick := time.NewTicker(r.s.opts.JobLease / 3)
	defer tick.Stop()
	var swept time.Time
	for {
		ctx, cancel := context.WithTimeout(r.ctx, r.s.opts.JobLease/3)
		if err := r.s.jobStore.RenewCohortJobs(ctx, r.owner, r.s.opts.JobLease, r.running()); err != nil && r.ctx.Err() == nil {
			r.s.opts.Logger.Error("cohort jobs: renew leases", "error", err)
		}
		if time.Since(swept) > sweepEvery {
			if n, err := r.s.jobStore.DeleteCohortJobsBefore(ctx, time.Now().Add(-r.s.opts.JobRetention)); err != nil {
				if r.ctx.Err() == nil {
					r.s.opts.Logger.Error("cohort jobs: delete past the retention", "error", err)
				}
			} else {
				swept = time.Now()
				if n > 0 {
					r.s.opts.Logger.Info("cohort jobs deleted past the retention", "jobs", n, "retention", r.s.opts.JobRetention)
				}
			}
		}
		jobs, err := r.s.jobStore.ClaimCohortJobs(ctx, r.owner, r.s.opts.JobLease, claimBatch)
		cancel()
		if err != nil && r.ctx.Err() == nil {
			r.s.opts.Logger.Error("cohort jobs: take over stopped jobs", "error", err)
		}
		for _, j := range jobs {
			var up jobUpload
			if err := r.s.seal.open(j.UploadSealed, &up); err != nil {
				r.fail(j, err)
				continue
			}
			r.s.opts.Logger.Info("cohort job resumed", "package", j.Package, "done", j.Done, "total", j.Total)
			r.launch(j, up)
		}
		select {
		case <-r.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// running are the token hashes of the jobs running here.
func (r *jobRunner) running() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][]byte, 0, len(r.live))
	for k := range r.live {
		if h, err := hex.DecodeString(k); err == nil {
			out = append(out, h)
		}
	}
	return out
}

// fail ends a job that cannot run (its upload does not open: a key removed from the keyring).
func (r *jobRunner) fail(j store.CohortJob, err error) {
	r.s.opts.Logger.Error("cohort job cannot resume", "package", j.Package, "error", err)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), 10*time.Second)
	defer cancel()
	if err := r.s.jobStore.FinishCohortJob(ctx, j.TokenHash, r.owner, store.CohortJobFailed, j.Done, j.Total, nil, err.Error()); err != nil {
		r.s.opts.Logger.Error("cohort job: record the failure", "package", j.Package, "error", err)
	}
}

// launch runs j (leased to this runner) in the background and returns a channel closed when
// its run here returns.
func (r *jobRunner) launch(j store.CohortJob, up jobUpload) <-chan struct{} {
	key := hex.EncodeToString(j.TokenHash)
	end := make(chan struct{})
	r.mu.Lock()
	r.live[key] = end
	r.mu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer func() {
			r.mu.Lock()
			delete(r.live, key)
			r.mu.Unlock()
			close(end)
		}()
		r.run(j, up)
	}()
	return end
}

// counts are a report's valid rows (total) and those the enrol API has answered for (done).
func counts(rep importer.Report) (done, total int) {
	for _, row := range rep.Rows {
		switch row.Outcome {
		case importer.OutcomeRejected:
		case importer.OutcomeValid, importer.OutcomeNotSent, importer.OutcomeUnknown:
			total++
		default:
			done++
			total++
		}
	}
	return done, total
}

// run enrols the rows as `kompeten import` does, from where an earlier run stopped, writing the
// report to the job before each batch and at the end. It acts as the person who started the
// job (the identity it was started with), not as the request: that has long been answered.
func (r *jobRunner) run(j store.CohortJob, up jobUpload) {
	ctx := r.ctx
	if j.Role != "" {
		ctx = api.WithIdentity(ctx, auth.Identity{Name: j.Actor, Role: j.Role, Scopes: j.Scopes})
	}
	// The job's own writes finish even while it stops: a checkpoint half-written is none.
	write := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(r.ctx), 30*time.Second)
	}
	rows, err := readCohort(up.Name, up.Data)
	if err != nil {
		r.fail(j, fmt.Errorf("read the upload: %w", err))
		return
	}
	var resume *importer.Report
	if len(j.Report) > 0 {
		resume = &importer.Report{}
		if err := json.Unmarshal(j.Report, resume); err != nil {
			r.fail(j, fmt.Errorf("read the report so far: %w", err))
			return
		}
	}
	rep, err := importer.Run(ctx, rows, j.Package, r.s.api, importer.Options{BatchSize: cohortBatch, Rules: up.Rules, Resume: resume,
		Checkpoint: func(rep importer.Report) error {
			// Stopping: send no further batch; the next process resumes here.
			if err := r.ctx.Err(); err != nil {
				return err
			}
			b, err := json.Marshal(rep)
			if err != nil {
				return fmt.Errorf("cohort job report: %w", err)
			}
			done, total := counts(rep)
			wctx, cancel := write()
			defer cancel()
			return r.s.jobStore.CheckpointCohortJob(wctx, j.TokenHash, r.owner, done, total, b)
		}})
	wctx, cancel := write()
	defer cancel()
	switch {
	case r.ctx.Err() != nil:
		// Stopped (a shutdown): the job stays running, handed to the next process.
		if err := r.s.jobStore.ReleaseCohortJob(wctx, j.TokenHash, r.owner); err != nil {
			r.s.opts.Logger.Error("cohort job: hand back", "package", j.Package, "error", err)
		}
		return
	case errors.Is(err, store.ErrNotFound):
		// Another process holds it now (this one's lease ran out): it goes on there.
		r.s.opts.Logger.Warn("cohort job taken over by another process", "package", j.Package)
		return
	}
	state, errText := store.CohortJobDone, ""
	if err != nil {
		state, errText = store.CohortJobFailed, err.Error()
		var ae *apiclient.Error
		if !errors.As(err, &ae) {
			r.s.opts.Logger.Error("cohort upload", "package", j.Package, "error", err)
		}
	}
	b, merr := json.Marshal(rep)
	if merr != nil {
		b = nil
	}
	done, total := counts(rep)
	if err := r.s.jobStore.FinishCohortJob(wctx, j.TokenHash, r.owner, state, done, total, b, errText); err != nil {
		r.s.opts.Logger.Error("cohort job: record the end", "package", j.Package, "error", err)
	}
}

// progressData is the progress page's figures, written the Indonesian way (1.200) and the
// English way (1,200).
type progressData struct {
	Done, Total, Percent int
	DoneID, TotalID      string
	DoneEN, TotalEN      string
	Refresh              int
}

func newProgress(done, total int) *progressData {
	p := &progressData{Done: done, Total: total, Refresh: progressRefresh,
		DoneID: grouped(done, '.'), TotalID: grouped(total, '.'), DoneEN: grouped(done, ','), TotalEN: grouped(total, ',')}
	if total > 0 {
		p.Percent = done * 100 / total
	}
	return p
}

// grouped writes n with sep between groups of three digits.
func grouped(n int, sep byte) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, sep)
		}
		out = append(out, s[i])
	}
	return neg + string(out)
}

// startedJob is the job of a started upload of pkg by who, read from the job store; ok is
// false when there is none (never started, past the retention) or it is someone else's.
func (s *Server) startedJob(ctx context.Context, tok, pkg, who string) (store.CohortJob, bool) {
	j, err := s.jobStore.CohortJob(ctx, tokenHash(tok))
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.opts.Logger.Error("cohort job", "package", pkg, "error", err)
		}
		return store.CohortJob{}, false
	}
	if j.Package != pkg || j.Actor != who {
		return store.CohortJob{}, false
	}
	return j, true
}

// jobReport is a finished job's row report.
func jobReport(j store.CohortJob) (importer.Report, error) {
	var rep importer.Report
	if len(j.Report) == 0 {
		return rep, nil
	}
	if err := json.Unmarshal(j.Report, &rep); err != nil {
		return rep, fmt.Errorf("cohort job report: %w", err)
	}
	return rep, nil
}

// cohortProgress is the page of a started upload, read from the job store (any serve process
// shows it, a restarted one too): while its job runs, how many of the valid rows have been
// started, reloading itself; once done, every row's outcome and the report link. An upload
// not started here and no longer held, or someone else's, answers so, with the way to finish:
// upload the same file again.
func (s *Server) cohortProgress(w http.ResponseWriter, r *http.Request) {
	code, tok := r.PathValue("code"), r.PathValue("token")
	rd := prefsOf(r).reader(s.opts.Location)
	title := rd.Tf("cohort.title", "package", code)
	d := cohortData{Package: code, Token: tok, Started: true}
	j, ok := s.startedJob(r.Context(), tok, code, actorName(r))
	if !ok {
		d.Token = ""
		d.Error = s.lostUpload(r)
		s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Status: http.StatusNotFound})
		return
	}
	var name string
	if err := s.seal.open(j.NameSealed, &name); err == nil {
		d.File = name
	} else {
		s.opts.Logger.Error("cohort job file name", "package", code, "error", err)
	}
	if j.State == store.CohortJobRunning {
		d.Progress = newProgress(j.Done, j.Total)
		d.Resumes = rd.Tf("uploadjob.resumes")
		s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Refresh: progressRefresh})
		return
	}
	rep, err := jobReport(j)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	// The names are in the sealed upload only; a page without them still shows every outcome.
	var rows []cohort.Row
	var up jobUpload
	if b, err := s.jobStore.CohortJobUpload(r.Context(), j.TokenHash); err != nil {
		s.opts.Logger.Error("cohort job upload", "package", code, "error", err)
	} else if err := s.seal.open(b, &up); err != nil {
		s.opts.Logger.Error("cohort job upload", "package", code, "error", err)
	} else if rows, err = readCohort(up.Name, up.Data); err != nil {
		s.opts.Logger.Error("cohort job upload", "package", code, "error", err)
	}
	d.Finished = true
	d.setRows(rep, rows)
	status := http.StatusOK
	if j.State == store.CohortJobFailed {
		status = http.StatusBadGateway
		d.Error = rd.Tf("uploadjob.failed", "error", j.Error)
	}
	s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Status: status})
}

// lostUpload is what a start or a progress page says of an upload this server does not hold
// and no job has, in the reader's language.
func (s *Server) lostUpload(r *http.Request) string {
	return prefsOf(r).reader(s.opts.Location).Tf("uploadjob.gone", "days", strconv.Itoa(int(s.opts.JobRetention/(24*time.Hour))))
}

// memJobs is the JobStore of a server given none (tests, tools): the jobs live in this
// process's memory, so a restart loses them. Leases mean nothing with one process: a job is
// held from its start until it ends or is handed back.
type memJobs struct {
	mu   sync.Mutex
	jobs map[string]*memJob
}

type memJob struct {
	store.CohortJob
	owner string
}

func (m *memJobs) CreateCohortJob(_ context.Context, j store.CohortJob, owner string, _ time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.jobs[string(j.TokenHash)]; ok {
		return fmt.Errorf("%w: this upload has started already", store.ErrExists)
	}
	now := time.Now()
	j.State, j.CreatedAt, j.UpdatedAt = store.CohortJobRunning, now, now
	m.jobs[string(j.TokenHash)] = &memJob{CohortJob: j, owner: owner}
	return nil
}

func (m *memJobs) CohortJob(_ context.Context, h []byte) (store.CohortJob, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[string(h)]
	if !ok {
		return store.CohortJob{}, fmt.Errorf("%w: cohort job", store.ErrNotFound)
	}
	out := j.CohortJob
	out.UploadSealed = nil
	return out, nil
}

func (m *memJobs) CohortJobUpload(_ context.Context, h []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[string(h)]
	if !ok {
		return nil, fmt.Errorf("%w: cohort job", store.ErrNotFound)
	}
	return j.UploadSealed, nil
}

// held is the running job owner holds, with m.mu held.
func (m *memJobs) held(h []byte, owner string) (*memJob, error) {
	j, ok := m.jobs[string(h)]
	if !ok || j.owner != owner || j.State != store.CohortJobRunning {
		return nil, fmt.Errorf("%w: cohort job running here", store.ErrNotFound)
	}
	return j, nil
}

func (m *memJobs) CheckpointCohortJob(_ context.Context, h []byte, owner string, done, total int, report []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, err := m.held(h, owner)
	if err != nil {
		return err
	}
	j.Done, j.Total, j.UpdatedAt = done, total, time.Now()
	if report != nil {
		j.Report = report
	}
	return nil
}

func (m *memJobs) FinishCohortJob(_ context.Context, h []byte, owner, state string, done, total int, report []byte, errText string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, err := m.held(h, owner)
	if err != nil {
		return err
	}
	j.State, j.Done, j.Total, j.Error, j.owner, j.UpdatedAt = state, done, total, errText, "", time.Now()
	if report != nil {
		j.Report = report
	}
	return nil
}

func (m *memJobs) ClaimCohortJobs(_ context.Context, owner string, _ time.Duration, limit int) ([]store.CohortJob, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.CohortJob
	for _, j := range m.jobs {
		if len(out) < limit && j.State == store.CohortJobRunning && j.owner == "" {
			j.owner = owner
			out = append(out, j.CohortJob)
		}
	}
	return out, nil
}

func (m *memJobs) RenewCohortJobs(context.Context, string, time.Duration, [][]byte) error { return nil }

func (m *memJobs) ReleaseCohortJob(_ context.Context, h []byte, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if j, err := m.held(h, owner); err == nil {
		j.owner = ""
	}
	return nil
}

func (m *memJobs) DeleteCohortJobsBefore(_ context.Context, cutoff time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for k, j := range m.jobs {
		if j.UpdatedAt.Before(cutoff) {
			delete(m.jobs, k)
			n++
		}
	}
	return n, nil
}
