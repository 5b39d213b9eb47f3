//! NETLINK_NETFILTER over nl-wire: the `nfgenmsg` header, subsystem ids and
//! transactions (batches), under which the conntrack, ipset and nftables
//! objects live.
//!
//! Every netfilter message names its subsystem and command in
//! `nlmsg_type` (`subsystem << 8 | command`, [`msg_type`]) and starts its
//! payload with `struct nfgenmsg`:
//!
//! ```text
//! +----------------------+------------+-----------+--------------------+------------------
//! | nlmsghdr             | family:8   | version:8 | res_id:16 (big     | attributes ...
//! | type = subsys<<8|cmd | (AF_INET…) | (V0)      | endian)            | (many big-endian)
//! +----------------------+------------+-----------+--------------------+------------------
//! ```
//!
//! Netfilter speaks network byte order for most numbers (ports, ids,
//! counters, timeouts): read them with nl-wire's `be16`/`be32`/`be64`
//! getters and write them with `put_be*`, never the host-order ones.
//!
//! A transaction (nftables, and ipset's batches) is a list of requests
//! between [`BATCH_BEGIN`](uapi::NFNL_MSG_BATCH_BEGIN) and
//! [`BATCH_END`](uapi::NFNL_MSG_BATCH_END), sent as one datagram and
//! applied all or nothing: [`Batch`] writes one.
//!
//! Like the other family crates, this one does no I/O.
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

pub mod conntrack;
mod error;
pub mod ipset;
pub mod nft;
pub mod uapi;

use nl_wire::netlink::{NLM_F_ACK, NLM_F_REQUEST};
use nl_wire::{Attrs, Msg, MsgBuilder};
use zerocopy::network_endian::U16;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

pub use error::{Error, Result};

use uapi::nfnetlink::{NFNETLINK_V0, NFNL_BATCH_GENID};
use uapi::{NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END};

/// `struct nfgenmsg`.
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
pub struct NfGenMsg {
    /// Address family (`AF_INET`, `AF_INET6`, `AF_UNSPEC` ...; nftables'
    /// table families).
    pub family: u8,
    /// `NFNETLINK_V0`.
    pub version: u8,
    /// Resource id, big endian: the subsystem of a batch, an nftables
    /// generation (low 16 bits), a conntrack CPU ...
    pub res_id: U16,
}

const _: () = assert!(core::mem::size_of::<NfGenMsg>() == 4);

/// The `nlmsg_type` of `command` of `subsystem`.
pub const fn msg_type(subsystem: u8, command: u8) -> u16 {
    ((subsystem as u16) << 8) | command as u16
}

/// The subsystem of a netfilter `nlmsg_type`.
pub const fn subsystem_of(msg_type: u16) -> u8 {
    (msg_type >> 8) as u8
}

/// The command of a netfilter `nlmsg_type`.
pub const fn command_of(msg_type: u16) -> u8 {
    (msg_type & 0xff) as u8
}

/// Starts a request: the netlink header (`NLM_F_REQUEST | flags`) and the
/// nfgenmsg. Add attributes with the builder, then finish it.
pub fn request(
    buf: &mut Vec<u8>,
    subsystem: u8,
    command: u8,
    family: u8,
    flags: u16,
) -> MsgBuilder<'_> {
    request_with_res_id(buf, subsystem, command, family, 0, flags)
}

/// [`request`] with a resource id in the nfgenmsg.
pub fn request_with_res_id(
    buf: &mut Vec<u8>,
    subsystem: u8,
    command: u8,
    family: u8,
    res_id: u16,
    flags: u16,
) -> MsgBuilder<'_> {
    let mut m = MsgBuilder::new(buf, msg_type(subsystem, command), NLM_F_REQUEST | flags);
    m.header(&NfGenMsg {
        family,
        version: NFNETLINK_V0,
        res_id: U16::new(res_id),
    });
    m
}

/// A received netfilter message: subsystem, command, nfgenmsg and
/// attributes.
#[derive(Debug, Clone, Copy)]
pub struct NfMsg<'a> {
    msg: Msg<'a>,
    hdr: NfGenMsg,
}

impl<'a> NfMsg<'a> {
    /// Reads `msg` as a netfilter message of `subsystem`.
    pub fn parse(msg: &Msg<'a>, subsystem: u8) -> Result<Self> {
        if subsystem_of(msg.ty()) != subsystem {
            return Err(Error::Unexpected {
                what: "a message of this netfilter subsystem",
                msg_type: msg.ty(),
            });
        }
        let (hdr, _) =
            NfGenMsg::read_from_prefix(msg.payload()).map_err(|_| Error::Unexpected {
                what: "a netfilter message (no nfgenmsg)",
                msg_type: msg.ty(),
            })?;
        Ok(NfMsg { msg: *msg, hdr })
    }

    /// The command.
    pub fn command(&self) -> u8 {
        command_of(self.msg.ty())
    }

    /// The nfgenmsg.
    pub fn header(&self) -> &NfGenMsg {
        &self.hdr
    }

    /// The address family of the nfgenmsg.
    pub fn family(&self) -> u8 {
        self.hdr.family
    }

    /// The resource id of the nfgenmsg.
    pub fn res_id(&self) -> u16 {
        self.hdr.res_id.get()
    }

    /// The attributes.
    pub fn attrs(&self) -> Attrs<'a> {
        self.msg.attrs::<NfGenMsg>()
    }

    /// The netlink message underneath.
    pub fn msg(&self) -> &Msg<'a> {
        &self.msg
    }

    /// An nl-wire error while reading this message, as this crate's error.
    pub fn wire_error(&self, e: nl_wire::Error) -> Error {
        Error::Wire {
            msg_type: self.msg.ty(),
            source: e,
        }
    }
}

/// A transaction being written: `BATCH_BEGIN`, the requests, `BATCH_END`,
/// in one buffer to send as one datagram.
///
/// The kernel applies the requests of one batch all or nothing and
/// answers each failed request with its error, carrying the request's
/// sequence number. Only the last request asks for an ack
/// ([`Batch::end`] sets `NLM_F_ACK` on it): the kernel queues every
/// answer of a batch after processing all of it, so that ack (or the
/// last request's error) comes after every other answer and ends the
/// transaction, with one answer to read instead of one per request.
///
/// ```
/// use nl_netfilter::{Batch, uapi::nfnetlink::NFNL_SUBSYS_NFTABLES};
/// let mut buf = Vec::new();
/// let mut batch = Batch::begin(&mut buf, NFNL_SUBSYS_NFTABLES, None)?;
/// // batch.request(...) for each operation
/// batch.end()?;
/// assert_eq!(nl_wire::Msgs::new(&buf).count(), 2);
/// # Ok::<(), nl_netfilter::Error>(())
/// ```
#[derive(Debug)]
pub struct Batch<'b> {
    buf: &'b mut Vec<u8>,
    subsystem: u8,
    count: usize,
}

impl<'b> Batch<'b> {
    /// Opens a transaction of `subsystem`; with `genid`, the kernel refuses
    /// it (`ERESTART`) if its ruleset generation has moved on (nftables).
    pub fn begin(buf: &'b mut Vec<u8>, subsystem: u8, genid: Option<u32>) -> Result<Self> {
        let mut m = request_with_res_id(buf, 0, 0, 0, u16::from(subsystem), 0);
        m.flags(NLM_F_REQUEST);
        if let Some(g) = genid {
            m.put_be32(NFNL_BATCH_GENID, g);
        }
        m.finish().map_err(Error::Build)?;
        // The batch markers are control types, not subsystem 0's commands.
        set_type(buf, NFNL_MSG_BATCH_BEGIN);
        Ok(Batch {
            buf,
            subsystem,
            count: 0,
        })
    }

    /// Appends one request of the transaction's subsystem, written by `f`
    /// after the nfgenmsg (no `NLM_F_ACK`: the kernel answers it only if
    /// it fails; [`Batch::end`] asks an ack of the last one).
    pub fn request(
        &mut self,
        command: u8,
        family: u8,
        flags: u16,
        f: impl FnOnce(&mut MsgBuilder<'_>),
    ) -> Result<()> {
        let mut m = request(self.buf, self.subsystem, command, family, flags);
        f(&mut m);
        m.finish().map_err(Error::Build)?;
        self.count += 1;
        Ok(())
    }

    /// The buffer, to append a request written elsewhere (by an object's
    /// `write_*`); count it with [`Batch::counted`].
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.buf
    }

    /// Counts a request appended through [`Batch::buffer`].
    pub fn counted(&mut self) {
        self.count += 1;
    }

    /// Requests written so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no request was written.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Closes the transaction, asking an ack of its last request: the
    /// kernel delivers a batch's answers in request order once it has
    /// committed or aborted it, so that answer is the last one (kernels
    /// before 6.10 never ack `BATCH_END` itself).
    pub fn end(self) -> Result<usize> {
        let subsystem = self.subsystem;
        if self.count > 0 {
            let last = last_msg_start(self.buf);
            if let Some(f) = self.buf.get_mut(last + 6..last + 8) {
                let old = <[u8; 2]>::try_from(&*f)
                    .map(u16::from_ne_bytes)
                    .unwrap_or(0);
                f.copy_from_slice(&(old | NLM_F_ACK).to_ne_bytes());
            }
        }
        let start = self.buf.len();
        let m = request_with_res_id(self.buf, 0, 0, 0, u16::from(subsystem), 0);
        m.finish().map_err(Error::Build)?;
        if let Some(tail) = self.buf.get_mut(start..) {
            set_type(tail, NFNL_MSG_BATCH_END);
        }
        Ok(self.count)
    }
}

/// Sets the `nlmsg_type` of the last message in `buf` that starts at its
/// beginning (a fresh message).
fn set_type(buf: &mut [u8], ty: u16) {
    let last = last_msg_start(buf);
    if let Some(t) = buf.get_mut(last + 4..last + 6) {
        t.copy_from_slice(&ty.to_ne_bytes());
    }
}

/// Where the last message in `buf` starts (0 if none).
fn last_msg_start(buf: &[u8]) -> usize {
    // Walk to the last message: batches are built message by message.
    let mut pos = 0usize;
    let mut last = 0usize;
    while let Some(len) = buf
        .get(pos..pos + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_ne_bytes)
    {
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len < 16 {
            break;
        }
        last = pos;
        pos = pos.saturating_add(nl_wire::align::align(len));
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::nfnetlink::NFNL_SUBSYS_NFTABLES;

    #[test]
    fn a_batch_is_begin_requests_end() {
        let mut buf = Vec::new();
        let mut batch = Batch::begin(&mut buf, NFNL_SUBSYS_NFTABLES, Some(7)).unwrap();
        for _ in 0..2 {
            batch
                .request(0, 2, 0, |m| {
                    m.put_str(1, "t");
                })
                .unwrap();
        }
        assert_eq!(batch.end().unwrap(), 2);
        let mut msgs: Vec<_> = nl_wire::Msgs::new(&buf).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), 4);
        // Only the last request asks for an ack: it ends the answers.
        assert!(msgs[1].flags() & NLM_F_ACK == 0);
        msgs.remove(1);
        assert_eq!(msgs[0].ty(), NFNL_MSG_BATCH_BEGIN);
        assert_eq!(msgs[2].ty(), NFNL_MSG_BATCH_END);
        let begin: NfGenMsg = msgs[0].family_header();
        assert_eq!(begin.res_id.get(), u16::from(NFNL_SUBSYS_NFTABLES));
        assert_eq!(
            msgs[0]
                .attrs::<NfGenMsg>()
                .get(NFNL_BATCH_GENID)
                .unwrap()
                .unwrap()
                .be32()
                .unwrap(),
            7
        );
        assert_eq!(msgs[1].ty(), msg_type(NFNL_SUBSYS_NFTABLES, 0));
        assert!(msgs[1].flags() & NLM_F_ACK != 0);
        let nf = NfMsg::parse(&msgs[1], NFNL_SUBSYS_NFTABLES).unwrap();
        assert_eq!((nf.command(), nf.family()), (0, 2));
        assert!(NfMsg::parse(&msgs[1], 1).is_err());
    }
}
