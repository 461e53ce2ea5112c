//go:build !unix

package sqltest

import "time"

// cpuTime returns 0: the CPU metrics of the benchmarks are left out.
func cpuTime() time.Duration { return 0 }
