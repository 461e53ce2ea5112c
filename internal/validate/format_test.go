package validate

import (
	"regexp"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

// emailRe is ajv-formats' full email pattern, as the reference isEmail is
// checked against.
var emailRe = regexp.MustCompile("(?i)^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

var emailSeeds = []string{
	"a@b.co", "Jane.Doe+tag@example.COM", "a..b@x.io", ".a@x.io", "a.@x.io", "a@x", "a@-x.io", "a@x-.io",
	"a@x..io", "a@.x.io", "@x.io", "a@", "a@b@c.io", "a b@x.io", "a@x.i_o", "{}~@x-y.z0", "a@x.io.", "",
}

func TestIsEmail(t *testing.T) {
	for _, s := range emailSeeds {
		if got, want := isEmail(s), emailRe.MatchString(s); got != want {
			t.Errorf("isEmail(%q) = %v; want %v", s, got, want)
		}
	}
}

func FuzzIsEmail(f *testing.F) {
	for _, s := range emailSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isEmail(s), emailRe.MatchString(s); got != want {
			t.Errorf("isEmail(%q) = %v; the reference pattern says %v", s, got, want)
		}
	})
}

func TestFormats(t *testing.T) {
	tests := []struct {
		format, value string
		want          bool
	}{
		{"date", "2024-02-29", true}, {"date", "2023-02-29", false}, {"date", "2024-13-01", false}, {"date", "2024-1-01", false},
		{"time", "23:59:59Z", true}, {"time", "23:59:59", true}, {"time", "24:00:00Z", false}, {"time", "23:59:60Z", true}, {"time", "12:59:60Z", false},
		{"time", "10:00:00+25:00", false}, {"date-time", "2024-01-01t10:00:00.123z", true}, {"date-time", "2024-01-01", false},
		{"hostname", "example.com", true}, {"hostname", "a_b.com", false}, {"hostname", "localhost", true},
		{"uri", "urn:isbn:0451450523", true}, {"uri", "http://x y", false}, {"uri", "//x", false},
		{"uuid", "urn:uuid:123e4567-e89b-12d3-a456-426614174000", true}, {"uuid", "123e4567e89b12d3a456426614174000", false},
		{"ipv4", "192.168.0.1", true}, {"ipv4", "01.1.1.1", false}, {"ipv6", "fe80::1%eth0", false}, {"ipv6", "2001:db8::8a2e:370:7334", true},
		{"byte", "aGVsbG8=", true}, {"byte", "aGVsbG8", false}, {"regex", "^(a|b)$", true}, {"regex", "(", false},
		{"uri-reference", "../x", true}, {"json-pointer", "/a/b", true}, {"json-pointer", "a", false},
	}
	for _, tt := range tests {
		v := MustCompile(&openapi.Schema{Format: tt.format}, nil)
		if got := v.Valid(tt.value); got != tt.want {
			t.Errorf("%s(%q) = %v; want %v", tt.format, tt.value, got, tt.want)
		}
	}
}
