//! Attribute views: [`Attr`] (one TLV), [`Attrs`] (a stream of them) and
//! [`AttrTable`] (one pass, index by type).
//!
//! ```text
//!  <------- nla_len ------->
//! +--------+--------+-------------------+-----+--------+--------+----
//! | len:16 | type:16| payload           | pad | len:16 | type:16| ...
//! +--------+--------+-------------------+-----+--------+--------+----
//!           ^ bit 15 NLA_F_NESTED, bit 14 NLA_F_NET_BYTEORDER
//! ```
//!
//! Bounds rule (libmnl's `mnl_attr_ok`): `4 <= nla_len <= bytes left in the
//! parent`. The next attribute starts at `NLA_ALIGN(nla_len)`; padding
//! missing after the last attribute is tolerated, as the kernel does. An
//! [`Attrs`] that meets a bad length yields one `Err` and then ends, so no
//! input makes it loop or read out of bounds.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::align::{NLA_HDRLEN, align};
use crate::error::{DecodeError, Error, Result};
use crate::hwaddr::HwAddr;
use crate::netlink::{NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK};

/// One attribute: a checked view of `nla_len` bytes (header and payload).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    raw_type: u16,
    payload: &'a [u8],
    offset: usize,
}

impl core::fmt::Debug for Attr<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Attr")
            .field("ty", &self.ty())
            .field("nested", &self.is_nested())
            .field("net_byteorder", &self.is_net_byteorder())
            .field("len", &self.payload.len())
            .field("offset", &self.offset)
            .finish()
    }
}

/// Reads the attribute header at `pos` of `buf`; `base` is the absolute
/// offset of `buf[0]`. Returns the attribute and the start of the next one.
#[inline]
fn read_attr(buf: &[u8], pos: usize, base: usize) -> Result<(Attr<'_>, usize)> {
    let rest = buf.get(pos..).unwrap_or_default();
    let offset = base.saturating_add(pos);
    let (Some(&l0), Some(&l1), Some(&t0), Some(&t1)) =
        (rest.first(), rest.get(1), rest.get(2), rest.get(3))
    else {
        return Err(Error::Tail {
            len: rest.len(),
            offset,
        });
    };
    let len = u16::from_ne_bytes([l0, l1]);
    let raw_type = u16::from_ne_bytes([t0, t1]);
    let ulen = usize::from(len);
    if ulen < NLA_HDRLEN || ulen > rest.len() {
        return Err(Error::AttrLen {
            len,
            have: rest.len(),
            offset,
        });
    }
    let payload = rest.get(NLA_HDRLEN..ulen).unwrap_or_default();
    Ok((
        Attr {
            raw_type,
            payload,
            offset,
        },
        pos.saturating_add(align(ulen)),
    ))
}

impl<'a> Attr<'a> {
    /// Parses the single attribute at the start of `buf`.
    ///
    /// Returns the attribute and the bytes after it (past its padding).
    pub fn parse(buf: &'a [u8]) -> Result<(Attr<'a>, &'a [u8])> {
        let (attr, next) = read_attr(buf, 0, 0)?;
        Ok((attr, buf.get(next..).unwrap_or_default()))
    }

    /// Type with the flag bits masked off (`nla_type & NLA_TYPE_MASK`).
    #[inline]
    pub fn ty(&self) -> u16 {
        self.raw_type & NLA_TYPE_MASK
    }

    /// The former name of [`Attr::ty`].
    #[deprecated(
        since = "0.1.0",
        note = "use `ty()`: \"type\" is the word for message and attribute types, \"kind\" names a driver"
    )]
    #[inline]
    pub fn kind(&self) -> u16 {
        self.ty()
    }

    /// The full 16-bit type field, flags included.
    #[inline]
    pub fn raw_type(&self) -> u16 {
        self.raw_type
    }

    /// The flag bits of the type field (`NLA_F_NESTED`, `NLA_F_NET_BYTEORDER`).
    #[inline]
    pub fn type_flags(&self) -> u16 {
        self.raw_type & !NLA_TYPE_MASK
    }

    /// Whether the sender marked this attribute as a nest.
    ///
    /// Many older kernel nests do not set the flag; family code knows from
    /// the type which attributes are nests and calls [`Attr::nested`] anyway.
    #[inline]
    pub fn is_nested(&self) -> bool {
        self.raw_type & NLA_F_NESTED != 0
    }

    /// Whether the payload is flagged as network byte order.
    #[inline]
    pub fn is_net_byteorder(&self) -> bool {
        self.raw_type & NLA_F_NET_BYTEORDER != 0
    }

    /// The payload, without header or padding.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Absolute offset of the attribute header.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// `nla_len`: header plus payload, without padding.
    #[inline]
    pub fn len(&self) -> usize {
        self.payload.len() + NLA_HDRLEN
    }

    /// Whether the payload is empty (a flag attribute).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.payload.is_empty()
    }

    #[inline]
    fn exact<const N: usize>(&self) -> Result<[u8; N]> {
        <[u8; N]>::try_from(self.payload).map_err(|_| self.len_error(N))
    }

    #[cold]
    #[inline(never)]
    fn len_error(&self, need: usize) -> Error {
        Error::PayloadLen {
            ty: self.ty(),
            need,
            have: self.payload.len(),
            offset: self.offset,
        }
    }

    /// A `u8` payload.
    #[inline]
    pub fn u8(&self) -> Result<u8> {
        Ok(self.exact::<1>()?[0])
    }

    /// An `i8` payload.
    #[inline]
    pub fn i8(&self) -> Result<i8> {
        Ok(i8::from_ne_bytes(self.exact::<1>()?))
    }

    /// A `u16` payload: host byte order, or network byte order when the
    /// sender set `NLA_F_NET_BYTEORDER`.
    #[inline]
    pub fn u16(&self) -> Result<u16> {
        let b = self.exact::<2>()?;
        Ok(if self.is_net_byteorder() {
            u16::from_be_bytes(b)
        } else {
            u16::from_ne_bytes(b)
        })
    }

    /// A `u32` payload: host byte order, or network byte order when the
    /// sender set `NLA_F_NET_BYTEORDER`.
    #[inline]
    pub fn u32(&self) -> Result<u32> {
        let b = self.exact::<4>()?;
        Ok(if self.is_net_byteorder() {
            u32::from_be_bytes(b)
        } else {
            u32::from_ne_bytes(b)
        })
    }

    /// A `u64` payload: host byte order, or network byte order when the
    /// sender set `NLA_F_NET_BYTEORDER`.
    #[inline]
    pub fn u64(&self) -> Result<u64> {
        let b = self.exact::<8>()?;
        Ok(if self.is_net_byteorder() {
            u64::from_be_bytes(b)
        } else {
            u64::from_ne_bytes(b)
        })
    }

    /// An `i16` payload in host byte order.
    #[inline]
    pub fn i16(&self) -> Result<i16> {
        Ok(i16::from_ne_bytes(self.exact::<2>()?))
    }

    /// An `i32` payload in host byte order.
    #[inline]
    pub fn i32(&self) -> Result<i32> {
        Ok(i32::from_ne_bytes(self.exact::<4>()?))
    }

    /// An `i64` payload in host byte order.
    #[inline]
    pub fn i64(&self) -> Result<i64> {
        Ok(i64::from_ne_bytes(self.exact::<8>()?))
    }

    /// A variable-width unsigned payload of 1, 2, 4 or 8 bytes (the
    /// kernel's `NLA_UINT` sends 4 or 8), in host byte order unless flagged.
    #[inline]
    pub fn uint(&self) -> Result<u64> {
        match self.payload.len() {
            1 => self.u8().map(u64::from),
            2 => self.u16().map(u64::from),
            4 => self.u32().map(u64::from),
            8 => self.u64(),
            _ => Err(self.len_error(8)),
        }
    }

    /// A `__be16` payload (network byte order regardless of flags), such as
    /// a port number.
    #[inline]
    pub fn be16(&self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.exact::<2>()?))
    }

    /// A `__be32` payload (network byte order regardless of flags).
    #[inline]
    pub fn be32(&self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.exact::<4>()?))
    }

    /// A `__be64` payload (network byte order regardless of flags).
    #[inline]
    pub fn be64(&self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.exact::<8>()?))
    }

    /// A flag attribute: present means true. Any payload is accepted.
    #[inline]
    pub fn flag(&self) -> bool {
        true
    }

    /// A NUL-terminated UTF-8 string; the NUL must be present and the text
    /// ends at the first one.
    #[inline]
    pub fn cstr(&self) -> Result<&'a str> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .ok_or(Error::NoNul {
                ty: self.ty(),
                offset: self.offset,
            })?;
        let bytes = self.payload.get(..end).unwrap_or_default();
        core::str::from_utf8(bytes).map_err(|_| Error::Utf8 {
            ty: self.ty(),
            offset: self.offset,
        })
    }

    /// A UTF-8 string that may or may not be NUL-terminated (`NLA_STRING`);
    /// the text ends at the first NUL if there is one.
    #[inline]
    pub fn str(&self) -> Result<&'a str> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.payload.len());
        let bytes = self.payload.get(..end).unwrap_or_default();
        core::str::from_utf8(bytes).map_err(|_| Error::Utf8 {
            ty: self.ty(),
            offset: self.offset,
        })
    }

    /// An IPv4 address (4 bytes, network order as always for addresses).
    #[inline]
    pub fn ipv4(&self) -> Result<Ipv4Addr> {
        Ok(Ipv4Addr::from(self.exact::<4>()?))
    }

    /// An IPv6 address (16 bytes).
    #[inline]
    pub fn ipv6(&self) -> Result<Ipv6Addr> {
        Ok(Ipv6Addr::from(self.exact::<16>()?))
    }

    /// An IPv4 or IPv6 address, told apart by length (4 or 16 bytes).
    #[inline]
    pub fn ip(&self) -> Result<IpAddr> {
        match self.payload.len() {
            4 => self.ipv4().map(IpAddr::V4),
            16 => self.ipv6().map(IpAddr::V6),
            _ => Err(self.len_error(16)),
        }
    }

    /// A hardware address of any length up to `MAX_ADDR_LEN` (32 bytes).
    #[inline]
    pub fn hwaddr(&self) -> Result<HwAddr> {
        HwAddr::new(self.payload).ok_or(self.len_error(HwAddr::MAX_LEN))
    }

    /// The payload as a stream of nested attributes.
    #[inline]
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::with_offset(self.payload, self.offset.saturating_add(NLA_HDRLEN))
    }

    /// A reference to a fixed-size struct filling the payload exactly.
    ///
    /// `T` must be `Unaligned` (use zerocopy's byte-order integer types), since
    /// attributes are only 4-byte aligned in buffers that are not aligned at all.
    pub fn get<T>(&self) -> Result<&'a T>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        T::ref_from_bytes(self.payload).map_err(|_| self.len_error(core::mem::size_of::<T>()))
    }

    /// A copy of a fixed-size struct, read tolerantly: a longer payload from a
    /// newer kernel is cut to `T`, a shorter one from an older kernel is
    /// zero-filled. Never fails.
    pub fn read<T>(&self) -> T
    where
        T: FromBytes + IntoBytes,
    {
        read_tolerant(self.payload)
    }
}

/// Copies `bytes` into a zeroed `T`, as much as fits: a longer payload
/// from a newer kernel is cut, a shorter one zero-filled. For structs that
/// start a payload without filling it (netem's options, u32's selector).
pub fn read_tolerant<T: FromBytes + IntoBytes>(bytes: &[u8]) -> T {
    let mut value = T::new_zeroed();
    let dst = value.as_mut_bytes();
    let n = dst.len().min(bytes.len());
    if let (Some(d), Some(s)) = (dst.get_mut(..n), bytes.get(..n)) {
        d.copy_from_slice(s);
    }
    value
}

/// A stream of attributes; iterating yields `Result<Attr>` and ends after
/// the first error.
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Attrs<'a> {
    /// Attributes in `buf`, with offsets counted from `buf[0]`.
    #[inline]
    pub fn new(buf: &'a [u8]) -> Self {
        Attrs {
            buf,
            pos: 0,
            base: 0,
        }
    }

    /// Attributes in `buf`, whose first byte is at absolute offset `base`.
    #[inline]
    pub fn with_offset(buf: &'a [u8], base: usize) -> Self {
        Attrs { buf, pos: 0, base }
    }

    /// An empty stream.
    #[inline]
    pub fn empty() -> Self {
        Attrs {
            buf: &[],
            pos: 0,
            base: 0,
        }
    }

    /// The bytes not yet iterated.
    #[inline]
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// The whole stream's bytes, from its start.
    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// Absolute offset of the stream's first byte.
    #[inline]
    pub fn base(&self) -> usize {
        self.base
    }

    /// The last attribute of type `ty` (flags masked), as the kernel's
    /// `nla_parse` keeps the last duplicate. Scans the whole stream.
    pub fn get(&self, ty: u16) -> Result<Option<Attr<'a>>> {
        let mut found = None;
        for attr in self.clone() {
            let attr = attr?;
            if attr.ty() == ty {
                found = Some(attr);
            }
        }
        Ok(found)
    }

    /// Checks the whole stream and fills a table indexed by type.
    pub fn table<const N: usize>(&self) -> Result<AttrTable<'a, N>> {
        AttrTable::parse(self.clone())
    }

    /// Hands every attribute to `f` in order and stops at the first error:
    /// mdlayher's `AttributeDecoder` loop. A parser is then one `match` on
    /// [`Attr::ty`] whose arms use `?` freely; the error comes back with the
    /// attribute it was read in, and the caller adds its own context (the
    /// message type) in one place.
    ///
    /// ```
    /// use nl_wire::{Attrs, DecodeError, Error};
    /// // 1: u32 7, then 2: a u32 of 2 bytes
    /// let bytes = [8, 0, 1, 0, 7, 0, 0, 0, 6, 0, 2, 0, 1, 0, 0, 0];
    /// let mut mtu = None;
    /// let err = Attrs::new(&bytes).decode(|a| {
    ///     match a.ty() {
    ///         1 | 2 => mtu = Some(a.u32()?),
    ///         _ => {}
    ///     }
    ///     Ok(())
    /// });
    /// assert_eq!(mtu, Some(7));
    /// assert!(matches!(err, Err(DecodeError { attr: Some(2), error: Error::PayloadLen { .. } })));
    /// ```
    #[inline]
    pub fn decode(
        self,
        mut f: impl FnMut(Attr<'a>) -> Result<()>,
    ) -> core::result::Result<(), DecodeError> {
        for attr in self {
            let attr = attr.map_err(|error| DecodeError { attr: None, error })?;
            f(attr).map_err(|error| DecodeError {
                attr: Some(attr.ty()),
                error,
            })?;
        }
        Ok(())
    }

    /// Checks every attribute of the stream (not nested ones) without keeping them.
    pub fn validate(&self) -> Result<()> {
        self.clone().try_for_each(|a| a.map(|_| ()))
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        match read_attr(self.buf, self.pos, self.base) {
            Ok((attr, next)) => {
                self.pos = next;
                Some(Ok(attr))
            }
            Err(e) => {
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Attrs<'_> {}

/// Attributes indexed by type, filled in one pass (libmnl's
/// `mnl_attr_parse` into `tb[MAX + 1]`).
///
/// Types `>= N` are skipped (still reachable through the [`Attrs`] the table
/// was made from); for duplicates the last one wins, as in the kernel. The
/// table stores 4 bytes per slot and allocates nothing.
///
/// ```
/// use nl_wire::{Attrs, AttrTable};
/// // IFLA_MTU (4) = 1500, IFLA_IFNAME (3) = "lo"
/// let bytes = [8, 0, 4, 0, 0xdc, 0x05, 0, 0, 7, 0, 3, 0, b'l', b'o', 0, 0];
/// let tb: AttrTable<'_, 8> = Attrs::new(&bytes).table()?;
/// assert_eq!(tb.u32(4)?, Some(1500));
/// assert_eq!(tb.cstr(3)?, Some("lo"));
/// assert!(tb.get(5).is_none());
/// # Ok::<(), nl_wire::Error>(())
/// ```
#[derive(Clone)]
pub struct AttrTable<'a, const N: usize> {
    buf: &'a [u8],
    base: usize,
    /// Position of each type's attribute header in `buf`, plus one; 0 = absent.
    slots: [u32; N],
}

impl<'a, const N: usize> AttrTable<'a, N> {
    /// Walks `attrs` once; the first malformed attribute is the error.
    pub fn parse(attrs: Attrs<'a>) -> Result<Self> {
        let Attrs { buf, mut pos, base } = attrs;
        let mut slots = [0u32; N];
        while pos < buf.len() {
            let (attr, next) = read_attr(buf, pos, base)?;
            if let Some(slot) = slots.get_mut(usize::from(attr.ty())) {
                // Buffers over 4 GiB cannot be indexed here; such an
                // attribute is treated as absent.
                *slot = u32::try_from(pos).map_or(0, |p| p.saturating_add(1));
            }
            pos = next;
        }
        Ok(AttrTable { buf, base, slots })
    }

    /// The attribute of type `ty`, if present.
    #[inline]
    pub fn get(&self, ty: u16) -> Option<Attr<'a>> {
        let slot = *self.slots.get(usize::from(ty))?;
        let pos = usize::try_from(slot.checked_sub(1)?).ok()?;
        read_attr(self.buf, pos, self.base).ok().map(|(a, _)| a)
    }

    /// Whether an attribute of type `ty` is present.
    #[inline]
    pub fn has(&self, ty: u16) -> bool {
        self.slots.get(usize::from(ty)).is_some_and(|&s| s != 0)
    }

    /// A present attribute's value through `f`; `Ok(None)` when absent.
    #[inline]
    pub fn map<T>(&self, ty: u16, f: impl FnOnce(&Attr<'a>) -> Result<T>) -> Result<Option<T>> {
        self.get(ty).map(|a| f(&a)).transpose()
    }

    /// [`Attr::u8`] of type `ty`, if present.
    #[inline]
    pub fn u8(&self, ty: u16) -> Result<Option<u8>> {
        self.map(ty, Attr::u8)
    }

    /// [`Attr::u16`] of type `ty`, if present.
    #[inline]
    pub fn u16(&self, ty: u16) -> Result<Option<u16>> {
        self.map(ty, Attr::u16)
    }

    /// [`Attr::u32`] of type `ty`, if present.
    #[inline]
    pub fn u32(&self, ty: u16) -> Result<Option<u32>> {
        self.map(ty, Attr::u32)
    }

    /// [`Attr::u64`] of type `ty`, if present.
    #[inline]
    pub fn u64(&self, ty: u16) -> Result<Option<u64>> {
        self.map(ty, Attr::u64)
    }

    /// [`Attr::i32`] of type `ty`, if present.
    #[inline]
    pub fn i32(&self, ty: u16) -> Result<Option<i32>> {
        self.map(ty, Attr::i32)
    }

    /// [`Attr::be16`] of type `ty`, if present.
    #[inline]
    pub fn be16(&self, ty: u16) -> Result<Option<u16>> {
        self.map(ty, Attr::be16)
    }

    /// [`Attr::be32`] of type `ty`, if present.
    #[inline]
    pub fn be32(&self, ty: u16) -> Result<Option<u32>> {
        self.map(ty, Attr::be32)
    }

    /// [`Attr::cstr`] of type `ty`, if present.
    #[inline]
    pub fn cstr(&self, ty: u16) -> Result<Option<&'a str>> {
        self.map(ty, Attr::cstr)
    }

    /// [`Attr::str`] of type `ty`, if present.
    #[inline]
    pub fn str(&self, ty: u16) -> Result<Option<&'a str>> {
        self.map(ty, Attr::str)
    }

    /// [`Attr::ip`] of type `ty`, if present.
    #[inline]
    pub fn ip(&self, ty: u16) -> Result<Option<IpAddr>> {
        self.map(ty, Attr::ip)
    }

    /// [`Attr::hwaddr`] of type `ty`, if present.
    #[inline]
    pub fn hwaddr(&self, ty: u16) -> Result<Option<HwAddr>> {
        self.map(ty, Attr::hwaddr)
    }

    /// Whether the flag attribute `ty` is present.
    #[inline]
    pub fn flag(&self, ty: u16) -> bool {
        self.has(ty)
    }

    /// The payload bytes of type `ty`, if present.
    #[inline]
    pub fn bytes(&self, ty: u16) -> Option<&'a [u8]> {
        self.get(ty).map(|a| a.payload())
    }

    /// The nested stream inside type `ty`, if present.
    #[inline]
    pub fn nested(&self, ty: u16) -> Option<Attrs<'a>> {
        self.get(ty).map(|a| a.nested())
    }
}

impl<const N: usize> core::fmt::Debug for AttrTable<'_, N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut list = f.debug_map();
        for ty in 0..N {
            if let Some(a) = u16::try_from(ty).ok().and_then(|k| self.get(k)) {
                list.entry(&ty, &a);
            }
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // IFLA_IFNAME "lo", IFLA_MTU 65536, a nest 18 { 1: u8 7 } flagged NESTED,
    // and a be16 port flagged NET_BYTEORDER.
    static ATTR_BYTES: [u8; 40] = [
        7, 0, 3, 0, b'l', b'o', 0, 0, // ifname "lo\0" + 1 pad
        8, 0, 4, 0, 0x00, 0x00, 0x01, 0x00, // mtu 65536
        12, 0, 18, 0x80, // nest 18, NLA_F_NESTED
        5, 0, 1, 0, 7, 0, 0, 0, //   u8 7 + 3 pad
        6, 0, 9, 0x40, 0x12, 0x34, 0, 0, // u16 net order 0x1234
        4, 0, 20, 0, // flag 20
    ];

    #[test]
    fn test_deconstruct() {
        let attrs: Vec<_> = Attrs::new(&ATTR_BYTES).collect::<Result<_>>().unwrap();
        assert_eq!(attrs.len(), 5);
        assert_eq!(attrs[0].ty(), 3);
        assert_eq!(attrs[0].cstr().unwrap(), "lo");
        assert_eq!(attrs[0].len(), 7);
        assert_eq!(attrs[1].u32().unwrap(), 65536);
        assert_eq!(attrs[1].offset(), 8);
        assert!(attrs[2].is_nested());
        assert_eq!(attrs[2].ty(), 18);
        let inner: Vec<_> = attrs[2].nested().collect::<Result<_>>().unwrap();
        assert_eq!(inner.len(), 1);
        assert_eq!(inner[0].u8().unwrap(), 7);
        assert_eq!(inner[0].offset(), 20);
        assert!(attrs[3].is_net_byteorder());
        assert_eq!(attrs[3].u16().unwrap(), 0x1234);
        assert_eq!(attrs[3].be16().unwrap(), 0x1234);
        assert_eq!(attrs[3].type_flags(), crate::netlink::NLA_F_NET_BYTEORDER);
        assert!(attrs[4].is_empty());
        assert!(attrs[4].flag());
    }

    #[test]
    fn test_table() {
        let tb: AttrTable<'_, 32> = Attrs::new(&ATTR_BYTES).table().unwrap();
        assert_eq!(tb.cstr(3).unwrap(), Some("lo"));
        assert_eq!(tb.u32(4).unwrap(), Some(65536));
        assert!(tb.flag(20));
        assert!(!tb.flag(21));
        assert_eq!(tb.u32(5).unwrap(), None);
        assert!(tb.nested(18).is_some());
        // types past the table size are skipped, not an error
        let small: AttrTable<'_, 4> = Attrs::new(&ATTR_BYTES).table().unwrap();
        assert_eq!(small.cstr(3).unwrap(), Some("lo"));
        assert!(small.get(4).is_none());
        assert!(small.get(u16::MAX).is_none());
    }

    #[test]
    fn last_duplicate_wins() {
        let bytes = [8, 0, 1, 0, 1, 0, 0, 0, 8, 0, 1, 0, 2, 0, 0, 0];
        let tb: AttrTable<'_, 2> = Attrs::new(&bytes).table().unwrap();
        assert_eq!(tb.u32(1).unwrap(), Some(2));
        assert_eq!(
            Attrs::new(&bytes).get(1).unwrap().unwrap().u32().unwrap(),
            2
        );
    }

    #[test]
    fn typed_getters_check_exact_length() {
        let bytes = [7, 0, 1, 0, 1, 2, 3, 0];
        let (a, rest) = Attr::parse(&bytes).unwrap();
        assert!(rest.is_empty());
        assert_eq!(
            a.u32(),
            Err(Error::PayloadLen {
                ty: 1,
                need: 4,
                have: 3,
                offset: 0
            })
        );
        assert!(a.u16().is_err());
        assert!(a.u64().is_err());
        assert!(a.uint().is_err());
        assert!(a.ip().is_err());
        assert_eq!(a.cstr(), Err(Error::NoNul { ty: 1, offset: 0 }));
        assert_eq!(a.str().unwrap(), "\u{1}\u{2}\u{3}");
    }

    #[test]
    fn signed_and_wide_getters() {
        let bytes = [12, 0, 1, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        let (a, _) = Attr::parse(&bytes).unwrap();
        assert_eq!(a.i64().unwrap(), -2);
        assert_eq!(a.uint().unwrap(), u64::MAX - 1);
        let bytes = [8, 0, 1, 0, 0xff, 0xff, 0xff, 0xff];
        let (a, _) = Attr::parse(&bytes).unwrap();
        assert_eq!(a.i32().unwrap(), -1);
        assert_eq!(a.be32().unwrap(), u32::MAX);
        let bytes = [5, 0, 1, 0, 0x80, 0, 0, 0];
        let (a, _) = Attr::parse(&bytes).unwrap();
        assert_eq!(a.i8().unwrap(), -128);
    }

    #[test]
    fn addresses() {
        let v4 = [8, 0, 1, 0, 192, 0, 2, 1];
        let (a, _) = Attr::parse(&v4).unwrap();
        assert_eq!(a.ip().unwrap(), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        let mut v6 = [0u8; 20];
        v6[0] = 20;
        v6[2] = 2;
        v6[4] = 0x20;
        v6[5] = 0x01;
        v6[6] = 0x0d;
        v6[7] = 0xb8;
        v6[19] = 1;
        let (a, _) = Attr::parse(&v6).unwrap();
        assert_eq!(
            a.ipv6().unwrap(),
            "2001:db8::1".parse::<Ipv6Addr>().unwrap()
        );
        let mac = [10, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 0];
        let (a, _) = Attr::parse(&mac).unwrap();
        assert_eq!(a.hwaddr().unwrap().as_bytes(), &[2, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn test_impossible_len() {
        // nla_len 3: below the header
        let bytes = [3, 0, 1, 0, 0, 0, 0, 0];
        let mut it = Attrs::new(&bytes);
        assert_eq!(
            it.next(),
            Some(Err(Error::AttrLen {
                len: 3,
                have: 8,
                offset: 0
            }))
        );
        assert_eq!(it.next(), None);
        // nla_len past the parent
        let bytes = [8, 0, 1, 0, 1, 2, 3, 0, 12, 0, 2, 0, 0, 0];
        let mut it = Attrs::with_offset(&bytes, 100);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(
            it.next(),
            Some(Err(Error::AttrLen {
                len: 12,
                have: 6,
                offset: 108
            }))
        );
        assert_eq!(it.next(), None);
        // 1..3 stray bytes
        let bytes = [4, 0, 1, 0, 9, 9];
        let mut it = Attrs::new(&bytes);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(it.next(), Some(Err(Error::Tail { len: 2, offset: 4 })));
        assert_eq!(it.next(), None);
        // zero length never loops
        let bytes = [0u8; 64];
        assert_eq!(Attrs::new(&bytes).count(), 1);
        // the table reports the same errors
        assert!(AttrTable::<4>::parse(Attrs::new(&[4, 0, 1, 0, 9])).is_err());
    }

    #[test]
    fn missing_final_padding_is_tolerated() {
        // nla_len 5, no padding after it: the kernel accepts this, so do we.
        let bytes = [5, 0, 1, 0, 42];
        let attrs: Vec<_> = Attrs::new(&bytes).collect::<Result<_>>().unwrap();
        assert_eq!(attrs[0].u8().unwrap(), 42);
    }

    #[test]
    fn tolerant_struct_read() {
        crate::wire_struct! {
            struct Pair(4) {
                a: zerocopy::byteorder::native_endian::U16,
                b: zerocopy::byteorder::native_endian::U16,
            }
        }
        // shorter (old kernel): zero-filled
        let (a, _) = Attr::parse(&[6, 0, 1, 0, 1, 0, 0, 0]).unwrap();
        let p: Pair = a.read();
        assert_eq!((p.a.get(), p.b.get()), (1, 0));
        assert!(a.get::<Pair>().is_err());
        // longer (new kernel): extra bytes ignored
        let (a, _) = Attr::parse(&[12, 0, 1, 0, 1, 0, 2, 0, 3, 0, 4, 0]).unwrap();
        let p: Pair = a.read();
        assert_eq!((p.a.get(), p.b.get()), (1, 2));
        // exact: borrowed
        let (a, _) = Attr::parse(&[8, 0, 1, 0, 1, 0, 2, 0]).unwrap();
        let p: &Pair = a.get().unwrap();
        assert_eq!(p.b.get(), 2);
    }
}
