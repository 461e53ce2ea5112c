package rest_test

import (
	"log/slog"

	"github.com/loopback-go/lb/fault"
)

func faultUnauthorized() error {
	return fault.New(fault.Unauthorized, "", "Authorization header not found.")
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
