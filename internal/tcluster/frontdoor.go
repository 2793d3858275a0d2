package tcluster

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// frontDoor is one address for the cluster's frontends, as a load balancer in front of the
// nodes gives clients in production: each connection goes to the next node's frontend that
// accepts it, so a client (kompeten serve, a worker) whose node died reconnects to a live one.
// It forwards TCP as it is; gRPC runs through it unchanged.
type frontDoor struct {
	ln      net.Listener
	targets []string
	next    atomic.Uint32
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
}

// openFrontDoor listens on addr (127.0.0.1:0 picks a port) and forwards to targets.
func openFrontDoor(addr string, targets []string) (*frontDoor, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	d := &frontDoor{ln: ln, targets: targets, conns: map[net.Conn]struct{}{}}
	d.wg.Add(1)
	go d.serve()
	return d, nil
}

// Addr is the address clients dial.
func (d *frontDoor) Addr() string { return d.ln.Addr().String() }

func (d *frontDoor) serve() {
	defer d.wg.Done()
	for {
		c, err := d.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.forward(c)
		}()
	}
}

// forward connects c to the first frontend, in turn from the next one, that accepts.
func (d *frontDoor) forward(c net.Conn) {
	defer c.Close()
	start := int(d.next.Add(1))
	var up net.Conn
	for i := range d.targets {
		var err error
		up, err = net.DialTimeout("tcp", d.targets[(start+i)%len(d.targets)], 2*time.Second)
		if err == nil {
			break
		}
	}
	if up == nil {
		return // no node answers: the client sees the connection close and tries again
	}
	defer up.Close()
	if !d.track(c, up) {
		return
	}
	defer d.untrack(c, up)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		// Half the connection ended (a node died, or the client left): end both halves so
		// the other side notices at once instead of at its keepalive.
		dst.Close()
		src.Close()
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	<-done
}

func (d *frontDoor) track(cs ...net.Conn) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conns == nil {
		return false // closed
	}
	for _, c := range cs {
		d.conns[c] = struct{}{}
	}
	return true
}

func (d *frontDoor) untrack(cs ...net.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range cs {
		delete(d.conns, c)
	}
}

// Close stops listening, ends every forwarded connection and waits for the goroutines.
func (d *frontDoor) Close() {
	d.ln.Close()
	d.mu.Lock()
	for c := range d.conns {
		c.Close()
	}
	d.conns = nil
	d.mu.Unlock()
	d.wg.Wait()
}
