//go:build unix

package entra

import (
	"runtime"
	"syscall"
)

// peakRSS is the process's peak resident set in MB (getrusage).
func peakRSS() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return float64(ru.Maxrss) / 1e6 // bytes there
	}
	return float64(ru.Maxrss) * 1024 / 1e6 // KiB on Linux
}
