package bench

import (
	"bufio"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Machine describes where a run happened; figures from different machines do not compare.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	MemTotal  string `json:"mem_total"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
}

func describeMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	m.CPUModel = firstField("/proc/cpuinfo", "model name")
	if kb := firstField("/proc/meminfo", "MemTotal"); kb != "" {
		if n, err := strconv.ParseFloat(strings.Fields(kb)[0], 64); err == nil {
			m.MemTotal = strconv.FormatFloat(n/1024/1024, 'f', 1, 64) + " GiB"
		}
	}
	return m
}

// firstField returns the value of the first "key: value" line of a /proc file.
func firstField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// cpuMeter tells how busy the machine and this process were over a phase: a throughput figure
// means "the engine's limit" only when the machine was busy for all of it.
type cpuMeter struct {
	start                time.Time
	busy0, total0, proc0 float64
	pg                   func() map[int]float64 // CPU seconds of the run's PostgreSQL backends
	pg0                  map[int]float64
}

func startCPU(pg func() map[int]float64) cpuMeter {
	busy, total := machineTicks()
	m := cpuMeter{start: time.Now(), busy0: busy, total0: total, proc0: processSeconds(), pg: pg}
	if pg != nil {
		m.pg0 = pg()
	}
	return m
}

// pgSeconds is the CPU the run's PostgreSQL backends used since m started; a backend that
// ended meanwhile is missed (the pools keep theirs open).
func (m cpuMeter) pgSeconds() float64 {
	if m.pg == nil {
		return 0
	}
	var sum float64
	for pid, v := range m.pg() {
		sum += v - m.pg0[pid]
	}
	return sum
}

// procCPUSeconds reads the user+system CPU time of a process from /proc (Linux, clock ticks
// of 1/100 s).
func procCPUSeconds(pid int) (float64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces; the fields that matter follow its closing parenthesis.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100, true
}

// CPUUse is the share of the machine that was busy (all processes, PostgreSQL included) and the
// share this process used, both of all cores.
type CPUUse struct {
	Machine float64 `json:"machine"`
	Process float64 `json:"process"`
	// MillisPerItem is the CPU one item cost this process and the run's PostgreSQL backends:
	// the throughput a saturated machine would reach is inversely proportional to it, however
	// busy other work kept the machine meanwhile.
	MillisPerItem   float64 `json:"cpu_ms_per_item,omitempty"`
	PGMillisPerItem float64 `json:"pg_cpu_ms_per_item,omitempty"`
}

// segments add up the parts of one side of a comparison: the sides take turns (engine, kompeten,
// engine, kompeten …), so that load from elsewhere on a shared machine falls on both alike.
type segments struct {
	count             int           // counted for the rate, over wall
	wall              time.Duration //
	items             int           // done in all, for the CPU per item
	cpuWall           time.Duration // the whole of each segment
	busy, total, proc float64
	pg                float64
}

// addSteady counts the things closed at the given times at their steady rate: those closed
// between the first 10% and the last 10%, over the time between. A closed loop fills up and
// drains at its ends, at a rate that says nothing about the system's. Closes seen by polling
// share their timestamps, so a small run can have no time between; it is then measured from
// from (when the phase began) to the last close.
func (s *segments) addSteady(closes []time.Time, from time.Time, m cpuMeter) {
	s.items += len(closes)
	if lo, hi, n, ok := steadyWindow(closes); ok {
		s.measure(n, hi.Sub(lo), m)
		return
	}
	s.measure(len(closes), slices.MaxFunc(closes, time.Time.Compare).Sub(from), m)
}

// steadyWindow is the steady part of a closed loop's closes: from the close after the first
// 10% to the close before the last 10%, and how many closed after its start. ok is false when
// it has no length.
func steadyWindow(closes []time.Time) (from, to time.Time, n int, ok bool) {
	c := slices.Clone(closes)
	slices.SortFunc(c, time.Time.Compare)
	lo, hi := len(c)/10, len(c)-1-len(c)/10
	if hi <= lo || !c[hi].After(c[lo]) {
		return from, to, 0, false
	}
	return c[lo], c[hi], hi - lo, true
}

// meanInFlight is how many were open on average over the steady window of closes: each item
// open from its close less its latency to its close.
func meanInFlight(closes []time.Time, latencies []time.Duration) float64 {
	from, to, _, ok := steadyWindow(closes)
	if !ok || len(latencies) != len(closes) {
		return 0
	}
	var open time.Duration
	for i, end := range closes {
		start := end.Add(-latencies[i])
		if a, b := maxTime(start, from), minTime(end, to); b.After(a) {
			open += b.Sub(a)
		}
	}
	return open.Seconds() / to.Sub(from).Seconds()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// add counts n things done in d, with the CPU used since m started.
func (s *segments) add(n int, d time.Duration, m cpuMeter) {
	s.items += n
	s.measure(n, d, m)
}

func (s *segments) measure(n int, d time.Duration, m cpuMeter) {
	busy, total := machineTicks()
	s.count += n
	s.wall += d
	s.cpuWall += time.Since(m.start)
	s.busy += busy - m.busy0
	s.total += total - m.total0
	s.proc += processSeconds() - m.proc0
	s.pg += m.pgSeconds()
}

// rate is the combined rate, and the CPU use over all segments.
func (s *segments) rate() Rate {
	r := Rate{Count: s.count, Seconds: s.wall.Seconds()}
	if s.wall > 0 {
		r.PerSecond = float64(s.count) / s.wall.Seconds()
	}
	if s.cpuWall > 0 {
		r.CPU.Process = s.proc / s.cpuWall.Seconds() / float64(runtime.NumCPU())
	}
	if s.total > 0 {
		r.CPU.Machine = s.busy / s.total
	}
	if s.items > 0 {
		r.CPU.MillisPerItem = 1000 * (s.proc + s.pg) / float64(s.items)
		r.CPU.PGMillisPerItem = 1000 * s.pg / float64(s.items)
	}
	return r
}

// machineTicks reads the busy and total CPU ticks of all cores from /proc/stat.
func machineTicks() (busy, total float64) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, 0
	}
	fields := strings.Fields(sc.Text())
	for i, s := range fields[1:] {
		v, _ := strconv.ParseFloat(s, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// processSeconds is the CPU time (user + system) this process has used.
func processSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// memSnapshot is the memory in use by live objects and goroutine stacks after a full GC, and
// the resident set size of the process.
type memSnapshot struct {
	InUse uint64
	RSS   uint64
}

func measureMemory() memSnapshot {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := memSnapshot{InUse: ms.HeapInuse + ms.StackInuse}
	if kb := firstField("/proc/self/status", "VmRSS"); kb != "" {
		if n, err := strconv.ParseUint(strings.Fields(kb)[0], 10, 64); err == nil {
			s.RSS = n * 1024
		}
	}
	return s
}
