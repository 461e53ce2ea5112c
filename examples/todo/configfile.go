package main

import (
	"errors"
	"fmt"
	"slices"
	"time"

	lbconfig "github.com/loopback-go/lb/config"
)

// The sections of the optional configuration file (CONFIG_FILE), each
// bound with package config: its keys, the LB_<SECTION>_<KEY> environment
// overrides, and the errors that name the key.

type restSection struct {
	Host       string        `json:"host"`
	Port       int           `json:"port"`
	DrainDelay time.Duration `json:"drainDelay"`
}

func (s *restSection) Validate() error {
	if s.Port < 0 || s.Port > 65535 {
		return fmt.Errorf("port: want a port number from 0 to 65535, got %d", s.Port)
	}
	if s.DrainDelay < 0 {
		return errors.New("drainDelay: want a duration of 0 or more")
	}
	return nil
}

type dbSection struct {
	// File is the memory connector's file; "" keeps data in memory only.
	File string `json:"file"`
	// URL selects a SQL database instead.
	URL string `json:"url"`
}

type datasourcesSection struct {
	DB dbSection `json:"db"`
}

type accessLogSection struct {
	Format string `json:"format"`
}

func (s *accessLogSection) Validate() error {
	switch s.Format {
	case "", "json", "common", "combined", "off":
		return nil
	}
	return fmt.Errorf("format: want json, common, combined or off, got %q", s.Format)
}

type tracingSection struct {
	OTLPEndpoint string `json:"otlpEndpoint"`
}

type geocoderSection struct {
	URL string `json:"url"`
}

// fileSections are the sections a configuration file may have.
var fileSections = []string{"rest", "datasources", "accessLog", "tracing", "geocoder"}

// applyConfigFile reads the file CONFIG_FILE names (JSON, or YAML when it
// ends in .yaml or .yml) into cfg, with the LB_… overrides of package
// config looked up with lookup. No CONFIG_FILE leaves cfg as it is.
func applyConfigFile(cfg *config, lookup func(string) (string, bool)) error {
	path, ok := lookup("CONFIG_FILE")
	if !ok || path == "" {
		return nil
	}
	c, err := lbconfig.Load(path, lbconfig.Options{Env: lookup})
	if err != nil {
		return fmt.Errorf("CONFIG_FILE: %w", err)
	}
	for _, s := range c.Sections() {
		if !slices.Contains(fileSections, s) {
			return fmt.Errorf("CONFIG_FILE: config: %s: unknown section (want one of %v)", s, fileSections)
		}
	}
	rs := restSection{Host: cfg.Host, Port: cfg.Port, DrainDelay: cfg.DrainDelay}
	ds := datasourcesSection{DB: dbSection{File: cfg.DBFile, URL: cfg.DBURL}}
	as := accessLogSection{Format: cfg.AccessLog}
	ts := tracingSection{OTLPEndpoint: cfg.OTLPEndpoint}
	gs := geocoderSection{URL: cfg.GeocoderURL}
	for _, err := range []error{
		lbconfig.Bind(c, "rest", &rs),
		lbconfig.Bind(c, "datasources", &ds),
		lbconfig.Bind(c, "accessLog", &as),
		lbconfig.Bind(c, "tracing", &ts),
		lbconfig.Bind(c, "geocoder", &gs),
	} {
		if err != nil {
			return fmt.Errorf("CONFIG_FILE %s: %w", path, err)
		}
	}
	cfg.Host, cfg.Port, cfg.DrainDelay = rs.Host, rs.Port, rs.DrainDelay
	cfg.DBFile, cfg.DBURL = ds.DB.File, ds.DB.URL
	cfg.AccessLog = as.Format
	if cfg.AccessLog == "json" {
		cfg.AccessLog = ""
	}
	cfg.OTLPEndpoint = ts.OTLPEndpoint
	cfg.GeocoderURL = gs.URL
	return nil
}
