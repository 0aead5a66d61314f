// Package catalogids names the ids of the example catalog of the Connxt V2 contract
// (internal/connxt/CONTRACT.md §7), which the emulator serves by default, for the tests of
// the client, the provider and the end-to-end suite. (The emulator's own tests spell the ids out again on purpose, to check
// the emulator against the contract rather than against itself.)
package catalogids

// Flow type, actions, targets and definitions of the PSP flow type.
const (
	FlowTypePSP = "ftp_01jt2ccyw4eh48mknzvb48erpk"

	Deposit  = "fat_01jt2cetrheh48mkp2m8z680xz"
	Withdraw = "fat_01jtj2hq14fexta3pcaeaswc62"
	Refund   = "fat_01k5bqfxa3f6cawws5kyqpdkc9"

	Paymaxis         = "ftg_01jwra8pvkfey9h1f71gsw1qsw"
	PaymaxisDeposit  = "fld_01jwraa3kffey9h1f83mjfj0sv"
	PaymaxisWithdraw = "fld_01jwwmns3keh2bjgn21e7sq9nz"

	Sticpay         = "ftg_01jt2ctt8veh48mkpcx2bdeatz"
	SticpayDeposit  = "fld_01jt2cyyskeh48mkpkf3y9z6j3"
	SticpayWithdraw = "fld_01jtj66c27fexta3r0gczv1a8b"
)
