//! NETLINK_GENERIC over nl-wire: the genl header, the controller (nlctrl)
//! that names families and their operations, multicast groups and
//! attribute policies, and typed families.
//!
//! Generic netlink multiplexes many families over one protocol. Each
//! family registers with the kernel under a name (`"wireguard"`,
//! `"ethtool"`, `"mptcp_pm"`) and gets a number, its *family id*, which
//! is the `nlmsg_type` of every message to and from it. Ids are given at
//! registration (a module reload can change one), so a program first asks
//! nlctrl — itself a family, with the fixed id [`uapi::GENL_ID_CTRL`] —
//! for the family by name ([`ctrl::Family::write_get`]), then speaks to
//! that id. [`ctrl::FamilyCache`] keeps the answers and forgets a family
//! when nlctrl announces it is gone.
//!
//! Every genl message has the same layout after the netlink header:
//!
//! ```text
//! +----------------+-----------+--------+---------------------+------------------+
//! | nlmsghdr       | cmd:8     | ver:8  | reserved:16         | family header    | attributes ...
//! | type=family id |           |        |                     | (hdrsize bytes)  |
//! +----------------+-----------+--------+---------------------+------------------+
//! ```
//!
//! Like the other family crates, nl-genl does no I/O: [`request`] starts a
//! request in a buffer (the attributes go in with nl-wire's
//! [`MsgBuilder`]), [`GenlMsg::parse`] reads a reply, and a socket
//! (nl-sock's, blocking or tokio) moves the bytes. The same two functions
//! are the generic path for a family this crate does not type:
//!
//! ```
//! use nl_genl::{GenlMsg, request, uapi::{GENL_ID_CTRL, genetlink::*}};
//! use nl_wire::netlink::NLM_F_ACK;
//!
//! // nlctrl's CTRL_CMD_GETFAMILY for "nlctrl", written by hand.
//! let mut buf = Vec::new();
//! let mut m = request(&mut buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2, NLM_F_ACK);
//! m.put_str(CTRL_ATTR_FAMILY_NAME, "nlctrl");
//! m.finish()?;
//! let (msg, _) = nl_wire::Msg::parse(&buf)?;
//! let genl = GenlMsg::parse(&msg, 0)?;
//! assert_eq!((genl.cmd(), genl.version()), (CTRL_CMD_GETFAMILY, 2));
//! let name = genl.attrs().get(CTRL_ATTR_FAMILY_NAME)?.ok_or("no family name")?;
//! assert_eq!(name.cstr()?, "nlctrl");
//! # Ok::<(), Box<dyn std::error::Error>>(())
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

pub mod ctrl;
pub mod devlink;
mod enums;
mod error;
pub mod ethtool;
pub mod fou;
pub mod gtp;
pub mod macsec;
pub mod mptcp;
pub mod nl80211;
pub mod policy;
pub mod uapi;
pub mod vdpa;
pub mod wireguard;

use nl_wire::netlink::NLM_F_REQUEST;
use nl_wire::{Attrs, Msg, MsgBuilder};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

pub use ctrl::{Family, FamilyCache, McastGroup, Op, OpFlags};
pub use error::{Error, Result};
pub use policy::{AttrPolicy, AttrType, Policy};

/// `struct genlmsghdr`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct GenlMsgHdr {
    /// The family's command.
    pub cmd: u8,
    /// The family's interface version.
    pub version: u8,
    /// Unused, zero.
    pub reserved: [u8; 2],
}

const _: () = assert!(core::mem::size_of::<GenlMsgHdr>() == uapi::GENL_HDRLEN);

/// Starts a request to `family` (its id): the netlink header (with
/// `NLM_F_REQUEST` and `flags`) and the genl header with `cmd` and
/// `version`. Add the family's own header (if it has one) and attributes
/// with the returned builder, then [`MsgBuilder::finish`].
pub fn request(buf: &mut Vec<u8>, family: u16, cmd: u8, version: u8, flags: u16) -> MsgBuilder<'_> {
    let mut m = MsgBuilder::new(buf, family, NLM_F_REQUEST | flags);
    m.header(&GenlMsgHdr {
        cmd,
        version,
        reserved: [0; 2],
    });
    m
}

/// A received generic netlink message: the family id, the genl header,
/// the family's own header and the attributes.
#[derive(Debug, Clone)]
pub struct GenlMsg<'a> {
    msg: Msg<'a>,
    hdr: GenlMsgHdr,
    user: &'a [u8],
    attrs: Attrs<'a>,
}

impl<'a> GenlMsg<'a> {
    /// Reads `msg` as a genl message whose family header is `hdrsize`
    /// bytes (0 for most families; [`Family::hdrsize`] says).
    pub fn parse(msg: &Msg<'a>, hdrsize: usize) -> Result<Self> {
        let payload = msg.payload();
        let (hdr, rest) = GenlMsgHdr::read_from_prefix(payload).map_err(|_| Error::Unexpected {
            what: "a generic netlink message (no genl header)",
            msg_type: msg.ty(),
        })?;
        let user = rest.get(..hdrsize).ok_or_else(|| Error::Wire {
            family: "genl",
            cmd: hdr.cmd,
            source: nl_wire::Error::Truncated {
                what: nl_wire::Item::Payload,
                need: hdrsize,
                have: rest.len(),
                offset: msg.offset() + nl_wire::align::NLMSG_HDRLEN + uapi::GENL_HDRLEN,
            },
        })?;
        let attrs = msg.attrs_after(uapi::GENL_HDRLEN + nl_wire::align::align(hdrsize));
        Ok(GenlMsg {
            msg: *msg,
            hdr,
            user,
            attrs,
        })
    }

    /// The family id (`nlmsg_type`).
    pub fn family_id(&self) -> u16 {
        self.msg.ty()
    }

    /// The command.
    pub fn cmd(&self) -> u8 {
        self.hdr.cmd
    }

    /// The interface version.
    pub fn version(&self) -> u8 {
        self.hdr.version
    }

    /// The family's own header (empty for most families).
    pub fn user_header(&self) -> &'a [u8] {
        self.user
    }

    /// The attributes.
    pub fn attrs(&self) -> Attrs<'a> {
        self.attrs.clone()
    }

    /// The netlink message underneath.
    pub fn msg(&self) -> &Msg<'a> {
        &self.msg
    }

    /// An nl-wire error while reading this message, as this crate's error.
    pub fn wire_error(&self, family: &'static str, e: nl_wire::Error) -> Error {
        Error::Wire {
            family,
            cmd: self.hdr.cmd,
            source: e,
        }
    }
}
