//! Netlink alignment: messages and attributes start on 4-byte boundaries.
//!
//! `NLMSG_ALIGN` and `NLA_ALIGN` in `<linux/netlink.h>` are the same
//! rounding; both are kept so call sites read like the kernel's.

/// `NLMSG_ALIGNTO`: messages in a buffer start on multiples of this.
pub const NLMSG_ALIGNTO: usize = 4;
/// `NLA_ALIGNTO`: attributes in a stream start on multiples of this.
pub const NLA_ALIGNTO: usize = 4;
/// `NLMSG_HDRLEN`: size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// `NLA_HDRLEN`: size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;

/// Rounds `len` up to the next multiple of 4 (`NLMSG_ALIGN` / `NLA_ALIGN`).
///
/// Saturates instead of wrapping, so a hostile length near `usize::MAX`
/// yields a value that fails the caller's bounds check rather than a small one.
#[inline]
pub const fn align(len: usize) -> usize {
    len.saturating_add(NLA_ALIGNTO - 1) & !(NLA_ALIGNTO - 1)
}

/// Number of zero bytes needed after `len` bytes to reach alignment.
#[inline]
pub const fn padding(len: usize) -> usize {
    align(len) - len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_to_four() {
        assert_eq!(align(0), 0);
        assert_eq!(align(1), 4);
        assert_eq!(align(4), 4);
        assert_eq!(align(5), 8);
        assert_eq!(padding(5), 3);
        assert_eq!(padding(8), 0);
    }

    #[test]
    fn saturates_instead_of_wrapping() {
        assert!(align(usize::MAX) >= usize::MAX - 3);
        assert!(align(usize::MAX - 1) > 16);
    }
}
