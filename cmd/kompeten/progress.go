package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// minRateWindow is how long a run must have lasted before its rate is shown: over the first
// moments a rate says nothing (a batch of 200 rows answered in 0.4 ms reads as 500,000 rows/s).
const minRateWindow = time.Second

// progress shows how far a long run is: a bar with the count and the elapsed time on a
// terminal, plain lines otherwise (logs, CI); both add the rate once it means something.
type progress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	what  string
	total int
	start time.Time
	now   func() time.Time
}

// newProgress starts showing the progress of total items on w.
func newProgress(w io.Writer, total int, what string) *progress {
	f, ok := w.(*os.File)
	return startProgress(w, total, what, ok && term.IsTerminal(int(f.Fd())), time.Now)
}

// startProgress starts the clock of the rate at now(); a bar when terminal is true.
func startProgress(w io.Writer, total int, what string, terminal bool, now func() time.Time) *progress {
	p := &progress{w: w, what: what, total: total, start: now(), now: now}
	if !terminal {
		fmt.Fprintf(w, "%s: %d rows\n", what, total)
		return p
	}
	// No throttle and no rate or ETA of the bar's own: progress comes once per batch, and the
	// bar's rate is measured from its first update, so the first batch read as thousands of
	// rows a second. The rate goes in the description instead (rate).
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(true),
	)
	return p
}

// rate words the rows per second since the start, or "" while too little time has passed to
// say.
func (p *progress) rate(done int) string {
	elapsed := p.now().Sub(p.start)
	if done <= 0 || elapsed < minRateWindow {
		return ""
	}
	return fmt.Sprintf("%.0f rows/s", float64(done)/elapsed.Seconds())
}

// set shows that done of the total items are done.
func (p *progress) set(done int) {
	r := p.rate(done)
	if p.bar != nil {
		if r != "" {
			p.bar.Describe(p.what + " (" + r + ")")
		}
		_ = p.bar.Set(done)
		return
	}
	if done <= 0 {
		return
	}
	if r != "" {
		r = " (" + r + ")"
	}
	fmt.Fprintf(p.w, "  %d/%d rows%s\n", done, p.total, r)
}

// finish ends the bar's line.
func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}
