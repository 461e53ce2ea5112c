package users

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Hasher hashes new passwords. Verification does not depend on it:
// CheckPassword recognizes bcrypt ($2a$, $2b$, $2y$ — LoopBack's
// bcryptjs hashes) and argon2id (PHC string) hashes whatever Hasher
// writes new ones, so switching hashers keeps old passwords working.
type Hasher interface {
	Hash(password string) (string, error)
}

// Bcrypt hashes with bcrypt at Cost (0 means 10, LoopBack's cost).
type Bcrypt struct{ Cost int }

// Hash implements Hasher.
func (b Bcrypt) Hash(password string) (string, error) {
	cost := b.Cost
	if cost == 0 {
		cost = 10
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("bcrypt: %w", err)
	}
	return string(h), nil
}

// Argon2id hashes with argon2id and writes the PHC string
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash). Zero fields mean the RFC 9106
// second recommended set scaled for a server: 64 MiB, 1 pass, 4 lanes.
type Argon2id struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Hash implements Hasher.
func (a Argon2id) Hash(password string) (string, error) {
	m, t, p := a.Memory, a.Time, a.Threads
	if m == 0 {
		m = 64 << 10
	}
	if t == 0 {
		t = 1
	}
	if p == 0 {
		p = 4
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("argon2id salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, t, m, p, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// errUnknownHash is a stored hash of no known format.
var errUnknownHash = errors.New("users: unknown password hash format")

// CheckPassword reports whether password matches hash (bcrypt or
// argon2id), comparing in constant time. A hash of an unknown format is
// an error.
func CheckPassword(hash, password string) (bool, error) {
	switch {
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
		if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("bcrypt: %w", err)
		}
		return true, nil
	case strings.HasPrefix(hash, "$argon2id$"):
		var v int
		var m, t uint32
		var p uint8
		parts := strings.Split(hash, "$")
		if len(parts) != 6 {
			return false, errUnknownHash
		}
		if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
			return false, errUnknownHash
		}
		if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
			return false, errUnknownHash
		}
		enc := base64.RawStdEncoding
		salt, err1 := enc.DecodeString(parts[4])
		want, err2 := enc.DecodeString(parts[5])
		if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
			return false, errUnknownHash
		}
		got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
		return subtle.ConstantTimeCompare(got, want) == 1, nil
	}
	return false, errUnknownHash
}
