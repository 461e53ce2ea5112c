// Package users is the users component of LoopBack's
// @loopback/authentication-jwt: the User and UserCredentials models,
// sign-up, login with e-mail and password, and the JWT strategy that
// authenticates the users it issued tokens to.
//
// # Compatibility with LoopBack
//
// The models are LoopBack's, so a LoopBack database (or its memory
// connector's db.json) keeps working: bcrypt hashes written by LoopBack
// (bcryptjs, "$2a$10$…") verify, tokens carry LoopBack's claims (id,
// name, email; HS256; 6 hours) and a token signed by LoopBack with the
// same secret is accepted. LoopBack's memory connector writes numeric ids
// where the model declares strings; NormalizeLegacyIDs rewrites them once
// as strings.
//
// The Controller serves LoopBack's UserController routes: POST /signup
// (the new User), POST /users/login ({"token": …}) and GET /whoAmI (the
// user's id, as text).
//
// # Where it does better than LoopBack
//
//   - a malformed e-mail or a password under 8 characters is a 422 (both
//     on signup and login), a taken e-mail a 409 (checked first, and
//     enforced by a unique index on every connector);
//   - a token whose user was deleted is a 401 (Config.TrustTokens turns the
//     per-request lookup off);
//   - a failed login answers after Config.FailedLoginDelay, and an unknown
//     e-mail costs the same hash comparison as a wrong password;
//   - new hashes are bcrypt (cost 10) or, with Argon2id as Config.Hasher,
//     argon2id; both verify whatever writes new ones;
//   - passwords and hashes never leave the server: no route returns
//     UserCredentials;
//   - logout: with Config.Revocations (a key-value store: Redis for several
//     instances, the memory connector for one), tokens carry a jti and
//     POST /users/logout revokes the token it is called with until it
//     expires.
//
// # Refresh tokens
//
// With Config.Refresh (a second secret), POST /users/refresh-login
// answers {"accessToken","refreshToken"} and POST /refresh exchanges a
// refresh token for a new access token, as LoopBack's RefreshTokenService
// (60-hour refresh tokens, issuer "loopback"). The RefreshToken model keeps
// each token's SHA-256, not the token; RevokeRefreshTokens ends a user's.
package users
