package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
)

// startWait is how long the start of a cohort waits for its job before it answers with the
// progress page: a class-sized file shows its outcome at once, a large one never holds the
// request while thousands of journeys start.
const startWait = time.Second

// progressRefresh is how often the progress page reloads itself (a meta refresh: the pages
// use no JavaScript).
const progressRefresh = 2

// cohortJob is the start of an uploaded cohort running in the server: the import's batches go
// to the enrol API in the background and the progress page reads how far they are. It lives
// in memory with its upload; after a restart its page says so, and uploading the same file
// again finishes it (rows already started read already-enrolled, as with the CLI).
type cohortJob struct {
	mu       sync.Mutex
	done     int // people the enrol API has answered for
	total    int // people sent (the valid rows); 0 until the first batch goes out
	finished bool
	report   importer.Report
	err      error
	rows     []cohort.Row // for the names on the outcome page
	end      chan struct{}
}

// jobState is a copy of a job's progress, read under its lock.
type jobState struct {
	Done, Total int
	Finished    bool
	Report      importer.Report
	Err         error
	Rows        []cohort.Row
}

func (j *cohortJob) state() jobState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobState{Done: j.done, Total: j.total, Finished: j.finished, Report: j.report, Err: j.err, Rows: j.rows}
}

func (j *cohortJob) progress(done, total int) {
	j.mu.Lock()
	j.done, j.total = done, total
	j.mu.Unlock()
}

// run enrols the rows as `kompeten import` does and records the report; ctx carries the
// identity of the person who started it, not the request's deadline (the request has long
// been answered).
func (j *cohortJob) run(ctx context.Context, s *Server, code string, u *upload, rules cohort.Rules) {
	defer close(j.end)
	rep, err := importer.Run(ctx, j.rows, code, s.api, importer.Options{BatchSize: cohortBatch, Rules: rules, Progress: j.progress})
	if err != nil {
		var ae *apiclient.Error
		if !errors.As(err, &ae) {
			s.opts.Logger.Error("cohort upload", "package", code, "error", err)
		}
	}
	j.mu.Lock()
	j.finished, j.report, j.err = true, rep, err
	j.mu.Unlock()
	// The report stays to be downloaded for as long as a preview is held, from the end.
	heldUploads.mu.Lock()
	u.Expires = time.Now().Add(heldFor)
	heldUploads.mu.Unlock()
}

// running tells a held upload with a job not finished yet: it is not swept while it runs.
func (u *upload) running() bool {
	if u.Job == nil {
		return false
	}
	select {
	case <-u.Job.end:
		return false
	default:
		return true
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

func newProgress(st jobState) *progressData {
	p := &progressData{Done: st.Done, Total: st.Total, Refresh: progressRefresh,
		DoneID: grouped(st.Done, '.'), TotalID: grouped(st.Total, '.'), DoneEN: grouped(st.Done, ','), TotalEN: grouped(st.Total, ',')}
	if st.Total > 0 {
		p.Percent = st.Done * 100 / st.Total
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

// cohortProgress is the page of a started upload: while its job runs, how many of the valid
// rows have been started, reloading itself; once done, every row's outcome and the report
// link. An upload this server does not hold (a restart, the hour passed, someone else's)
// answers so, with the way to finish: upload the same file again.
func (s *Server) cohortProgress(w http.ResponseWriter, r *http.Request) {
	code, tok := r.PathValue("code"), r.PathValue("token")
	rd := prefsOf(r).reader(s.opts.Location)
	title := rd.Tf("cohort.title", "package", code)
	d := cohortData{Package: code, Token: tok, Started: true}
	heldUploads.mu.Lock()
	u, ok := heldUploads.lookup(tok, code, actorName(r))
	var job *cohortJob
	if ok {
		d.File, job = u.Name, u.Job
	}
	heldUploads.mu.Unlock()
	if job == nil {
		d.Token = ""
		d.Error = rd.T("cohort.lost-upload", nil)
		s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Status: http.StatusNotFound})
		return
	}
	st := job.state()
	if !st.Finished {
		d.Progress = newProgress(st)
		s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Refresh: progressRefresh})
		return
	}
	d.Finished = true
	d.setRows(st.Report, st.Rows)
	status := http.StatusOK
	if st.Err != nil {
		var ae *apiclient.Error
		if errors.As(st.Err, &ae) {
			status = ae.Status
		} else {
			status = http.StatusBadGateway
		}
		d.Error = rd.Tf("cohort.stopped", "error", st.Err.Error())
	}
	s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Status: status})
}
