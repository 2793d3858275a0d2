package config

import (
	"reflect"
	"time"
)

// WorkerConfig tunes the Temporal worker. Every 0 keeps the SDK's default, so tuning is opt-in;
// BENCHMARKS.md records what each setting did on the benchmark before it became a default.
type WorkerConfig struct {
	// WorkflowPollers and ActivityPollers are the long polls kept open per task queue.
	WorkflowPollers int `mapstructure:"workflow_pollers" yaml:"workflow_pollers"`
	ActivityPollers int `mapstructure:"activity_pollers" yaml:"activity_pollers"`
	// MaxConcurrent* bound the tasks one worker runs at once.
	MaxConcurrentWorkflowTasks   int `mapstructure:"max_concurrent_workflow_tasks" yaml:"max_concurrent_workflow_tasks"`
	MaxConcurrentActivities      int `mapstructure:"max_concurrent_activities" yaml:"max_concurrent_activities"`
	MaxConcurrentLocalActivities int `mapstructure:"max_concurrent_local_activities" yaml:"max_concurrent_local_activities"`
	// StickyCacheSize is how many journeys the process keeps in memory between their tasks.
	StickyCacheSize int `mapstructure:"sticky_cache_size" yaml:"sticky_cache_size"`
	// StopTimeout is how long a stopping worker (SIGTERM) lets running activities finish
	// after it has stopped polling; then they are cancelled and retried elsewhere.
	StopTimeout time.Duration `mapstructure:"stop_timeout" yaml:"stop_timeout"`
}

// validate reports negative values; bad is Validate's collector.
func (w WorkerConfig) validate(bad func(key, format string, args ...any)) {
	// Every field is a count whose 0 keeps the SDK's default: walk them in declaration order
	// rather than list their keys a second time.
	var keys []Key
	walk(reflect.ValueOf(w), "worker.", &keys)
	if w.StopTimeout < 0 {
		bad("worker.stop_timeout", "must not be negative, got %s", w.StopTimeout)
	}
	for _, k := range keys {
		if v, ok := k.Value.(int); ok && v < 0 {
			bad(k.Name, "must be 0 (the SDK default) or more, got %d", v)
		}
	}
}
