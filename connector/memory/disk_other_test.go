//go:build !linux

package memory

import "testing"

// mountSmallDisk reports false: small disks are mounted on Linux only.
func mountSmallDisk(t *testing.T, dir, size string) bool {
	t.Helper()
	t.Log("not Linux: cannot mount a small disk")
	return false
}
