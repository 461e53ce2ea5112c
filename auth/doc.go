// Package auth authenticates and authorizes the operations of a
// rest.Server, as LoopBack 4's @loopback/authentication and
// @loopback/authorization do.
//
// # Authentication
//
// A [Strategy] turns a request into a [Profile] from a credential it has
// verified: [jwt.Strategy] (package auth/jwt) for bearer tokens, [APIKey]
// (header, query or cookie), [Basic], or any type with an Authenticate
// method ([StrategyFunc]). Strategies are registered on an [Authenticator]
// by name (or bound to [StrategyPoint] in the server's di container), and
// operations declare which apply:
//
//	a := auth.New(auth.Config{Default: []string{"jwt"}}) // every operation, unless it says otherwise
//	a.Register("jwt", jwtStrategy).Register("apiKey", &auth.APIKey{Lookup: lookup})
//	a.Install(srv)
//	rest.Get(srv, "/todos", find)                                      // "jwt" (the default)
//	rest.Get(srv, "/stats", stats, auth.Authenticate("apiKey", "jwt")) // either, tried in order
//	rest.Post(srv, "/users/login", login, auth.Skip())                 // open
//
// Options given to rest.Server.Controller apply to all its operations.
// Handlers read the profile with [ProfileFrom]; it is set only after a
// strategy verified a credential.
//
// A request that no strategy authenticates is answered 401 with
// LoopBack's body, {"error":{"statusCode":401,"name":"UnauthorizedError",
// "message":…}}, and LoopBack's messages ("Authorization header not
// found.", "Authorization header is not of type 'Bearer'.", "Error
// verifying token : jwt expired" …), plus one WWW-Authenticate challenge
// per strategy tried (LoopBack sends none). A strategy that fails for
// another reason (its store is down) is a 500 whose text stays in the
// server's log.
//
// # Authorization
//
// [Authorize] (or [Protect], with strategies) declares [Rules]: allowed
// and denied roles, required scopes, a resource name and extra voters.
// The [Authorizer]s of Config, then the operation's voters, vote
// [Allow], [Deny] or [Abstain]; a vote equal to Config.Precedence ends
// the vote, otherwise the last vote counts, and Config.DefaultDecision
// (Deny unless set) applies when all abstained. [RoleAuthorizer] is the
// default authorizer. [Owner] is an ownership voter for a model's CRUD
// API: operations on one instance are allowed only to its owner, and
// finds, counts and updates of many get the owner condition added to
// their where, so a user never sees or changes another user's
// instances. A request that is not allowed is answered 403
// {"error":{"statusCode":403,"name":"ForbiddenError","message":"Access denied"}}.
//
// # OpenAPI
//
// Install adds a spec enhancer: each strategy that describes itself
// ([SecuritySchemer]) is written to components.securitySchemes under its
// name, and each authenticated operation gets a security requirement
// listing its strategies (alternatives, with the rules' scopes), which
// the API explorer's Authorize button uses.
package auth
