package partition

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// lab is a private network of Linux network namespaces: one per node, each
// with a veth to a bridge that lives in a namespace of its own. Nothing is
// created in the host's namespace, so the host's interfaces and routes are
// never touched, and deleting the namespaces removes every link.
type lab struct {
	prefix string // namespace names: <prefix>-br, <prefix>-n0 …
	nodes  int
}

const subnet = "10.250.0" // private /24 that exists only inside the lab

// labPrefix names a run's namespaces after the test's pid, so a leftover
// from a killed run can be told apart from a live one.
func labPrefix(pid int) string { return fmt.Sprintf("assaylab%d", pid) }

func (l *lab) ns(i int) string  { return fmt.Sprintf("%s-n%d", l.prefix, i) }
func (l *lab) bridgeNS() string { return l.prefix + "-br" }

// nodeIP is node i's address on the lab bridge.
func nodeIP(i int) string { return fmt.Sprintf("%s.%d", subnet, i+1) }

// ipCmd runs ip(8) with args and fails the test with its output on error.
func ipCmd(t *testing.T, args ...string) {
	t.Helper()
	if out, err := runIP(args...); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func runIP(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	return string(out), err
}

// requireNamespaces skips the test, naming what is missing, when this
// process cannot create network namespaces, veth pairs and bridges.
func requireNamespaces(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8) from iproute2 to build network namespaces; not found on PATH")
	}
	probe := fmt.Sprintf("assayprobe%d", os.Getpid())
	if out, err := runIP("netns", "add", probe); err != nil {
		t.Skipf("cannot create a network namespace (needs root or CAP_SYS_ADMIN and a kernel with CONFIG_NET_NS): ip netns add: %v: %s", err, strings.TrimSpace(out))
	}
	defer runIP("netns", "del", probe)
	if out, err := runIP("-n", probe, "link", "add", "p0", "type", "veth", "peer", "name", "p1"); err != nil {
		t.Skipf("cannot create a veth pair in a namespace (needs CONFIG_VETH): %v: %s", err, strings.TrimSpace(out))
	}
	if out, err := runIP("-n", probe, "link", "add", "b0", "type", "bridge"); err != nil {
		t.Skipf("cannot create a bridge in a namespace (needs CONFIG_BRIDGE): %v: %s", err, strings.TrimSpace(out))
	}
}

// newLab builds the namespaces and links; t.Cleanup deletes them whatever
// happens to the test. Namespaces left by an earlier run whose process is
// gone (killed before its cleanups) are deleted first.
func newLab(t *testing.T, nodes int) *lab {
	t.Helper()
	removeStaleLabs(t)
	l := &lab{prefix: labPrefix(os.Getpid()), nodes: nodes}
	t.Cleanup(func() { l.destroy(t) })
	ipCmd(t, "netns", "add", l.bridgeNS())
	ipCmd(t, "-n", l.bridgeNS(), "link", "add", "br0", "type", "bridge")
	ipCmd(t, "-n", l.bridgeNS(), "link", "set", "br0", "up")
	for i := 0; i < nodes; i++ {
		ns, peer := l.ns(i), fmt.Sprintf("v%d", i)
		ipCmd(t, "netns", "add", ns)
		ipCmd(t, "-n", ns, "link", "set", "lo", "up")
		// Both ends are created inside the lab: eth0 in the node's
		// namespace, its peer in the bridge's.
		ipCmd(t, "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", peer, "netns", l.bridgeNS())
		ipCmd(t, "-n", ns, "addr", "add", nodeIP(i)+"/24", "dev", "eth0")
		ipCmd(t, "-n", ns, "link", "set", "eth0", "up")
		ipCmd(t, "-n", l.bridgeNS(), "link", "set", peer, "master", "br0")
		ipCmd(t, "-n", l.bridgeNS(), "link", "set", peer, "up")
	}
	return l
}

func (l *lab) destroy(t *testing.T) {
	for i := 0; i < l.nodes; i++ {
		if out, err := runIP("netns", "del", l.ns(i)); err != nil && !strings.Contains(out, "No such file") {
			t.Logf("ip netns del %s: %v: %s", l.ns(i), err, out)
		}
	}
	if out, err := runIP("netns", "del", l.bridgeNS()); err != nil && !strings.Contains(out, "No such file") {
		t.Logf("ip netns del %s: %v: %s", l.bridgeNS(), err, out)
	}
}

// removeStaleLabs deletes namespaces named by labPrefix whose pid no
// longer runs.
func removeStaleLabs(t *testing.T) {
	out, err := runIP("netns", "list")
	if err != nil {
		return
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], "assaylab") {
			continue
		}
		name := f[0]
		pidStr, _, _ := strings.Cut(strings.TrimPrefix(name, "assaylab"), "-")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) == nil {
			continue
		}
		t.Logf("removing namespace %s left by a run that is gone (pid %d), and any process in it", name, pid)
		if pids, err := runIP("netns", "pids", name); err == nil {
			for _, p := range strings.Fields(pids) {
				if n, err := strconv.Atoi(p); err == nil {
					_ = syscall.Kill(n, syscall.SIGKILL)
				}
			}
		}
		_, _ = runIP("netns", "del", name)
	}
}

// cut drops every packet between the two groups, in both directions, with
// blackhole routes in each node's namespace: a cable pulled, not a refused
// connection, so open TCP connections stall rather than close.
func (l *lab) cut(t *testing.T, a, b []int) {
	t.Helper()
	l.routes(t, "add", a, b)
}

// heal removes the routes cut added.
func (l *lab) heal(t *testing.T, a, b []int) {
	t.Helper()
	l.routes(t, "del", a, b)
}

func (l *lab) routes(t *testing.T, op string, a, b []int) {
	t.Helper()
	for _, i := range a {
		for _, j := range b {
			ipCmd(t, "-n", l.ns(i), "route", op, "blackhole", nodeIP(j)+"/32")
			ipCmd(t, "-n", l.ns(j), "route", op, "blackhole", nodeIP(i)+"/32")
		}
	}
}

// dialIn opens a TCP connection from inside namespace ns: the socket is
// created on an OS thread switched into ns, and a socket stays in the
// namespace it was created in. The thread is never switched back; it ends
// with the goroutine (LockOSThread without Unlock), so no other goroutine
// ever runs in the lab's namespace.
func dialIn(ctx context.Context, ns, addr string) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{nil, fmt.Errorf("setns %s: %w", ns, err)}
			return
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}
