package pgcluster

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Reachable reports whether a PostgreSQL server accepts a connection at url within one second.
func Reachable(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		return false
	}
	_ = conn.Close(ctx)
	return true
}
