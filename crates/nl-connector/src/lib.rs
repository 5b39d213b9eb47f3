//! NETLINK_CONNECTOR over nl-wire: the connector header ([`cn`]) and
//! process events ([`proc`], the kernel's `cn_proc`), typed both ways.
//!
//! No I/O here: [`proc::write_listen`] appends the request a listener
//! sends, [`ProcEvent::parse`] reads what the kernel multicasts. The
//! socket (`nl_sock::Socket` on `NETLINK_CONNECTOR`, group
//! [`CN_IDX_PROC`](uapi::connector::CN_IDX_PROC)) and the subscription
//! are the `netlink` crate's (`Handle::proc_event_subscribe`, feature
//! `connector`).
//!
//! ```
//! use nl_connector::{ProcEvent, ProcEventKind, proc};
//! let mut req = Vec::new();
//! proc::write_listen(&mut req)?;
//! // What the kernel sends when pid 7 exits with code 3:
//! let ev = ProcEvent {
//!     cpu: 0,
//!     timestamp_ns: 0,
//!     seq: 1,
//!     kind: ProcEventKind::Exit {
//!         pid: 7, tgid: 7, exit_code: 3 << 8, exit_signal: 17, parent_pid: 1, parent_tgid: 1,
//!     },
//! };
//! let mut buf = Vec::new();
//! ev.write(&mut buf)?;
//! let (msg, _) = nl_wire::Msg::parse(&buf).map_err(nl_connector::Error::Build)?;
//! // `None` would mean a connector message that is not a proc event.
//! let back = ProcEvent::parse(&msg)?;
//! assert_eq!(
//!     back.and_then(|e| e.kind.exit_status()),
//!     Some(proc::ExitStatus::Exited(3))
//! );
//! # Ok::<(), nl_connector::Error>(())
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

pub mod cn;
mod error;
pub mod proc;
pub mod uapi;

pub use cn::CnMsg;
pub use error::{Error, Result};
pub use proc::{ExitStatus, ProcEvent, ProcEventKind};
