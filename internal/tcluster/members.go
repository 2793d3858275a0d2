package tcluster

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.temporal.io/server/api/adminservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Membership is what one node's frontend says of the cluster: members per service ring.
type Membership map[string]int

func (m Membership) String() string {
	var parts []string
	for role, n := range m {
		parts = append(parts, fmt.Sprintf("%s=%d", role, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// complete says whether every service ring has exactly n members.
func (m Membership) complete(n int) bool {
	for _, s := range services {
		if m[s] != n {
			return false
		}
	}
	return true
}

// DescribeMembership asks a frontend (admin API DescribeCluster) how many members each of the
// cluster's service rings has.
func DescribeMembership(ctx context.Context, frontend string) (Membership, error) {
	conn, err := grpc.NewClient(frontend, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", frontend, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	resp, err := adminservice.NewAdminServiceClient(conn).DescribeCluster(ctx, &adminservice.DescribeClusterRequest{})
	if err != nil {
		return nil, fmt.Errorf("describe cluster at %s: %w", frontend, err)
	}
	m := Membership{}
	for _, r := range resp.GetMembershipInfo().GetRings() {
		m[r.GetRole()] = int(r.GetMemberCount())
	}
	return m, nil
}

// WaitMembers polls until every given frontend reports n members in each service ring (the
// nodes found each other through the membership table and ringpop), or ctx ends.
func WaitMembers(ctx context.Context, frontends []string, n int) error {
	last := map[string]string{}
	for {
		all := true
		for _, f := range frontends {
			m, err := DescribeMembership(ctx, f)
			switch {
			case err != nil:
				last[f], all = err.Error(), false
			case !m.complete(n):
				last[f], all = m.String(), false
			default:
				last[f] = m.String()
			}
		}
		if all {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster not formed with %d members per service: %v (last: %v)", n, ctx.Err(), last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
