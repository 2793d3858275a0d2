package tcluster

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// echo serves one line back per connection, prefixed with its name.
func echo(t *testing.T, name string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				line, _ := bufio.NewReader(c).ReadString('\n')
				_, _ = c.Write([]byte(name + ":" + line))
			}()
		}
	}()
	return ln
}

func ask(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("hi\n")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "closed"
	}
	return line
}

// Connections go to both nodes in turn; once one node is gone every connection reaches the
// other, and with none left a connection is closed (the client tries again).
func TestFrontDoorSpreadsAndSkipsADeadNode(t *testing.T) {
	a, b := echo(t, "a"), echo(t, "b")
	defer a.Close()
	door, err := openFrontDoor("127.0.0.1:0", []string{a.Addr().String(), b.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer door.Close()
	seen := map[string]int{}
	for range 4 {
		seen[ask(t, door.Addr())]++
	}
	if seen["a:hi\n"] != 2 || seen["b:hi\n"] != 2 {
		t.Fatalf("four connections went %v, want two to each node", seen)
	}
	b.Close()
	for range 4 {
		if got := ask(t, door.Addr()); got != "a:hi\n" {
			t.Fatalf("with node b gone a connection got %q, want node a's answer", got)
		}
	}
	a.Close()
	if got := ask(t, door.Addr()); got != "closed" {
		t.Fatalf("with no node a connection got %q, want it closed", got)
	}
}
