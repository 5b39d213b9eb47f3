//! The connector header: every `NETLINK_CONNECTOR` message carries one
//! `cn_msg` after its `nlmsghdr`, naming the connector user (`cb_id`) and
//! the length of the data that follows.
//!
//! ```text
//!  nlmsghdr (16) | cb_id.idx | cb_id.val | seq | ack | len:16 flags:16 | data (len bytes)
//!                 \__________________ cn_msg (20) ___________________/
//! ```
//!
//! The kernel sends its messages as `NLMSG_DONE` (`cn_netlink_send`), and
//! reads requests of any type; [`write()`] uses `NLMSG_DONE` as the `cn_proc`
//! users (and the Go library) do.

use core::ops::Range;

use nl_wire::netlink::NLMSG_DONE;
use nl_wire::{Msg, MsgBuilder};
use zerocopy::FromBytes;

use crate::error::{Error, Result};
use crate::uapi::connector::{CbId, CnMsgHdr};

/// Size of `struct nlmsghdr`: offsets in errors count from the message start.
const NLMSG_HDRLEN: usize = 16;

/// A connector message, read in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CnMsg<'a> {
    hdr: CnMsgHdr,
    data: &'a [u8],
}

impl<'a> CnMsg<'a> {
    /// Reads the `cn_msg` of `msg`. Fails when the header, or the data
    /// its `len` announces, does not fit; bytes after the data are ignored.
    pub fn parse(msg: &Msg<'a>) -> Result<CnMsg<'a>> {
        Self::parse_payload(msg.payload())
    }

    /// [`CnMsg::parse`] on a message's payload (the bytes after `nlmsghdr`).
    pub fn parse_payload(payload: &'a [u8]) -> Result<CnMsg<'a>> {
        let (hdr, rest) = CnMsgHdr::read_from_prefix(payload).map_err(|_| Error::Truncated {
            what: "cn_msg",
            need: size_of::<CnMsgHdr>(),
            have: payload.len(),
            offset: NLMSG_HDRLEN,
        })?;
        let len = usize::from(hdr.len.get());
        let data = rest.get(..len).ok_or(Error::Truncated {
            what: "cn_msg data",
            need: len,
            have: rest.len(),
            offset: NLMSG_HDRLEN + size_of::<CnMsgHdr>(),
        })?;
        Ok(CnMsg { hdr, data })
    }

    /// The connector user: `(idx, val)` (`CN_IDX_PROC, CN_VAL_PROC` ...).
    pub fn id(&self) -> (u32, u32) {
        (self.hdr.id.idx.get(), self.hdr.id.val.get())
    }

    /// The sender's sequence number.
    pub fn seq(&self) -> u32 {
        self.hdr.seq.get()
    }

    /// The acknowledge number.
    pub fn ack(&self) -> u32 {
        self.hdr.ack.get()
    }

    /// The flags.
    pub fn flags(&self) -> u16 {
        self.hdr.flags.get()
    }

    /// The data (exactly `len` bytes).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
}

/// Appends one connector request to `buf`: a `NLMSG_DONE` message with a
/// `cn_msg` for `(idx, val)` carrying `data`. The socket fills in the
/// netlink sequence number and port.
pub fn write(
    buf: &mut Vec<u8>,
    id: (u32, u32),
    seq: u32,
    ack: u32,
    data: &[u8],
) -> Result<Range<usize>> {
    let len = u16::try_from(data.len()).map_err(|_| {
        Error::Build(nl_wire::Error::Overflow {
            what: nl_wire::Item::Message,
            len: data.len(),
        })
    })?;
    let hdr = CnMsgHdr {
        id: CbId {
            idx: id.0.into(),
            val: id.1.into(),
        },
        seq: seq.into(),
        ack: ack.into(),
        len: len.into(),
        flags: 0.into(),
    };
    let mut m = MsgBuilder::new(buf, NLMSG_DONE, 0);
    m.header(&hdr).header(data);
    m.finish().map_err(Error::Build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_construct_then_parse() {
        let mut buf = Vec::new();
        let r = write(&mut buf, (1, 1), 7, 9, &[1, 0, 0, 0]).unwrap();
        assert_eq!(r, 0..40);
        let (msg, rest) = Msg::parse(&buf).unwrap();
        assert!(rest.is_empty());
        assert_eq!(msg.ty(), NLMSG_DONE);
        let cn = CnMsg::parse(&msg).unwrap();
        assert_eq!(cn.id(), (1, 1));
        assert_eq!((cn.seq(), cn.ack(), cn.flags()), (7, 9, 0));
        assert_eq!(cn.data(), &[1, 0, 0, 0]);
    }

    #[test]
    fn test_impossible_len() {
        // The header alone, 3 bytes short.
        assert!(matches!(
            CnMsg::parse_payload(&[0; 17]),
            Err(Error::Truncated {
                what: "cn_msg",
                need: 20,
                have: 17,
                ..
            })
        ));
        // len says 8, 4 follow.
        let mut p = vec![0u8; 24];
        p[16] = 8;
        assert!(matches!(
            CnMsg::parse_payload(&p),
            Err(Error::Truncated {
                what: "cn_msg data",
                need: 8,
                have: 4,
                offset: 36
            })
        ));
    }
}
