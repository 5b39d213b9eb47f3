//! Netlink packet captures: reading pcap and pcapng files whose frames are
//! `LINKTYPE_NETLINK` (253), and writing them.
//!
//! An `nlmon` device hands every netlink message the kernel delivers to a
//! packet socket; `tcpdump -i nlmon0 -w FILE` stores them with link type
//! 253. Each frame starts with a 16-byte cooked header (packet type,
//! `ARPHRD_NETLINK`, an unused address, the netlink protocol family, the
//! multi-byte fields in network byte order) followed by the datagram's
//! netlink messages in host byte order.
//!
//! [`Capture`] reads classic pcap (either byte order, micro- or nanosecond
//! stamps) and pcapng (section header, interface description, enhanced and
//! simple packet blocks; other blocks are skipped) from a byte slice,
//! without allocating. A damaged record ends the iteration with an error
//! naming its file offset; a damaged frame inside an intact record is an
//! error of that frame only ([`Record::netlink`]), so a decoder can report
//! it and go on.
//!
//! ```
//! use nl_wire::pcap::{self, Capture, Direction};
//! use nl_wire::{MsgBuilder, netlink::NLM_F_REQUEST};
//!
//! // A one-frame capture, as nl-sock's recorder writes it.
//! let mut msg = Vec::new();
//! let mut b = MsgBuilder::new(&mut msg, 18, NLM_F_REQUEST);
//! b.header(&[0u8; 16]);
//! b.finish()?;
//! let mut file = Vec::new();
//! pcap::write_file_header(&mut file);
//! pcap::write_record(&mut file, pcap::Timestamp { secs: 1, nanos: 5 }, Direction::ToKernel, 0, &msg);
//!
//! for record in Capture::new(&file)? {
//!     let frame = record?.netlink()?;
//!     assert_eq!(frame.direction(), Direction::ToKernel);
//!     assert_eq!(frame.msgs().next().transpose()?.map(|m| m.ty()), Some(18));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use crate::msg::{Msg, Msgs};
use crate::netlink::{NLMSG_DONE, NLMSG_ERROR};

/// Link type of netlink captures (`DLT_NETLINK`).
pub const LINKTYPE_NETLINK: u32 = 253;
/// `ARPHRD_NETLINK`: the hardware type in the cooked header.
pub const ARPHRD_NETLINK: u16 = 824;
/// Packet type of a message delivered to a user-space socket.
pub const PACKET_USER: u16 = 6;
/// Packet type of a message delivered to the kernel.
pub const PACKET_KERNEL: u16 = 7;
/// Packet type an `nlmon` capture shows for every frame.
pub const PACKET_OUTGOING: u16 = 4;
/// Length of the cooked header in front of every netlink frame.
pub const COOKED_LEN: usize = 16;

/// Classic pcap magic, microsecond stamps.
const MAGIC_MICRO: u32 = 0xa1b2_c3d4;
/// Classic pcap magic, nanosecond stamps.
const MAGIC_NANO: u32 = 0xa1b2_3c4d;
/// pcapng section header block type (a palindrome: same in both orders).
const NG_SHB: u32 = 0x0a0d_0d0a;
/// pcapng byte-order magic.
const NG_BOM: u32 = 0x1a2b_3c4d;
const NG_IDB: u32 = 1;
const NG_SPB: u32 = 3;
const NG_EPB: u32 = 6;
/// pcapng option `if_tsresol`.
const NG_IF_TSRESOL: u16 = 9;
/// Interfaces a pcapng section may describe before records on further
/// ones are reported as errors (netlink captures have one).
const NG_MAX_IFACES: usize = 16;
/// Largest record or block accepted: far above any netlink datagram, low
/// enough that a corrupt length is caught at once.
const MAX_RECORD: u32 = 256 << 20;

/// Which header of the file a [`PcapError::Truncated`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PcapItem {
    /// The classic file header (24 bytes).
    FileHeader,
    /// A classic record header (16 bytes) or its data.
    Record,
    /// A pcapng block.
    Block,
    /// The cooked header in front of a netlink frame.
    Cooked,
}

impl fmt::Display for PcapItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PcapItem::FileHeader => "pcap file header",
            PcapItem::Record => "pcap record",
            PcapItem::Block => "pcapng block",
            PcapItem::Cooked => "cooked netlink header",
        })
    }
}

/// A capture that cannot be read, with the file offset of the culprit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PcapError {
    /// The file starts with neither a pcap nor a pcapng magic number.
    Magic {
        /// The first four bytes, read little-endian.
        found: u32,
    },
    /// An item needed `need` bytes at `offset`; the file had `have` left.
    Truncated {
        /// What was being read.
        what: PcapItem,
        /// Bytes the item needs.
        need: usize,
        /// Bytes that were left.
        have: usize,
        /// Where the item starts.
        offset: usize,
    },
    /// A length field that cannot be right (a block shorter than its own
    /// header, a record longer than 256 MiB, trailing lengths that differ).
    Length {
        /// The length as read.
        len: u32,
        /// Where the record or block starts.
        offset: usize,
    },
    /// A pcapng packet on an interface no description block declared.
    Interface {
        /// The interface id.
        id: u32,
        /// Where the block starts.
        offset: usize,
    },
    /// A frame of another link type than [`LINKTYPE_NETLINK`].
    LinkType {
        /// The frame's link type.
        link_type: u32,
        /// Where the frame's data starts.
        offset: usize,
    },
    /// A cooked header whose hardware type is not `ARPHRD_NETLINK`.
    HwType {
        /// The hardware type as read.
        hatype: u16,
        /// Where the frame's data starts.
        offset: usize,
    },
}

impl PcapError {
    /// File offset of the item the error is about (0 for a bad magic).
    pub fn offset(&self) -> usize {
        match *self {
            PcapError::Magic { .. } => 0,
            PcapError::Truncated { offset, .. }
            | PcapError::Length { offset, .. }
            | PcapError::Interface { offset, .. }
            | PcapError::LinkType { offset, .. }
            | PcapError::HwType { offset, .. } => offset,
        }
    }
}

impl fmt::Display for PcapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PcapError::Magic { found } => {
                write!(f, "not a pcap or pcapng file (magic {found:#010x})")
            }
            PcapError::Truncated {
                what,
                need,
                have,
                offset,
            } => write!(
                f,
                "truncated {what} at offset {offset}: need {need} bytes, have {have}"
            ),
            PcapError::Length { len, offset } => {
                write!(f, "impossible length {len} at offset {offset}")
            }
            PcapError::Interface { id, offset } => {
                write!(f, "packet on undeclared interface {id} at offset {offset}")
            }
            PcapError::LinkType { link_type, offset } => write!(
                f,
                "frame at offset {offset} has link type {link_type}, not netlink (253)"
            ),
            PcapError::HwType { hatype, offset } => write!(
                f,
                "frame at offset {offset} has hardware type {hatype}, not ARPHRD_NETLINK (824)"
            ),
        }
    }
}

impl core::error::Error for PcapError {}

/// When a frame was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub secs: u64,
    /// Nanoseconds within the second.
    pub nanos: u32,
}

/// The way a netlink frame went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To the kernel: a request.
    ToKernel,
    /// To a user-space socket: a reply or a notification.
    ToUser,
}

impl Direction {
    /// The packet type the recorder writes for this direction.
    pub fn packet_type(self) -> u16 {
        match self {
            Direction::ToKernel => PACKET_KERNEL,
            Direction::ToUser => PACKET_USER,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::ToKernel => "to kernel",
            Direction::ToUser => "to user",
        })
    }
}

/// Byte order of the file's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

impl Order {
    fn u16(self, b: [u8; 2]) -> u16 {
        match self {
            Order::Little => u16::from_le_bytes(b),
            Order::Big => u16::from_be_bytes(b),
        }
    }

    fn u32(self, b: [u8; 4]) -> u32 {
        match self {
            Order::Little => u32::from_le_bytes(b),
            Order::Big => u32::from_be_bytes(b),
        }
    }
}

/// Timestamp resolution of an interface: units per second as a power of
/// ten or of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolution {
    Decimal(u8),
    Binary(u8),
}

impl Resolution {
    fn stamp(self, ticks: u64) -> Timestamp {
        let per_sec: u128 = match self {
            Resolution::Decimal(n) => 10u128.checked_pow(u32::from(n)).unwrap_or(u128::MAX),
            Resolution::Binary(n) => 1u128.checked_shl(u32::from(n)).unwrap_or(u128::MAX),
        };
        let ticks = u128::from(ticks);
        let per_sec = per_sec.max(1);
        let secs = u64::try_from(ticks / per_sec).unwrap_or(u64::MAX);
        let frac = ticks % per_sec;
        let nanos = u32::try_from(frac.saturating_mul(1_000_000_000) / per_sec).unwrap_or(0);
        Timestamp { secs, nanos }
    }
}

#[derive(Debug, Clone, Copy)]
struct Iface {
    link_type: u32,
    resolution: Resolution,
}

#[derive(Debug, Clone)]
enum Format {
    Classic {
        link_type: u32,
        nanos: bool,
    },
    Ng {
        ifaces: [Iface; NG_MAX_IFACES],
        count: usize,
    },
}

/// One captured frame, before its link-layer header is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The frame's link type (253 for netlink).
    pub link_type: u32,
    /// When it was captured.
    pub time: Timestamp,
    /// Its length on the wire; more than `data.len()` if the capture cut it.
    pub orig_len: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// File offset of `data`.
    pub offset: usize,
}

impl<'a> Record<'a> {
    /// Whether the capture kept fewer bytes than the frame had.
    pub fn is_cut(&self) -> bool {
        u64::try_from(self.data.len()).unwrap_or(u64::MAX) < u64::from(self.orig_len)
    }

    /// The frame as a netlink frame: cooked header and messages.
    pub fn netlink(&self) -> Result<Frame<'a>, PcapError> {
        if self.link_type != LINKTYPE_NETLINK {
            return Err(PcapError::LinkType {
                link_type: self.link_type,
                offset: self.offset,
            });
        }
        Frame::parse(self.data, self.offset)
    }
}

/// A netlink frame: the cooked header's fields and the datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The cooked header's packet type ([`PACKET_USER`], [`PACKET_KERNEL`],
    /// or [`PACKET_OUTGOING`] in `nlmon` captures).
    pub packet_type: u16,
    /// The netlink protocol (`NETLINK_ROUTE` = 0, `NETLINK_XFRM` = 6 ...).
    pub protocol: u16,
    /// The datagram: one or more netlink messages.
    pub payload: &'a [u8],
    /// File offset of `payload`.
    pub offset: usize,
}

impl<'a> Frame<'a> {
    /// Reads the cooked header at the start of `data`; `offset` is the
    /// file offset of `data`, for error messages.
    pub fn parse(data: &'a [u8], offset: usize) -> Result<Self, PcapError> {
        let (head, payload) =
            data.split_first_chunk::<COOKED_LEN>()
                .ok_or(PcapError::Truncated {
                    what: PcapItem::Cooked,
                    need: COOKED_LEN,
                    have: data.len(),
                    offset,
                })?;
        let be = |i: usize| {
            u16::from_be_bytes([
                head.get(i).copied().unwrap_or(0),
                head.get(i + 1).copied().unwrap_or(0),
            ])
        };
        let hatype = be(2);
        if hatype != ARPHRD_NETLINK {
            return Err(PcapError::HwType { hatype, offset });
        }
        Ok(Frame {
            packet_type: be(0),
            protocol: be(14),
            payload,
            offset: offset.saturating_add(COOKED_LEN),
        })
    }

    /// Which way the frame went.
    ///
    /// nl-sock's recorder writes [`PACKET_KERNEL`] or [`PACKET_USER`]. An
    /// `nlmon` capture has [`PACKET_OUTGOING`] on every frame (the packet
    /// socket sees the tap device transmit), so there the direction comes
    /// from the first message: `NLM_F_REQUEST` goes to the kernel,
    /// everything else (replies, acks, notifications) to user space.
    pub fn direction(&self) -> Direction {
        match self.packet_type {
            PACKET_KERNEL => Direction::ToKernel,
            PACKET_USER => Direction::ToUser,
            _ => {
                let flags = self.payload.get(6..8).map_or(0, |b| {
                    u16::from_ne_bytes([
                        b.first().copied().unwrap_or(0),
                        b.get(1).copied().unwrap_or(0),
                    ])
                });
                if flags & crate::netlink::NLM_F_REQUEST != 0 {
                    Direction::ToKernel
                } else {
                    Direction::ToUser
                }
            }
        }
    }

    /// The messages of the datagram; their offsets and errors count from
    /// the start of the file.
    pub fn msgs(&self) -> Msgs<'a> {
        Msgs::with_offset(self.payload, self.offset)
    }

    /// The objects a frame to user space carries: its messages but
    /// `NLMSG_DONE` and `NLMSG_ERROR` (ends of dumps, acks and errors);
    /// nothing for a frame to the kernel. How a capture of a kernel's
    /// replies is read back as fixtures.
    pub fn replies(&self) -> impl Iterator<Item = crate::Result<Msg<'a>>> + use<'a> {
        let to_user = self.direction() == Direction::ToUser;
        self.msgs().filter(move |m| {
            to_user
                && m.as_ref()
                    .map_or(true, |m| m.ty() != NLMSG_DONE && m.ty() != NLMSG_ERROR)
        })
    }
}

/// A pcap or pcapng capture in memory: an iterator over its [`Record`]s.
#[derive(Debug, Clone)]
pub struct Capture<'a> {
    buf: &'a [u8],
    pos: usize,
    order: Order,
    format: Format,
    done: bool,
}

fn take<const N: usize>(buf: &[u8], at: usize, what: PcapItem) -> Result<[u8; N], PcapError> {
    buf.get(at..)
        .and_then(|rest| rest.first_chunk::<N>())
        .copied()
        .ok_or(PcapError::Truncated {
            what,
            need: N,
            have: buf.len().saturating_sub(at),
            offset: at,
        })
}

impl<'a> Capture<'a> {
    /// Reads the file header (classic) or checks the first section header
    /// block (pcapng).
    pub fn new(buf: &'a [u8]) -> Result<Self, PcapError> {
        let magic: [u8; 4] = take(buf, 0, PcapItem::FileHeader)?;
        if u32::from_le_bytes(magic) == NG_SHB {
            let mut cap = Capture {
                buf,
                pos: 0,
                order: Order::Little,
                format: Format::Ng {
                    ifaces: [Iface {
                        link_type: 0,
                        resolution: Resolution::Decimal(6),
                    }; NG_MAX_IFACES],
                    count: 0,
                },
                done: false,
            };
            // The first block must be a readable section header.
            cap.section_order(0)?;
            return Ok(cap);
        }
        let (order, nanos) = match (u32::from_le_bytes(magic), u32::from_be_bytes(magic)) {
            (MAGIC_MICRO, _) => (Order::Little, false),
            (MAGIC_NANO, _) => (Order::Little, true),
            (_, MAGIC_MICRO) => (Order::Big, false),
            (_, MAGIC_NANO) => (Order::Big, true),
            _ => {
                return Err(PcapError::Magic {
                    found: u32::from_le_bytes(magic),
                });
            }
        };
        let header: [u8; 24] = take(buf, 0, PcapItem::FileHeader)?;
        let link = header.get(20..24).and_then(|s| s.first_chunk::<4>());
        // The low 16 bits are the link type; the upper ones carry FCS info.
        let link_type = order.u32(link.copied().unwrap_or_default()) & 0xffff;
        Ok(Capture {
            buf,
            pos: 24,
            order,
            format: Format::Classic { link_type, nanos },
            done: false,
        })
    }

    /// The link type of a classic file, or of a pcapng file's first
    /// interface once a packet block has been read.
    pub fn link_type(&self) -> Option<u32> {
        match &self.format {
            Format::Classic { link_type, .. } => Some(*link_type),
            Format::Ng { ifaces, count } => {
                if *count > 0 {
                    ifaces.first().map(|i| i.link_type)
                } else {
                    None
                }
            }
        }
    }

    /// File offset of the next record.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn classic_next(
        &mut self,
        link_type: u32,
        nanos: bool,
    ) -> Result<Option<Record<'a>>, PcapError> {
        let at = self.pos;
        if at >= self.buf.len() {
            return Ok(None);
        }
        let h: [u8; 16] = take(self.buf, at, PcapItem::Record)?;
        let field = |i: usize| {
            let mut b = [0u8; 4];
            if let Some(s) = h.get(i..i + 4) {
                b.copy_from_slice(s);
            }
            self.order.u32(b)
        };
        let (sec, frac, incl, orig) = (field(0), field(4), field(8), field(12));
        if incl > MAX_RECORD {
            return Err(PcapError::Length {
                len: incl,
                offset: at,
            });
        }
        let start = at + 16;
        let len = incl as usize;
        let data = self
            .buf
            .get(start..start.saturating_add(len))
            .ok_or(PcapError::Truncated {
                what: PcapItem::Record,
                need: len,
                have: self.buf.len().saturating_sub(start),
                offset: start,
            })?;
        self.pos = start + len;
        let nanos = if nanos {
            frac.min(999_999_999)
        } else {
            frac.min(999_999).saturating_mul(1000)
        };
        Ok(Some(Record {
            link_type,
            time: Timestamp {
                secs: u64::from(sec),
                nanos,
            },
            orig_len: orig,
            data,
            offset: start,
        }))
    }

    /// Reads the section header block at `at`: sets the byte order and
    /// forgets the previous section's interfaces.
    fn section_order(&mut self, at: usize) -> Result<usize, PcapError> {
        let head: [u8; 12] = take(self.buf, at, PcapItem::Block)?;
        let bom = head
            .get(8..12)
            .and_then(|s| s.first_chunk::<4>())
            .copied()
            .unwrap_or_default();
        self.order = if u32::from_le_bytes(bom) == NG_BOM {
            Order::Little
        } else if u32::from_be_bytes(bom) == NG_BOM {
            Order::Big
        } else {
            return Err(PcapError::Magic {
                found: u32::from_le_bytes(bom),
            });
        };
        if let Format::Ng { count, .. } = &mut self.format {
            *count = 0;
        }
        self.block_len(at)
    }

    /// Checks the block at `at` (length fields, both copies) and returns
    /// its total length.
    fn block_len(&self, at: usize) -> Result<usize, PcapError> {
        let head: [u8; 8] = take(self.buf, at, PcapItem::Block)?;
        let len = self.order.u32([
            head.get(4).copied().unwrap_or(0),
            head.get(5).copied().unwrap_or(0),
            head.get(6).copied().unwrap_or(0),
            head.get(7).copied().unwrap_or(0),
        ]);
        if len < 12 || len % 4 != 0 || len > MAX_RECORD {
            return Err(PcapError::Length { len, offset: at });
        }
        let total = len as usize;
        let end = at.saturating_add(total);
        if self.buf.len() < end {
            return Err(PcapError::Truncated {
                what: PcapItem::Block,
                need: total,
                have: self.buf.len().saturating_sub(at),
                offset: at,
            });
        }
        let trailer: [u8; 4] = take(self.buf, end - 4, PcapItem::Block)?;
        if self.order.u32(trailer) != len {
            return Err(PcapError::Length { len, offset: at });
        }
        Ok(total)
    }

    fn ng_u32(&self, at: usize) -> Result<u32, PcapError> {
        Ok(self.order.u32(take(self.buf, at, PcapItem::Block)?))
    }

    fn ng_next(&mut self) -> Result<Option<Record<'a>>, PcapError> {
        loop {
            let at = self.pos;
            if at >= self.buf.len() {
                return Ok(None);
            }
            let raw_type: [u8; 4] = take(self.buf, at, PcapItem::Block)?;
            let total = if u32::from_le_bytes(raw_type) == NG_SHB {
                self.section_order(at)?
            } else {
                self.block_len(at)?
            };
            let ty = self.order.u32(raw_type);
            let body = at + 8;
            let body_end = at + total - 4;
            self.pos = at + total;
            match ty {
                NG_IDB => self.ng_interface(body, body_end)?,
                NG_EPB => {
                    let id = self.ng_u32(body)?;
                    let hi = self.ng_u32(body + 4)?;
                    let lo = self.ng_u32(body + 8)?;
                    let caplen = self.ng_u32(body + 12)?;
                    let orig_len = self.ng_u32(body + 16)?;
                    let start = body + 20;
                    let data = self
                        .buf
                        .get(start..start.saturating_add(caplen as usize))
                        .filter(|_| start.saturating_add(caplen as usize) <= body_end)
                        .ok_or(PcapError::Length {
                            len: caplen,
                            offset: at,
                        })?;
                    let iface = self.iface(id, at)?;
                    let ticks = (u64::from(hi) << 32) | u64::from(lo);
                    return Ok(Some(Record {
                        link_type: iface.link_type,
                        time: iface.resolution.stamp(ticks),
                        orig_len,
                        data,
                        offset: start,
                    }));
                }
                NG_SPB => {
                    let orig_len = self.ng_u32(body)?;
                    let start = body + 4;
                    let room = body_end.saturating_sub(start);
                    let len = (orig_len as usize).min(room);
                    let data = self.buf.get(start..start + len).unwrap_or_default();
                    let iface = self.iface(0, at)?;
                    return Ok(Some(Record {
                        link_type: iface.link_type,
                        time: Timestamp::default(),
                        orig_len,
                        data,
                        offset: start,
                    }));
                }
                _ => {}
            }
        }
    }

    fn iface(&self, id: u32, offset: usize) -> Result<Iface, PcapError> {
        match &self.format {
            Format::Ng { ifaces, count } if (id as usize) < *count => ifaces
                .get(id as usize)
                .copied()
                .ok_or(PcapError::Interface { id, offset }),
            _ => Err(PcapError::Interface { id, offset }),
        }
    }

    fn ng_interface(&mut self, body: usize, end: usize) -> Result<(), PcapError> {
        let head: [u8; 8] = take(self.buf, body, PcapItem::Block)?;
        let link_type = u32::from(self.order.u16([
            head.first().copied().unwrap_or(0),
            head.get(1).copied().unwrap_or(0),
        ]));
        let mut resolution = Resolution::Decimal(6);
        // Options: code u16, length u16, value padded to 4 bytes.
        let mut at = body + 8;
        while at + 4 <= end {
            let opt: [u8; 4] = take(self.buf, at, PcapItem::Block)?;
            let code = self.order.u16([opt[0], opt[1]]);
            let len = usize::from(self.order.u16([opt[2], opt[3]]));
            if code == 0 {
                break;
            }
            if code == NG_IF_TSRESOL && len >= 1 {
                let v: [u8; 1] = take(self.buf, at + 4, PcapItem::Block)?;
                resolution = if v[0] & 0x80 == 0 {
                    Resolution::Decimal(v[0])
                } else {
                    Resolution::Binary(v[0] & 0x7f)
                };
            }
            at += 4 + crate::align::align(len);
        }
        if let Format::Ng { ifaces, count } = &mut self.format {
            if let Some(slot) = ifaces.get_mut(*count) {
                *slot = Iface {
                    link_type,
                    resolution,
                };
                *count += 1;
            }
        }
        Ok(())
    }
}

impl<'a> Iterator for Capture<'a> {
    type Item = Result<Record<'a>, PcapError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = match self.format {
            Format::Classic { link_type, nanos } => self.classic_next(link_type, nanos),
            Format::Ng { .. } => self.ng_next(),
        };
        match next {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Capture<'_> {}

/// Appends a classic pcap file header: nanosecond stamps, host byte order,
/// snap length 256 KiB, link type [`LINKTYPE_NETLINK`].
#[cfg(feature = "alloc")]
pub fn write_file_header(out: &mut alloc::vec::Vec<u8>) {
    out.extend_from_slice(&MAGIC_NANO.to_ne_bytes());
    out.extend_from_slice(&2u16.to_ne_bytes()); // version 2.4
    out.extend_from_slice(&4u16.to_ne_bytes());
    out.extend_from_slice(&0i32.to_ne_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_ne_bytes()); // sigfigs
    out.extend_from_slice(&(256u32 << 10).to_ne_bytes());
    out.extend_from_slice(&LINKTYPE_NETLINK.to_ne_bytes());
}

/// Appends one record for a netlink datagram: record header, cooked header
/// (`direction`, `ARPHRD_NETLINK`, `protocol`) and the datagram's bytes.
/// A datagram over 4 GiB is cut to what the length field can say.
#[cfg(feature = "alloc")]
pub fn write_record(
    out: &mut alloc::vec::Vec<u8>,
    time: Timestamp,
    direction: Direction,
    protocol: u16,
    datagram: &[u8],
) {
    let len = u32::try_from(datagram.len().saturating_add(COOKED_LEN)).unwrap_or(u32::MAX);
    let keep = (len as usize).saturating_sub(COOKED_LEN);
    // Classic pcap keeps 32-bit seconds; past 2106 they wrap.
    out.extend_from_slice(&(time.secs as u32).to_ne_bytes());
    out.extend_from_slice(&time.nanos.min(999_999_999).to_ne_bytes());
    out.extend_from_slice(&len.to_ne_bytes());
    out.extend_from_slice(&len.to_ne_bytes());
    out.extend_from_slice(&direction.packet_type().to_be_bytes());
    out.extend_from_slice(&ARPHRD_NETLINK.to_be_bytes());
    out.extend_from_slice(&[0u8; 10]);
    out.extend_from_slice(&protocol.to_be_bytes());
    out.extend_from_slice(datagram.get(..keep).unwrap_or(datagram));
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    fn one_frame(payload: &[u8]) -> Vec<u8> {
        let mut f = Vec::new();
        write_file_header(&mut f);
        write_record(
            &mut f,
            Timestamp {
                secs: 1_700_000_000,
                nanos: 123_456_789,
            },
            Direction::ToUser,
            6,
            payload,
        );
        f
    }

    fn msg() -> Vec<u8> {
        let mut m = Vec::new();
        let mut b = crate::MsgBuilder::new(&mut m, 0x10, 1);
        b.header(&[1u8, 2, 3, 4]).put_u32(1, 7);
        b.finish().unwrap();
        m
    }

    #[test]
    fn classic_round_trip() {
        let m = msg();
        let f = one_frame(&m);
        let recs: Vec<_> = Capture::new(&f).unwrap().collect();
        assert_eq!(recs.len(), 1);
        let r = recs[0].unwrap();
        assert_eq!(r.time.secs, 1_700_000_000);
        assert_eq!(r.time.nanos, 123_456_789);
        assert!(!r.is_cut());
        let fr = r.netlink().unwrap();
        assert_eq!(fr.direction(), Direction::ToUser);
        assert_eq!(fr.protocol, 6);
        assert_eq!(fr.payload, &m[..]);
        let first = fr.msgs().next().unwrap().unwrap();
        assert_eq!(first.ty(), 0x10);
        assert_eq!(first.offset(), 24 + 16 + 16);
    }

    /// Replies are the objects to user space: not the end of a dump, not
    /// acks, nothing the user sent.
    #[test]
    fn replies_are_objects_to_user_space() {
        let mut datagram = msg();
        for ty in [NLMSG_DONE, NLMSG_ERROR] {
            let mut m = Vec::new();
            let mut b = crate::MsgBuilder::new(&mut m, ty, 0);
            b.header(&[0u8; 4]);
            b.finish().unwrap();
            datagram.extend_from_slice(&m);
        }
        let mut f = one_frame(&datagram);
        let time = Timestamp { secs: 1, nanos: 0 };
        write_record(&mut f, time, Direction::ToKernel, 6, &msg());
        let frames: Vec<_> = Capture::new(&f)
            .unwrap()
            .map(|r| r.unwrap().netlink().unwrap())
            .collect();
        let to_user: Vec<_> = frames[0].replies().map(|m| m.unwrap().ty()).collect();
        assert_eq!(to_user, [0x10]);
        assert_eq!(frames[0].msgs().count(), 3);
        assert_eq!(frames[1].replies().count(), 0);
    }

    /// The same file with every 16/32-bit header field byte-swapped and
    /// microsecond stamps.
    #[test]
    fn big_endian_micro() {
        let m = msg();
        let mut f = Vec::new();
        f.extend_from_slice(&MAGIC_MICRO.to_be_bytes());
        f.extend_from_slice(&2u16.to_be_bytes());
        f.extend_from_slice(&4u16.to_be_bytes());
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&65535u32.to_be_bytes());
        f.extend_from_slice(&253u32.to_be_bytes());
        let len = (m.len() + 16) as u32;
        f.extend_from_slice(&5u32.to_be_bytes());
        f.extend_from_slice(&42u32.to_be_bytes());
        f.extend_from_slice(&len.to_be_bytes());
        f.extend_from_slice(&(len + 8).to_be_bytes());
        f.extend_from_slice(&[0, 7, 3, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&m);
        let c = Capture::new(&f).unwrap();
        assert_eq!(c.link_type(), Some(253));
        let r = c.clone().next().unwrap().unwrap();
        assert_eq!(
            r.time,
            Timestamp {
                secs: 5,
                nanos: 42_000
            }
        );
        assert!(r.is_cut());
        assert_eq!(r.netlink().unwrap().direction(), Direction::ToKernel);
    }

    fn ng_block(ty: u32, body: &[u8]) -> Vec<u8> {
        let len = (12 + crate::align::align(body.len())) as u32;
        let mut b = Vec::new();
        b.extend_from_slice(&ty.to_le_bytes());
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(body);
        b.resize(len as usize - 4, 0);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    #[test]
    fn pcapng_with_resolution() {
        let m = msg();
        let mut frame = vec![0, 6, 3, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        frame.extend_from_slice(&m);
        let mut f = Vec::new();
        let mut shb = Vec::new();
        shb.extend_from_slice(&NG_BOM.to_le_bytes());
        shb.extend_from_slice(&1u16.to_le_bytes());
        shb.extend_from_slice(&0u16.to_le_bytes());
        shb.extend_from_slice(&(-1i64).to_le_bytes());
        f.extend(ng_block(NG_SHB, &shb));
        // An unknown block is skipped.
        f.extend(ng_block(0x0bad, &[1, 2, 3]));
        let mut idb = Vec::new();
        idb.extend_from_slice(&253u16.to_le_bytes());
        idb.extend_from_slice(&[0, 0]);
        idb.extend_from_slice(&0u32.to_le_bytes());
        idb.extend_from_slice(&[9, 0, 1, 0, 9, 0, 0, 0]); // if_tsresol = 10^-9
        idb.extend_from_slice(&[0, 0, 0, 0]);
        f.extend(ng_block(NG_IDB, &idb));
        let ticks: u64 = 3_000_000_007;
        let mut epb = Vec::new();
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&((ticks >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(ticks as u32).to_le_bytes());
        epb.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        epb.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        epb.extend_from_slice(&frame);
        f.extend(ng_block(NG_EPB, &epb));
        let mut spb = Vec::new();
        spb.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        spb.extend_from_slice(&frame);
        f.extend(ng_block(NG_SPB, &spb));
        let recs: Vec<_> = Capture::new(&f).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].time, Timestamp { secs: 3, nanos: 7 });
        for r in &recs {
            let fr = r.netlink().unwrap();
            assert_eq!(fr.payload, &m[..]);
            assert_eq!(fr.direction(), Direction::ToUser);
        }
        // An EPB on an undeclared interface.
        let mut bad = f.clone();
        let epb_at = bad.len() - ng_block(NG_SPB, &spb).len() - ng_block(NG_EPB, &epb).len();
        bad[epb_at + 8] = 3;
        let errs: Vec<_> = Capture::new(&bad)
            .unwrap()
            .filter_map(Result::err)
            .collect();
        assert_eq!(
            errs,
            [PcapError::Interface {
                id: 3,
                offset: epb_at
            }]
        );
    }

    /// nlmon frames all say "outgoing": the request flag decides.
    #[test]
    fn outgoing_frames_by_request_flag() {
        let req = msg(); // flags = NLM_F_REQUEST
        let mut reply = msg();
        reply[6] = 2; // NLM_F_MULTI only
        for (payload, want) in [(&req, Direction::ToKernel), (&reply, Direction::ToUser)] {
            let mut data = vec![0, 4, 3, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            data.extend_from_slice(payload);
            assert_eq!(Frame::parse(&data, 0).unwrap().direction(), want);
        }
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(
            Capture::new(b"abcd").unwrap_err(),
            PcapError::Magic {
                found: u32::from_le_bytes(*b"abcd")
            }
        );
        let f = one_frame(&msg());
        // Every truncation either fails at the header or ends the
        // iteration with one error; none panics.
        for cut in 0..f.len() {
            match Capture::new(&f[..cut]) {
                Err(e) => assert!(cut < 24, "{cut}: {e}"),
                Ok(c) => {
                    let all: Vec<_> = c.collect();
                    if cut == 24 {
                        assert!(all.is_empty());
                    } else {
                        assert_eq!(all.len(), 1);
                        assert!(all[0].is_err(), "{cut}");
                    }
                }
            }
        }
        let mut wrong = f.clone();
        wrong[24 + 16 + 2] = 0; // hardware type
        let r = Capture::new(&wrong).unwrap().next().unwrap().unwrap();
        assert_eq!(
            r.netlink().unwrap_err(),
            PcapError::HwType {
                hatype: 0x38,
                offset: 40
            }
        );
    }
}
