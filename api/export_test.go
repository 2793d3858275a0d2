package api

// SetExportBatch makes streamed exports read n cases at a time until the returned func runs.
func SetExportBatch(n int) (restore func()) {
	old := exportBatch
	exportBatch = n
	return func() { exportBatch = old }
}
