//! Message views: [`Msg`] (one message) and [`Msgs`] (every message in a
//! received buffer).
//!
//! ```text
//!  <------------------------ nlmsg_len ------------------------>
//! +----------+------+-------+-----+-----+---------------+------+-----+
//! | len:32   |type16|flags16|seq32|pid32| family header | pad  | attrs ...
//! +----------+------+-------+-----+-----+---------------+------+-----+
//!  <------------ struct nlmsghdr ----->  e.g. ifinfomsg  NLMSG_ALIGN
//! ```
//!
//! Bounds rule: `16 <= nlmsg_len <= bytes left`; the next message starts at
//! `NLMSG_ALIGN(nlmsg_len)`. A bad length ends a [`Msgs`] with one `Err`.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::align::{NLMSG_HDRLEN, align};
use crate::attr::{Attrs, read_tolerant};
use crate::control::Control;
use crate::error::{Error, Item, Result};
use crate::netlink::{NLM_F_DUMP_INTR, NLM_F_MULTI, NlMsgHdr};

/// One netlink message: a checked view of `nlmsg_len` bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Msg<'a> {
    header: &'a NlMsgHdr,
    /// The whole message, `nlmsg_len` bytes.
    raw: &'a [u8],
    payload: &'a [u8],
    offset: usize,
}

impl core::fmt::Debug for Msg<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Msg")
            .field("ty", &self.ty())
            .field("flags", &format_args!("{:#x}", self.flags()))
            .field("seq", &self.seq())
            .field("pid", &self.pid())
            .field("len", &self.payload.len())
            .field("offset", &self.offset)
            .finish()
    }
}

#[inline]
fn read_msg(buf: &[u8], pos: usize, base: usize) -> Result<(Msg<'_>, usize)> {
    let rest = buf.get(pos..).unwrap_or_default();
    let offset = base.saturating_add(pos);
    let Ok((header, _)) = NlMsgHdr::ref_from_prefix(rest) else {
        return Err(Error::Truncated {
            what: Item::MsgHeader,
            need: NLMSG_HDRLEN,
            have: rest.len(),
            offset,
        });
    };
    let len = header.nlmsg_len.get();
    let ulen = usize::try_from(len).unwrap_or(usize::MAX);
    if ulen < NLMSG_HDRLEN || ulen > rest.len() {
        return Err(Error::MsgLen {
            len,
            have: rest.len(),
            offset,
        });
    }
    let raw = rest.get(..ulen).unwrap_or_default();
    let payload = raw.get(NLMSG_HDRLEN..).unwrap_or_default();
    Ok((
        Msg {
            header,
            raw,
            payload,
            offset,
        },
        pos.saturating_add(align(ulen)),
    ))
}

impl<'a> Msg<'a> {
    /// Parses the single message at the start of `buf`.
    ///
    /// Returns the message and the bytes after it (past its padding).
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<(Msg<'a>, &'a [u8])> {
        let (msg, next) = read_msg(buf, 0, 0)?;
        Ok((msg, buf.get(next..).unwrap_or_default()))
    }

    /// The raw header.
    #[inline]
    pub fn header(&self) -> &'a NlMsgHdr {
        self.header
    }

    /// `nlmsg_type`.
    #[inline]
    pub fn ty(&self) -> u16 {
        self.header.nlmsg_type.get()
    }

    /// `nlmsg_flags`.
    #[inline]
    pub fn flags(&self) -> u16 {
        self.header.nlmsg_flags.get()
    }

    /// `nlmsg_seq`.
    #[inline]
    pub fn seq(&self) -> u32 {
        self.header.nlmsg_seq.get()
    }

    /// `nlmsg_pid`.
    #[inline]
    pub fn pid(&self) -> u32 {
        self.header.nlmsg_pid.get()
    }

    /// `nlmsg_len`: header plus payload, without padding.
    #[inline]
    pub fn len(&self) -> usize {
        self.payload.len() + NLMSG_HDRLEN
    }

    /// Whether the payload is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.payload.is_empty()
    }

    /// Offset of the message header in the buffer it was read from.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Bytes after the 16-byte header, up to `nlmsg_len`.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The whole message, header included, as `nlmsg_len` bytes.
    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// Part of a multipart reply (`NLM_F_MULTI`).
    #[inline]
    pub fn is_multi(&self) -> bool {
        self.flags() & NLM_F_MULTI != 0
    }

    /// The dump this message belongs to was interrupted by a change in the
    /// kernel's tables (`NLM_F_DUMP_INTR`): results may be inconsistent.
    #[inline]
    pub fn is_dump_interrupted(&self) -> bool {
        self.flags() & NLM_F_DUMP_INTR != 0
    }

    /// A copy of the family header `T` at the start of the payload, read
    /// tolerantly: a longer header (newer kernel) is cut, a shorter one
    /// (older kernel) is zero-filled.
    #[inline]
    pub fn family_header<T: FromBytes + IntoBytes>(&self) -> T {
        read_tolerant(self.payload)
    }

    /// A reference to the family header `T`, if the payload holds all of it.
    #[inline]
    pub fn family_header_ref<T>(&self) -> Option<&'a T>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        T::ref_from_prefix(self.payload).ok().map(|(h, _)| h)
    }

    /// The attributes after a family header of `hdr_len` bytes (aligned to
    /// 4, as `nlmsg_attrdata` does). Empty if the payload is shorter.
    #[inline]
    pub fn attrs_after(&self, hdr_len: usize) -> Attrs<'a> {
        let start = align(hdr_len);
        match self.payload.get(start..) {
            Some(rest) => Attrs::with_offset(
                rest,
                self.offset
                    .saturating_add(NLMSG_HDRLEN)
                    .saturating_add(start),
            ),
            None => Attrs::empty(),
        }
    }

    /// The attributes after the family header `T`.
    #[inline]
    pub fn attrs<T>(&self) -> Attrs<'a> {
        self.attrs_after(core::mem::size_of::<T>())
    }

    /// Classifies control messages (`NLMSG_ERROR`, `NLMSG_DONE`, ...);
    /// `Ok(None)` for a family message.
    #[inline]
    pub fn control(&self) -> Result<Option<Control<'a>>> {
        Control::parse(self)
    }
}

/// Every message in a received buffer; iterating yields `Result<Msg>` and
/// ends after the first error.
///
/// ```
/// use nl_wire::Msgs;
/// // One NLMSG_DONE (type 3) with its error int 0.
/// let buf = [20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// let mut n = 0;
/// for msg in Msgs::new(&buf) {
///     let msg = msg?;
///     assert_eq!(msg.ty(), 3);
///     n += 1;
/// }
/// assert_eq!(n, 1);
/// # Ok::<(), nl_wire::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Msgs<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Msgs<'a> {
    /// Messages in `buf`, offsets counted from `buf[0]`.
    #[inline]
    pub fn new(buf: &'a [u8]) -> Self {
        Msgs {
            buf,
            pos: 0,
            base: 0,
        }
    }

    /// Messages in `buf`, whose first byte is at absolute offset `base`.
    #[inline]
    pub fn with_offset(buf: &'a [u8], base: usize) -> Self {
        Msgs { buf, pos: 0, base }
    }

    /// The bytes not yet iterated.
    #[inline]
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }
}

impl<'a> Iterator for Msgs<'a> {
    type Item = Result<Msg<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        match read_msg(self.buf, self.pos, self.base) {
            Ok((msg, next)) => {
                self.pos = next;
                Some(Ok(msg))
            }
            Err(e) => {
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Msgs<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocopy::byteorder::native_endian::U32;

    fn hdr(len: u32, ty: u16, flags: u16, seq: u32) -> Vec<u8> {
        let mut v = len.to_ne_bytes().to_vec();
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&seq.to_ne_bytes());
        v.extend_from_slice(&9u32.to_ne_bytes());
        v
    }

    #[test]
    fn test_deconstruct() {
        let mut buf = hdr(24, 16, NLM_F_MULTI | NLM_F_DUMP_INTR, 5);
        buf.extend_from_slice(&[1, 0, 0, 0, 4, 0, 1, 0]);
        buf.extend(hdr(17, 17, 0, 6));
        buf.push(0xaa); // one payload byte, then missing padding at the very end
        let msgs: Vec<_> = Msgs::new(&buf).collect::<Result<_>>().unwrap();
        assert_eq!(msgs.len(), 2);
        let m = msgs[0];
        assert_eq!(
            (m.ty(), m.seq(), m.pid(), m.len(), m.offset()),
            (16, 5, 9, 24, 0)
        );
        assert!(m.is_multi());
        assert!(m.is_dump_interrupted());
        assert_eq!(m.bytes().len(), 24);
        assert_eq!(m.bytes()[..16], buf[..16]);
        let attrs: Vec<_> = m.attrs_after(4).collect::<Result<_>>().unwrap();
        assert_eq!(attrs.len(), 1);
        assert_eq!(attrs[0].offset(), 20);
        assert_eq!(msgs[1].offset(), 24);
        assert_eq!(msgs[1].payload(), &[0xaa]);
        assert!(msgs[1].control().unwrap().is_none());
    }

    #[test]
    fn test_impossible_len() {
        // nlmsg_len below the header
        let buf = hdr(15, 16, 0, 0);
        assert_eq!(
            Msgs::new(&buf).next(),
            Some(Err(Error::MsgLen {
                len: 15,
                have: 16,
                offset: 0
            }))
        );
        // nlmsg_len past the buffer, after a good message
        let mut buf = hdr(16, 16, 0, 0);
        buf.extend(hdr(100, 16, 0, 0));
        let mut it = Msgs::with_offset(&buf, 1000);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(
            it.next(),
            Some(Err(Error::MsgLen {
                len: 100,
                have: 16,
                offset: 1016
            }))
        );
        assert_eq!(it.next(), None);
        // huge nlmsg_len never wraps
        let buf = hdr(u32::MAX, 16, 0, 0);
        assert!(matches!(
            Msgs::new(&buf).next(),
            Some(Err(Error::MsgLen { .. }))
        ));
        // zero length never loops
        let buf = [0u8; 64];
        assert_eq!(Msgs::new(&buf).count(), 1);
    }

    #[test]
    fn truncated_header() {
        let mut buf = hdr(16, 16, 0, 0);
        buf.extend_from_slice(&[20, 0, 0]);
        let mut it = Msgs::new(&buf);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(
            it.next(),
            Some(Err(Error::Truncated {
                what: Item::MsgHeader,
                need: 16,
                have: 3,
                offset: 16
            }))
        );
        assert_eq!(it.next(), None);
        assert!(Msg::parse(&[]).is_err());
    }

    crate::wire_struct! {
        struct Fam(8) {
            a: U32,
            b: U32,
        }
    }

    #[test]
    fn family_header_is_read_tolerantly() {
        // shorter than Fam: zero-filled, no attributes
        let mut buf = hdr(20, 16, 0, 0);
        buf.extend_from_slice(&7u32.to_ne_bytes());
        let (m, _) = Msg::parse(&buf).unwrap();
        let f: Fam = m.family_header();
        assert_eq!((f.a.get(), f.b.get()), (7, 0));
        assert!(m.family_header_ref::<Fam>().is_none());
        assert_eq!(m.attrs::<Fam>().count(), 0);
        // longer than Fam: extra bytes ignored by the copy
        let mut buf = hdr(28, 16, 0, 0);
        buf.extend_from_slice(&[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
        let (m, _) = Msg::parse(&buf).unwrap();
        let f: Fam = m.family_header();
        assert_eq!((f.a.get(), f.b.get()), (1, 2));
        assert_eq!(m.family_header_ref::<Fam>().unwrap().b.get(), 2);
    }
}
