package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/restsvc"
)

// geocoderDatasource is LoopBack's todo example geocoder datasource: the
// US Census geocoder's one-line-address endpoint, whose base URL comes
// from GEOCODER_URL (https://geocoding.geo.census.gov for the real one).
const geocoderDatasource = `{
  "name": "geocoder",
  "connector": "rest",
  "options": {"headers": {"accept": "application/json"}, "timeout": 2000},
  "operations": [{
    "template": {
      "method": "GET",
      "url": "/geocoder/locations/onelineaddress",
      "query": {"format": "{format=json}", "benchmark": "Public_AR_Current", "address": "{address}"},
      "responsePath": "$.result.addressMatches[*].coordinates"
    },
    "functions": {"geocode": ["address"]}
  }]
}`

// GeoPoint is a point the geocoder returns: x is the longitude, y the
// latitude.
type GeoPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// geocoder fills in remindAtGeo ("lat,lng") of todos created or replaced
// with a remindAtAddress and no remindAtGeo, as LoopBack's todo example
// does. A geocoder that is not configured, fails or finds nothing never
// fails the write: the todo is saved without a location and a warning is
// logged.
type geocoder struct {
	geocode restsvc.Func[string, []GeoPoint] // nil when GEOCODER_URL is unset
	log     *slog.Logger
}

// newGeocoder builds the geocoder service for baseURL ("" leaves
// geocoding off) and binds it in the server's container as
// services.geocoder.
func newGeocoder(srv *rest.Server, baseURL string, log *slog.Logger) (*geocoder, error) {
	if log == nil {
		log = slog.Default()
	}
	g := &geocoder{log: log}
	if baseURL == "" {
		return g, nil
	}
	cfg, err := restsvc.Parse([]byte(geocoderDatasource))
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = baseURL
	// A third party must not hold up a write for long: two tries at most,
	// and after three failures in a row the breaker skips it for 30 s.
	cfg.Policy.Attempts, cfg.Policy.BreakerFailures, cfg.Policy.BreakerOpen = 2, 3, 30*time.Second
	svc, err := restsvc.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("geocoder: %w", err)
	}
	service.Bind(srv.Container(), "geocoder", svc)
	g.geocode, err = restsvc.Bind[string, []GeoPoint](svc, "geocode")
	return g, err
}

// intercept geocodes the body of TodoController.create and
// TodoController.replaceById.
func (g *geocoder) intercept(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
	if inv.Target != "TodoController.create" && inv.Target != "TodoController.replaceById" || len(inv.Args) == 0 {
		return next(ctx)
	}
	req, ok := inv.Args[0].(*rest.Request)
	if !ok {
		return next(ctx)
	}
	body, ok := req.Body.(map[string]any)
	if !ok {
		return next(ctx)
	}
	addr, _ := body["remindAtAddress"].(string)
	if geo, _ := body["remindAtGeo"].(string); addr == "" || geo != "" {
		return next(ctx)
	}
	if g.geocode == nil {
		g.log.WarnContext(ctx, "todo saved without remindAtGeo: GEOCODER_URL is not set", "remindAtAddress", addr)
		return next(ctx)
	}
	points, err := g.geocode(ctx, addr)
	switch {
	case err != nil:
		g.log.WarnContext(ctx, "todo saved without remindAtGeo: the geocoder failed", "remindAtAddress", addr, "error", err)
	case len(points) == 0:
		g.log.WarnContext(ctx, "todo saved without remindAtGeo: the geocoder found no match", "remindAtAddress", addr)
	default:
		p := points[0]
		body["remindAtGeo"] = strconv.FormatFloat(p.Y, 'f', -1, 64) + "," + strconv.FormatFloat(p.X, 'f', -1, 64)
	}
	return next(ctx)
}
