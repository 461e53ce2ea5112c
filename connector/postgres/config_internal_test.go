package postgres

import "testing"

func TestConnString(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{}, "postgres:///"},
		{Config{URL: "postgres://u@h/db"}, "postgres://u@h/db"},
		{Config{URL: "postgres://u@h/db?sslmode=require", SSLMode: "disable"}, "postgres://u@h/db?sslmode=disable"},
		{Config{URL: "host=h user=u", SSLMode: "verify-full"}, "host=h user=u sslmode=verify-full"},
		{Config{SSLMode: "disable"}, "postgres:///?sslmode=disable"},
	}
	for _, tt := range tests {
		got, err := tt.cfg.connString()
		if err != nil || got != tt.want {
			t.Errorf("connString(%+v) = %q, %v; want %q", tt.cfg, got, err, tt.want)
		}
	}
}
