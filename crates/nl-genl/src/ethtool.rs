//! ethtool over netlink (genl family `"ethtool"`, kernel 5.6+): link info,
//! link modes, link state, features, rings, channels, coalescing, pause,
//! EEE, string sets and standard statistics, and the `"monitor"` group's
//! notifications.
//!
//! Every request names its device in a header nest (`ETHTOOL_A_*_HEADER`:
//! index or name, and flags); every reply carries the same nest back.
//! Sets of bits (features, link modes) travel as *bitsets*, in one of two
//! forms the kernel chooses by the request's `ETHTOOL_FLAG_COMPACT_BITSETS`:
//!
//! ```text
//! compact:  SIZE u32 | VALUE u32[] | MASK u32[] (or the NOMASK flag)
//! verbose:  SIZE u32 | BITS { BIT { INDEX u32, NAME str, VALUE flag } ... } (| NOMASK)
//! ```
//!
//! With a mask, the mask says which bits the set covers (supported link
//! modes) and the value which are on (advertised ones); without one the
//! value alone is the set. [`Bitset`] reads both forms. Bits are named by
//! *string sets* ([`StringSet`], `ETHTOOL_MSG_STRSET_GET`): compact replies
//! carry no names, so a caller that wants names asks for the string set
//! (the facade does). Requests that change bits are written verbose, by
//! name ([`write_named_bits`]), which every kernel accepts and which needs
//! no string set first.
//!
//! Like the rest of the crate this module does no I/O: writers put a
//! request in a buffer, `parse` reads a reply or notification.

use core::fmt;

use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Attr, Attrs, MsgBuilder, attr_struct};

use crate::error::{Error, Result};
use crate::uapi::ethtool::*;
use crate::uapi::ethtool_netlink::*;
use crate::uapi::ethtool_netlink_generated::*;
use crate::{GenlMsg, request};

/// The family's name.
pub const FAMILY: &str = "ethtool";
/// The multicast group of change notifications.
pub const MONITOR_GROUP: &str = "monitor";
/// `SPEED_UNKNOWN` as the kernel sends it in a `u32`.
pub const SPEED_UNKNOWN: u32 = u32::MAX;
/// More bits than any bitset has (features: 64, link modes: ~120): a
/// verbose bit with a higher index is ignored rather than allocated for.
const MAX_BITS: u32 = 1 << 16;
/// Likewise for the entries of a string set.
const MAX_STRINGS: u32 = 1 << 16;

/// The device a request is about: by index or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dev {
    /// `ETHTOOL_A_HEADER_DEV_INDEX`.
    Index(u32),
    /// `ETHTOOL_A_HEADER_DEV_NAME`.
    Name(String),
}

impl From<u32> for Dev {
    fn from(index: u32) -> Self {
        Dev::Index(index)
    }
}

impl From<&str> for Dev {
    fn from(name: &str) -> Self {
        Dev::Name(name.to_string())
    }
}

impl From<String> for Dev {
    fn from(name: String) -> Self {
        Dev::Name(name)
    }
}

impl From<&String> for Dev {
    fn from(name: &String) -> Self {
        Dev::Name(name.clone())
    }
}

impl fmt::Display for Dev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dev::Index(i) => write!(f, "link #{i}"),
            Dev::Name(n) => write!(f, "{n}"),
        }
    }
}

/// The header nest a reply or notification carries: which device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Header {
    /// `ETHTOOL_A_HEADER_DEV_INDEX`.
    pub index: u32,
    /// `ETHTOOL_A_HEADER_DEV_NAME`.
    pub name: String,
    /// `ETHTOOL_A_HEADER_PHY_INDEX` (6.11+, devices with several PHYs).
    pub phy_index: Option<u32>,
}

impl Header {
    fn parse(nest: Attrs<'_>) -> nl_wire::Result<Header> {
        let mut h = Header::default();
        for a in nest {
            let a = a?;
            match a.ty() {
                ETHTOOL_A_HEADER_DEV_INDEX => h.index = a.u32()?,
                ETHTOOL_A_HEADER_DEV_NAME => h.name = a.str()?.to_string(),
                ETHTOOL_A_HEADER_PHY_INDEX => h.phy_index = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(h)
    }
}

/// Writes a header nest of type `kind` for `dev` (none: every device, or
/// global data) with request `flags` (`ETHTOOL_FLAG_*`).
pub fn put_header(m: &mut MsgBuilder<'_>, kind: u16, dev: Option<&Dev>, flags: u32) {
    m.nest(kind | NLA_F_NESTED, |m| {
        match dev {
            Some(Dev::Index(i)) => {
                m.put_u32(ETHTOOL_A_HEADER_DEV_INDEX, *i);
            }
            Some(Dev::Name(n)) => {
                m.put_str(ETHTOOL_A_HEADER_DEV_NAME, n);
            }
            None => {}
        }
        if flags != 0 {
            m.put_u32(ETHTOOL_A_HEADER_FLAGS, flags);
        }
    });
}

/// Starts an ethtool request: `cmd` with a header for `dev` and `flags`.
/// `dev` `None` makes it a dump over every device.
fn start<'b>(
    buf: &'b mut Vec<u8>,
    family: u16,
    cmd: u8,
    header: u16,
    dev: Option<&Dev>,
    flags: u32,
) -> MsgBuilder<'b> {
    let nl_flags = if dev.is_some() { 0 } else { NLM_F_DUMP };
    let mut m = request(buf, family, cmd, ETHTOOL_GENL_VERSION, nl_flags);
    put_header(&mut m, header, dev, flags);
    m
}

/// Starts a set request for `dev`: acked, and with `ETHTOOL_FLAG_OMIT_REPLY`
/// off, so the kernel's reply (features) comes back.
fn start_set<'b>(buf: &'b mut Vec<u8>, family: u16, cmd: u8, dev: &Dev) -> MsgBuilder<'b> {
    let mut m = request(buf, family, cmd, ETHTOOL_GENL_VERSION, NLM_F_ACK);
    put_header(&mut m, 1, Some(dev), 0);
    m
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// A reply type of the family: which request reads it, where its header
/// is, and how it parses.
pub trait Reply: Sized {
    /// The `ETHTOOL_MSG_*_GET` command.
    const GET: u8;
    /// The header attribute (1 everywhere but statistics).
    const HEADER: u16 = 1;
    /// What it is, for errors ("rings", "channels" ...).
    const WHAT: &'static str;
    /// Parses a reply, dump entry or notification.
    fn parse(msg: &GenlMsg<'_>) -> Result<Self>;

    /// Writes the `GET` for `dev` (`None`: a dump of every device) with
    /// request `flags`.
    fn write_get(family: u16, dev: Option<&Dev>, flags: u32, buf: &mut Vec<u8>) -> Result<()> {
        finish(start(buf, family, Self::GET, Self::HEADER, dev, flags))
    }
}

/// Runs one loop over a reply's attributes: the header into `header`,
/// every other attribute to `f`; wire errors name the family and command.
fn parse_attrs(
    msg: &GenlMsg<'_>,
    header_kind: u16,
    header: &mut Header,
    mut f: impl FnMut(&Attr<'_>) -> nl_wire::Result<()>,
) -> Result<()> {
    let err = |e| msg.wire_error(FAMILY, e);
    for a in msg.attrs() {
        let a = a.map_err(err)?;
        if a.ty() == header_kind {
            *header = Header::parse(a.nested()).map_err(err)?;
        } else {
            f(&a).map_err(err)?;
        }
    }
    Ok(())
}

/// A set of bits as ethtool sends it (features, link modes, EEE modes,
/// statistics groups), from either form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bitset {
    /// How many bits the set has (`ETHTOOL_A_BITSET_SIZE`).
    pub size: u32,
    /// The bits that are on, 32 to a word, bit 0 first.
    pub value: Vec<u32>,
    /// The bits the set covers; `None` when the kernel sent no mask
    /// (`ETHTOOL_A_BITSET_NOMASK`): then `value` alone is the set.
    pub mask: Option<Vec<u32>>,
    /// Names the kernel sent with the bits (verbose form only), by index.
    pub names: Vec<(u32, String)>,
}

fn test_bit(words: &[u32], bit: u32) -> bool {
    let word = usize::try_from(bit / 32).unwrap_or(usize::MAX);
    words.get(word).is_some_and(|w| w & (1 << (bit % 32)) != 0)
}

fn set_bit(words: &mut Vec<u32>, bit: u32) {
    let word = usize::try_from(bit / 32).unwrap_or(0);
    if words.len() <= word {
        words.resize(word + 1, 0);
    }
    if let Some(w) = words.get_mut(word) {
        *w |= 1 << (bit % 32);
    }
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .filter_map(|c| <[u8; 4]>::try_from(c).ok())
        .map(u32::from_ne_bytes)
        .collect()
}

impl Bitset {
    /// Reads a bitset nest, compact or verbose.
    pub fn parse(nest: Attrs<'_>) -> nl_wire::Result<Bitset> {
        let mut set = Bitset::default();
        let mut nomask = false;
        let mut verbose = None;
        for a in nest {
            let a = a?;
            match a.ty() {
                ETHTOOL_A_BITSET_NOMASK => nomask = true,
                ETHTOOL_A_BITSET_SIZE => set.size = a.u32()?,
                ETHTOOL_A_BITSET_VALUE => set.value = words(a.payload()),
                ETHTOOL_A_BITSET_MASK => set.mask = Some(words(a.payload())),
                ETHTOOL_A_BITSET_BITS => verbose = Some(a.nested()),
                _ => {}
            }
        }
        if let Some(bits) = verbose {
            // Verbose: each listed bit is in the mask (or, without one, on).
            let mut value = Vec::new();
            let mut mask = Vec::new();
            for bit in bits {
                let bit = bit?;
                if bit.ty() != ETHTOOL_A_BITSET_BITS_BIT {
                    continue;
                }
                let (mut index, mut name, mut on) = (None, None, false);
                for a in bit.nested() {
                    let a = a?;
                    match a.ty() {
                        ETHTOOL_A_BITSET_BIT_INDEX => index = Some(a.u32()?),
                        ETHTOOL_A_BITSET_BIT_NAME => name = Some(a.str()?.to_string()),
                        ETHTOOL_A_BITSET_BIT_VALUE => on = true,
                        _ => {}
                    }
                }
                let Some(index) =
                    index.filter(|&i| i < MAX_BITS && (set.size == 0 || i < set.size))
                else {
                    continue;
                };
                set_bit(&mut mask, index);
                if nomask || on {
                    set_bit(&mut value, index);
                }
                if let Some(name) = name {
                    set.names.push((index, name));
                }
            }
            set.value = value;
            set.mask = (!nomask).then_some(mask);
        } else if nomask {
            set.mask = None;
        }
        Ok(set)
    }

    /// Whether bit `index` is on.
    pub fn is_set(&self, index: u32) -> bool {
        test_bit(&self.value, index)
    }

    /// Whether bit `index` is covered: in the mask, or on when there is
    /// no mask.
    pub fn covers(&self, index: u32) -> bool {
        match &self.mask {
            Some(mask) => test_bit(mask, index),
            None => self.is_set(index),
        }
    }

    /// The indices of the bits that are on.
    pub fn ones(&self) -> impl Iterator<Item = u32> + '_ {
        self.bits_of(&self.value)
    }

    /// The indices of the bits covered (the mask, or the value without one).
    pub fn covered(&self) -> impl Iterator<Item = u32> + '_ {
        self.bits_of(self.mask.as_deref().unwrap_or(&self.value))
    }

    fn bits_of<'s>(&'s self, words: &'s [u32]) -> impl Iterator<Item = u32> + 's {
        words.iter().enumerate().flat_map(|(w, &word)| {
            (0..32u32).filter_map(move |b| {
                let index = u32::try_from(w).ok()?.checked_mul(32)?.checked_add(b)?;
                (word & (1 << b) != 0).then_some(index)
            })
        })
    }

    /// The name the kernel sent for bit `index`, if any.
    pub fn name(&self, index: u32) -> Option<&str> {
        self.names
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, n)| n.as_str())
    }

    /// Writes this set compact (`SIZE`, `VALUE`, `MASK` or `NOMASK`) as
    /// attribute `kind`.
    pub fn write(&self, m: &mut MsgBuilder<'_>, kind: u16) {
        let put_words = |m: &mut MsgBuilder<'_>, k: u16, w: &[u32]| {
            let bytes: Vec<u8> = w.iter().flat_map(|x| x.to_ne_bytes()).collect();
            m.put_bytes(k, &bytes);
        };
        m.nest(kind | NLA_F_NESTED, |m| {
            m.put_u32(ETHTOOL_A_BITSET_SIZE, self.size);
            let n = usize::try_from(self.size.div_ceil(32)).unwrap_or(0);
            let fit = |w: &[u32]| {
                let mut v = w.to_vec();
                v.resize(n, 0);
                v
            };
            put_words(m, ETHTOOL_A_BITSET_VALUE, &fit(&self.value));
            match &self.mask {
                Some(mask) => put_words(m, ETHTOOL_A_BITSET_MASK, &fit(mask)),
                None => {
                    m.put_flag(ETHTOOL_A_BITSET_NOMASK);
                }
            }
        });
    }
}

/// Writes a verbose bitset `kind` that changes the named bits only: each
/// `(name, on)` is in the mask, and on or off as given. The kernel looks
/// the names up in the set's string set.
pub fn write_named_bits(m: &mut MsgBuilder<'_>, kind: u16, bits: &[(&str, bool)]) {
    m.nest(kind | NLA_F_NESTED, |m| {
        m.nest(ETHTOOL_A_BITSET_BITS | NLA_F_NESTED, |m| {
            for (name, on) in bits {
                m.nest(ETHTOOL_A_BITSET_BITS_BIT | NLA_F_NESTED, |m| {
                    m.put_str(ETHTOOL_A_BITSET_BIT_NAME, name);
                    if *on {
                        m.put_flag(ETHTOOL_A_BITSET_BIT_VALUE);
                    }
                });
            }
        });
    });
}

/// Writes a verbose bitset `kind` with no mask: exactly the named bits
/// are on (a list, such as the statistics groups to read).
pub fn write_named_list(m: &mut MsgBuilder<'_>, kind: u16, names: &[&str]) {
    m.nest(kind | NLA_F_NESTED, |m| {
        m.put_flag(ETHTOOL_A_BITSET_NOMASK);
        m.nest(ETHTOOL_A_BITSET_BITS | NLA_F_NESTED, |m| {
            for name in names {
                m.nest(ETHTOOL_A_BITSET_BITS_BIT | NLA_F_NESTED, |m| {
                    m.put_str(ETHTOOL_A_BITSET_BIT_NAME, name);
                });
            }
        });
    });
}

attr_struct! {
    /// Link info (`ethtool DEV`'s port, PHY address, transceiver, MDI-X;
    /// `ETHTOOL_MSG_LINKINFO_GET`).
    #[derive(Eq)]
    pub struct LinkInfo {
        /// Physical port (`PORT_TP`, `PORT_FIBRE` ...).
        port: u8 = ETHTOOL_A_LINKINFO_PORT,
        /// MDIO address of the PHY.
        phyaddr: u8 = ETHTOOL_A_LINKINFO_PHYADDR,
        /// MDI(-X) status (`ETH_TP_MDI*`).
        tp_mdix: u8 = ETHTOOL_A_LINKINFO_TP_MDIX,
        /// MDI(-X) control.
        tp_mdix_ctrl: u8 = ETHTOOL_A_LINKINFO_TP_MDIX_CTRL,
        /// Transceiver (`XCVR_INTERNAL`, `XCVR_EXTERNAL`).
        transceiver: u8 = ETHTOOL_A_LINKINFO_TRANSCEIVER,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
    }
}

impl Reply for LinkInfo {
    const GET: u8 = ETHTOOL_MSG_LINKINFO_GET;
    const WHAT: &'static str = "link info";
    fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
        let mut v = LinkInfo::default();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_LINKINFO_HEADER, &mut header, |a| {
            v.parse_attr(a).map(drop)
        })?;
        v.header = header;
        Ok(v)
    }
}

/// ethtool's word for a port (`Port:` line of `ethtool DEV`).
pub fn port_name(port: u8) -> &'static str {
    match port {
        PORT_TP => "Twisted Pair",
        PORT_AUI => "AUI",
        PORT_BNC => "BNC",
        PORT_MII => "MII",
        PORT_FIBRE => "FIBRE",
        PORT_DA => "Direct Attach Copper",
        PORT_NONE => "None",
        PORT_OTHER => "Other",
        _ => "Unknown!",
    }
}

attr_struct! {
    /// Link modes: autonegotiation, speed, duplex, supported/advertised and
    /// peer modes (`ethtool DEV`; `ETHTOOL_MSG_LINKMODES_GET`).
    #[derive(Eq)]
    pub struct LinkModes {
        /// Autonegotiation on (`AUTONEG_ENABLE`) or off.
        autoneg: u8 = ETHTOOL_A_LINKMODES_AUTONEG,
        /// Speed in Mb/s; [`SPEED_UNKNOWN`] when not known.
        speed: u32 = ETHTOOL_A_LINKMODES_SPEED,
        /// `DUPLEX_HALF`, `DUPLEX_FULL` or `DUPLEX_UNKNOWN`.
        duplex: u8 = ETHTOOL_A_LINKMODES_DUPLEX,
        /// Master/slave configuration (`MASTER_SLAVE_CFG_*`).
        master_slave_cfg: u8 = ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG,
        /// Master/slave state (`MASTER_SLAVE_STATE_*`).
        master_slave_state: u8 = ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE,
        /// Lanes in use.
        lanes: u32 = ETHTOOL_A_LINKMODES_LANES,
        /// Rate matching (`RATE_MATCH_*`).
        rate_matching: u8 = ETHTOOL_A_LINKMODES_RATE_MATCHING,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
        /// Our modes: the mask is what is supported, the value what is
        /// advertised (`ETHTOOL_LINK_MODE_*_BIT`).
        pub ours: Option<Bitset>,
        /// The modes the link partner advertises.
        pub peer: Option<Bitset>,
    }
}

impl Reply for LinkModes {
    const GET: u8 = ETHTOOL_MSG_LINKMODES_GET;
    const WHAT: &'static str = "link modes";
    fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
        let mut v = LinkModes::default();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_LINKMODES_HEADER, &mut header, |a| {
            match a.ty() {
                ETHTOOL_A_LINKMODES_OURS => v.ours = Some(Bitset::parse(a.nested())?),
                ETHTOOL_A_LINKMODES_PEER => v.peer = Some(Bitset::parse(a.nested())?),
                _ => {
                    v.parse_attr(a)?;
                }
            }
            Ok(())
        })?;
        v.header = header;
        Ok(v)
    }
}

impl LinkModes {
    /// Writes an `ETHTOOL_MSG_LINKMODES_SET` for `dev` with the fields
    /// set here (autoneg, speed, duplex ...; `ours` as advertised modes).
    pub fn write_set(&self, family: u16, dev: &Dev, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start_set(buf, family, ETHTOOL_MSG_LINKMODES_SET, dev);
        self.write_attrs(&mut m);
        if let Some(ours) = &self.ours {
            ours.write(&mut m, ETHTOOL_A_LINKMODES_OURS);
        }
        finish(m)
    }
}

impl fmt::Display for LinkModes {
    /// The `Speed:`, `Duplex:` and `Auto-negotiation:` lines of `ethtool DEV`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.speed {
            None | Some(0) | Some(SPEED_UNKNOWN) => writeln!(f, "\tSpeed: Unknown!")?,
            Some(s) => writeln!(f, "\tSpeed: {s}Mb/s")?,
        }
        let duplex = match self.duplex {
            Some(DUPLEX_HALF) => "Half",
            Some(DUPLEX_FULL) => "Full",
            Some(DUPLEX_UNKNOWN) | None => "Unknown!",
            Some(_) => "Unknown!",
        };
        writeln!(f, "\tDuplex: {duplex}")?;
        let an = if self.autoneg == Some(AUTONEG_ENABLE) {
            "on"
        } else {
            "off"
        };
        write!(f, "\tAuto-negotiation: {an}")
    }
}

attr_struct! {
    /// Link state (`ethtool DEV`'s `Link detected:`; `ETHTOOL_MSG_LINKSTATE_GET`).
    #[derive(Eq)]
    pub struct LinkState {
        /// Whether the link is up.
        link: bool = ETHTOOL_A_LINKSTATE_LINK => Bool8,
        /// Signal quality index.
        sqi: u32 = ETHTOOL_A_LINKSTATE_SQI,
        /// Highest signal quality index.
        sqi_max: u32 = ETHTOOL_A_LINKSTATE_SQI_MAX,
        /// Why the link is down (`ETHTOOL_LINK_EXT_STATE_*`).
        ext_state: u8 = ETHTOOL_A_LINKSTATE_EXT_STATE,
        /// Detail of `ext_state`.
        ext_substate: u8 = ETHTOOL_A_LINKSTATE_EXT_SUBSTATE,
        /// How often the link went down (6.9+).
        ext_down_cnt: u32 = ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
    }
}

impl Reply for LinkState {
    const GET: u8 = ETHTOOL_MSG_LINKSTATE_GET;
    const WHAT: &'static str = "link state";
    fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
        let mut v = LinkState::default();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_LINKSTATE_HEADER, &mut header, |a| {
            v.parse_attr(a).map(drop)
        })?;
        v.header = header;
        Ok(v)
    }
}

/// A device's features (`ethtool -k`; `ETHTOOL_MSG_FEATURES_GET`, and
/// `ETHTOOL_MSG_FEATURES_NTF`), bit `i` named `names[i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// The device.
    pub header: Header,
    /// Features the user may change.
    pub hw: Bitset,
    /// Features the user asked for.
    pub wanted: Bitset,
    /// Features in effect.
    pub active: Bitset,
    /// Features that can never change.
    pub nochange: Bitset,
    /// Feature names by bit (`ETH_SS_FEATURES`); from the verbose
    /// reply's names until [`Features::set_names`] gives the full set.
    pub names: Vec<String>,
}

/// One feature as `ethtool -k` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature<'a> {
    /// Its name (`"rx-checksum"`, `"tx-tcp-segmentation"` ...).
    pub name: &'a str,
    /// Its bit.
    pub index: u32,
    /// In effect.
    pub active: bool,
    /// Asked for (ethtool's `requested`).
    pub wanted: bool,
    /// Cannot be changed: not in `hw`, or in `nochange` (`[fixed]`).
    pub fixed: bool,
}

impl fmt::Display for Feature<'_> {
    /// A line of `ethtool -k` for one feature.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.active { "on" } else { "off" };
        write!(f, "{}: {state}", self.name)?;
        if self.fixed {
            write!(f, " [fixed]")
        } else if self.active != self.wanted {
            let req = if self.wanted { "on" } else { "off" };
            write!(f, " [requested {req}]")
        } else {
            Ok(())
        }
    }
}

impl Reply for Features {
    const GET: u8 = ETHTOOL_MSG_FEATURES_GET;
    const WHAT: &'static str = "features";
    fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
        let mut v = Features::default();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_FEATURES_HEADER, &mut header, |a| {
            let set = match a.ty() {
                ETHTOOL_A_FEATURES_HW => &mut v.hw,
                ETHTOOL_A_FEATURES_WANTED => &mut v.wanted,
                ETHTOOL_A_FEATURES_ACTIVE => &mut v.active,
                ETHTOOL_A_FEATURES_NOCHANGE => &mut v.nochange,
                _ => return Ok(()),
            };
            *set = Bitset::parse(a.nested())?;
            Ok(())
        })?;
        v.header = header;
        // Verbose replies name the bits they list.
        for set in [&v.hw, &v.wanted, &v.active, &v.nochange] {
            for (i, name) in &set.names {
                let i = usize::try_from(*i).unwrap_or(usize::MAX);
                if i < MAX_BITS as usize {
                    if v.names.len() <= i {
                        v.names.resize(i + 1, String::new());
                    }
                    if let Some(slot) = v.names.get_mut(i) {
                        slot.clone_from(name);
                    }
                }
            }
        }
        Ok(v)
    }
}

impl Features {
    /// Names every bit from the device's `ETH_SS_FEATURES` string set.
    pub fn set_names(&mut self, strings: &StringSet) {
        self.names.clone_from(&strings.strings);
    }

    /// Every named feature, in bit order.
    pub fn iter(&self) -> impl Iterator<Item = Feature<'_>> + '_ {
        self.names.iter().enumerate().filter_map(|(i, name)| {
            let index = u32::try_from(i).ok()?;
            (!name.is_empty()).then(|| self.feature_at(index, name))
        })
    }

    /// The feature called `name`.
    pub fn get(&self, name: &str) -> Option<Feature<'_>> {
        self.iter().find(|f| f.name == name)
    }

    fn feature_at<'a>(&self, index: u32, name: &'a str) -> Feature<'a> {
        Feature {
            name,
            index,
            active: self.active.is_set(index),
            wanted: self.wanted.is_set(index),
            fixed: !self.hw.is_set(index) || self.nochange.is_set(index),
        }
    }

    /// Writes an `ETHTOOL_MSG_FEATURES_SET` for `dev` turning each named
    /// feature on or off (`ethtool -K DEV NAME on|off ...`); others keep
    /// their wanted state.
    pub fn write_set(
        family: u16,
        dev: &Dev,
        changes: &[(&str, bool)],
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        if changes.is_empty() {
            return Err(Error::invalid("features", "no feature to change"));
        }
        let mut m = start_set(buf, family, ETHTOOL_MSG_FEATURES_SET, dev);
        write_named_bits(&mut m, ETHTOOL_A_FEATURES_WANTED, changes);
        finish(m)
    }
}

/// What the kernel answered a features set with
/// (`ETHTOOL_MSG_FEATURES_SET_REPLY`): what changed, and what was asked
/// but is not in effect (`ethtool -K`'s "Actual changes" and "Could not
/// change").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureChanges {
    /// The device.
    pub header: Header,
    /// Requested features whose state differs from the request: the mask
    /// says which, the value what was asked.
    pub not_applied: Bitset,
    /// Features whose active state changed: the mask says which, the
    /// value the new state.
    pub changed: Bitset,
}

impl FeatureChanges {
    /// Parses `ETHTOOL_MSG_FEATURES_SET_REPLY`.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
        let mut v = FeatureChanges::default();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_FEATURES_HEADER, &mut header, |a| {
            match a.ty() {
                ETHTOOL_A_FEATURES_WANTED => v.not_applied = Bitset::parse(a.nested())?,
                ETHTOOL_A_FEATURES_ACTIVE => v.changed = Bitset::parse(a.nested())?,
                _ => {}
            }
            Ok(())
        })?;
        v.header = header;
        Ok(v)
    }
}

attr_struct! {
    /// Ring sizes (`ethtool -g`; `ETHTOOL_MSG_RINGS_GET`). In a set
    /// request only the fields that are `Some` change.
    #[derive(Eq)]
    pub struct Rings {
        /// Largest RX ring.
        rx_max: u32 = ETHTOOL_A_RINGS_RX_MAX,
        /// Largest RX mini ring.
        rx_mini_max: u32 = ETHTOOL_A_RINGS_RX_MINI_MAX,
        /// Largest RX jumbo ring.
        rx_jumbo_max: u32 = ETHTOOL_A_RINGS_RX_JUMBO_MAX,
        /// Largest TX ring.
        tx_max: u32 = ETHTOOL_A_RINGS_TX_MAX,
        /// RX ring size.
        rx: u32 = ETHTOOL_A_RINGS_RX,
        /// RX mini ring size.
        rx_mini: u32 = ETHTOOL_A_RINGS_RX_MINI,
        /// RX jumbo ring size.
        rx_jumbo: u32 = ETHTOOL_A_RINGS_RX_JUMBO,
        /// TX ring size.
        tx: u32 = ETHTOOL_A_RINGS_TX,
        /// RX buffer size.
        rx_buf_len: u32 = ETHTOOL_A_RINGS_RX_BUF_LEN,
        /// TCP header/data split (`ETHTOOL_TCP_DATA_SPLIT_*`).
        tcp_data_split: u8 = ETHTOOL_A_RINGS_TCP_DATA_SPLIT,
        /// Completion queue entry size.
        cqe_size: u32 = ETHTOOL_A_RINGS_CQE_SIZE,
        /// TX push mode.
        tx_push: bool = ETHTOOL_A_RINGS_TX_PUSH => Bool8,
        /// RX push mode.
        rx_push: bool = ETHTOOL_A_RINGS_RX_PUSH => Bool8,
        /// TX push buffer size.
        tx_push_buf_len: u32 = ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN,
        /// Largest TX push buffer.
        tx_push_buf_len_max: u32 = ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN_MAX,
        /// Header/data split threshold.
        hds_thresh: u32 = ETHTOOL_A_RINGS_HDS_THRESH,
        /// Largest header/data split threshold.
        hds_thresh_max: u32 = ETHTOOL_A_RINGS_HDS_THRESH_MAX,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
    }
}

attr_struct! {
    /// Channel counts (`ethtool -l`; `ETHTOOL_MSG_CHANNELS_GET`). In a set
    /// request only the counts that are `Some` change.
    #[derive(Eq)]
    pub struct Channels {
        /// Most RX-only channels.
        rx_max: u32 = ETHTOOL_A_CHANNELS_RX_MAX,
        /// Most TX-only channels.
        tx_max: u32 = ETHTOOL_A_CHANNELS_TX_MAX,
        /// Most other channels.
        other_max: u32 = ETHTOOL_A_CHANNELS_OTHER_MAX,
        /// Most combined channels.
        combined_max: u32 = ETHTOOL_A_CHANNELS_COMBINED_MAX,
        /// RX-only channels.
        rx_count: u32 = ETHTOOL_A_CHANNELS_RX_COUNT,
        /// TX-only channels.
        tx_count: u32 = ETHTOOL_A_CHANNELS_TX_COUNT,
        /// Other channels.
        other_count: u32 = ETHTOOL_A_CHANNELS_OTHER_COUNT,
        /// Combined channels.
        combined_count: u32 = ETHTOOL_A_CHANNELS_COMBINED_COUNT,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
    }
}

attr_struct! {
    /// Interrupt coalescing (`ethtool -c`; `ETHTOOL_MSG_COALESCE_GET`). In a
    /// set request only the fields that are `Some` change.
    #[derive(Eq)]
    pub struct Coalesce {
        /// `rx-usecs`.
        rx_usecs: u32 = ETHTOOL_A_COALESCE_RX_USECS,
        /// `rx-frames`.
        rx_max_frames: u32 = ETHTOOL_A_COALESCE_RX_MAX_FRAMES,
        /// `rx-usecs-irq`.
        rx_usecs_irq: u32 = ETHTOOL_A_COALESCE_RX_USECS_IRQ,
        /// `rx-frames-irq`.
        rx_max_frames_irq: u32 = ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ,
        /// `tx-usecs`.
        tx_usecs: u32 = ETHTOOL_A_COALESCE_TX_USECS,
        /// `tx-frames`.
        tx_max_frames: u32 = ETHTOOL_A_COALESCE_TX_MAX_FRAMES,
        /// `tx-usecs-irq`.
        tx_usecs_irq: u32 = ETHTOOL_A_COALESCE_TX_USECS_IRQ,
        /// `tx-frames-irq`.
        tx_max_frames_irq: u32 = ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ,
        /// `stats-block-usecs`.
        stats_block_usecs: u32 = ETHTOOL_A_COALESCE_STATS_BLOCK_USECS,
        /// `adaptive-rx`.
        use_adaptive_rx: bool = ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX => Bool8,
        /// `adaptive-tx`.
        use_adaptive_tx: bool = ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX => Bool8,
        /// `pkt-rate-low`.
        pkt_rate_low: u32 = ETHTOOL_A_COALESCE_PKT_RATE_LOW,
        /// `rx-usecs-low`.
        rx_usecs_low: u32 = ETHTOOL_A_COALESCE_RX_USECS_LOW,
        /// `rx-frames-low`.
        rx_max_frames_low: u32 = ETHTOOL_A_COALESCE_RX_MAX_FRAMES_LOW,
        /// `tx-usecs-low`.
        tx_usecs_low: u32 = ETHTOOL_A_COALESCE_TX_USECS_LOW,
        /// `tx-frames-low`.
        tx_max_frames_low: u32 = ETHTOOL_A_COALESCE_TX_MAX_FRAMES_LOW,
        /// `pkt-rate-high`.
        pkt_rate_high: u32 = ETHTOOL_A_COALESCE_PKT_RATE_HIGH,
        /// `rx-usecs-high`.
        rx_usecs_high: u32 = ETHTOOL_A_COALESCE_RX_USECS_HIGH,
        /// `rx-frames-high`.
        rx_max_frames_high: u32 = ETHTOOL_A_COALESCE_RX_MAX_FRAMES_HIGH,
        /// `tx-usecs-high`.
        tx_usecs_high: u32 = ETHTOOL_A_COALESCE_TX_USECS_HIGH,
        /// `tx-frames-high`.
        tx_max_frames_high: u32 = ETHTOOL_A_COALESCE_TX_MAX_FRAMES_HIGH,
        /// `sample-interval`.
        rate_sample_interval: u32 = ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL,
        /// `cqe-mode-tx`.
        use_cqe_mode_tx: bool = ETHTOOL_A_COALESCE_USE_CQE_MODE_TX => Bool8,
        /// `cqe-mode-rx`.
        use_cqe_mode_rx: bool = ETHTOOL_A_COALESCE_USE_CQE_MODE_RX => Bool8,
        /// `tx-aggr-max-bytes` (6.3+).
        tx_aggr_max_bytes: u32 = ETHTOOL_A_COALESCE_TX_AGGR_MAX_BYTES,
        /// `tx-aggr-max-frames` (6.3+).
        tx_aggr_max_frames: u32 = ETHTOOL_A_COALESCE_TX_AGGR_MAX_FRAMES,
        /// `tx-aggr-time-usecs` (6.3+).
        tx_aggr_time_usecs: u32 = ETHTOOL_A_COALESCE_TX_AGGR_TIME_USECS,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
    }
}

/// Pause frame counters (`ethtool -I -a`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PauseStats {
    /// Pause frames sent.
    pub tx_frames: Option<u64>,
    /// Pause frames received.
    pub rx_frames: Option<u64>,
}

attr_struct! {
    /// Pause frame use (`ethtool -a`; `ETHTOOL_MSG_PAUSE_GET`). In a set
    /// request only the fields that are `Some` change.
    #[derive(Eq)]
    pub struct Pause {
        /// Pause autonegotiation.
        autoneg: bool = ETHTOOL_A_PAUSE_AUTONEG => Bool8,
        /// Receive pause frames.
        rx: bool = ETHTOOL_A_PAUSE_RX => Bool8,
        /// Send pause frames.
        tx: bool = ETHTOOL_A_PAUSE_TX => Bool8,
        /// Which MAC the counters are of (MAC merge; `ETHTOOL_MAC_STATS_SRC_*`).
        stats_src: u32 = ETHTOOL_A_PAUSE_STATS_SRC,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
        /// Counters, when asked with `ETHTOOL_FLAG_STATS` and the driver has them.
        pub stats: Option<PauseStats>,
    }
}

attr_struct! {
    /// Energy-Efficient Ethernet (`ethtool --show-eee`; `ETHTOOL_MSG_EEE_GET`).
    #[derive(Eq)]
    pub struct Eee {
        /// EEE is in use on the link.
        active: bool = ETHTOOL_A_EEE_ACTIVE => Bool8,
        /// EEE is enabled.
        enabled: bool = ETHTOOL_A_EEE_ENABLED => Bool8,
        /// Low-power idle on transmit.
        tx_lpi_enabled: bool = ETHTOOL_A_EEE_TX_LPI_ENABLED => Bool8,
        /// Low-power idle timer, µs.
        tx_lpi_timer: u32 = ETHTOOL_A_EEE_TX_LPI_TIMER,
    }
    extra {
        /// The device (replies and notifications; ignored in requests).
        pub header: Header,
        /// Our EEE link modes: mask supported, value advertised.
        pub modes_ours: Option<Bitset>,
        /// The link partner's advertised EEE modes.
        pub modes_peer: Option<Bitset>,
    }
}

/// The plain-field objects: get, set and parse are the same shape.
macro_rules! plain_reply {
    ($ty:ident, $get:ident, $set:ident, $header:ident, $what:literal) => {
        impl Reply for $ty {
            const GET: u8 = $get;
            const WHAT: &'static str = $what;
            fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
                let mut v = $ty::default();
                let mut header = Header::default();
                parse_attrs(msg, $header, &mut header, |a| v.read_other(a))?;
                v.header = header;
                Ok(v)
            }
        }

        impl $ty {
            #[doc = concat!("Writes the set request for `dev` with the ", $what, " that are `Some` here.")]
            pub fn write_set(&self, family: u16, dev: &Dev, buf: &mut Vec<u8>) -> Result<()> {
                let mut m = start_set(buf, family, $set, dev);
                self.write_attrs(&mut m);
                self.write_other(&mut m);
                finish(m)
            }
        }
    };
}

plain_reply!(
    Rings,
    ETHTOOL_MSG_RINGS_GET,
    ETHTOOL_MSG_RINGS_SET,
    ETHTOOL_A_RINGS_HEADER,
    "ring sizes"
);
plain_reply!(
    Channels,
    ETHTOOL_MSG_CHANNELS_GET,
    ETHTOOL_MSG_CHANNELS_SET,
    ETHTOOL_A_CHANNELS_HEADER,
    "channel counts"
);
plain_reply!(
    Coalesce,
    ETHTOOL_MSG_COALESCE_GET,
    ETHTOOL_MSG_COALESCE_SET,
    ETHTOOL_A_COALESCE_HEADER,
    "coalescing parameters"
);
plain_reply!(
    Pause,
    ETHTOOL_MSG_PAUSE_GET,
    ETHTOOL_MSG_PAUSE_SET,
    ETHTOOL_A_PAUSE_HEADER,
    "pause parameters"
);
plain_reply!(
    Eee,
    ETHTOOL_MSG_EEE_GET,
    ETHTOOL_MSG_EEE_SET,
    ETHTOOL_A_EEE_HEADER,
    "EEE parameters"
);

/// Objects with nothing beyond their plain fields.
macro_rules! only_scalars {
    ($($ty:ident),*) => {$(
        impl $ty {
            fn read_other(&mut self, a: &Attr<'_>) -> nl_wire::Result<()> {
                self.parse_attr(a).map(drop)
            }
            fn write_other(&self, _m: &mut MsgBuilder<'_>) {}
        }
    )*};
}

only_scalars!(Rings, Channels, Coalesce);

impl Pause {
    fn read_other(&mut self, a: &Attr<'_>) -> nl_wire::Result<()> {
        if a.ty() == ETHTOOL_A_PAUSE_STATS {
            let mut s = PauseStats::default();
            for a in a.nested() {
                let a = a?;
                match a.ty() {
                    ETHTOOL_A_PAUSE_STAT_TX_FRAMES => s.tx_frames = Some(a.u64()?),
                    ETHTOOL_A_PAUSE_STAT_RX_FRAMES => s.rx_frames = Some(a.u64()?),
                    _ => {}
                }
            }
            self.stats = Some(s);
            return Ok(());
        }
        self.parse_attr(a).map(drop)
    }

    /// The counters and their source are read-only: a set writes autoneg,
    /// rx and tx only (the kernel refuses the rest).
    fn write_other(&self, _m: &mut MsgBuilder<'_>) {}
}

impl Eee {
    fn read_other(&mut self, a: &Attr<'_>) -> nl_wire::Result<()> {
        match a.ty() {
            ETHTOOL_A_EEE_MODES_OURS => self.modes_ours = Some(Bitset::parse(a.nested())?),
            ETHTOOL_A_EEE_MODES_PEER => self.modes_peer = Some(Bitset::parse(a.nested())?),
            _ => {
                self.parse_attr(a)?;
            }
        }
        Ok(())
    }

    fn write_other(&self, m: &mut MsgBuilder<'_>) {
        if let Some(ours) = &self.modes_ours {
            ours.write(m, ETHTOOL_A_EEE_MODES_OURS);
        }
    }
}

fn show(f: &mut fmt::Formatter<'_>, label: &str, v: Option<u32>) -> fmt::Result {
    match v {
        Some(v) => writeln!(f, "{label}{v}"),
        None => writeln!(f, "{label}n/a"),
    }
}

impl fmt::Display for Channels {
    /// `ethtool -l` without its first line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ethtool prints a zero count or maximum as n/a.
        let nz = |v: Option<u32>| v.filter(|&v| v != 0);
        writeln!(f, "Pre-set maximums:")?;
        show(f, "RX:\t\t", nz(self.rx_max))?;
        show(f, "TX:\t\t", nz(self.tx_max))?;
        show(f, "Other:\t\t", nz(self.other_max))?;
        show(f, "Combined:\t", nz(self.combined_max))?;
        writeln!(f, "Current hardware settings:")?;
        show(f, "RX:\t\t", nz(self.rx_count))?;
        show(f, "TX:\t\t", nz(self.tx_count))?;
        show(f, "Other:\t\t", nz(self.other_count))?;
        show(f, "Combined:\t", nz(self.combined_count))
    }
}

impl fmt::Display for Rings {
    /// The ring sizes of `ethtool -g` without its first line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Pre-set maximums:")?;
        show(f, "RX:\t\t\t", self.rx_max)?;
        show(f, "RX Mini:\t\t", self.rx_mini_max)?;
        show(f, "RX Jumbo:\t\t", self.rx_jumbo_max)?;
        show(f, "TX:\t\t\t", self.tx_max)?;
        writeln!(f, "Current hardware settings:")?;
        show(f, "RX:\t\t\t", self.rx)?;
        show(f, "RX Mini:\t\t", self.rx_mini)?;
        show(f, "RX Jumbo:\t\t", self.rx_jumbo)?;
        show(f, "TX:\t\t\t", self.tx)
    }
}

impl fmt::Display for Pause {
    /// `ethtool -a` without its first line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let onoff = |v: Option<bool>| if v == Some(true) { "on" } else { "off" };
        writeln!(f, "Autonegotiate:\t{}", onoff(self.autoneg))?;
        writeln!(f, "RX:\t\t{}", onoff(self.rx))?;
        writeln!(f, "TX:\t\t{}", onoff(self.tx))
    }
}

/// One string set (`ETHTOOL_MSG_STRSET_GET`): the names of a kind of bits
/// or counters (`ETH_SS_FEATURES`, `ETH_SS_LINK_MODES`, `ETH_SS_STATS` ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringSet {
    /// Which set (`ETH_SS_*`).
    pub id: u32,
    /// How many strings it has.
    pub count: u32,
    /// The strings by index (empty when asked for counts only).
    pub strings: Vec<String>,
}

impl StringSet {
    /// Writes an `ETHTOOL_MSG_STRSET_GET` for the sets `ids` (all when
    /// empty) of `dev`, or the global sets when `dev` is `None`;
    /// `counts_only` asks for the counts without the strings.
    pub fn write_get(
        family: u16,
        dev: Option<&Dev>,
        ids: &[u32],
        counts_only: bool,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let mut m = request(buf, family, ETHTOOL_MSG_STRSET_GET, ETHTOOL_GENL_VERSION, 0);
        // The kernel wants the header nest even empty (global sets).
        put_header(&mut m, ETHTOOL_A_STRSET_HEADER, dev, 0);
        if !ids.is_empty() {
            m.nest(ETHTOOL_A_STRSET_STRINGSETS | NLA_F_NESTED, |m| {
                for id in ids {
                    m.nest(ETHTOOL_A_STRINGSETS_STRINGSET | NLA_F_NESTED, |m| {
                        m.put_u32(ETHTOOL_A_STRINGSET_ID, *id);
                    });
                }
            });
        }
        if counts_only {
            m.put_flag(ETHTOOL_A_STRSET_COUNTS_ONLY);
        }
        finish(m)
    }

    /// Parses an `ETHTOOL_MSG_STRSET_GET_REPLY`: every set it carries.
    pub fn parse_all(msg: &GenlMsg<'_>) -> Result<Vec<StringSet>> {
        let mut sets = Vec::new();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_STRSET_HEADER, &mut header, |a| {
            if a.ty() != ETHTOOL_A_STRSET_STRINGSETS {
                return Ok(());
            }
            for set in a.nested() {
                let set = set?;
                if set.ty() == ETHTOOL_A_STRINGSETS_STRINGSET {
                    sets.push(StringSet::parse_one(set.nested())?);
                }
            }
            Ok(())
        })?;
        Ok(sets)
    }

    fn parse_one(nest: Attrs<'_>) -> nl_wire::Result<StringSet> {
        let mut set = StringSet::default();
        for a in nest {
            let a = a?;
            match a.ty() {
                ETHTOOL_A_STRINGSET_ID => set.id = a.u32()?,
                ETHTOOL_A_STRINGSET_COUNT => set.count = a.u32()?,
                ETHTOOL_A_STRINGSET_STRINGS => {
                    for s in a.nested() {
                        let s = s?;
                        if s.ty() != ETHTOOL_A_STRINGS_STRING {
                            continue;
                        }
                        let (mut index, mut value) = (None, String::new());
                        for a in s.nested() {
                            let a = a?;
                            match a.ty() {
                                ETHTOOL_A_STRING_INDEX => index = Some(a.u32()?),
                                ETHTOOL_A_STRING_VALUE => value = a.str()?.to_string(),
                                _ => {}
                            }
                        }
                        let Some(i) = index.filter(|&i| i < MAX_STRINGS) else {
                            continue;
                        };
                        let i = usize::try_from(i).unwrap_or(0);
                        if set.strings.len() <= i {
                            set.strings.resize(i + 1, String::new());
                        }
                        if let Some(slot) = set.strings.get_mut(i) {
                            *slot = value;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(set)
    }

    /// The string at `index`.
    pub fn get(&self, index: u32) -> Option<&str> {
        self.strings
            .get(usize::try_from(index).ok()?)
            .map(String::as_str)
    }

    /// The index of `name`.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        let i = self.strings.iter().position(|s| s == name)?;
        u32::try_from(i).ok()
    }
}

/// The standard statistics groups (`ETH_SS_STATS_STD`), by the names
/// `ethtool -S DEV --groups` takes.
pub const STATS_GROUPS: [&str; 5] = ["eth-phy", "eth-mac", "eth-ctrl", "rmon", "phydev"];

/// One histogram bucket of a statistics group (RMON packet sizes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsBucket {
    /// Smallest packet size counted.
    pub low: u32,
    /// Largest packet size counted.
    pub high: u32,
    /// The count.
    pub value: u64,
}

/// One group of standard statistics (`ethtool -S DEV --groups ...`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsGroup {
    /// The group (index into [`STATS_GROUPS`]).
    pub id: u32,
    /// The string set that names its counters (`ETH_SS_STATS_ETH_MAC` ...).
    pub string_set: u32,
    /// Counters: (index in `string_set`, value).
    pub stats: Vec<(u32, u64)>,
    /// RX histogram buckets.
    pub hist_rx: Vec<StatsBucket>,
    /// TX histogram buckets.
    pub hist_tx: Vec<StatsBucket>,
}

/// Standard statistics of a device (`ETHTOOL_MSG_STATS_GET`): the groups
/// the driver fills; a group it lacks is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// The device.
    pub header: Header,
    /// The groups the driver reported.
    pub groups: Vec<StatsGroup>,
    /// Which MAC the counters are of (MAC merge), when reported.
    pub src: Option<u32>,
}

impl Stats {
    /// Writes an `ETHTOOL_MSG_STATS_GET` for `dev` of the named groups
    /// ([`STATS_GROUPS`]).
    pub fn write_get(family: u16, dev: &Dev, groups: &[&str], buf: &mut Vec<u8>) -> Result<()> {
        if groups.is_empty() {
            return Err(Error::invalid("statistics groups", "name at least one"));
        }
        let mut m = request(buf, family, ETHTOOL_MSG_STATS_GET, ETHTOOL_GENL_VERSION, 0);
        put_header(&mut m, ETHTOOL_A_STATS_HEADER, Some(dev), 0);
        write_named_list(&mut m, ETHTOOL_A_STATS_GROUPS, groups);
        finish(m)
    }

    /// Parses an `ETHTOOL_MSG_STATS_GET_REPLY`.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Self> {
        let mut v = Stats::default();
        let mut header = Header::default();
        parse_attrs(msg, ETHTOOL_A_STATS_HEADER, &mut header, |a| {
            match a.ty() {
                ETHTOOL_A_STATS_GRP => v.groups.push(parse_group(a.nested())?),
                ETHTOOL_A_STATS_SRC => v.src = Some(a.u32()?),
                _ => {}
            }
            Ok(())
        })?;
        v.header = header;
        Ok(v)
    }
}

fn parse_group(nest: Attrs<'_>) -> nl_wire::Result<StatsGroup> {
    let mut g = StatsGroup::default();
    for a in nest {
        let a = a?;
        match a.ty() {
            ETHTOOL_A_STATS_GRP_ID => g.id = a.u32()?,
            ETHTOOL_A_STATS_GRP_SS_ID => g.string_set = a.u32()?,
            // A nest of one attribute: its type is the counter's index.
            ETHTOOL_A_STATS_GRP_STAT => {
                for s in a.nested() {
                    let s = s?;
                    g.stats.push((u32::from(s.ty()), s.u64()?));
                }
            }
            ETHTOOL_A_STATS_GRP_HIST_RX | ETHTOOL_A_STATS_GRP_HIST_TX => {
                let mut b = StatsBucket::default();
                for h in a.nested() {
                    let h = h?;
                    match h.ty() {
                        ETHTOOL_A_STATS_GRP_HIST_BKT_LOW => b.low = h.u32()?,
                        ETHTOOL_A_STATS_GRP_HIST_BKT_HI => b.high = h.u32()?,
                        ETHTOOL_A_STATS_GRP_HIST_VAL => b.value = h.u64()?,
                        _ => {}
                    }
                }
                if a.ty() == ETHTOOL_A_STATS_GRP_HIST_RX {
                    g.hist_rx.push(b);
                } else {
                    g.hist_tx.push(b);
                }
            }
            _ => {}
        }
    }
    Ok(g)
}

/// A notification of the `"monitor"` group: what changed, and its new state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EthtoolEvent {
    /// `ETHTOOL_MSG_LINKINFO_NTF`.
    LinkInfo(LinkInfo),
    /// `ETHTOOL_MSG_LINKMODES_NTF`.
    LinkModes(LinkModes),
    /// `ETHTOOL_MSG_FEATURES_NTF` (bits unnamed unless the kernel named them).
    Features(Features),
    /// `ETHTOOL_MSG_RINGS_NTF`.
    Rings(Rings),
    /// `ETHTOOL_MSG_CHANNELS_NTF`.
    Channels(Channels),
    /// `ETHTOOL_MSG_COALESCE_NTF`.
    Coalesce(Coalesce),
    /// `ETHTOOL_MSG_PAUSE_NTF`.
    Pause(Pause),
    /// `ETHTOOL_MSG_EEE_NTF`.
    Eee(Eee),
    /// Another notification (debug, WoL, FEC, module, cable test ...): its
    /// command and device.
    Other {
        /// The `ETHTOOL_MSG_*_NTF` command.
        cmd: u8,
        /// The device, read from the first attribute's header nest.
        header: Header,
    },
}

impl EthtoolEvent {
    /// Parses a notification of the `"monitor"` group.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<EthtoolEvent> {
        Ok(match msg.cmd() {
            ETHTOOL_MSG_LINKINFO_NTF => EthtoolEvent::LinkInfo(LinkInfo::parse(msg)?),
            ETHTOOL_MSG_LINKMODES_NTF => EthtoolEvent::LinkModes(LinkModes::parse(msg)?),
            ETHTOOL_MSG_FEATURES_NTF => EthtoolEvent::Features(Features::parse(msg)?),
            ETHTOOL_MSG_RINGS_NTF => EthtoolEvent::Rings(Rings::parse(msg)?),
            ETHTOOL_MSG_CHANNELS_NTF => EthtoolEvent::Channels(Channels::parse(msg)?),
            ETHTOOL_MSG_COALESCE_NTF => EthtoolEvent::Coalesce(Coalesce::parse(msg)?),
            ETHTOOL_MSG_PAUSE_NTF => EthtoolEvent::Pause(Pause::parse(msg)?),
            ETHTOOL_MSG_EEE_NTF => EthtoolEvent::Eee(Eee::parse(msg)?),
            cmd => {
                let mut header = Header::default();
                // Every ethtool message's header is attribute 1, but stats' (2).
                parse_attrs(msg, 1, &mut header, |_| Ok(()))?;
                EthtoolEvent::Other { cmd, header }
            }
        })
    }

    /// The device the notification is about.
    pub fn header(&self) -> &Header {
        match self {
            EthtoolEvent::LinkInfo(v) => &v.header,
            EthtoolEvent::LinkModes(v) => &v.header,
            EthtoolEvent::Features(v) => &v.header,
            EthtoolEvent::Rings(v) => &v.header,
            EthtoolEvent::Channels(v) => &v.header,
            EthtoolEvent::Coalesce(v) => &v.header,
            EthtoolEvent::Pause(v) => &v.header,
            EthtoolEvent::Eee(v) => &v.header,
            EthtoolEvent::Other { header, .. } => header,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msg;

    const FAM: u16 = 0x14;

    /// A reply message of command `cmd` whose attributes `f` writes.
    fn reply(cmd: u8, f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr {
            cmd,
            version: 1,
            reserved: [0; 2],
        });
        f(&mut m);
        m.finish().unwrap();
        buf
    }

    fn parse<T>(buf: &[u8], f: impl FnOnce(&GenlMsg<'_>) -> Result<T>) -> Result<T> {
        let (msg, _) = Msg::parse(buf).unwrap();
        f(&GenlMsg::parse(&msg, 0).unwrap())
    }

    fn header(m: &mut MsgBuilder<'_>, kind: u16) {
        m.nest(kind | NLA_F_NESTED, |m| {
            m.put_u32(ETHTOOL_A_HEADER_DEV_INDEX, 7)
                .put_str(ETHTOOL_A_HEADER_DEV_NAME, "v0");
        });
    }

    /// The bytes `ethtool -l v0` (6.1) sends, as strace shows them, but
    /// for its `NLM_F_ACK`: CHANNELS_GET with a header naming the device.
    #[test]
    fn a_get_request_is_what_ethtool_sends() {
        let mut buf = Vec::new();
        Channels::write_get(FAM, Some(&Dev::from("v0")), 0, &mut buf).unwrap();
        #[rustfmt::skip]
        let want: &[u8] = &[
            32, 0, 0, 0, FAM as u8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ETHTOOL_MSG_CHANNELS_GET, 1, 0, 0,
            12, 0, 1, 0x80, 7, 0, 2, 0, b'v', b'0', 0, 0,
        ];
        assert_eq!(buf, want);
        // Without a device it is a dump.
        buf.clear();
        Channels::write_get(FAM, None, ETHTOOL_FLAG_COMPACT_BITSETS, &mut buf).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        assert_ne!(msg.flags() & NLM_F_DUMP, 0);
    }

    #[test]
    fn channels_parse_and_print_like_ethtool() {
        let buf = reply(ETHTOOL_MSG_CHANNELS_GET_REPLY, |m| {
            header(m, ETHTOOL_A_CHANNELS_HEADER);
            m.put_u32(ETHTOOL_A_CHANNELS_RX_MAX, 2)
                .put_u32(ETHTOOL_A_CHANNELS_TX_MAX, 2)
                .put_u32(ETHTOOL_A_CHANNELS_RX_COUNT, 1)
                .put_u32(ETHTOOL_A_CHANNELS_TX_COUNT, 1);
        });
        let c = parse(&buf, Channels::parse).unwrap();
        assert_eq!((c.header.index, c.header.name.as_str()), (7, "v0"));
        assert_eq!(
            (c.rx_max, c.rx_count, c.combined_max),
            (Some(2), Some(1), None)
        );
        assert_eq!(
            c.to_string(),
            "Pre-set maximums:\nRX:\t\t2\nTX:\t\t2\nOther:\t\tn/a\nCombined:\tn/a\n\
             Current hardware settings:\nRX:\t\t1\nTX:\t\t1\nOther:\t\tn/a\nCombined:\tn/a\n"
        );
    }

    #[test]
    fn a_set_writes_only_what_is_given() {
        let mut buf = Vec::new();
        let rings = Rings {
            rx: Some(512),
            tx_push: Some(true),
            ..Rings::default()
        };
        rings.write_set(FAM, &Dev::Index(3), &mut buf).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        assert_ne!(msg.flags() & NLM_F_ACK, 0);
        let genl = GenlMsg::parse(&msg, 0).unwrap();
        assert_eq!(genl.cmd(), ETHTOOL_MSG_RINGS_SET);
        let kinds: Vec<u16> = genl.attrs().map(|a| a.unwrap().ty()).collect();
        assert_eq!(
            kinds,
            [
                ETHTOOL_A_RINGS_HEADER,
                ETHTOOL_A_RINGS_RX,
                ETHTOOL_A_RINGS_TX_PUSH
            ]
        );
        // Read back as a reply, the same fields come out.
        let back = Rings::parse(&genl).unwrap();
        assert_eq!(
            (back.rx, back.tx_push, back.tx),
            (Some(512), Some(true), None)
        );
        assert_eq!(back.header.index, 3);
    }

    /// Features of a veth as the kernel sends them compact, and verbose.
    #[test]
    fn bitsets_compact_and_verbose_agree() {
        let compact = reply(ETHTOOL_MSG_FEATURES_GET_REPLY, |m| {
            header(m, ETHTOOL_A_FEATURES_HEADER);
            for (kind, v) in [
                (ETHTOOL_A_FEATURES_HW, 0b0110u32),
                (ETHTOOL_A_FEATURES_WANTED, 0b0011),
                (ETHTOOL_A_FEATURES_ACTIVE, 0b0101),
                (ETHTOOL_A_FEATURES_NOCHANGE, 0),
            ] {
                m.nest(kind | NLA_F_NESTED, |m| {
                    m.put_flag(ETHTOOL_A_BITSET_NOMASK)
                        .put_u32(ETHTOOL_A_BITSET_SIZE, 64)
                        .put_bytes(ETHTOOL_A_BITSET_VALUE, &[v as u8, 0, 0, 0, 0, 0, 0, 0]);
                });
            }
        });
        let names = ["a", "b", "c", "d"];
        let verbose = reply(ETHTOOL_MSG_FEATURES_GET_REPLY, |m| {
            header(m, ETHTOOL_A_FEATURES_HEADER);
            for (kind, v) in [
                (ETHTOOL_A_FEATURES_HW, 0b0110u32),
                (ETHTOOL_A_FEATURES_WANTED, 0b0011),
                (ETHTOOL_A_FEATURES_ACTIVE, 0b0101),
                (ETHTOOL_A_FEATURES_NOCHANGE, 0),
            ] {
                m.nest(kind | NLA_F_NESTED, |m| {
                    m.put_flag(ETHTOOL_A_BITSET_NOMASK)
                        .put_u32(ETHTOOL_A_BITSET_SIZE, 64);
                    m.nest(ETHTOOL_A_BITSET_BITS | NLA_F_NESTED, |m| {
                        for (i, name) in names.iter().enumerate() {
                            if v & (1 << i) != 0 {
                                m.nest(ETHTOOL_A_BITSET_BITS_BIT | NLA_F_NESTED, |m| {
                                    m.put_u32(ETHTOOL_A_BITSET_BIT_INDEX, i as u32)
                                        .put_str(ETHTOOL_A_BITSET_BIT_NAME, name);
                                });
                            }
                        }
                    });
                });
            }
        });
        let c = parse(&compact, Features::parse).unwrap();
        let v = parse(&verbose, Features::parse).unwrap();
        for i in 0..4 {
            assert_eq!(c.active.is_set(i), v.active.is_set(i), "bit {i}");
            assert_eq!(c.hw.is_set(i), v.hw.is_set(i), "bit {i}");
        }
        assert!(c.names.is_empty());
        // Verbose names the bits it lists: "d" is in no set, so unnamed.
        assert_eq!(v.names, names[..3]);
        let a = v.get("a").unwrap();
        assert!(a.active && a.wanted && a.fixed);
        let b = v.get("b").unwrap();
        assert_eq!(b.to_string(), "b: off [requested on]");
        let c3 = v.get("c").unwrap();
        assert_eq!(c3.to_string(), "c: on [requested off]");
        // Compact round trip through the writer.
        let mut buf = Vec::new();
        let mut m = MsgBuilder::attrs_only(&mut buf);
        c.active.write(&mut m, 9);
        m.finish().unwrap();
        let (attr, _) = Attr::parse(&buf).unwrap();
        let back = Bitset::parse(attr.nested()).unwrap();
        assert_eq!(back.ones().collect::<Vec<_>>(), [0, 2]);
        assert_eq!((back.size, back.mask), (64, None));
    }

    #[test]
    fn link_modes_with_mask_and_names() {
        let buf = reply(ETHTOOL_MSG_LINKMODES_GET_REPLY, |m| {
            header(m, ETHTOOL_A_LINKMODES_HEADER);
            m.put_u8(ETHTOOL_A_LINKMODES_AUTONEG, AUTONEG_DISABLE);
            m.nest(ETHTOOL_A_LINKMODES_OURS | NLA_F_NESTED, |m| {
                m.put_u32(ETHTOOL_A_BITSET_SIZE, 100);
                m.nest(ETHTOOL_A_BITSET_BITS | NLA_F_NESTED, |m| {
                    m.nest(ETHTOOL_A_BITSET_BITS_BIT | NLA_F_NESTED, |m| {
                        m.put_u32(ETHTOOL_A_BITSET_BIT_INDEX, 5)
                            .put_str(ETHTOOL_A_BITSET_BIT_NAME, "1000baseT/Full")
                            .put_flag(ETHTOOL_A_BITSET_BIT_VALUE);
                    });
                    m.nest(ETHTOOL_A_BITSET_BITS_BIT | NLA_F_NESTED, |m| {
                        m.put_u32(ETHTOOL_A_BITSET_BIT_INDEX, 65)
                            .put_str(ETHTOOL_A_BITSET_BIT_NAME, "x");
                    });
                });
            });
            m.put_u32(ETHTOOL_A_LINKMODES_SPEED, 10000)
                .put_u8(ETHTOOL_A_LINKMODES_DUPLEX, DUPLEX_FULL);
        });
        let lm = parse(&buf, LinkModes::parse).unwrap();
        let ours = lm.ours.as_ref().unwrap();
        assert_eq!(ours.covered().collect::<Vec<_>>(), [5, 65]);
        assert_eq!(ours.ones().collect::<Vec<_>>(), [5]);
        assert!(ours.covers(65) && !ours.is_set(65));
        assert_eq!(ours.name(5), Some("1000baseT/Full"));
        assert_eq!(
            lm.to_string(),
            "\tSpeed: 10000Mb/s\n\tDuplex: Full\n\tAuto-negotiation: off"
        );
    }

    #[test]
    fn string_sets_and_stats() {
        let buf = reply(ETHTOOL_MSG_STRSET_GET_REPLY, |m| {
            m.nest(ETHTOOL_A_STRSET_STRINGSETS | NLA_F_NESTED, |m| {
                m.nest(ETHTOOL_A_STRINGSETS_STRINGSET | NLA_F_NESTED, |m| {
                    m.put_u32(ETHTOOL_A_STRINGSET_ID, ETH_SS_FEATURES)
                        .put_u32(ETHTOOL_A_STRINGSET_COUNT, 2);
                    m.nest(ETHTOOL_A_STRINGSET_STRINGS | NLA_F_NESTED, |m| {
                        for (i, s) in ["tx-scatter-gather", "tx-checksum-ipv4"].iter().enumerate() {
                            m.nest(ETHTOOL_A_STRINGS_STRING | NLA_F_NESTED, |m| {
                                m.put_u32(ETHTOOL_A_STRING_INDEX, i as u32)
                                    .put_str(ETHTOOL_A_STRING_VALUE, s);
                            });
                        }
                    });
                });
            });
        });
        let sets = parse(&buf, StringSet::parse_all).unwrap();
        assert_eq!(sets.len(), 1);
        assert_eq!((sets[0].id, sets[0].count), (ETH_SS_FEATURES, 2));
        assert_eq!(sets[0].get(1), Some("tx-checksum-ipv4"));
        assert_eq!(sets[0].index_of("tx-scatter-gather"), Some(0));

        let buf = reply(ETHTOOL_MSG_STATS_GET_REPLY, |m| {
            header(m, ETHTOOL_A_STATS_HEADER);
            m.nest(ETHTOOL_A_STATS_GRP | NLA_F_NESTED, |m| {
                m.put_u32(ETHTOOL_A_STATS_GRP_ID, 3)
                    .put_u32(ETHTOOL_A_STATS_GRP_SS_ID, ETH_SS_STATS_RMON);
                m.nest(ETHTOOL_A_STATS_GRP_STAT | NLA_F_NESTED, |m| {
                    m.put_u64(ETHTOOL_A_STATS_RMON_FRAG, 42);
                });
                m.nest(ETHTOOL_A_STATS_GRP_HIST_RX | NLA_F_NESTED, |m| {
                    m.put_u32(ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, 64)
                        .put_u32(ETHTOOL_A_STATS_GRP_HIST_BKT_HI, 127)
                        .put_u64(ETHTOOL_A_STATS_GRP_HIST_VAL, 9);
                });
            });
        });
        let s = parse(&buf, Stats::parse).unwrap();
        assert_eq!(s.header.name, "v0");
        let g = &s.groups[0];
        assert_eq!((g.id, g.string_set), (3, ETH_SS_STATS_RMON));
        assert_eq!(g.stats, [(u32::from(ETHTOOL_A_STATS_RMON_FRAG), 42)]);
        assert_eq!(
            g.hist_rx,
            [StatsBucket {
                low: 64,
                high: 127,
                value: 9
            }]
        );
    }

    #[test]
    fn notifications_are_typed() {
        let buf = reply(ETHTOOL_MSG_PAUSE_NTF, |m| {
            header(m, ETHTOOL_A_PAUSE_HEADER);
            m.put_u8(ETHTOOL_A_PAUSE_RX, 1)
                .put_u8(ETHTOOL_A_PAUSE_TX, 0);
            m.nest(ETHTOOL_A_PAUSE_STATS | NLA_F_NESTED, |m| {
                m.put_u64(ETHTOOL_A_PAUSE_STAT_TX_FRAMES, 5);
            });
        });
        let ev = parse(&buf, EthtoolEvent::parse).unwrap();
        let EthtoolEvent::Pause(p) = &ev else {
            panic!("{ev:?}")
        };
        assert_eq!((p.rx, p.tx, p.autoneg), (Some(true), Some(false), None));
        assert_eq!(p.stats.unwrap().tx_frames, Some(5));
        assert_eq!(ev.header().index, 7);
        let buf = reply(ETHTOOL_MSG_WOL_NTF, |m| header(m, ETHTOOL_A_WOL_HEADER));
        let ev = parse(&buf, EthtoolEvent::parse).unwrap();
        assert!(matches!(
            ev,
            EthtoolEvent::Other {
                cmd: ETHTOOL_MSG_WOL_NTF,
                ..
            }
        ));
        assert_eq!(ev.header().name, "v0");
    }

    #[test]
    fn features_set_is_verbose_by_name() {
        let mut buf = Vec::new();
        Features::write_set(
            FAM,
            &Dev::from("v0"),
            &[("tx-checksum-ipv4", false), ("rx-gro", true)],
            &mut buf,
        )
        .unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let genl = GenlMsg::parse(&msg, 0).unwrap();
        let wanted = genl
            .attrs()
            .get(ETHTOOL_A_FEATURES_WANTED)
            .unwrap()
            .unwrap();
        let set = Bitset::parse(wanted.nested()).unwrap();
        // Names only: the kernel resolves them; no index is sent.
        assert!(set.names.is_empty() && set.value.is_empty());
        let bits = wanted.nested().get(ETHTOOL_A_BITSET_BITS).unwrap().unwrap();
        let mut seen = Vec::new();
        for bit in bits.nested() {
            let bit = bit.unwrap();
            let name = bit
                .nested()
                .get(ETHTOOL_A_BITSET_BIT_NAME)
                .unwrap()
                .unwrap();
            let on = bit
                .nested()
                .get(ETHTOOL_A_BITSET_BIT_VALUE)
                .unwrap()
                .is_some();
            seen.push((name.cstr().unwrap().to_string(), on));
        }
        assert_eq!(
            seen,
            [
                ("tx-checksum-ipv4".to_string(), false),
                ("rx-gro".to_string(), true)
            ]
        );
        assert!(Features::write_set(FAM, &Dev::Index(1), &[], &mut buf).is_err());
    }

    #[test]
    fn hostile_bitsets_do_not_allocate_or_panic() {
        let buf = reply(ETHTOOL_MSG_FEATURES_GET_REPLY, |m| {
            m.nest(ETHTOOL_A_FEATURES_HW | NLA_F_NESTED, |m| {
                m.put_u32(ETHTOOL_A_BITSET_SIZE, u32::MAX);
                m.put_bytes(ETHTOOL_A_BITSET_VALUE, &[1, 2, 3]);
                m.nest(ETHTOOL_A_BITSET_BITS | NLA_F_NESTED, |m| {
                    m.nest(ETHTOOL_A_BITSET_BITS_BIT | NLA_F_NESTED, |m| {
                        m.put_u32(ETHTOOL_A_BITSET_BIT_INDEX, u32::MAX);
                    });
                });
            });
        });
        let f = parse(&buf, Features::parse).unwrap();
        assert!(f.hw.value.is_empty() && f.names.is_empty());
        assert!(!f.hw.is_set(u32::MAX));
        // Every truncation is an error or a shorter object, never a panic.
        for cut in 20..buf.len() {
            let mut b = buf[..cut].to_vec();
            let len = u32::try_from(b.len()).unwrap();
            b[..4].copy_from_slice(&len.to_ne_bytes());
            if let Ok((msg, _)) = Msg::parse(&b) {
                if let Ok(g) = GenlMsg::parse(&msg, 0) {
                    let _ = EthtoolEvent::parse(&g);
                    let _ = Features::parse(&g);
                }
            }
        }
    }
}
