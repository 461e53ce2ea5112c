// Package health serves LoopBack's health endpoints (@loopback/health):
// GET /health, /live and /ready answer
//
//	{"status":"UP","checks":[{"name":"datasources.db","state":"UP","data":{"reason":""}}]}
//
// with 200 when every check is UP. A DOWN check makes /health and /ready
// answer 503 and /live 500 with "status":"DOWN"; while the app is stopping,
// /health and /ready answer 503 "STOPPING" so a load balancer stops sending
// traffic before the listener closes. The endpoints answer before the
// router and are not in the OpenAPI document, as LoopBack's are not.
//
// # Opting in
//
//	h := health.Mount(srv, health.Config{}) // one line: /health, /live, /ready
//	h.AddPing("db", conn)                    // each datasource: a readiness ping
//	app.Mount(h)                             // readiness follows the app's state
//
// # Checks
//
// Checks are an extension point, like LoopBack's HealthTags.LIVE_CHECK and
// READY_CHECK: any component binds a [Check] as an extension of
// [LiveChecks] or [ReadyChecks] in the app's container and it is reported
// under its binding key. Checks run concurrently, each within
// [Config.Timeout]; one that panics or times out is DOWN. A check's error
// message is served as its reason, so it should be written for operators;
// [Health.AddPing] and datasources bound with [DatasourceTag] serve a
// fixed reason and log the connector's error.
package health
