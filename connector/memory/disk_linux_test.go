package memory

import (
	"os"
	"syscall"
	"testing"
)

// mountSmallDisk mounts a tmpfs of size (a mount option: "192k") on dir,
// unmounted when the test ends, so that writes there fill it. It reports
// false, with a log line, when mounting is not permitted (not root, or no
// CAP_SYS_ADMIN in a container).
func mountSmallDisk(t *testing.T, dir, size string) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Log("not root: cannot mount a small disk")
		return false
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Logf("mount tmpfs: %v", err)
		return false
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return true
}
