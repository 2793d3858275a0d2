package clusterbench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// rssBytes is a process's resident set size from /proc (0 when it cannot be read).
func rssBytes(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// cpuSeconds is a process's user and system CPU so far, from /proc (0 when it cannot be read).
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis
	// start at field 3, so utime and stime (14 and 15) are the 12th and 13th of them.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on Linux.
const clockTicks = 100

// loadAverage is the machine's 1-minute load average.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// scrape reads the named gauges (summed over their label sets) from a Prometheus text
// endpoint; a name missing from the answer is absent from the map.
func scrape(ctx context.Context, url string, names ...string) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, n := range names {
			if !strings.HasPrefix(line, n) {
				continue
			}
			rest := line[len(n):]
			if rest == "" || (rest[0] != ' ' && rest[0] != '{') {
				continue // another metric whose name starts with n
			}
			f := strings.Fields(line)
			if v, err := strconv.ParseFloat(f[len(f)-1], 64); err == nil {
				out[n] += v
			}
		}
	}
	return out, sc.Err()
}

// Databases are the sizes of the run's three databases and the connections open to each.
type Databases struct {
	KompetenBytes   int64 `json:"kompeten_bytes"`
	TemporalBytes   int64 `json:"temporal_bytes"`
	VisibilityBytes int64 `json:"visibility_bytes"`
	KompetenConns   int   `json:"kompeten_connections"`
	TemporalConns   int   `json:"temporal_connections"`
	VisibilityConns int   `json:"visibility_connections"`
}

// measureDatabases reads sizes and connection counts from the server's catalogue.
func measureDatabases(ctx context.Context, pgURL, kompeten, temporal, visibility string) (Databases, error) {
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return Databases{}, fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	var d Databases
	q := `SELECT pg_database_size($1), (SELECT count(*) FROM pg_stat_activity WHERE datname = $1)`
	for _, x := range []struct {
		name  string
		size  *int64
		conns *int
	}{{kompeten, &d.KompetenBytes, &d.KompetenConns}, {temporal, &d.TemporalBytes, &d.TemporalConns}, {visibility, &d.VisibilityBytes, &d.VisibilityConns}} {
		if err := conn.QueryRow(ctx, q, x.name).Scan(x.size, x.conns); err != nil {
			return d, fmt.Errorf("size of database %s: %w", x.name, err)
		}
	}
	return d, nil
}

// Shards is how the open workflows spread over the history shards.
type Shards struct {
	Configured int `json:"configured"`
	Used       int `json:"used"`
	// MinOpen and MaxOpen are the fewest and most workflow executions on one used shard.
	MinOpen int `json:"min_executions"`
	MaxOpen int `json:"max_executions"`
}

// measureShards counts executions per shard in the persistence database.
func measureShards(ctx context.Context, dbURL string, configured int) (Shards, error) {
	s := Shards{Configured: configured}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return s, fmt.Errorf("connect to the temporal database: %w", err)
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SELECT count(*), coalesce(min(n), 0), coalesce(max(n), 0)
		FROM (SELECT shard_id, count(*) AS n FROM executions GROUP BY shard_id) s`).Scan(&s.Used, &s.MinOpen, &s.MaxOpen)
	if err != nil {
		return s, fmt.Errorf("executions per shard: %w", err)
	}
	return s, nil
}
