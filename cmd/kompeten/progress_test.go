package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// clock is a time that moves only when the test says.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// The bar of an import on a terminal shows no rate while the run is too young for one to mean
// anything (a first batch answered at once read as "554928 rows/s"), then the rows per second
// since the start.
func TestProgressBarShowsARateOnlyWhenItMeansSomething(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	p := startProgress(&out, 28, "starting journeys", true, c.now)
	p.set(0)
	c.t = c.t.Add(300 * time.Millisecond)
	p.set(28)
	p.finish()
	if !strings.Contains(out.String(), "28/28") {
		t.Fatalf("the bar shows no count:\n%q", out.String())
	}
	if strings.Contains(out.String(), "/s") || strings.Contains(out.String(), "rows/") {
		t.Fatalf("a rate after 300 ms:\n%q", out.String())
	}

	out.Reset()
	p = startProgress(&out, 400, "starting journeys", true, c.now)
	p.set(0)
	c.t = c.t.Add(2 * time.Second)
	p.set(200)
	if !strings.Contains(out.String(), "starting journeys (100 rows/s)") || !strings.Contains(out.String(), "200/400") {
		t.Fatalf("after 200 rows in 2 s:\n%q", out.String())
	}
}

// Off a terminal (a log, CI) the progress is one line per batch, with the rate once it means
// something, and nothing for the start.
func TestProgressLinesOffATerminal(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	p := startProgress(&out, 400, "starting journeys", false, c.now)
	p.set(0)
	c.t = c.t.Add(100 * time.Millisecond)
	p.set(200)
	c.t = c.t.Add(3900 * time.Millisecond)
	p.set(400)
	p.finish()
	want := "starting journeys: 400 rows\n  200/400 rows\n  400/400 rows (100 rows/s)\n"
	if out.String() != want {
		t.Fatalf("output %q, want %q", out.String(), want)
	}
}
