package config

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
}

// validate reports negative values; bad is Validate's collector.
func (w WorkerConfig) validate(bad func(key, format string, args ...any)) {
	for key, v := range map[string]int{
		"workflow_pollers": w.WorkflowPollers, "activity_pollers": w.ActivityPollers,
		"max_concurrent_workflow_tasks": w.MaxConcurrentWorkflowTasks, "max_concurrent_activities": w.MaxConcurrentActivities,
		"max_concurrent_local_activities": w.MaxConcurrentLocalActivities, "sticky_cache_size": w.StickyCacheSize,
	} {
		if v < 0 {
			bad("worker."+key, "must be 0 (the SDK default) or more, got %d", v)
		}
	}
}
