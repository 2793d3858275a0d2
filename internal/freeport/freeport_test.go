package freeport

import (
	"net"
	"strconv"
	"testing"
)

// A found port is outside the ephemeral range and can be bound.
func TestFindGivesABindablePortOutsideTheEphemeralRange(t *testing.T) {
	lo, hi := ephemeralRange()
	for range 20 {
		p, err := Find("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if p >= lo && p <= hi {
			t.Fatalf("port %d is in the ephemeral range %d-%d", p, lo, hi)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d cannot be bound: %v", p, err)
		}
		l.Close()
	}
}

// A port something listens on is never handed out.
func TestFindSkipsPortsInUse(t *testing.T) {
	held := map[int]net.Listener{}
	for range 50 {
		p, err := Find("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := held[p]; dup {
			t.Fatalf("port %d handed out while it is listened on", p)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatal(err)
		}
		held[p] = l
	}
	for _, l := range held {
		l.Close()
	}
}
