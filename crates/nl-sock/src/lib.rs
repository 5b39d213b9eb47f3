//! Netlink sockets over nix: requests and acks, streaming dumps, batches,
//! multicast groups, other network namespaces.
//!
//! [`Socket`] is the one type users need. It stamps sequence numbers,
//! matches every reply to its request, turns `NLMSG_ERROR` into an ack or a
//! typed [`Error`] that carries the errno and the kernel's ext-ack text,
//! streams dumps through one reused buffer ([`Dump`]), reports
//! `NLM_F_DUMP_INTR` without dropping results, sends batches with few
//! syscalls ([`Socket::batch`]), and surfaces lost notifications as
//! [`ErrorKind::Overrun`].
//!
//! Everything above the syscalls runs over the [`Transport`] trait, so
//! family crates test their logic against [`fake::Fake`] without root.
//!
//! [`record`] writes a socket's traffic as a pcap capture that Wireshark
//! and nl-wire's decoder read ([`Socket::record_to`], `NETLINK_PCAP`).
//!
//! [`tun`] creates tun/tap devices through `/dev/net/tun` (the kernel
//! does not create them over netlink).
//!
//! [`bpf`] loads and pins eBPF programs through `bpf(2)`, for tc filters,
//! tc actions and XDP, which take a program's descriptor.
//!
//! Only [`sys`](self) (a private module) contains `unsafe`, one block per
//! syscall, each with its `// SAFETY:` reasoning.
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

pub mod bpf;
pub mod engine;
mod error;
pub mod fake;
pub mod netns;
pub mod record;
mod socket;
mod sys;
#[cfg(feature = "tokio")]
pub mod tokio;
mod transport;
pub mod tun;

pub use error::{Ack, Error, ErrorKind, KernelDetail, Op, Result};
pub use record::{PCAP_ENV, Recorder};
pub use socket::{
    BatchReport, CancelHandle, DEFAULT_BATCH_BYTES, DEFAULT_TIMEOUT, Dump, Messages, Socket,
};
pub use transport::{DEFAULT_RECV_BUFFER, SysSocket, Transport};

pub use nix::errno::Errno;
pub use nl_wire;
