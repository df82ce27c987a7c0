package testkit

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ProcessCPU is the CPU time (user and system) process pid has used so far, read from
// /proc/<pid>/stat; false when the process is gone or the file cannot be read (a server
// backend that ended between listing and reading). Benchmarks use it for the CPU of processes
// outside the test's own, such as PostgreSQL's backends.
func ProcessCPU(pid int) (time.Duration, bool) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The fields after the command's closing parenthesis (the command may hold spaces and
	// parentheses itself): utime and stime are the 12th and 13th, in clock ticks.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(f) <= 12 {
		return 0, false
	}
	u, errU := strconv.ParseInt(f[11], 10, 64)
	s, errS := strconv.ParseInt(f[12], 10, 64)
	if errU != nil || errS != nil {
		return 0, false
	}
	return time.Duration(u+s) * (time.Second / 100), true // USER_HZ is 100 on Linux
}
