//! Security associations: [`XfrmState`] and the SA requests (NEWSA,
//! UPDSA, DELSA, GETSA, FLUSHSA, ALLOCSPI, GETSADINFO).

use core::fmt;
use std::net::IpAddr;

use bitflags::bitflags;
use ipnet::IpNet;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Attr, DecodeError, Msg, MsgBuilder};
use zerocopy::IntoBytes;

use crate::algo::{self, AeadAlgo, Algo, AlgoType, AuthAlgo};
use crate::common::{
    Lifetime, LifetimeCurrent, Mark, Mode, Proto, SecCtx, Selector, addr_from, addr_to, family_of,
    nl_wire_read, put_mark_if_id,
};
use crate::error::{Error, Result, parse_msg};
use crate::uapi::*;

bitflags! {
    /// `XFRM_STATE_*` flags of a state.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct StateFlags: u8 {
        /// `noecn`.
        const NOECN = 1;
        /// `decap-dscp`.
        const DECAP_DSCP = 2;
        /// `nopmtudisc`.
        const NOPMTUDISC = 4;
        /// `wildrecv`.
        const WILDRECV = 8;
        /// `icmp`.
        const ICMP = 16;
        /// `af-unspec`.
        const AF_UNSPEC = 32;
        /// `align4`.
        const ALIGN4 = 64;
        /// `esn`: 64-bit sequence numbers.
        const ESN = 128;
    }
}

impl StateFlags {
    /// The words `ip xfrm state` uses, in bit order.
    pub fn words(self) -> Vec<&'static str> {
        [
            (StateFlags::NOECN, "noecn"),
            (StateFlags::DECAP_DSCP, "decap-dscp"),
            (StateFlags::NOPMTUDISC, "nopmtudisc"),
            (StateFlags::WILDRECV, "wildrecv"),
            (StateFlags::ICMP, "icmp"),
            (StateFlags::AF_UNSPEC, "af-unspec"),
            (StateFlags::ALIGN4, "align4"),
            (StateFlags::ESN, "esn"),
        ]
        .into_iter()
        .filter(|(f, _)| self.contains(*f))
        .map(|(_, n)| n)
        .collect()
    }

    /// A flag from its `ip xfrm` word.
    pub fn from_word(s: &str) -> Option<Self> {
        Some(match s {
            "noecn" => StateFlags::NOECN,
            "decap-dscp" => StateFlags::DECAP_DSCP,
            "nopmtudisc" => StateFlags::NOPMTUDISC,
            "wildrecv" => StateFlags::WILDRECV,
            "icmp" => StateFlags::ICMP,
            "af-unspec" => StateFlags::AF_UNSPEC,
            "align4" => StateFlags::ALIGN4,
            "esn" => StateFlags::ESN,
            _ => return None,
        })
    }
}

/// NAT traversal encapsulation of a state (`XFRMA_ENCAP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Encap {
    /// `encap_type`: `UDP_ENCAP_ESPINUDP` (2), `UDP_ENCAP_ESPINUDP_NON_IKE`
    /// (1), `TCP_ENCAP_ESPINTCP` (7).
    pub encap_type: u16,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// Original address (before NAT); unspecified when not known.
    pub oa: Option<IpAddr>,
}

impl Encap {
    /// ESP in UDP (RFC 3948) between two ports.
    pub fn espinudp(sport: u16, dport: u16) -> Self {
        Encap {
            encap_type: UDP_ENCAP_ESPINUDP,
            sport,
            dport,
            oa: None,
        }
    }

    /// The former name of [`Encap::type_name`].
    #[deprecated(
        since = "0.1.0",
        note = "an encapsulation's type is `encap_type`: use `type_name()`"
    )]
    pub fn kind_name(&self) -> String {
        self.type_name()
    }

    /// The type's `ip xfrm` word.
    pub fn type_name(&self) -> String {
        match self.encap_type {
            UDP_ENCAP_ESPINUDP => "espinudp".into(),
            UDP_ENCAP_ESPINUDP_NON_IKE => "espinudp-nonike".into(),
            TCP_ENCAP_ESPINTCP => "espintcp".into(),
            t => t.to_string(),
        }
    }
}

/// Anti-replay state (`XFRMA_REPLAY_VAL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Replay {
    /// Outbound sequence number.
    pub oseq: u32,
    /// Highest inbound sequence number.
    pub seq: u32,
    /// Replay window bitmap.
    pub bitmap: u32,
}

/// Extended (64-bit) anti-replay state (`XFRMA_REPLAY_ESN_VAL`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ReplayEsn {
    /// Outbound sequence number, low half.
    pub oseq: u32,
    /// Inbound sequence number, low half.
    pub seq: u32,
    /// Outbound sequence number, high half.
    pub oseq_hi: u32,
    /// Inbound sequence number, high half.
    pub seq_hi: u32,
    /// Window size in packets.
    pub replay_window: u32,
    /// The window bitmap, `ceil(replay_window / 32)` words as the kernel
    /// reports it; empty in a request to start from a clear window.
    pub bitmap: Vec<u32>,
}

/// Statistics of a state (read only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stats {
    /// `replay-window` counter of packets outside the window.
    pub replay_window: u32,
    /// Replayed packets.
    pub replay: u32,
    /// Packets that failed integrity checks.
    pub integrity_failed: u32,
}

/// Hardware offload of a state (`XFRMA_OFFLOAD_DEV`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Offload {
    /// The device.
    pub ifindex: i32,
    /// `XFRM_OFFLOAD_*` flags (2: inbound, 4: packet offload).
    pub flags: u8,
}

nl_wire::kernel_enum! {
    /// Direction of a state (`XFRMA_SA_DIR`, kernel 6.10+), with the words
    /// `ip xfrm state` uses.
    pub enum SaDir: u8, "dir", Error {
        /// Inbound.
        In = XFRM_SA_DIR_IN => "in",
        /// Outbound.
        Out = XFRM_SA_DIR_OUT => "out",
    }
}

/// An IPsec security association, as `ip xfrm state` shows it.
///
/// ```
/// use nl_xfrm::{XfrmState, Proto, Mode, Key, Algo, AuthAlgo};
/// // ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x100
/// //   mode tunnel reqid 7 auth-trunc 'hmac(sha256)' 0x... 128 enc 'cbc(aes)' 0x...
/// let mut sa = XfrmState::new("192.0.2.1".parse()?, "198.51.100.1".parse()?, Proto::Esp, 0x100);
/// sa.mode = Mode::Tunnel;
/// sa.reqid = 7;
/// sa.auth = Some(AuthAlgo { name: "hmac(sha256)".into(), key: Key::new(vec![1; 32]), trunc_len: Some(128) });
/// sa.crypt = Some(Algo { name: "cbc(aes)".into(), key: Key::new(vec![2; 16]) });
/// let mut buf = Vec::new();
/// sa.write_add(&mut buf)?;
/// let back = XfrmState::parse(&nl_wire::Msg::parse(&buf)?.0)?;
/// assert_eq!(back, sa);
/// assert!(!format!("{back:?}").contains("2, 2, 2")); // keys never print
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XfrmState {
    /// Source (tunnel) address.
    pub src: Option<IpAddr>,
    /// Destination address: with `spi` and `proto`, the state's identity.
    pub dst: Option<IpAddr>,
    /// The protocol.
    pub proto: Proto,
    /// Security parameter index.
    pub spi: u32,
    /// The mode.
    pub mode: Mode,
    /// Request id, tying the state to policy templates.
    pub reqid: u32,
    /// Address family of `src`/`dst` (0: taken from them).
    pub family: u16,
    /// `XFRM_STATE_*` flags.
    pub flags: StateFlags,
    /// `XFRMA_SA_EXTRA_FLAGS` (`dont-encap-dscp` 1, `oseq-may-wrap` 2).
    pub extra_flags: Option<u32>,
    /// Replay window in packets (the header's `u8`; ESN states use
    /// [`XfrmState::replay_esn`]).
    pub replay_window: u8,
    /// The traffic the state applies to.
    pub selector: Selector,
    /// Authentication.
    pub auth: Option<AuthAlgo>,
    /// Encryption.
    pub crypt: Option<Algo>,
    /// AEAD (instead of `auth` + `crypt`).
    pub aead: Option<AeadAlgo>,
    /// Compression (ipcomp states).
    pub comp: Option<Algo>,
    /// NAT traversal encapsulation.
    pub encap: Option<Encap>,
    /// Mark (and mask) the state matches.
    pub mark: Option<Mark>,
    /// Output mark set on packets (`XFRMA_SET_MARK` / `_MASK`).
    pub output_mark: Option<Mark>,
    /// xfrm interface id.
    pub if_id: Option<u32>,
    /// Limits.
    pub lifetime: Lifetime,
    /// Use so far (read only).
    pub current: LifetimeCurrent,
    /// Statistics (read only).
    pub stats: Stats,
    /// The acquire sequence number the state answers (0: none).
    pub seq: u32,
    /// Anti-replay state.
    pub replay: Option<Replay>,
    /// Extended anti-replay state.
    pub replay_esn: Option<ReplayEsn>,
    /// Security context.
    pub sec_ctx: Option<SecCtx>,
    /// Care-of address (Mobile IPv6).
    pub coaddr: Option<IpAddr>,
    /// Hardware offload.
    pub offload: Option<Offload>,
    /// TFC padding.
    pub tfcpad: Option<u32>,
    /// Direction (6.10+).
    pub dir: Option<SaDir>,
    /// Last use (Unix seconds), when the kernel reports it.
    pub lastused: Option<u64>,
}

impl XfrmState {
    /// A state for `proto` with `spi` between two addresses; tunnel mode
    /// not set (transport), no algorithms, no limits.
    pub fn new(src: IpAddr, dst: IpAddr, proto: Proto, spi: u32) -> Self {
        XfrmState {
            src: Some(src),
            dst: Some(dst),
            proto,
            spi,
            family: family_of(&dst),
            ..XfrmState::default()
        }
    }

    /// The state's identity, for get and delete.
    pub fn id(&self) -> StateId {
        StateId {
            dst: self.dst,
            spi: self.spi,
            proto: self.proto,
            src: self.src,
            mark: self.mark,
            if_id: self.if_id,
        }
    }

    fn family_or_guess(&self) -> u16 {
        if self.family != 0 {
            return self.family;
        }
        self.dst
            .or(self.src)
            .map_or(u16::from(crate::AF_INET), |a| family_of(&a))
    }

    pub(crate) fn from_info(info: &XfrmUsersaInfo) -> Self {
        let family = info.family.get();
        XfrmState {
            src: Some(addr_from(&info.saddr, family)),
            dst: Some(addr_from(&info.id.daddr, family)),
            proto: Proto::from(info.id.proto),
            spi: info.id.spi.get(),
            mode: Mode::from(info.mode),
            reqid: info.reqid.get(),
            family,
            flags: StateFlags::from_bits_retain(info.flags),
            replay_window: info.replay_window,
            selector: Selector::from_raw(&info.sel),
            lifetime: Lifetime::from_raw(&info.lft),
            current: LifetimeCurrent::from_raw(&info.curlft),
            stats: Stats {
                replay_window: info.stats.replay_window.get(),
                replay: info.stats.replay.get(),
                integrity_failed: info.stats.integrity_failed.get(),
            },
            seq: info.seq.get(),
            ..XfrmState::default()
        }
    }

    /// Parses a NEWSA / UPDSA message (a dump entry, a get or allocspi
    /// reply, or a notification).
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || Self::from_msg(msg))
    }

    /// [`XfrmState::parse`] without the message's context.
    pub(crate) fn from_msg(msg: &Msg<'_>) -> core::result::Result<Self, DecodeError> {
        let info: XfrmUsersaInfo = msg.family_header();
        let mut s = XfrmState::from_info(&info);
        msg.attrs_after(core::mem::size_of::<XfrmUsersaInfo>())
            .decode(|a| s.parse_attr(&a))?;
        Ok(s)
    }

    pub(crate) fn parse_attr(&mut self, a: &Attr<'_>) -> nl_wire::Result<()> {
        let p = a.payload();
        match a.ty() {
            XFRMA_ALG_AUTH_TRUNC => {
                let (name, key, trunc) = algo::from_bytes(p, true);
                self.auth = Some(AuthAlgo {
                    name,
                    key,
                    trunc_len: Some(trunc),
                });
            }
            // The kernel sends both; the truncated form says more.
            XFRMA_ALG_AUTH if self.auth.is_none() => {
                let (name, key, _) = algo::from_bytes(p, false);
                self.auth = Some(AuthAlgo {
                    name,
                    key,
                    trunc_len: None,
                });
            }
            XFRMA_ALG_CRYPT => {
                let (name, key, _) = algo::from_bytes(p, false);
                self.crypt = Some(Algo { name, key });
            }
            XFRMA_ALG_COMP => {
                let (name, key, _) = algo::from_bytes(p, false);
                self.comp = Some(Algo { name, key });
            }
            XFRMA_ALG_AEAD => {
                let (name, key, icv_len) = algo::from_bytes(p, true);
                self.aead = Some(AeadAlgo { name, key, icv_len });
            }
            XFRMA_ENCAP => {
                let e: XfrmEncapTmpl = a.read();
                let oa = addr_from(&e.encap_oa, self.family_or_guess());
                self.encap = Some(Encap {
                    encap_type: e.encap_type.get(),
                    sport: e.encap_sport.get(),
                    dport: e.encap_dport.get(),
                    oa: (!oa.is_unspecified()).then_some(oa),
                });
            }
            XFRMA_MARK => {
                self.mark = Some(Mark::from_raw(&a.read()));
            }
            XFRMA_SET_MARK => {
                let v = a.u32()?;
                let mask = self.output_mark.map_or(u32::MAX, |m| m.mask);
                self.output_mark = Some(Mark { value: v, mask });
            }
            XFRMA_SET_MARK_MASK => {
                let m = a.u32()?;
                let value = self.output_mark.map_or(0, |o| o.value);
                self.output_mark = Some(Mark { value, mask: m });
            }
            XFRMA_IF_ID => self.if_id = Some(a.u32()?),
            XFRMA_TFCPAD => self.tfcpad = Some(a.u32()?),
            XFRMA_SA_EXTRA_FLAGS => self.extra_flags = Some(a.u32()?),
            XFRMA_COADDR => {
                let raw: [u8; 16] = nl_wire_read(p);
                self.coaddr = Some(addr_from(&raw, self.family_or_guess()));
            }
            XFRMA_REPLAY_VAL => {
                let r: XfrmReplayState = a.read();
                self.replay = Some(Replay {
                    oseq: r.oseq.get(),
                    seq: r.seq.get(),
                    bitmap: r.bitmap.get(),
                });
            }
            XFRMA_REPLAY_ESN_VAL => {
                let r: XfrmReplayStateEsn = a.read();
                let words = usize::try_from(r.bmp_len.get()).unwrap_or(0);
                let bitmap = p
                    .get(24..)
                    .unwrap_or_default()
                    .chunks_exact(4)
                    .take(words)
                    .filter_map(|c| <[u8; 4]>::try_from(c).ok())
                    .map(u32::from_ne_bytes)
                    .collect();
                self.replay_esn = Some(ReplayEsn {
                    oseq: r.oseq.get(),
                    seq: r.seq.get(),
                    oseq_hi: r.oseq_hi.get(),
                    seq_hi: r.seq_hi.get(),
                    replay_window: r.replay_window.get(),
                    bitmap,
                });
            }
            XFRMA_SEC_CTX => self.sec_ctx = Some(SecCtx::parse(p)),
            XFRMA_OFFLOAD_DEV => {
                let o: XfrmUserOffload = a.read();
                self.offload = Some(Offload {
                    ifindex: o.ifindex.get(),
                    flags: o.flags,
                });
            }
            XFRMA_SA_DIR => self.dir = Some(SaDir::from(a.u8()?)),
            XFRMA_LASTUSED => self.lastused = Some(a.u64()?),
            XFRMA_LTIME_VAL => {
                let c: XfrmLifetimeCur = a.read();
                self.current = LifetimeCurrent::from_raw(&c);
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks what the kernel would refuse, so no request is sent that
    /// cannot work: addresses of one family, an SPI for ESP and AH, key
    /// lengths of known algorithms, AEAD not mixed with auth/crypt.
    pub fn validate(&self) -> Result<()> {
        let (Some(src), Some(dst)) = (self.src, self.dst) else {
            return Err(Error::invalid("src/dst", "a state needs both addresses"));
        };
        if family_of(&src) != family_of(&dst) {
            return Err(Error::invalid("src/dst", "of different address families"));
        }
        if matches!(self.proto, Proto::Esp | Proto::Ah) && self.spi == 0 {
            return Err(Error::invalid(
                "spi",
                "0 is reserved; ESP and AH need an SPI",
            ));
        }
        if self.proto == Proto::Esp
            && self.auth.is_none()
            && self.crypt.is_none()
            && self.aead.is_none()
        {
            return Err(Error::invalid("algorithms", "ESP needs enc, auth or aead"));
        }
        if self.proto == Proto::Ah && self.auth.is_none() {
            return Err(Error::invalid("algorithms", "AH needs an auth algorithm"));
        }
        if self.aead.is_some() && (self.auth.is_some() || self.crypt.is_some()) {
            return Err(Error::invalid("algorithms", "aead replaces auth and enc"));
        }
        if let Some(r) = &self.replay_esn {
            let words = usize::try_from(r.replay_window.div_ceil(32)).unwrap_or(usize::MAX);
            if !r.bitmap.is_empty() && r.bitmap.len() < words {
                return Err(Error::invalid(
                    "replay-esn",
                    format!(
                        "a window of {} packets needs {words} bitmap words (or none)",
                        r.replay_window
                    ),
                ));
            }
        }
        if let Some(a) = &self.auth {
            algo::check(AlgoType::Auth, &a.name, &a.key, false)?;
        }
        if let Some(c) = &self.crypt {
            algo::check(AlgoType::Crypt, &c.name, &c.key, false)?;
        }
        if let Some(a) = &self.aead {
            algo::check(AlgoType::Aead, &a.name, &a.key, false)?;
            algo::check_icv(&a.name, a.icv_len)?;
        }
        if let Some(c) = &self.comp {
            algo::check(AlgoType::Comp, &c.name, &c.key, false)?;
        }
        Ok(())
    }

    /// Like [`validate`](Self::validate), and every algorithm name must be
    /// one this library knows (the `ip xfrm` example uses this).
    pub fn validate_strict(&self) -> Result<()> {
        self.validate()?;
        if let Some(a) = &self.auth {
            algo::check(AlgoType::Auth, &a.name, &a.key, true)?;
        }
        if let Some(c) = &self.crypt {
            algo::check(AlgoType::Crypt, &c.name, &c.key, true)?;
        }
        if let Some(a) = &self.aead {
            algo::check(AlgoType::Aead, &a.name, &a.key, true)?;
        }
        if let Some(c) = &self.comp {
            algo::check(AlgoType::Comp, &c.name, &c.key, true)?;
        }
        Ok(())
    }

    pub(crate) fn info(&self) -> Result<XfrmUsersaInfo> {
        let family = self.family_or_guess();
        let zero = IpAddr::from([0u8; 4]);
        Ok(XfrmUsersaInfo {
            sel: self.selector.to_raw()?,
            id: XfrmId {
                daddr: addr_to(&self.dst.unwrap_or(zero)),
                spi: self.spi.into(),
                proto: self.proto.into(),
                _pad: [0; 3],
            },
            saddr: addr_to(&self.src.unwrap_or(zero)),
            lft: self.lifetime.to_raw(),
            curlft: self.current.to_raw(),
            stats: XfrmStats {
                replay_window: self.stats.replay_window.into(),
                replay: self.stats.replay.into(),
                integrity_failed: self.stats.integrity_failed.into(),
            },
            seq: self.seq.into(),
            reqid: self.reqid.into(),
            family: family.into(),
            mode: self.mode.into(),
            replay_window: self.replay_window,
            flags: self.flags.bits(),
            _pad: [0; 7],
        })
    }

    /// Writes the attributes that follow the header, in the order
    /// iproute2 sends them.
    pub(crate) fn write_attrs(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        if let Some(x) = self.extra_flags {
            m.put_u32(XFRMA_SA_EXTRA_FLAGS, x);
        }
        if let Some(r) = &self.replay_esn {
            // The bitmap's length follows the window; its words may be
            // left out (iproute2 does), and the kernel starts from zeros.
            let words = u32::try_from(r.bitmap.len())
                .map_err(|_| Error::invalid("replay-esn", "bitmap too long"))?
                .max(r.replay_window.div_ceil(32));
            let head = XfrmReplayStateEsn {
                bmp_len: words.into(),
                oseq: r.oseq.into(),
                seq: r.seq.into(),
                oseq_hi: r.oseq_hi.into(),
                seq_hi: r.seq_hi.into(),
                replay_window: r.replay_window.into(),
            };
            let mut bytes = head.as_bytes().to_vec();
            for w in &r.bitmap {
                bytes.extend_from_slice(&w.to_ne_bytes());
            }
            m.put_raw(XFRMA_REPLAY_ESN_VAL, &bytes);
        }
        if let Some(r) = self.replay {
            m.put(
                XFRMA_REPLAY_VAL,
                &XfrmReplayState {
                    oseq: r.oseq.into(),
                    seq: r.seq.into(),
                    bitmap: r.bitmap.into(),
                },
            );
        }
        if let Some(e) = self.encap {
            m.put(
                XFRMA_ENCAP,
                &XfrmEncapTmpl {
                    encap_type: e.encap_type.into(),
                    encap_sport: e.sport.into(),
                    encap_dport: e.dport.into(),
                    _pad: [0; 2],
                    encap_oa: e.oa.map_or([0; 16], |a| addr_to(&a)),
                },
            );
        }
        if let Some(c) = &self.sec_ctx {
            m.put_raw(XFRMA_SEC_CTX, &c.to_bytes()?);
        }
        if let Some(a) = &self.aead {
            m.put_raw(
                XFRMA_ALG_AEAD,
                &algo::to_bytes(&a.name, &a.key, Some(a.icv_len))?,
            );
        }
        if let Some(a) = &self.auth {
            match a.trunc_len {
                Some(t) => m.put_raw(
                    XFRMA_ALG_AUTH_TRUNC,
                    &algo::to_bytes(&a.name, &a.key, Some(t))?,
                ),
                None => m.put_raw(XFRMA_ALG_AUTH, &algo::to_bytes(&a.name, &a.key, None)?),
            };
        }
        if let Some(c) = &self.crypt {
            m.put_raw(XFRMA_ALG_CRYPT, &algo::to_bytes(&c.name, &c.key, None)?);
        }
        if let Some(c) = &self.comp {
            m.put_raw(XFRMA_ALG_COMP, &algo::to_bytes(&c.name, &c.key, None)?);
        }
        if let Some(a) = self.coaddr {
            m.put(XFRMA_COADDR, &addr_to(&a));
        }
        if let Some(mark) = self.mark {
            m.put(XFRMA_MARK, &mark.to_raw());
        }
        if let Some(o) = self.output_mark {
            m.put_u32(XFRMA_SET_MARK, o.value);
            m.put_u32(XFRMA_SET_MARK_MASK, o.mask);
        }
        if let Some(id) = self.if_id {
            m.put_u32(XFRMA_IF_ID, id);
        }
        if let Some(o) = self.offload {
            m.put(
                XFRMA_OFFLOAD_DEV,
                &XfrmUserOffload {
                    ifindex: o.ifindex.into(),
                    flags: o.flags,
                    _pad: [0; 3],
                },
            );
        }
        if let Some(t) = self.tfcpad {
            m.put_u32(XFRMA_TFCPAD, t);
        }
        if let Some(d) = self.dir {
            m.put_u8(XFRMA_SA_DIR, d.into());
        }
        Ok(())
    }

    fn write(&self, buf: &mut Vec<u8>, ty: u16, flags: u16) -> Result<()> {
        self.validate()?;
        let info = self.info()?;
        let mut m = MsgBuilder::new(buf, ty, flags);
        m.header(&info);
        self.write_attrs(&mut m)?;
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// `ip xfrm state add`: XFRM_MSG_NEWSA, failing with `EEXIST` if the
    /// state exists (the kernel's rule for NEWSA, whatever the flags; the
    /// request carries iproute2's flags).
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK)
    }

    /// `ip xfrm state update`: XFRM_MSG_UPDSA, changing an existing state.
    pub fn write_update(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, XFRM_MSG_UPDSA, NLM_F_REQUEST | NLM_F_ACK)
    }

    /// `ip xfrm state allocspi`: XFRM_MSG_ALLOCSPI for a larval state of
    /// this state's addresses, protocol, mode and reqid, with an SPI the
    /// kernel picks in `min..=max`. The reply is the new state.
    pub fn write_allocspi(&self, buf: &mut Vec<u8>, min: u32, max: u32) -> Result<()> {
        if min > max || min == 0 {
            return Err(Error::invalid("spi range", "needs 0 < min <= max"));
        }
        // The kernel reads only the id, addresses, mode, reqid and seq.
        let info = XfrmUserspiInfo {
            info: XfrmUsersaInfo {
                lft: XfrmLifetimeCfg::default(),
                ..self.info()?
            },
            min: min.into(),
            max: max.into(),
        };
        let mut m = MsgBuilder::new(buf, XFRM_MSG_ALLOCSPI, NLM_F_REQUEST);
        m.header(&info);
        put_mark_if_id(&mut m, self.mark, self.if_id);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

impl fmt::Display for XfrmState {
    /// The first lines of `ip xfrm state` (without keys).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |a: Option<IpAddr>| a.map_or_else(|| "-".to_string(), |a| a.to_string());
        writeln!(f, "src {} dst {}", show(self.src), show(self.dst))?;
        write!(
            f,
            "\tproto {} spi {:#010x} reqid {} mode {}",
            self.proto, self.spi, self.reqid, self.mode
        )?;
        if self.replay_window != 0 || !self.flags.is_empty() {
            write!(f, "\n\treplay-window {}", self.replay_window)?;
            let names = self.flags.words();
            if !names.is_empty() {
                write!(f, " flag {}", names.join(" "))?;
            }
        }
        if let Some(m) = self.mark {
            write!(f, "\n\tmark {:#x}/{:#x}", m.value, m.mask)?;
        }
        if let Some(a) = &self.auth {
            write!(f, "\n\tauth {} <{} bytes>", a.name, a.key.len())?;
        }
        if let Some(c) = &self.crypt {
            write!(f, "\n\tenc {} <{} bytes>", c.name, c.key.len())?;
        }
        if let Some(a) = &self.aead {
            write!(
                f,
                "\n\taead {} <{} bytes> {}",
                a.name,
                a.key.len(),
                a.icv_len
            )?;
        }
        if let Some(e) = self.encap {
            write!(
                f,
                "\n\tencap type {} sport {} dport {}",
                e.type_name(),
                e.sport,
                e.dport
            )?;
        }
        if let Some(i) = self.if_id {
            write!(f, "\n\tif_id {i:#x}")?;
        }
        write!(f, "\n\tsel {}", self.selector)
    }
}

/// What identifies a state for get and delete (`struct xfrm_usersa_id`
/// plus mark, source address and interface id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateId {
    /// Destination address.
    pub dst: Option<IpAddr>,
    /// SPI.
    pub spi: u32,
    /// Protocol.
    pub proto: Proto,
    /// Source address (narrows the lookup).
    pub src: Option<IpAddr>,
    /// Mark the state was added with.
    pub mark: Option<Mark>,
    /// Interface id the state was added with.
    pub if_id: Option<u32>,
}

impl StateId {
    fn write(&self, buf: &mut Vec<u8>, ty: u16, flags: u16) -> Result<()> {
        let dst = self
            .dst
            .ok_or_else(|| Error::invalid("dst", "a state is found by its destination"))?;
        let id = XfrmUsersaId {
            daddr: addr_to(&dst),
            spi: self.spi.into(),
            family: family_of(&dst).into(),
            proto: self.proto.into(),
            _pad: 0,
        };
        let mut m = MsgBuilder::new(buf, ty, flags);
        m.header(&id);
        if let Some(src) = self.src {
            m.put(XFRMA_SRCADDR, &addr_to(&src));
        }
        put_mark_if_id(&mut m, self.mark, self.if_id);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// `ip xfrm state get`: XFRM_MSG_GETSA; the reply is the state.
    pub fn write_get(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, XFRM_MSG_GETSA, NLM_F_REQUEST)
    }

    /// `ip xfrm state delete`: XFRM_MSG_DELSA.
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, XFRM_MSG_DELSA, NLM_F_REQUEST | NLM_F_ACK)
    }

    /// Parses a GETSA or DELSA request (as a capture shows it): the
    /// header and the mark, source address and interface id attributes.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let hdr: XfrmUsersaId = msg.family_header();
        let mut id = StateId::from_raw(&hdr);
        parse_msg(msg, || {
            msg.attrs_after(core::mem::size_of::<XfrmUsersaId>())
                .decode(|a| {
                    match a.ty() {
                        XFRMA_MARK => id.mark = Some(Mark::from_raw(&a.read())),
                        XFRMA_SRCADDR => {
                            id.src = Some(addr_from(&nl_wire_read(a.payload()), hdr.family.get()));
                        }
                        XFRMA_IF_ID => id.if_id = Some(a.u32()?),
                        _ => {}
                    }
                    Ok(())
                })?;
            Ok(id)
        })
    }

    /// Parses the `xfrm_usersa_id` header of a DELSA notification.
    pub(crate) fn from_raw(id: &XfrmUsersaId) -> Self {
        let family = id.family.get();
        StateId {
            dst: Some(addr_from(&id.daddr, family)),
            spi: id.spi.get(),
            proto: Proto::from(id.proto),
            src: None,
            mark: None,
            if_id: None,
        }
    }
}

/// Which states a dump returns: the kernel filters by protocol and by
/// address prefixes (`XFRMA_PROTO`, `XFRMA_ADDRESS_FILTER`); the library
/// checks again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StateDump {
    /// Only this protocol.
    pub proto: Option<Proto>,
    /// Only states whose source lies in this prefix.
    pub src: Option<IpNet>,
    /// Only states whose destination lies in this prefix.
    pub dst: Option<IpNet>,
}

impl StateDump {
    /// Writes the XFRM_MSG_GETSA dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        // The kernel reads a dump's attributes right after nlmsghdr.
        let mut m = MsgBuilder::new(buf, XFRM_MSG_GETSA, NLM_F_REQUEST | NLM_F_DUMP);
        if let Some(p) = self.proto {
            m.put_u8(XFRMA_PROTO, p.into());
        }
        if self.src.is_some() || self.dst.is_some() {
            let any = |n: &Option<IpNet>, other: &Option<IpNet>| {
                n.or_else(|| other.map(|o| IpNet::new(zero_like(&o.addr()), 0).unwrap_or(o)))
            };
            let (s, d) = (any(&self.src, &self.dst), any(&self.dst, &self.src));
            if let (Some(s), Some(d)) = (s, d) {
                if family_of(&s.addr()) != family_of(&d.addr()) {
                    return Err(Error::invalid(
                        "filter",
                        "src and dst of different families",
                    ));
                }
                let mut f = Vec::with_capacity(36);
                f.extend_from_slice(&addr_to(&s.addr()));
                f.extend_from_slice(&addr_to(&d.addr()));
                f.extend_from_slice(&family_of(&s.addr()).to_ne_bytes());
                f.push(s.prefix_len());
                f.push(d.prefix_len());
                m.put_raw(XFRMA_ADDRESS_FILTER, &f);
            }
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether `s` passes the filter.
    pub fn matches(&self, s: &XfrmState) -> bool {
        self.proto.is_none_or(|p| p == s.proto)
            && self
                .src
                .is_none_or(|n| s.src.is_some_and(|a| n.contains(&a)))
            && self
                .dst
                .is_none_or(|n| s.dst.is_some_and(|a| n.contains(&a)))
    }
}

fn zero_like(a: &IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(_) => IpAddr::from([0u8; 4]),
        IpAddr::V6(_) => IpAddr::from([0u8; 16]),
    }
}

/// `ip xfrm state flush [proto P]`: XFRM_MSG_FLUSHSA (`None`: states of
/// every protocol, as iproute2 asks with 0; the kernel's
/// `IPSEC_PROTO_ANY`, 255, would spare route2 and hao states).
pub fn write_flush_states(buf: &mut Vec<u8>, proto: Option<Proto>) -> Result<()> {
    let p: u8 = proto.map_or(0, u8::from);
    let mut m = MsgBuilder::new(buf, XFRM_MSG_FLUSHSA, NLM_F_REQUEST | NLM_F_ACK);
    // struct xfrm_usersa_flush is a single byte.
    m.header(&[p]);
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// The SAD's size (`ip xfrm state count`, XFRM_MSG_GETSADINFO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SadInfo {
    /// Number of states.
    pub count: u32,
    /// Current hash buckets.
    pub hash_buckets: u32,
    /// Maximum hash buckets.
    pub hash_max: u32,
}

impl SadInfo {
    /// Writes the XFRM_MSG_GETSADINFO request.
    pub fn write_get(buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, XFRM_MSG_GETSADINFO, NLM_F_REQUEST);
        m.header(&u32::MAX.to_ne_bytes());
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Parses the XFRM_MSG_NEWSADINFO reply.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let mut info = SadInfo::default();
        parse_msg(msg, || {
            msg.attrs_after(4).decode(|a| {
                match a.ty() {
                    XFRMA_SAD_CNT => info.count = a.u32()?,
                    XFRMA_SAD_HINFO => {
                        let h: XfrmuHinfo = a.read();
                        info.hash_buckets = h.cnt.get();
                        info.hash_max = h.max.get();
                    }
                    _ => {}
                }
                Ok(())
            })?;
            Ok(info)
        })
    }
}
