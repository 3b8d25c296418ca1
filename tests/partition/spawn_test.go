package partition

import (
	"os/exec"
	"runtime"
	"sync"
)

// spawner is one OS thread that starts every node and never exits.
// Pdeathsig fires when the thread that forked the child ends, not the
// process; Go ends threads (dialIn's, for one), so a node started from an
// arbitrary thread could be killed mid-test.
var spawner = struct {
	once sync.Once
	reqs chan spawnReq
}{reqs: make(chan spawnReq)}

type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

func spawn(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as the test binary
			for r := range spawner.reqs {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	spawner.reqs <- spawnReq{cmd, done}
	return <-done
}
