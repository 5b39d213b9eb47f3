//! NETLINK_SOCK_DIAG over nl-wire: the socket listings behind `ss` —
//! TCP, UDP, raw, SCTP and MPTCP sockets with `tcp_info` and the other
//! extensions, unix sockets, AF_XDP sockets — kernel-side bytecode
//! filters, and `SOCK_DESTROY` to abort a connection.
//!
//! The shape is nl-xfrm's: requests are written into a `Vec<u8>` for
//! [`nl_sock::Socket`](https://docs.rs/nl-sock) to send on a
//! `NETLINK_SOCK_DIAG` socket ([`InetDump::write`], [`UnixDump::write`],
//! [`inet::write_get`], [`inet::write_destroy`], [`xdp::write_dump`]);
//! replies are read in one pass into owned types ([`InetSocket`],
//! [`UnixSocket`], [`XdpSocket`]) with `std::net` addresses, or in place
//! ([`InetMsg`]: the header by reference, attributes on demand). Fixed
//! kernel structs are read tolerantly: a `tcp_info` from an older kernel
//! is zero-filled, one from a newer kernel is cut. No I/O here; the
//! `netlink` crate's `Handle` runs the requests (`socket_diag_tcp_info`
//! and friends, in the Go library's names).
//!
//! Constants keep the kernel's names in [`uapi`], one module per header.
//!
//! ```
//! use nl_diag::{Extensions, Filter, InetDump, InetProto, States, AF_INET};
//! // ss -t -i state established '( dport = :443 )'
//! let dump = InetDump::new(AF_INET, InetProto::Tcp)
//!     .states(States::ESTABLISHED)
//!     .ext(Extensions::TCP_INFO)
//!     .filter(Filter::dport_eq(443));
//! let mut req = Vec::new();
//! dump.write(&mut req)?;
//! // nlmsghdr, inet_diag_req_v2, INET_DIAG_REQ_BYTECODE (4 + 8 bytes)
//! assert_eq!(req.len(), 16 + 56 + 12);
//! # Ok::<(), nl_diag::Error>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod bytecode;
mod error;
pub mod inet;
pub mod tcp_info;
pub mod uapi;
pub mod unix;
pub mod xdp;

pub use bytecode::{Cmp, Filter};
pub use error::{Error, Result};
pub use inet::{
    CcInfo, Extensions, InetDump, InetMsg, InetProto, InetSocket, MemInfo, SockId, States, TcpState,
};
pub use tcp_info::TcpInfo;
pub use unix::{Show, UnixDump, UnixName, UnixSocket, UnixType};
pub use xdp::{XdpSocket, XdpStats, XdpUmem};

/// `AF_UNIX`.
pub const AF_UNIX: u8 = 1;
/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;
/// `AF_XDP`.
pub const AF_XDP: u8 = 44;

/// A socket's memory counters (`SK_MEMINFO_*`: `INET_DIAG_SKMEMINFO`,
/// `UNIX_DIAG_MEMINFO`, `XDP_DIAG_MEMINFO`), as `ss -m` prints them in
/// `skmem:(r..,rb..,t..,tb..,f..,w..,o..,bl..,d..)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SkMemInfo {
    /// `r`: receive queue memory.
    pub rmem_alloc: u32,
    /// `rb`: receive buffer size.
    pub rcvbuf: u32,
    /// `t`: transmit memory in flight.
    pub wmem_alloc: u32,
    /// `tb`: send buffer size.
    pub sndbuf: u32,
    /// `f`: forward-allocated memory.
    pub fwd_alloc: u32,
    /// `w`: queued for sending.
    pub wmem_queued: u32,
    /// `o`: option memory.
    pub optmem: u32,
    /// `bl`: backlog.
    pub backlog: u32,
    /// `d`: packets dropped.
    pub drops: u32,
}

/// Whether `msg` is a sock_diag reply (`SOCK_DIAG_BY_FAMILY`), as opposed
/// to control messages.
pub fn is_diag(msg: &nl_wire::Msg<'_>) -> bool {
    msg.ty() == uapi::sock_diag::SOCK_DIAG_BY_FAMILY
}
