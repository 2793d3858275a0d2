package bench

import (
	"bufio"
	"os"
	"runtime"
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
}

func startCPU() cpuMeter {
	busy, total := machineTicks()
	return cpuMeter{start: time.Now(), busy0: busy, total0: total, proc0: processSeconds()}
}

// CPUUse is the share of the machine that was busy (all processes, PostgreSQL included) and the
// share this process used, both of all cores.
type CPUUse struct {
	Machine float64 `json:"machine"`
	Process float64 `json:"process"`
}

func (m cpuMeter) stop() CPUUse {
	busy, total := machineTicks()
	var u CPUUse
	if dt := total - m.total0; dt > 0 {
		u.Machine = (busy - m.busy0) / dt
	}
	if wall := time.Since(m.start).Seconds(); wall > 0 {
		u.Process = (processSeconds() - m.proc0) / wall / float64(runtime.NumCPU())
	}
	return u
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
