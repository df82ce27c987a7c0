//go:build !linux

package storage

import "time"

// threadCPU is not measured outside Linux (no per-thread rusage): always 0.
func threadCPU() time.Duration { return 0 }
