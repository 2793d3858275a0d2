// Package freeport finds a TCP port to give a server that binds it later (the embedded Temporal
// server's services, a private PostgreSQL cluster).
package freeport

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// Find returns a TCP port on ip that nothing listens on now, outside the kernel's ephemeral
// range. The usual trick, listening on port 0 and closing, hands out a port from that range,
// which every outgoing connection of the machine (database pools, gRPC clients) draws from too:
// between the close and the server's own bind, one of them could take it, and the server then
// failed to start ("Failed to start gRPC listener", seen in CI with the tests' many
// connections). A port outside the range is taken only by another listener choosing it.
func Find(ip string) (int, error) {
	lo, hi := ephemeralRange()
	for range 100 {
		p := 10000 + rand.IntN(65536-10000)
		if p >= lo && p <= hi {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(p)))
		if err != nil {
			continue // in use
		}
		l.Close()
		return p, nil
	}
	// Every try was in use or in the range (an unusual range setting): let the kernel choose.
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port on %s: %w", ip, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ephemeralRange is the kernel's range for outgoing connections (Linux; elsewhere the IANA
// range, which BSDs and macOS use).
func ephemeralRange() (lo, hi int) {
	lo, hi = 49152, 65535
	f, err := os.Open("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return lo, hi
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return lo, hi
	}
	fields := strings.Fields(sc.Text())
	if len(fields) != 2 {
		return lo, hi
	}
	l, err1 := strconv.Atoi(fields[0])
	h, err2 := strconv.Atoi(fields[1])
	if err1 != nil || err2 != nil || l > h {
		return lo, hi
	}
	return l, h
}
