package storage

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time, user and system, of the calling OS thread.
func threadCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_THREAD, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
