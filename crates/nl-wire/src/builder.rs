//! The builder: appends messages and attributes to a caller's `Vec<u8>`.
//!
//! Puts are bounds-checked and chainable; the first error sticks (later
//! puts do nothing) and is returned by [`MsgBuilder::finish`], which also
//! writes `nlmsg_len`. A builder dropped without `finish`, or whose finish
//! fails, removes its partial message from the buffer, so a batch buffer
//! only ever holds whole messages. Padding bytes are always zero.
//!
//! ```
//! use nl_wire::{MsgBuilder, Msgs, netlink::{NLM_F_REQUEST, NLM_F_ACK}};
//! let mut buf = Vec::new();
//! let mut m = MsgBuilder::new(&mut buf, 16 /* RTM_NEWLINK */, NLM_F_REQUEST | NLM_F_ACK);
//! m.header(&[0u8; 16]) // struct ifinfomsg
//!     .put_str(3 /* IFLA_IFNAME */, "v0")
//!     .put_u32(4 /* IFLA_MTU */, 1400)
//!     .nest(18 /* IFLA_LINKINFO */, |m| {
//!         m.put_str(1 /* IFLA_INFO_KIND */, "veth");
//!     });
//! let range = m.finish()?;
//! assert_eq!(range, 0..64); // 16 header + 16 ifinfomsg + 8 + 8 + 16 nest
//! let msg = Msgs::new(&buf).next().unwrap()?;
//! assert_eq!(msg.attrs_after(16).get(4)?.unwrap().u32()?, 1400);
//! # Ok::<(), nl_wire::Error>(())
//! ```

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::ops::Range;

use zerocopy::{Immutable, IntoBytes};

use crate::align::{NLA_HDRLEN, NLMSG_HDRLEN, padding};
use crate::error::{Error, Item, Result};
use crate::hwaddr::HwAddr;
use crate::netlink::{NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, NlMsgHdr};

/// Largest attribute, header included, that `nla_len` can describe.
const MAX_ATTR_LEN: usize = u16::MAX as usize;

/// An open nest; close it with [`MsgBuilder::nest_end`] or
/// [`MsgBuilder::nest_cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a nest must be closed with nest_end or nest_cancel"]
pub struct Nest {
    pos: usize,
}

/// Builds one message (or a bare attribute stream) at the end of a `Vec<u8>`.
#[derive(Debug)]
pub struct MsgBuilder<'b> {
    buf: &'b mut Vec<u8>,
    start: usize,
    has_header: bool,
    err: Option<Error>,
    finished: bool,
}

impl<'b> MsgBuilder<'b> {
    /// Starts a message of type `ty` with `flags` at the end of `buf`
    /// (after zero padding to 4 bytes, so several messages form a batch).
    /// Sequence number and port id start at 0; a socket fills them in.
    pub fn new(buf: &'b mut Vec<u8>, ty: u16, flags: u16) -> Self {
        buf.resize(buf.len() + padding(buf.len()), 0);
        let start = buf.len();
        let header = NlMsgHdr {
            nlmsg_len: (NLMSG_HDRLEN as u32).into(),
            nlmsg_type: ty.into(),
            nlmsg_flags: flags.into(),
            ..NlMsgHdr::default()
        };
        buf.extend_from_slice(header.as_bytes());
        MsgBuilder {
            buf,
            start,
            has_header: true,
            err: None,
            finished: false,
        }
    }

    /// Appends a bare attribute stream (no message header) to `buf`, for
    /// payloads that are themselves attribute lists.
    pub fn attrs_only(buf: &'b mut Vec<u8>) -> Self {
        buf.resize(buf.len() + padding(buf.len()), 0);
        let start = buf.len();
        MsgBuilder {
            buf,
            start,
            has_header: false,
            err: None,
            finished: false,
        }
    }

    /// The first error met so far.
    pub fn error(&self) -> Option<Error> {
        self.err
    }

    /// Bytes written so far for this message.
    pub fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether nothing was written (only possible for [`MsgBuilder::attrs_only`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn fail(&mut self, e: Error) {
        if self.err.is_none() {
            self.err = Some(e);
        }
    }

    fn header_field(&mut self, at: usize, bytes: &[u8]) {
        if !self.has_header {
            return;
        }
        let at = self.start + at;
        if let Some(dst) = self.buf.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    /// Sets `nlmsg_seq` (sockets overwrite it when sending).
    pub fn seq(&mut self, seq: u32) -> &mut Self {
        self.header_field(8, &seq.to_ne_bytes());
        self
    }

    /// Sets `nlmsg_pid`.
    pub fn pid(&mut self, pid: u32) -> &mut Self {
        self.header_field(12, &pid.to_ne_bytes());
        self
    }

    /// Sets `nlmsg_flags`.
    pub fn flags(&mut self, flags: u16) -> &mut Self {
        self.header_field(6, &flags.to_ne_bytes());
        self
    }

    /// Appends a family header (`ifinfomsg`, `rtmsg`, ...) and pads it.
    pub fn header<T: IntoBytes + Immutable + ?Sized>(&mut self, header: &T) -> &mut Self {
        if self.err.is_none() {
            let bytes = header.as_bytes();
            self.buf.extend_from_slice(bytes);
            self.buf.resize(self.buf.len() + padding(bytes.len()), 0);
        }
        self
    }

    /// Appends an attribute with a raw 16-bit type field (flags included)
    /// and the given payload, then pads.
    pub fn put_raw(&mut self, raw_type: u16, payload: &[u8]) -> &mut Self {
        if self.err.is_some() {
            return self;
        }
        let len = NLA_HDRLEN + payload.len();
        let Ok(len16) = u16::try_from(len) else {
            self.fail(Error::Overflow {
                what: Item::Attribute,
                len,
            });
            return self;
        };
        self.buf.extend_from_slice(&len16.to_ne_bytes());
        self.buf.extend_from_slice(&raw_type.to_ne_bytes());
        self.buf.extend_from_slice(payload);
        self.buf.resize(self.buf.len() + padding(len), 0);
        self
    }

    /// Appends an attribute whose payload is any byte-representable value.
    pub fn put<T: IntoBytes + Immutable + ?Sized>(&mut self, ty: u16, value: &T) -> &mut Self {
        self.put_raw(ty, value.as_bytes())
    }

    /// Appends raw payload bytes.
    pub fn put_bytes(&mut self, ty: u16, bytes: &[u8]) -> &mut Self {
        self.put_raw(ty, bytes)
    }

    /// Appends a flag (an attribute with no payload).
    pub fn put_flag(&mut self, ty: u16) -> &mut Self {
        self.put_raw(ty, &[])
    }

    /// Appends a `u8`.
    pub fn put_u8(&mut self, ty: u16, v: u8) -> &mut Self {
        self.put_raw(ty, &[v])
    }

    /// Appends an `i8`.
    pub fn put_i8(&mut self, ty: u16, v: i8) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends a `u16` in host byte order.
    pub fn put_u16(&mut self, ty: u16, v: u16) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends a `u32` in host byte order.
    pub fn put_u32(&mut self, ty: u16, v: u32) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends a `u64` in host byte order.
    pub fn put_u64(&mut self, ty: u16, v: u64) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends an `i16` in host byte order.
    pub fn put_i16(&mut self, ty: u16, v: i16) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends an `i32` in host byte order.
    pub fn put_i32(&mut self, ty: u16, v: i32) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends an `i64` in host byte order.
    pub fn put_i64(&mut self, ty: u16, v: i64) -> &mut Self {
        self.put_raw(ty, &v.to_ne_bytes())
    }

    /// Appends a `__be16` (network order, no flag), like the kernel's `nla_put_be16`.
    pub fn put_be16(&mut self, ty: u16, v: u16) -> &mut Self {
        self.put_raw(ty, &v.to_be_bytes())
    }

    /// Appends a `__be32` (network order, no flag).
    pub fn put_be32(&mut self, ty: u16, v: u32) -> &mut Self {
        self.put_raw(ty, &v.to_be_bytes())
    }

    /// Appends a `__be64` (network order, no flag).
    pub fn put_be64(&mut self, ty: u16, v: u64) -> &mut Self {
        self.put_raw(ty, &v.to_be_bytes())
    }

    /// Appends a `u16` in network order with `NLA_F_NET_BYTEORDER` set
    /// (the kernel's `nla_put_net16`).
    pub fn put_net16(&mut self, ty: u16, v: u16) -> &mut Self {
        self.put_raw((ty & NLA_TYPE_MASK) | NLA_F_NET_BYTEORDER, &v.to_be_bytes())
    }

    /// Appends a `u32` in network order with `NLA_F_NET_BYTEORDER` set.
    pub fn put_net32(&mut self, ty: u16, v: u32) -> &mut Self {
        self.put_raw((ty & NLA_TYPE_MASK) | NLA_F_NET_BYTEORDER, &v.to_be_bytes())
    }

    /// Appends a `u64` in network order with `NLA_F_NET_BYTEORDER` set.
    pub fn put_net64(&mut self, ty: u16, v: u64) -> &mut Self {
        self.put_raw((ty & NLA_TYPE_MASK) | NLA_F_NET_BYTEORDER, &v.to_be_bytes())
    }

    /// Appends a string with its terminating NUL. A string with an
    /// interior NUL is refused ([`Error::Invalid`]): the kernel would cut it.
    pub fn put_str(&mut self, ty: u16, s: &str) -> &mut Self {
        if self.err.is_some() {
            return self;
        }
        if s.as_bytes().contains(&0) {
            self.fail(Error::Invalid {
                ty: ty & NLA_TYPE_MASK,
            });
            return self;
        }
        let len = NLA_HDRLEN + s.len() + 1;
        let Ok(len16) = u16::try_from(len) else {
            self.fail(Error::Overflow {
                what: Item::Attribute,
                len,
            });
            return self;
        };
        self.buf.extend_from_slice(&len16.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(0);
        self.buf.resize(self.buf.len() + padding(len), 0);
        self
    }

    /// Appends an IPv4 address (4 bytes).
    pub fn put_ipv4(&mut self, ty: u16, addr: Ipv4Addr) -> &mut Self {
        self.put_raw(ty, &addr.octets())
    }

    /// Appends an IPv6 address (16 bytes).
    pub fn put_ipv6(&mut self, ty: u16, addr: Ipv6Addr) -> &mut Self {
        self.put_raw(ty, &addr.octets())
    }

    /// Appends an IPv4 (4 bytes) or IPv6 (16 bytes) address.
    pub fn put_ip(&mut self, ty: u16, addr: IpAddr) -> &mut Self {
        match addr {
            IpAddr::V4(a) => self.put_ipv4(ty, a),
            IpAddr::V6(a) => self.put_ipv6(ty, a),
        }
    }

    /// Appends a hardware address.
    pub fn put_hwaddr(&mut self, ty: u16, addr: &HwAddr) -> &mut Self {
        self.put_raw(ty, addr.as_bytes())
    }

    /// Opens a nest of type `ty`. The type is written as given: OR in
    /// `NLA_F_NESTED` where the kernel's policy is strict (new generic
    /// netlink families, and rtnetlink's newer objects such as nexthops,
    /// which refuse a nest without it: "NLA_F_NESTED is missing"). The
    /// older rtnetlink attributes (link info, route metrics ...) accept
    /// it either way, and iproute2 sends them without.
    pub fn nest_start(&mut self, ty: u16) -> Nest {
        let pos = self.buf.len();
        self.put_raw(ty, &[]);
        Nest { pos }
    }

    /// Closes a nest: writes its length. A nest longer than `nla_len` can
    /// say is removed and recorded as [`Error::Overflow`].
    pub fn nest_end(&mut self, nest: Nest) -> &mut Self {
        if self.err.is_some() || nest.pos < self.start || nest.pos >= self.buf.len() {
            return self;
        }
        let len = self.buf.len() - nest.pos;
        match u16::try_from(len) {
            Ok(len16) if len <= MAX_ATTR_LEN => {
                if let Some(dst) = self.buf.get_mut(nest.pos..nest.pos + 2) {
                    dst.copy_from_slice(&len16.to_ne_bytes());
                }
            }
            _ => {
                self.buf.truncate(nest.pos);
                self.fail(Error::Overflow {
                    what: Item::Nest,
                    len,
                });
            }
        }
        self
    }

    /// Drops a nest and everything written into it.
    pub fn nest_cancel(&mut self, nest: Nest) -> &mut Self {
        if nest.pos >= self.start && nest.pos <= self.buf.len() {
            self.buf.truncate(nest.pos);
        }
        self
    }

    /// Writes a nest of type `ty` whose content `f` appends.
    pub fn nest(&mut self, ty: u16, f: impl FnOnce(&mut Self)) -> &mut Self {
        let nest = self.nest_start(ty);
        f(self);
        self.nest_end(nest)
    }

    /// Writes `nlmsg_len` and returns the message's byte range in the buffer
    /// (without trailing padding). On error the partial message is removed.
    pub fn finish(mut self) -> Result<Range<usize>> {
        if let Some(e) = self.err {
            return Err(e);
        }
        let end = self.buf.len();
        let len = end - self.start;
        if self.has_header {
            let len32 = message_len(len)?;
            self.header_field(0, &len32.to_ne_bytes());
        }
        self.finished = true;
        Ok(self.start..end)
    }
}

/// `nlmsg_len` for a message of `len` bytes, refused when it would wrap.
fn message_len(len: usize) -> Result<u32> {
    u32::try_from(len).map_err(|_| Error::Overflow {
        what: Item::Message,
        len,
    })
}

impl Drop for MsgBuilder<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.buf.truncate(self.start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Attrs;
    use crate::msg::Msgs;
    use crate::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_REQUEST};

    fn one(buf: &[u8]) -> crate::Msg<'_> {
        let mut it = Msgs::new(buf);
        let m = it.next().unwrap().unwrap();
        assert!(it.next().is_none());
        m
    }

    #[test]
    fn test_construct_header() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 18, NLM_F_REQUEST | NLM_F_ACK);
        m.seq(77).pid(5);
        assert_eq!(m.finish().unwrap(), 0..16);
        assert_eq!(buf, [16, 0, 0, 0, 18, 0, 5, 0, 77, 0, 0, 0, 5, 0, 0, 0]);
    }

    #[test]
    fn every_put_round_trips() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, NLM_F_REQUEST);
        let mac = HwAddr::mac([2, 0, 0, 0, 0, 1]);
        m.header(&[1u8, 2, 3]) // 3-byte header, padded to 4
            .put_u8(1, 0xab)
            .put_u16(2, 0xbeef)
            .put_u32(3, 0xdead_beef)
            .put_u64(4, u64::MAX - 1)
            .put_i32(5, -7)
            .put_be16(6, 4789)
            .put_be32(7, 0x0102_0304)
            .put_net16(8, 53)
            .put_net32(9, 7)
            .put_str(10, "eth0")
            .put_flag(11)
            .put_ipv4(12, Ipv4Addr::new(192, 0, 2, 1))
            .put_ipv6(13, "2001:db8::1".parse().unwrap())
            .put_hwaddr(14, &mac)
            .put_bytes(15, &[9, 9, 9])
            .put_i8(16, -1)
            .put_i16(17, -2)
            .put_i64(18, -3)
            .put_be64(19, 1)
            .put_net64(20, 2)
            .put(21, &[7u8; 5]);
        m.finish().unwrap();
        let msg = one(&buf);
        assert_eq!(&msg.payload()[..4], &[1, 2, 3, 0]);
        let tb: crate::AttrTable<'_, 32> = msg.attrs_after(3).table().unwrap();
        assert_eq!(tb.u8(1).unwrap(), Some(0xab));
        assert_eq!(tb.u16(2).unwrap(), Some(0xbeef));
        assert_eq!(tb.u32(3).unwrap(), Some(0xdead_beef));
        assert_eq!(tb.u64(4).unwrap(), Some(u64::MAX - 1));
        assert_eq!(tb.i32(5).unwrap(), Some(-7));
        assert_eq!(tb.be16(6).unwrap(), Some(4789));
        assert_eq!(tb.be32(7).unwrap(), Some(0x0102_0304));
        assert_eq!(
            tb.u16(8).unwrap(),
            Some(53),
            "flagged: read as network order"
        );
        assert!(tb.get(8).unwrap().is_net_byteorder());
        assert_eq!(tb.u32(9).unwrap(), Some(7));
        assert_eq!(tb.cstr(10).unwrap(), Some("eth0"));
        assert!(tb.flag(11));
        assert_eq!(
            tb.ip(12).unwrap(),
            Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)))
        );
        assert_eq!(tb.ip(13).unwrap(), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(tb.hwaddr(14).unwrap(), Some(mac));
        assert_eq!(tb.bytes(15), Some(&[9u8, 9, 9][..]));
        assert_eq!(tb.get(16).unwrap().i8().unwrap(), -1);
        assert_eq!(tb.get(17).unwrap().i16().unwrap(), -2);
        assert_eq!(tb.get(18).unwrap().i64().unwrap(), -3);
        assert_eq!(tb.get(19).unwrap().be64().unwrap(), 1);
        assert_eq!(tb.u64(20).unwrap(), Some(2));
        assert_eq!(tb.bytes(21), Some(&[7u8; 5][..]));
        // padding is zero and every attribute starts aligned
        for a in msg.attrs_after(3) {
            assert_eq!(a.unwrap().offset() % 4, 0);
        }
        assert_eq!(buf.len() % 4, 0);
    }

    #[test]
    fn nests_patch_their_length() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.nest(NLA_F_NESTED | 1, |m| {
            m.put_u32(2, 5).nest(3, |m| {
                m.put_str(4, "x");
            });
        });
        let keep = m.nest_start(5);
        m.put_u8(6, 1);
        m.nest_end(keep);
        let drop = m.nest_start(7);
        m.put_u8(8, 1);
        m.nest_cancel(drop);
        m.finish().unwrap();
        let msg = one(&buf);
        let outer: Vec<_> = msg.attrs_after(0).map(Result::unwrap).collect();
        assert_eq!(outer.len(), 2);
        assert!(outer[0].is_nested());
        assert_eq!(outer[0].len(), 4 + 8 + 4 + 8);
        let inner: Vec<_> = outer[0].nested().map(Result::unwrap).collect();
        assert_eq!(inner[0].u32().unwrap(), 5);
        assert_eq!(
            inner[1].nested().next().unwrap().unwrap().cstr().unwrap(),
            "x"
        );
        assert_eq!(outer[1].ty(), 5);
        assert_eq!(outer[1].nested().next().unwrap().unwrap().u8().unwrap(), 1);
    }

    #[test]
    fn batch_of_messages() {
        let mut buf = Vec::new();
        for i in 0..3u32 {
            let mut m = MsgBuilder::new(&mut buf, 16, 0);
            m.header(&[0u8; 1]).put_u32(1, i);
            m.finish().unwrap();
        }
        let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), 3);
        for (i, m) in msgs.iter().enumerate() {
            assert_eq!(m.offset(), i * 28);
            assert_eq!(
                m.attrs_after(1).get(1).unwrap().unwrap().u32().unwrap(),
                i as u32
            );
        }
    }

    #[test]
    fn attribute_overflow_is_refused() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.put_u32(1, 1);
        m.put_bytes(2, &vec![0u8; 65532]);
        assert_eq!(
            m.error(),
            Some(Error::Overflow {
                what: Item::Attribute,
                len: 65536
            })
        );
        m.put_u32(3, 3); // ignored after the first error
        assert_eq!(
            m.finish(),
            Err(Error::Overflow {
                what: Item::Attribute,
                len: 65536
            })
        );
        assert!(buf.is_empty(), "failed message rolled back");

        // the largest attribute that fits
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.put_bytes(2, &vec![0u8; 65531]);
        assert!(m.finish().is_ok());
        let a = one(&buf).attrs_after(0).next().unwrap().unwrap();
        assert_eq!(a.len(), 65535);
    }

    #[test]
    fn nest_overflow_is_refused_and_rolled_back() {
        let mut buf = vec![1, 2, 3, 4];
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.nest(1, |m| {
            for _ in 0..3 {
                m.put_bytes(2, &[0u8; 30000]);
            }
        });
        assert!(matches!(
            m.error(),
            Some(Error::Overflow {
                what: Item::Nest,
                ..
            })
        ));
        assert!(m.finish().is_err());
        assert_eq!(buf, [1, 2, 3, 4], "earlier messages untouched");
    }

    #[test]
    fn string_with_nul_is_refused() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.put_str(3, "a\0b");
        assert_eq!(m.finish(), Err(Error::Invalid { ty: 3 }));
    }

    #[test]
    fn dropped_builder_leaves_nothing() {
        let mut buf = Vec::new();
        {
            let mut m = MsgBuilder::new(&mut buf, 16, 0);
            m.put_u32(1, 1);
        }
        assert!(buf.is_empty());
    }

    #[test]
    fn attrs_only_stream() {
        let mut buf = Vec::new();
        let mut b = MsgBuilder::attrs_only(&mut buf);
        b.put_u16(1, 2).put_str(2, "ab");
        assert_eq!(b.finish().unwrap(), 0..16);
        let v: Vec<_> = Attrs::new(&buf).map(Result::unwrap).collect();
        assert_eq!(v[0].u16().unwrap(), 2);
        assert_eq!(v[1].cstr().unwrap(), "ab");
    }

    #[test]
    fn message_length_check() {
        // finish() goes through this; a 4 GiB buffer is not built in a unit test.
        assert_eq!(message_len(60), Ok(60));
        assert_eq!(message_len(u32::MAX as usize), Ok(u32::MAX));
        let len = u32::MAX as usize + 1;
        assert_eq!(
            message_len(len),
            Err(Error::Overflow {
                what: Item::Message,
                len
            })
        );
    }
}
