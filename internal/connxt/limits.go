package connxt

// Size limits of a PSP. The V2 contract states none, so these are this provider's model of
// what Connxt accepts, not limits Connxt documents: the provider refuses larger values at
// plan time, naming the attribute, and the emulator enforces the same ones, instead of a
// request failing at apply time on whatever limit the server really has.
const (
	// MaxPSPNameChars is the longest PSP name, in characters (Unicode code points): the
	// usual width of a name column, and far more than a readable name needs.
	MaxPSPNameChars = 255

	// MaxCredentialBytes is the largest credential, in bytes of its JSON text: room for a
	// credential that carries a certificate chain and a private key (a few KiB each), while a
	// whole create or update request stays far below the 1 MiB body the emulator accepts.
	MaxCredentialBytes = 64 << 10
)
