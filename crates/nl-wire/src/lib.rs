//! Zero-copy netlink views and builders.
//!
//! nl-wire turns bytes into checked views and views back into bytes, and
//! does nothing else: no sockets, no syscalls, no allocation when reading.
//! It is `no_std`; the builder needs the `alloc` feature (on by default).
//!
//! * [`Msgs`] iterates the messages of a received buffer, [`Msg`] is one
//!   message, [`Attrs`] / [`Attr`] its attributes, [`AttrTable`] indexes
//!   them by type in one pass, [`Walk`] walks a whole attribute tree.
//!   [`Attrs::decode`] is the parser loop family crates build on: one
//!   `match` on [`Attr::ty`], `?` on every getter, and the first error
//!   comes back as a [`DecodeError`] naming the attribute it was read in.
//! * [`Msg::control`] classifies acks, errors, `NLMSG_DONE` and overruns;
//!   [`ExtAck`] decodes the kernel's extended ack, [`locate`] maps its offset
//!   back to the rejected attribute of the request.
//! * [`MsgBuilder`] appends messages (a batch, if several) to a `Vec<u8>`.
//! * [`wire_struct!`] declares a fixed-size kernel struct, [`kernel_enum!`]
//!   a kernel enum that keeps values it does not know: the two
//!   declarations every family crate shares.
//!
//! # Contract
//!
//! Views are only made through checked parses. Once a view exists, none of
//! its accessors panics, whatever the bytes were; every malformed input is
//! an [`Error`] naming what was wrong and at which byte offset. Iterators
//! end after their first error, so no input makes them loop forever, and
//! nothing allocates in proportion to a length field. Fixed-size structs
//! are read tolerantly ([`Msg::family_header`], [`Attr::read`]): a longer
//! struct from a newer kernel is cut, a shorter one from an older kernel is
//! zero-filled.
//!
//! Netlink headers are host byte order. Payloads that are network order
//! say so in the accessor's name (`be16`, `be32`) or with
//! `NLA_F_NET_BYTEORDER`, which `u16`/`u32`/`u64` honour.
//!
//! ```
//! use nl_wire::{MsgBuilder, Msgs, netlink::NLM_F_REQUEST};
//! let mut buf = Vec::new();
//! let mut m = MsgBuilder::new(&mut buf, 0x10, NLM_F_REQUEST);
//! m.header(&[0u8; 16]).put_str(3, "eth0").put_u32(4, 1500);
//! m.finish()?;
//! for msg in Msgs::new(&buf) {
//!     let msg = msg?;
//!     for attr in msg.attrs_after(16) {
//!         let attr = attr?;
//!         match attr.ty() {
//!             3 => assert_eq!(attr.cstr()?, "eth0"),
//!             4 => assert_eq!(attr.u32()?, 1500),
//!             _ => {}
//!         }
//!     }
//! }
//! # Ok::<(), nl_wire::Error>(())
//! ```
#![cfg_attr(not(test), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod align;
mod attr;
#[cfg(feature = "alloc")]
mod builder;
#[cfg(feature = "alloc")]
pub mod codec;
mod control;
mod error;
mod hwaddr;
mod macros;
mod msg;
pub mod netlink;
pub mod pcap;
mod walk;

pub use attr::{Attr, AttrTable, Attrs, read_tolerant};
#[cfg(feature = "alloc")]
pub use builder::{MsgBuilder, Nest};
pub use control::{AttrPath, Control, DoneMsg, ErrorMsg, ExtAck, locate, locate_any};
pub use error::{DecodeError, Error, Item, Result};
pub use hwaddr::{HwAddr, HwAddrParseError};
pub use macros::{KernelEnum, UnknownWord};
pub use msg::{Msg, Msgs};
pub use walk::{MAX_DEPTH, Walk, looks_nested};
