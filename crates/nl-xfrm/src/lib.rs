//! NETLINK_XFRM objects over nl-wire: IPsec security associations
//! (states), security policies and the monitor's events.
//!
//! The shape is nl-route's: owned types ([`XfrmState`], [`XfrmPolicy`])
//! with `std::net` / `ipnet` fields, a `parse(&Msg)` that reads the
//! kernel's message in one pass, and `write_*` methods that append a
//! complete request to a `Vec<u8>` for
//! [`nl_sock::Socket`](https://docs.rs/nl-sock) to send on a
//! `NETLINK_XFRM` socket. Requests are checked before anything is built:
//! a key of the wrong length for its algorithm, a selector mixing
//! families or a missing SPI never reaches the kernel.
//!
//! The words are nl-route's (see its crate docs, "Vocabulary"): kernel
//! names for constants, `ip xfrm`'s words for options, the Go library's
//! verbs for calls, "type" for the kernel's `*_type` numbers
//! ([`Encap::encap_type`], [`AlgoType`]). A parse error carries the
//! message type and attribute, attached in one place.
//!
//! Keys are secrets: [`Key`]'s `Debug` (and so a state's) prints only
//! the key's length; [`Key::reveal`] hands the bytes out on request.
//!
//! ```
//! use nl_xfrm::{AuthAlgo, Algo, Key, Mode, Proto, XfrmState};
//! let mut state = XfrmState::new(
//!     "192.0.2.1".parse().unwrap(),
//!     "192.0.2.2".parse().unwrap(),
//!     Proto::Esp,
//!     0x100,
//! );
//! state.mode = Mode::Tunnel;
//! state.reqid = 1;
//! let auth_key = Key::from_hex("0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")?;
//! state.auth = Some(AuthAlgo::new("hmac(sha256)", auth_key, 128));
//! state.crypt = Some(Algo::new("cbc(aes)", Key::from_hex("0x0123456789abcdef0123456789abcdef")?));
//! let mut req = Vec::new();
//! state.write_add(&mut req)?;
//! assert!(!format!("{state:?}").contains("0123456789abcdef"));
//! # Ok::<(), nl_xfrm::Error>(())
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

pub mod algo;
pub mod common;
mod error;
pub mod event;
pub mod policy;
pub mod state;
pub mod uapi;

pub use algo::{AeadAlgo, Algo, AlgoType, AuthAlgo, Key};
pub use common::{Lifetime, LifetimeCurrent, Mark, Mode, Proto, SecCtx, Selector};
pub use error::{Error, Result};
pub use event::{Acquire, Aevent, Group, Mapping, XfrmEvent};
pub use policy::{Action, Dir, PolicyFlags, PolicyId, PolicyType, SpdInfo, Template, XfrmPolicy};
pub use state::{
    Encap, Offload, Replay, ReplayEsn, SaDir, SadInfo, StateDump, StateFlags, StateId, Stats,
    XfrmState,
};

/// `AF_UNSPEC`.
pub const AF_UNSPEC: u8 = 0;
/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;
