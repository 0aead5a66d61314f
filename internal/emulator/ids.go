package emulator

import (
	"crypto/sha256"
	"math/rand/v2"
	"regexp"
)

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// DefaultToken is the secret token a Server accepts when Options.Tokens is empty.
// It is a fixed, obviously fake value so tests and scripts can hard-code it.
const DefaultToken = "sec_EmulatorDefaultToken000001"

// SecondToken belongs to a different brand and environment than DefaultToken; a
// Server with no configured tokens accepts it too, so tests can check that one
// environment never sees another's PSPs.
const SecondToken = "sec_EmulatorSecondToken0000002"

var tokenFormat = regexp.MustCompile(`^sec_[0-9A-Za-z]{26}$`)

// ValidTokenFormat reports whether s has the documented token shape
// ("sec_" + 26 characters [0-9A-Za-z]).
func ValidTokenFormat(s string) bool { return tokenFormat.MatchString(s) }

// TokenFor derives a brand and an environment from a secret token. The ids are a
// hash of the token, so the same token always maps to the same ids (across restarts
// and between the command and in-process servers) without any configuration.
func TokenFor(secret string) Token {
	return Token{
		Token:         secret,
		BrandID:       "brn_" + hashAlnum("brand\x00"+secret),
		EnvironmentID: "env_" + hashAlnum("environment\x00"+secret),
	}
}

// hashAlnum maps s to 26 characters of [0-9A-Za-z].
func hashAlnum(s string) string {
	sum := sha256.Sum256([]byte(s))
	b := make([]byte, 26)
	for i := range b {
		b[i] = alnum[int(sum[i])%len(alnum)]
	}
	return string(b)
}

// randomAlnum draws n characters of [0-9A-Za-z]; the caller serialises access to rng.
func randomAlnum(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[rng.IntN(len(alnum))]
	}
	return string(b)
}

// newRand returns a generator seeded with seed, or from the OS when seed is zero.
func newRand(seed uint64) *rand.Rand {
	if seed == 0 {
		return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
