//! Control messages: acks, errors, the end of a dump, overruns; and the
//! extended ack TLVs that carry the kernel's error text.
//!
//! ```text
//! NLMSG_ERROR payload:
//! +----------+------------------+--------------------------+---------------+
//! | error:32 | request nlmsghdr | request payload          | ext-ack TLVs  |
//! +----------+------------------+--------------------------+---------------+
//!   0 = ack                       absent if NLM_F_CAPPED     if NLM_F_ACK_TLVS
//! NLMSG_DONE payload:
//! +----------+---------------+
//! | error:32 | ext-ack TLVs  |
//! +----------+---------------+
//! ```

use core::fmt;

use zerocopy::FromBytes;

use crate::align::{NLMSG_HDRLEN, align};
use crate::attr::{Attr, Attrs};
use crate::error::{Error, Item, Result};
use crate::msg::Msg;
use crate::netlink::{
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN,
    NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG,
    NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY, NlMsgErr, NlMsgHdr,
};

/// A control message, as classified by [`Msg::control`].
#[derive(Debug, Clone)]
pub enum Control<'a> {
    /// `NLMSG_NOOP`: to be ignored.
    Noop,
    /// `NLMSG_ERROR` with error 0: the request succeeded. A positive
    /// "error" is a success too: the value a few families return from a
    /// request's handler (mac80211_hwsim's `NEW_RADIO`: the new radio's
    /// id), read with [`ErrorMsg::error`].
    Ack(ErrorMsg<'a>),
    /// `NLMSG_ERROR` with a negative errno: the request failed.
    Error(ErrorMsg<'a>),
    /// `NLMSG_DONE`: the end of a dump.
    Done(DoneMsg<'a>),
    /// `NLMSG_OVERRUN`: data was lost.
    Overrun,
}

impl<'a> Control<'a> {
    /// Classifies `msg`; `Ok(None)` for a family message.
    pub fn parse(msg: &Msg<'a>) -> Result<Option<Self>> {
        Ok(Some(match msg.ty() {
            NLMSG_NOOP => Control::Noop,
            NLMSG_OVERRUN => Control::Overrun,
            NLMSG_ERROR => {
                let err = ErrorMsg::parse(msg)?;
                if err.error >= 0 {
                    Control::Ack(err)
                } else {
                    Control::Error(err)
                }
            }
            NLMSG_DONE => Control::Done(DoneMsg::parse(msg)),
            _ => return Ok(None),
        }))
    }
}

/// The payload of `NLMSG_ERROR`: an ack (error 0) or a failure.
#[derive(Clone)]
pub struct ErrorMsg<'a> {
    error: i32,
    request: &'a NlMsgHdr,
    request_payload: &'a [u8],
    tlvs: Attrs<'a>,
}

impl fmt::Debug for ErrorMsg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorMsg")
            .field("error", &self.error)
            .field("request_seq", &self.request.nlmsg_seq.get())
            .field("ext_ack", &self.ext_ack())
            .finish()
    }
}

impl<'a> ErrorMsg<'a> {
    /// Parses the payload of an `NLMSG_ERROR` message.
    pub fn parse(msg: &Msg<'a>) -> Result<Self> {
        let payload = msg.payload();
        let offset = msg.offset().saturating_add(NLMSG_HDRLEN);
        let (head, _) = NlMsgErr::ref_from_prefix(payload).map_err(|_| Error::Truncated {
            what: Item::ErrorHeader,
            need: core::mem::size_of::<NlMsgErr>(),
            have: payload.len(),
            offset,
        })?;
        let request = &head.msg;
        // The echoed request: its header always, its payload unless capped
        // (acks are always capped; errors unless NETLINK_CAP_ACK is set).
        let echoed = if msg.flags() & NLM_F_CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            usize::try_from(request.nlmsg_len.get())
                .unwrap_or(usize::MAX)
                .max(NLMSG_HDRLEN)
        };
        let echo_end = 4usize.saturating_add(echoed);
        let request_payload = payload
            .get(4 + NLMSG_HDRLEN..echo_end.min(payload.len()))
            .unwrap_or_default();
        let tlv_start = align(echo_end);
        let tlvs = if msg.flags() & NLM_F_ACK_TLVS != 0 {
            payload
                .get(tlv_start..)
                .map(|b| Attrs::with_offset(b, offset.saturating_add(tlv_start)))
                .unwrap_or_else(Attrs::empty)
        } else {
            Attrs::empty()
        };
        Ok(ErrorMsg {
            error: head.error.get(),
            request,
            request_payload,
            tlvs,
        })
    }

    /// The raw error field: 0 for an ack, a negative errno for a failure,
    /// a positive value for a success that returned one.
    pub fn error(&self) -> i32 {
        self.error
    }

    /// The positive errno (0 for an ack).
    pub fn errno(&self) -> i32 {
        self.error.checked_neg().unwrap_or(i32::MAX)
    }

    /// Whether this is an ack (error 0, or a positive value).
    pub fn is_ack(&self) -> bool {
        self.error >= 0
    }

    /// Header of the request this answers (its `nlmsg_seq` matches the
    /// request's sequence number).
    pub fn request(&self) -> &'a NlMsgHdr {
        self.request
    }

    /// The echoed request payload; empty when the kernel capped it.
    pub fn request_payload(&self) -> &'a [u8] {
        self.request_payload
    }

    /// The extended ack TLVs, decoded.
    pub fn ext_ack(&self) -> Result<ExtAck<'a>> {
        ExtAck::parse(self.tlvs.clone())
    }

    /// The kernel's message text, if any and well-formed (the words `ip`
    /// prints after "Error:", or a warning on an ack).
    pub fn message(&self) -> Option<&'a str> {
        self.ext_ack().ok().and_then(|e| e.message)
    }
}

/// The payload of `NLMSG_DONE`: an error int and optional ext-ack TLVs.
#[derive(Debug, Clone)]
pub struct DoneMsg<'a> {
    error: i32,
    tlvs: Attrs<'a>,
}

impl<'a> DoneMsg<'a> {
    /// Parses an `NLMSG_DONE` payload. A payload shorter than the int (sent
    /// by some old families) reads as error 0.
    pub fn parse(msg: &Msg<'a>) -> Self {
        let payload = msg.payload();
        let error = payload
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, i32::from_ne_bytes);
        let tlvs = match payload.get(4..) {
            Some(rest) if msg.flags() & NLM_F_ACK_TLVS != 0 => {
                Attrs::with_offset(rest, msg.offset().saturating_add(NLMSG_HDRLEN + 4))
            }
            _ => Attrs::empty(),
        };
        DoneMsg { error, tlvs }
    }

    /// The error int: 0, or a negative errno when the dump failed midway.
    pub fn error(&self) -> i32 {
        self.error
    }

    /// The extended ack TLVs, decoded.
    pub fn ext_ack(&self) -> Result<ExtAck<'a>> {
        ExtAck::parse(self.tlvs.clone())
    }
}

/// Extended ack TLVs (`enum nlmsgerr_attrs`), decoded.
#[derive(Debug, Clone, Default)]
pub struct ExtAck<'a> {
    /// `NLMSGERR_ATTR_MSG`: error or warning text.
    pub message: Option<&'a str>,
    /// `NLMSGERR_ATTR_OFFS`: offset of the rejected attribute, counted from
    /// the start of the request's `nlmsghdr`.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_COOKIE`: subsystem-specific bytes.
    pub cookie: Option<&'a [u8]>,
    /// `NLMSGERR_ATTR_POLICY`: the policy of the rejected attribute, raw.
    pub policy: Option<Attrs<'a>>,
    /// `NLMSGERR_ATTR_MISS_TYPE`: type of a required attribute that was missing.
    pub missing_type: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_NEST`: offset of the nest that lacked it.
    pub missing_nest: Option<u32>,
}

impl<'a> ExtAck<'a> {
    /// Decodes the TLVs; unknown types are ignored.
    pub fn parse(tlvs: Attrs<'a>) -> Result<Self> {
        let mut ext = ExtAck::default();
        for attr in tlvs {
            let attr: Attr<'a> = attr?;
            match attr.ty() {
                NLMSGERR_ATTR_MSG => ext.message = Some(attr.str()?),
                NLMSGERR_ATTR_OFFS => ext.offset = Some(attr.u32()?),
                NLMSGERR_ATTR_COOKIE => ext.cookie = Some(attr.payload()),
                NLMSGERR_ATTR_POLICY => ext.policy = Some(attr.nested()),
                NLMSGERR_ATTR_MISS_TYPE => ext.missing_type = Some(attr.u32()?),
                NLMSGERR_ATTR_MISS_NEST => ext.missing_nest = Some(attr.u32()?),
                _ => {}
            }
        }
        Ok(ext)
    }

    /// Whether no TLV was present.
    pub fn is_empty(&self) -> bool {
        self.message.is_none()
            && self.offset.is_none()
            && self.cookie.is_none()
            && self.policy.is_none()
            && self.missing_type.is_none()
            && self.missing_nest.is_none()
    }
}

/// The types of the attributes leading to one attribute of a request,
/// outermost first (at most [`AttrPath::MAX_DEPTH`] levels).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AttrPath {
    types: [u16; AttrPath::MAX_DEPTH],
    depth: u8,
}

impl AttrPath {
    /// Deepest path kept.
    pub const MAX_DEPTH: usize = 8;

    /// The attribute types, outermost first.
    pub fn types(&self) -> &[u16] {
        self.types
            .get(..usize::from(self.depth))
            .unwrap_or_default()
    }

    /// The former name of [`AttrPath::types`].
    #[deprecated(since = "0.1.0", note = "use `types()`")]
    pub fn kinds(&self) -> &[u16] {
        self.types()
    }

    /// The innermost type (the attribute the kernel pointed at).
    pub fn last(&self) -> Option<u16> {
        self.types().last().copied()
    }

    /// Number of levels.
    pub fn len(&self) -> usize {
        usize::from(self.depth)
    }

    /// Whether the path is empty.
    pub fn is_empty(&self) -> bool {
        self.depth == 0
    }

    fn push(&mut self, ty: u16) -> bool {
        match self.types.get_mut(usize::from(self.depth)) {
            Some(slot) => {
                *slot = ty;
                self.depth += 1;
                true
            }
            None => false,
        }
    }
}

impl fmt::Display for AttrPath {
    /// Types joined by `/`, outermost first: `18/2/1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, k) in self.types().iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            write!(f, "{k}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttrPath({self})")
    }
}

/// Finds the attribute of `request` (a whole message, header included)
/// that an ext-ack `offset` points at, given the length of the request's
/// family header; returns the type path to it.
///
/// Descends into an attribute whose payload parses as attributes when the
/// offset lies inside it. `None` if the offset is not inside any attribute.
pub fn locate(request: &[u8], hdr_len: usize, offset: u32) -> Option<AttrPath> {
    let (msg, _) = Msg::parse(request).ok()?;
    let offset = usize::try_from(offset).ok()?;
    let mut path = AttrPath::default();
    let mut level = msg.attrs_after(hdr_len);
    'levels: loop {
        for attr in level.clone() {
            let attr = attr.ok()?;
            let start = attr.offset();
            let end = start.saturating_add(align(attr.len()));
            if offset == start {
                path.push(attr.ty());
                return Some(path);
            }
            if start < offset && offset < end {
                if !path.push(attr.ty()) {
                    return Some(path);
                }
                let inner = attr.nested();
                if !inner.bytes().is_empty() && inner.validate().is_ok() {
                    level = inner;
                    continue 'levels;
                }
                return Some(path);
            }
        }
        return if path.is_empty() { None } else { Some(path) };
    }
}

/// [`locate`] for a request whose family header length is not known: tries
/// each 4-byte-aligned header length and takes the first whose attributes
/// tile the rest of the message exactly and cover `offset`.
pub fn locate_any(request: &[u8], offset: u32) -> Option<AttrPath> {
    let (msg, _) = Msg::parse(request).ok()?;
    let uoff = usize::try_from(offset).ok()?;
    (0..=msg.payload().len()).step_by(4).find_map(|hdr_len| {
        let attrs = msg.attrs_after(hdr_len);
        let first = NLMSG_HDRLEN + hdr_len;
        if uoff < first || attrs.bytes().is_empty() || attrs.validate().is_err() {
            return None;
        }
        locate(request, hdr_len, offset)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-built in the layout the kernel uses: an RTM_NEWLINK with IFLA_MTU
    /// rejected with EINVAL, the request echoed (no CAP_ACK), ext-ack MSG and
    /// OFFS. Real captured replies live in `tests/fixtures/`.
    pub(crate) static EXT_ACK_ERROR: &[u8] = &[
        0x50, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x39, 0x30, 0x00,
        0x00, // error -22
        0xea, 0xff, 0xff, 0xff, //
        // echoed request header: len 40, RTM_NEWLINK, flags
        0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x01, 0x00, 0x00, 0x00, 0x39, 0x30, 0x00,
        0x00, // ifinfomsg
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, // IFLA_MTU u32 0 (offset 32 in the request)
        0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, //
        // NLMSGERR_ATTR_MSG "bad mtu\0"
        0x0c, 0x00, 0x01, 0x00, b'b', b'a', b'd', b' ', b'm', b't', b'u', 0x00, //
        // NLMSGERR_ATTR_OFFS 32
        0x08, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn ack_is_told_from_error() {
        let ack: [u8; 36] = [
            36, 0, 0, 0, 2, 0, 0, 1, 7, 0, 0, 0, 1, 0, 0, 0, //
            0, 0, 0, 0, //
            16, 0, 0, 0, 16, 0, 5, 0, 7, 0, 0, 0, 0, 0, 0, 0,
        ];
        let (msg, _) = Msg::parse(&ack).unwrap();
        let Some(Control::Ack(a)) = msg.control().unwrap() else {
            panic!("not an ack")
        };
        assert!(a.is_ack());
        assert_eq!(a.errno(), 0);
        assert_eq!(a.request().nlmsg_seq.get(), 7);
        assert!(a.ext_ack().unwrap().is_empty());
    }

    #[test]
    fn error_with_ext_ack() {
        let (msg, rest) = Msg::parse(EXT_ACK_ERROR).unwrap();
        assert!(rest.is_empty());
        let Some(Control::Error(e)) = msg.control().unwrap() else {
            panic!("not an error")
        };
        assert_eq!(e.errno(), 22);
        assert_eq!(e.request_payload().len(), 24);
        let ext = e.ext_ack().unwrap();
        assert_eq!(ext.message, Some("bad mtu"));
        assert_eq!(ext.offset, Some(32));
        assert_eq!(e.message(), Some("bad mtu"));
        // map the offset back into the echoed request
        let request = &EXT_ACK_ERROR[20..60];
        let path = locate(request, 16, 32).unwrap();
        assert_eq!(path.types(), &[4]);
        assert_eq!(locate_any(request, 32).unwrap().types(), &[4]);
        assert_eq!(locate(request, 16, 8), None);
    }

    #[test]
    fn error_header_truncated() {
        let bytes = [
            20, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xea, 0xff, 0xff, 0xff,
        ];
        let (msg, _) = Msg::parse(&bytes).unwrap();
        assert_eq!(
            msg.control().unwrap_err(),
            Error::Truncated {
                what: Item::ErrorHeader,
                need: 20,
                have: 4,
                offset: 16
            }
        );
    }

    #[test]
    fn done_with_and_without_error() {
        let done = [
            20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xfb, 0xff, 0xff, 0xff,
        ];
        let (msg, _) = Msg::parse(&done).unwrap();
        let Some(Control::Done(d)) = msg.control().unwrap() else {
            panic!()
        };
        assert_eq!(d.error(), -5);
        // short DONE: error 0
        let done = [16, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        let (msg, _) = Msg::parse(&done).unwrap();
        let Some(Control::Done(d)) = msg.control().unwrap() else {
            panic!()
        };
        assert_eq!(d.error(), 0);
        // DONE with an ext-ack message (NLM_F_MULTI | NLM_F_ACK_TLVS)
        let done = [
            28, 0, 0, 0, 3, 0, 0x02, 0x02, 1, 0, 0, 0, 0, 0, 0, 0, 0xea, 0xff, 0xff, 0xff, 7, 0, 1,
            0, b'n', b'o', 0, 0,
        ];
        let (msg, _) = Msg::parse(&done).unwrap();
        let Some(Control::Done(d)) = msg.control().unwrap() else {
            panic!()
        };
        assert_eq!(d.error(), -22);
        assert_eq!(d.ext_ack().unwrap().message, Some("no"));
    }

    #[test]
    fn noop_and_overrun() {
        let noop = [16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let (msg, _) = Msg::parse(&noop).unwrap();
        assert!(matches!(msg.control().unwrap(), Some(Control::Noop)));
        let over = [16, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let (msg, _) = Msg::parse(&over).unwrap();
        assert!(matches!(msg.control().unwrap(), Some(Control::Overrun)));
        let data = [16, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let (msg, _) = Msg::parse(&data).unwrap();
        assert!(msg.control().unwrap().is_none());
    }

    #[test]
    fn locate_descends_into_nests() {
        // request: header + 4-byte family header + nest 18 { 1: u32, 2: nest { 3: u8 } }
        let req: Vec<u8> = [
            &[48u8, 0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0][..],
            &[2, 0, 0, 0],
            &[28, 0, 18, 0],
            &[8, 0, 1, 0, 0, 0, 0, 0],
            &[16, 0, 2, 0],
            &[5, 0, 3, 0, 9, 0, 0, 0],
            &[4, 0, 4, 0],
        ]
        .concat();
        assert_eq!(locate(&req, 4, 20).unwrap().types(), &[18]);
        assert_eq!(locate(&req, 4, 24).unwrap().types(), &[18, 1]);
        assert_eq!(locate(&req, 4, 36).unwrap().types(), &[18, 2, 3]);
        assert_eq!(locate(&req, 4, 44).unwrap().types(), &[18, 2, 4]);
        assert_eq!(locate(&req, 4, 40).unwrap().to_string(), "18/2/3");
        assert_eq!(locate_any(&req, 36).unwrap().types(), &[18, 2, 3]);
        assert_eq!(locate(&req, 4, 400), None);
    }
}
