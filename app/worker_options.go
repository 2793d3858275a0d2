package app

import (
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/worker"
)

// WorkerOptions turns worker.* from the configuration into the worker's tuning.
func WorkerOptions(c *config.Config) worker.Options {
	w := c.Worker
	return worker.Options{
		WorkflowPollers:              w.WorkflowPollers,
		ActivityPollers:              w.ActivityPollers,
		MaxConcurrentWorkflowTasks:   w.MaxConcurrentWorkflowTasks,
		MaxConcurrentActivities:      w.MaxConcurrentActivities,
		MaxConcurrentLocalActivities: w.MaxConcurrentLocalActivities,
		StickyCacheSize:              w.StickyCacheSize,
		StopTimeout:                  w.StopTimeout,
		Deployment:                   workerDeployment(c),
	}
}
