package memory

import "testing"

// MountSmallDisk exports mountSmallDisk to the external tests.
func MountSmallDisk(t *testing.T, dir, size string) bool {
	t.Helper()
	return mountSmallDisk(t, dir, size)
}
