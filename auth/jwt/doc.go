// Package jwt is the JSON Web Token bearer strategy of package auth, on
// github.com/golang-jwt/jwt/v5 (keys from a JWKS URL through
// github.com/MicahParks/keyfunc/v3).
//
// # Keys and algorithms
//
// A Strategy verifies with one key source: an HMAC Secret (HS256/384/512),
// a PublicKey (RS*, PS*, ES*, EdDSA) or a JWKS that is cached and
// refreshed, so keys rotate without a restart. Only the algorithms of the
// key's family are accepted (narrow them with Config.Algorithms): "alg":
// "none" and an HS token presented to a server holding an RSA key
// (algorithm confusion) are refused. Issuer, audience, expiry, not-before
// and issued-at are checked with Config.Leeway; tokens longer than
// Config.MaxTokenSize are refused before they are decoded.
//
// # LoopBack compatibility
//
// Sign writes the tokens @loopback/authentication-jwt writes: HS256,
// claims id, name, email, iat and exp (6 hours). Tokens LoopBack signed
// with the same secret verify. Every refusal is a 401 with LoopBack's
// message: "Error verifying token : " followed by jsonwebtoken's words
// (jwt malformed, invalid signature, jwt expired, jwt not active, invalid
// algorithm, jwt audience invalid. expected: …, jwt issuer invalid.
// expected: …), and a WWW-Authenticate: Bearer challenge
// (error="invalid_token" when a token was refused).
package jwt
