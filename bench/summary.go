package bench

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Spread is the minimum, median and maximum of one figure over several runs.
type Spread struct {
	Name   string  `json:"name"`
	Unit   string  `json:"unit"`
	Min    float64 `json:"min"`
	Median float64 `json:"median"`
	Max    float64 `json:"max"`
}

// Summary is several runs' figures side by side.
type Summary struct {
	Runs    int      `json:"runs"`
	Figures []Spread `json:"figures"`
	// TargetsMet counts, per target, the runs that met it.
	TargetsMet map[string]int `json:"targets_met"`
}

// Summarise spreads the key figures of several runs.
func Summarise(reps []*Report) Summary {
	s := Summary{Runs: len(reps), TargetsMet: map[string]int{}}
	add := func(name, unit string, f func(*Report) float64) {
		vs := make([]float64, len(reps))
		for i, r := range reps {
			vs[i] = f(r)
		}
		slices.Sort(vs)
		med := vs[len(vs)/2]
		if len(vs)%2 == 0 {
			med = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
		s.Figures = append(s.Figures, Spread{Name: name, Unit: unit, Min: vs[0], Median: med, Max: vs[len(vs)-1]})
	}
	if len(reps) == 0 {
		return s
	}
	add("import start rate", "/s", func(r *Report) float64 { return r.StartRate.Import.PerSecond })
	add("engine raw start rate", "/s", func(r *Report) float64 { return r.StartRate.Engine.PerSecond })
	add("start ratio import/engine", "", func(r *Report) float64 { return r.StartRate.Ratio })
	add("journey throughput", "journeys/s", func(r *Report) float64 { return r.Throughput.Kompeten.PerSecond })
	add("same-shape engine throughput", "workflows/s", func(r *Report) float64 { return r.Throughput.Engine.PerSecond })
	add("throughput ratio kompeten/engine", "", func(r *Report) float64 { return r.Throughput.Ratio })
	add("CPU ratio engine/kompeten per journey", "", func(r *Report) float64 { return r.Throughput.CPURatio })
	add("CPU per journey", "ms", func(r *Report) float64 { return r.Throughput.Kompeten.CPU.MillisPerItem })
	add("CPU per same-shape workflow", "ms", func(r *Report) float64 { return r.Throughput.Engine.CPU.MillisPerItem })
	add("CPU ratio per start engine/import", "", func(r *Report) float64 { return r.StartRate.CPURatio })
	add("machine busy, journeys", "%", func(r *Report) float64 { return 100 * r.Throughput.Kompeten.CPU.Machine })
	add("machine busy, engine", "%", func(r *Report) float64 { return 100 * r.Throughput.Engine.CPU.Machine })
	add("approval p50", "ms", func(r *Report) float64 { return r.Approval.Latency.P50 })
	add("approval p95", "ms", func(r *Report) float64 { return r.Approval.Latency.P95 })
	add("approval p99", "ms", func(r *Report) float64 { return r.Approval.Latency.P99 })
	add("worker cache per 10,000 open journeys", "MiB", func(r *Report) float64 { return r.Memory.WorkerPer10kBytes / (1 << 20) })
	add("process heap per 10,000 open journeys", "MiB", func(r *Report) float64 { return r.Memory.Per10kBytes / (1 << 20) })
	add("history events per journey", "", func(r *Report) float64 { return float64(r.History.Journey.Events) })
	add("history bytes per journey", "B", func(r *Report) float64 { return float64(r.History.Journey.Bytes) })
	add("actions per journey", "", func(r *Report) float64 { return float64(r.History.Journey.Actions) })
	add("actions per same-shape workflow", "", func(r *Report) float64 { return float64(r.History.Engine.Actions) })
	for _, r := range reps {
		for _, t := range r.Targets {
			if t.Met {
				s.TargetsMet[t.Name]++
			} else {
				s.TargetsMet[t.Name] += 0
			}
		}
	}
	return s
}

// WriteTable prints the spread.
func (s Summary) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "over %d runs\tmin\tmedian\tmax\n", s.Runs)
	for _, f := range s.Figures {
		name := f.Name
		if f.Unit != "" {
			name += " (" + f.Unit + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, num(f.Min), num(f.Median), num(f.Max))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "target\truns met")
	names := make([]string, 0, len(s.TargetsMet))
	for n := range s.TargetsMet {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(tw, "%s\t%d of %d\n", n, s.TargetsMet[n], s.Runs)
	}
	return tw.Flush()
}

func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}
