//! MACsec secure channels and associations (genl family `"macsec"`):
//! `ip macsec add|set|del|show|offload`.
//!
//! A macsec link (created over rtnetlink: `ip link add link eth0 macsec0
//! type macsec ...`, nl-route's `Macsec` kind) is one SecY: it sends on
//! one transmit secure channel (TXSC, named by the link's SCI) through up
//! to four transmit secure associations (TXSA, association numbers 0..3,
//! each with its own key), and receives on any number of receive channels
//! (RXSC, one per peer SCI), each with up to four receive associations.
//! This family adds, changes and removes channels and associations, and
//! dumps each link's whole state (`MACSEC_CMD_GET_TXSC`, dump only):
//!
//! ```text
//! request: IFINDEX u32 | [RXSC_CONFIG { SCI be64 | ACTIVE u8 }]
//!                      | [SA_CONFIG { AN u8 | ACTIVE u8 | PN u32/u64 | KEY | KEYID [16] | SSCI | SALT }]
//! dump:    IFINDEX u32 | SECY { SCI | ENCODING_SA | WINDOW | CIPHER_SUITE | ICV_LEN | ... }
//!                      | TXSA_LIST { n: { AN | PN | KEYID | ACTIVE | STATS } ... }
//!                      | RXSC_LIST { n: { SCI | ACTIVE | STATS | SA_LIST { ... } } ... }
//!                      | TXSC_STATS | SECY_STATS | OFFLOAD { TYPE u8 }
//! ```
//!
//! **Keys are secrets.** A [`Key`]'s `Debug` prints its length only, and
//! nothing in this module prints, formats or returns key bytes except
//! [`Key::reveal`]; the kernel never sends keys back (dumps carry the key
//! *id*). Keys and salts are zeroed when dropped.

use core::fmt;
use core::str::FromStr;

use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Attrs, MsgBuilder};

use crate::error::{Error, Result};
use crate::uapi::if_macsec::*;
use crate::uapi::newer::MACSEC_GENL_NAME;
use crate::{GenlMsg, request};

/// The family's name.
pub const FAMILY: &str = MACSEC_GENL_NAME;

/// A secure channel identifier: the sender's MAC address and a port, as
/// one 64-bit number the way `ip macsec` prints it (`5254001234560001`:
/// MAC `52:54:00:12:34:56`, port 1). On the wire it is big-endian.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sci(pub u64);

impl Sci {
    /// The SCI of `mac` and `port` (`port P address MAC`).
    pub fn new(mac: [u8; 6], port: u16) -> Sci {
        let [a, b, c, d, e, f] = mac;
        let [p, q] = port.to_be_bytes();
        Sci(u64::from_be_bytes([a, b, c, d, e, f, p, q]))
    }

    /// The MAC address part.
    pub fn mac(self) -> [u8; 6] {
        let [a, b, c, d, e, f, _, _] = self.0.to_be_bytes();
        [a, b, c, d, e, f]
    }

    /// The port part.
    pub fn port(self) -> u16 {
        // Truncation keeps exactly the low 16 bits, the port.
        (self.0 & 0xffff) as u16
    }
}

impl fmt::Display for Sci {
    /// Sixteen hex digits, as `ip macsec show` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for Sci {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sci({self})")
    }
}

impl FromStr for Sci {
    type Err = Error;

    /// Hex, with or without `0x` (`ip macsec ... sci 5254001234560001`).
    fn from_str(s: &str) -> Result<Sci> {
        let digits = s.strip_prefix("0x").unwrap_or(s);
        u64::from_str_radix(digits, 16)
            .map(Sci)
            .map_err(|_| Error::invalid("sci", format!("{s:?} is not a 64-bit hex number")))
    }
}

/// Hex digits to bytes; `None` for odd lengths or non-hex.
fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let digits = s.strip_prefix("0x").unwrap_or(s).as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let s = core::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

/// A secret: an association's key (16 bytes for GCM-AES-128, 32 for
/// GCM-AES-256) or an XPN salt. `Debug` shows the length only; the bytes
/// are zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Key(Vec<u8>);

impl Key {
    /// A key from its bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Key {
        Key(bytes.into())
    }

    /// A key from hex, as `ip macsec ... key ID KEY` takes it. The error
    /// does not repeat the input.
    pub fn from_hex(s: &str) -> Result<Key> {
        hex_bytes(s)
            .map(Key)
            .ok_or_else(|| Error::invalid("key", "not an even number of hex digits"))
    }

    /// The key's bytes: handle with care.
    pub fn reveal(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(<{} bytes>)", self.0.len())
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.0.fill(0);
        // Keeps the zeroing from being optimized away as a dead store.
        core::hint::black_box(&self.0);
    }
}

/// A key identifier (`MACSEC_SA_ATTR_KEYID`, 128 bits): names a key
/// without revealing it; what `ip macsec show` prints after `key`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; MACSEC_KEYID_LEN]);

impl fmt::Display for KeyId {
    /// 32 hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl FromStr for KeyId {
    type Err = Error;

    /// Up to 32 hex digits, zero-filled at the end as `ip macsec` does.
    fn from_str(s: &str) -> Result<KeyId> {
        let bytes = hex_bytes(s)
            .filter(|b| b.len() <= MACSEC_KEYID_LEN)
            .ok_or_else(|| Error::invalid("key id", "expected up to 32 hex digits"))?;
        let mut id = [0; MACSEC_KEYID_LEN];
        for (d, s) in id.iter_mut().zip(bytes) {
            *d = s;
        }
        Ok(KeyId(id))
    }
}

/// How received frames are validated (`MACSEC_VALIDATE_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Validate {
    /// No validation (`disabled`).
    Disabled,
    /// Validate, deliver invalid frames anyway (`check`).
    Check,
    /// Drop invalid frames (`strict`, the kernel's default).
    #[default]
    Strict,
    /// A value this library does not know.
    Unknown(u8),
}

impl Validate {
    fn from_u8(v: u8) -> Validate {
        match v {
            0 => Validate::Disabled,
            1 => Validate::Check,
            2 => Validate::Strict,
            other => Validate::Unknown(other),
        }
    }

    /// `ip macsec`'s word.
    pub fn name(self) -> &'static str {
        match self {
            Validate::Disabled => "disabled",
            Validate::Check => "check",
            Validate::Strict => "strict",
            Validate::Unknown(_) => "(unknown)",
        }
    }
}

/// Where MACsec is done (`MACSEC_OFFLOAD_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Offload {
    /// In software (`off`).
    #[default]
    Off,
    /// By the PHY (`phy`).
    Phy,
    /// By the MAC (`mac`).
    Mac,
    /// A value this library does not know.
    Unknown(u8),
}

impl Offload {
    fn from_u8(v: u8) -> Offload {
        match v {
            0 => Offload::Off,
            1 => Offload::Phy,
            2 => Offload::Mac,
            other => Offload::Unknown(other),
        }
    }

    fn to_u8(self) -> u8 {
        match self {
            Offload::Off => 0,
            Offload::Phy => 1,
            Offload::Mac => 2,
            Offload::Unknown(v) => v,
        }
    }

    /// `ip macsec`'s word.
    pub fn name(self) -> &'static str {
        match self {
            Offload::Off => "off",
            Offload::Phy => "phy",
            Offload::Mac => "mac",
            Offload::Unknown(_) => "(unknown)",
        }
    }

    /// Writes `MACSEC_CMD_UPD_OFFLOAD` for link `ifindex` (`ip macsec
    /// offload DEV off|phy|mac`).
    pub fn write_set(self, family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, MACSEC_CMD_UPD_OFFLOAD, ifindex);
        m.nest(MACSEC_ATTR_OFFLOAD | NLA_F_NESTED, |m| {
            m.put_u8(MACSEC_OFFLOAD_ATTR_TYPE, self.to_u8());
        });
        finish(m)
    }
}

/// iproute2's name of a cipher suite id (`GCM-AES-128` ...).
pub fn cipher_name(id: u64) -> &'static str {
    match id {
        MACSEC_DEFAULT_CIPHER_ID | MACSEC_CIPHER_ID_GCM_AES_128 => "GCM-AES-128",
        MACSEC_CIPHER_ID_GCM_AES_256 => "GCM-AES-256",
        MACSEC_CIPHER_ID_GCM_AES_XPN_128 => "GCM-AES-XPN-128",
        MACSEC_CIPHER_ID_GCM_AES_XPN_256 => "GCM-AES-XPN-256",
        _ => "(unknown)",
    }
}

/// A receive channel in a request (`ip macsec add|set DEV rx sci SCI [on|off]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RxScConfig {
    /// The peer's SCI.
    pub sci: Sci,
    /// Whether frames on it are accepted; `None` leaves the kernel's
    /// default (on) or the current state.
    pub active: Option<bool>,
}

impl RxScConfig {
    fn put(&self, m: &mut MsgBuilder<'_>, with_state: bool) {
        m.nest(MACSEC_ATTR_RXSC_CONFIG | NLA_F_NESTED, |m| {
            m.put_be64(MACSEC_RXSC_ATTR_SCI, self.sci.0);
            if let (true, Some(a)) = (with_state, self.active) {
                m.put_u8(MACSEC_RXSC_ATTR_ACTIVE, u8::from(a));
            }
        });
    }

    /// Writes `MACSEC_CMD_ADD_RXSC` on link `ifindex`.
    pub fn write_add(&self, family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, MACSEC_CMD_ADD_RXSC, ifindex);
        self.put(&mut m, true);
        finish(m)
    }

    /// Writes `MACSEC_CMD_UPD_RXSC` on link `ifindex`.
    pub fn write_set(&self, family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, MACSEC_CMD_UPD_RXSC, ifindex);
        self.put(&mut m, true);
        finish(m)
    }

    /// Writes `MACSEC_CMD_DEL_RXSC` for channel `sci` on link `ifindex`
    /// (its associations go with it).
    pub fn write_del(family: u16, ifindex: u32, sci: Sci, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, MACSEC_CMD_DEL_RXSC, ifindex);
        RxScConfig { sci, active: None }.put(&mut m, false);
        finish(m)
    }
}

/// A secure association in a request: `ip macsec add|set DEV tx sa AN
/// ...` or `... rx SCI sa AN ...`. Adding needs a packet number, a key id
/// and a key; changing takes neither key nor id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaConfig {
    /// Association number, 0..3.
    pub an: u8,
    /// Whether it is in use (`on` / `off`).
    pub active: Option<bool>,
    /// Next packet number (`pn`); 0 is not a packet number.
    pub pn: Option<u64>,
    /// Write the packet number as 64 bits: the link uses an XPN cipher
    /// suite (set automatically when `ssci` or `salt` is set).
    pub extended_pn: bool,
    /// The key id (`key ID ...`).
    pub key_id: Option<KeyId>,
    /// The key (`key ... KEY`): 16 or 32 bytes as the link's cipher
    /// suite says.
    pub key: Option<Key>,
    /// Short secure channel id (XPN cipher suites only).
    pub ssci: Option<u32>,
    /// Salt, 12 bytes (XPN cipher suites only); secret like the key.
    pub salt: Option<Key>,
}

impl SaConfig {
    /// An association `an` to add: starting at packet number `pn`, with
    /// key `key` named `key_id`, active.
    pub fn new(an: u8, pn: u64, key_id: KeyId, key: Key) -> SaConfig {
        SaConfig {
            an,
            active: Some(true),
            pn: Some(pn),
            key_id: Some(key_id),
            key: Some(key),
            ..SaConfig::default()
        }
    }

    fn check(&self, cmd: u8) -> Result<()> {
        if self.an > 3 {
            return Err(Error::invalid(
                "association number",
                format!("{} is not in 0..3", self.an),
            ));
        }
        let adding = cmd == MACSEC_CMD_ADD_TXSA || cmd == MACSEC_CMD_ADD_RXSA;
        if adding {
            if self.key.is_none() || self.key_id.is_none() {
                return Err(Error::invalid(
                    "key",
                    "cannot create an association without a key and its id",
                ));
            }
            if self.pn.is_none_or(|pn| pn == 0) {
                return Err(Error::invalid("pn", "must specify a packet number != 0"));
            }
        } else if self.key.is_some() || self.salt.is_some() {
            return Err(Error::invalid(
                "key",
                "cannot change the key of an association",
            ));
        }
        let extended = self.extended_pn || self.ssci.is_some() || self.salt.is_some();
        if !extended && self.pn.is_some_and(|pn| pn > u64::from(u32::MAX)) {
            return Err(Error::invalid(
                "pn",
                "packet numbers above 2^32-1 need an XPN cipher suite (extended_pn)",
            ));
        }
        if self
            .salt
            .as_ref()
            .is_some_and(|s| s.len() != MACSEC_SALT_LEN)
        {
            return Err(Error::invalid("salt", "an XPN salt is 12 bytes"));
        }
        Ok(())
    }

    /// The `SA_CONFIG` nest, in iproute2's order (AN, PN, key id, key,
    /// active).
    fn put(&self, m: &mut MsgBuilder<'_>, cmd: u8) {
        let deleting = cmd == MACSEC_CMD_DEL_TXSA || cmd == MACSEC_CMD_DEL_RXSA;
        let extended = self.extended_pn || self.ssci.is_some() || self.salt.is_some();
        m.nest(MACSEC_ATTR_SA_CONFIG | NLA_F_NESTED, |m| {
            m.put_u8(MACSEC_SA_ATTR_AN, self.an);
            if deleting {
                return;
            }
            match (self.pn, extended) {
                (Some(pn), true) => {
                    m.put_u64(MACSEC_SA_ATTR_PN, pn);
                }
                // `check` refused values above u32::MAX.
                (Some(pn), false) => {
                    m.put_u32(MACSEC_SA_ATTR_PN, u32::try_from(pn).unwrap_or(u32::MAX));
                }
                (None, _) => {}
            }
            if let Some(id) = &self.key_id {
                m.put_bytes(MACSEC_SA_ATTR_KEYID, &id.0);
            }
            if let Some(k) = &self.key {
                m.put_bytes(MACSEC_SA_ATTR_KEY, k.reveal());
            }
            if let Some(s) = self.ssci {
                m.put_u32(MACSEC_SA_ATTR_SSCI, s);
            }
            if let Some(s) = &self.salt {
                m.put_bytes(MACSEC_SA_ATTR_SALT, s.reveal());
            }
            if let Some(a) = self.active {
                m.put_u8(MACSEC_SA_ATTR_ACTIVE, u8::from(a));
            }
        });
    }

    fn write(
        &self,
        family: u16,
        cmd: u8,
        ifindex: u32,
        rxsc: Option<Sci>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        self.check(cmd)?;
        let mut m = start(buf, family, cmd, ifindex);
        if let Some(sci) = rxsc {
            RxScConfig { sci, active: None }.put(&mut m, false);
        }
        self.put(&mut m, cmd);
        finish(m)
    }

    /// Writes `MACSEC_CMD_ADD_TXSA` on link `ifindex`. The buffer then
    /// holds the key: clear it after sending.
    pub fn write_add_tx(&self, family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        self.write(family, MACSEC_CMD_ADD_TXSA, ifindex, None, buf)
    }

    /// Writes `MACSEC_CMD_UPD_TXSA` on link `ifindex` (state, packet number).
    pub fn write_set_tx(&self, family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        self.write(family, MACSEC_CMD_UPD_TXSA, ifindex, None, buf)
    }

    /// Writes `MACSEC_CMD_DEL_TXSA` for association `an` of link `ifindex`.
    pub fn write_del_tx(family: u16, ifindex: u32, an: u8, buf: &mut Vec<u8>) -> Result<()> {
        let sa = SaConfig {
            an,
            ..SaConfig::default()
        };
        sa.write(family, MACSEC_CMD_DEL_TXSA, ifindex, None, buf)
    }

    /// Writes `MACSEC_CMD_ADD_RXSA` on receive channel `sci` of link
    /// `ifindex`. The buffer then holds the key: clear it after sending.
    pub fn write_add_rx(
        &self,
        family: u16,
        ifindex: u32,
        sci: Sci,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        self.write(family, MACSEC_CMD_ADD_RXSA, ifindex, Some(sci), buf)
    }

    /// Writes `MACSEC_CMD_UPD_RXSA` on receive channel `sci` of link `ifindex`.
    pub fn write_set_rx(
        &self,
        family: u16,
        ifindex: u32,
        sci: Sci,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        self.write(family, MACSEC_CMD_UPD_RXSA, ifindex, Some(sci), buf)
    }

    /// Writes `MACSEC_CMD_DEL_RXSA` for association `an` of receive
    /// channel `sci` of link `ifindex`.
    pub fn write_del_rx(
        family: u16,
        ifindex: u32,
        sci: Sci,
        an: u8,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let sa = SaConfig {
            an,
            ..SaConfig::default()
        };
        sa.write(family, MACSEC_CMD_DEL_RXSA, ifindex, Some(sci), buf)
    }
}

fn start(buf: &mut Vec<u8>, family: u16, cmd: u8, ifindex: u32) -> MsgBuilder<'_> {
    let mut m = request(buf, family, cmd, MACSEC_GENL_VERSION, NLM_F_ACK);
    m.put_u32(MACSEC_ATTR_IFINDEX, ifindex);
    m
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// Counters of a nest of statistics, by attribute type
/// (`MACSEC_SA_STATS_ATTR_*`, `MACSEC_RXSC_STATS_ATTR_*` ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Stats(pub Vec<(u16, u64)>);

impl Stats {
    /// The counter of attribute type `kind`.
    pub fn get(&self, kind: u16) -> Option<u64> {
        self.0.iter().find(|(k, _)| *k == kind).map(|(_, v)| *v)
    }

    fn read(nest: Attrs<'_>) -> nl_wire::Result<Stats> {
        let mut out = Vec::new();
        for a in nest {
            let a = a?;
            // Alignment padding (`*_STATS_ATTR_PAD`) is empty; anything
            // else that is not a counter is a newer kernel's, left out.
            if let Ok(v) = a.uint() {
                out.push((a.ty(), v));
            }
        }
        Ok(Stats(out))
    }
}

/// A secure association as the kernel reports it (no key: its id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Sa {
    /// Association number, 0..3.
    pub an: u8,
    /// Next packet number.
    pub pn: u64,
    /// The key's id.
    pub key_id: KeyId,
    /// Whether it is in use.
    pub active: bool,
    /// Short secure channel id (XPN).
    pub ssci: Option<u32>,
    /// Its counters (`MACSEC_SA_STATS_ATTR_*`).
    pub stats: Stats,
}

impl Sa {
    fn read(nest: Attrs<'_>) -> nl_wire::Result<Sa> {
        let mut sa = Sa::default();
        for a in nest {
            let a = a?;
            match a.ty() {
                MACSEC_SA_ATTR_AN => sa.an = a.u8()?,
                MACSEC_SA_ATTR_PN => sa.pn = a.uint()?,
                MACSEC_SA_ATTR_KEYID => {
                    // Shorter ids (older kernels) are zero-filled.
                    for (d, s) in sa.key_id.0.iter_mut().zip(a.payload()) {
                        *d = *s;
                    }
                }
                MACSEC_SA_ATTR_ACTIVE => sa.active = a.u8()? != 0,
                MACSEC_SA_ATTR_SSCI => sa.ssci = Some(a.u32()?),
                MACSEC_SA_ATTR_STATS => sa.stats = Stats::read(a.nested())?,
                _ => {}
            }
        }
        Ok(sa)
    }

    fn read_list(nest: Attrs<'_>) -> nl_wire::Result<Vec<Sa>> {
        nest.map(|a| Sa::read(a?.nested())).collect()
    }
}

impl fmt::Display for Sa {
    /// As `ip macsec show` prints an association.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.active { "on" } else { "off" };
        write!(
            f,
            "{}: PN {}, state {state}, key {}",
            self.an, self.pn, self.key_id
        )
    }
}

/// A receive channel as the kernel reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RxSc {
    /// The peer's SCI.
    pub sci: Sci,
    /// Whether frames on it are accepted.
    pub active: bool,
    /// Its counters (`MACSEC_RXSC_STATS_ATTR_*`).
    pub stats: Stats,
    /// Its associations.
    pub sas: Vec<Sa>,
}

impl RxSc {
    fn read(nest: Attrs<'_>) -> nl_wire::Result<RxSc> {
        let mut sc = RxSc::default();
        for a in nest {
            let a = a?;
            match a.ty() {
                MACSEC_RXSC_ATTR_SCI => sc.sci = Sci(a.be64()?),
                MACSEC_RXSC_ATTR_ACTIVE => sc.active = a.uint()? != 0,
                MACSEC_RXSC_ATTR_STATS => sc.stats = Stats::read(a.nested())?,
                MACSEC_RXSC_ATTR_SA_LIST => sc.sas = Sa::read_list(a.nested())?,
                _ => {}
            }
        }
        Ok(sc)
    }
}

/// A link's SecY settings, as `MACSEC_ATTR_SECY` reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SecY {
    /// The transmit channel's SCI.
    pub sci: Sci,
    /// The association frames are sent with (`encodingsa`).
    pub encoding_sa: u8,
    /// Replay window.
    pub window: u32,
    /// Cipher suite id (`MACSEC_CIPHER_ID_*`; [`cipher_name`] names it).
    pub cipher_suite: u64,
    /// ICV length in bytes.
    pub icv_len: u8,
    /// Frames are protected (`protect`).
    pub protect: bool,
    /// Replay protection (`replay`).
    pub replay: bool,
    /// The SecY is operational.
    pub oper: bool,
    /// Validation of received frames.
    pub validate: Validate,
    /// Frames are encrypted (`encrypt`).
    pub encrypt: bool,
    /// The SCI is included in frames (`send_sci`).
    pub inc_sci: bool,
    /// End station (`end_station`).
    pub es: bool,
    /// Single copy broadcast (`scb`).
    pub scb: bool,
}

impl SecY {
    fn read(nest: Attrs<'_>) -> nl_wire::Result<SecY> {
        let mut s = SecY::default();
        for a in nest {
            let a = a?;
            match a.ty() {
                MACSEC_SECY_ATTR_SCI => s.sci = Sci(a.be64()?),
                MACSEC_SECY_ATTR_ENCODING_SA => s.encoding_sa = a.u8()?,
                MACSEC_SECY_ATTR_WINDOW => s.window = a.u32()?,
                MACSEC_SECY_ATTR_CIPHER_SUITE => s.cipher_suite = a.u64()?,
                MACSEC_SECY_ATTR_ICV_LEN => s.icv_len = a.u8()?,
                MACSEC_SECY_ATTR_PROTECT => s.protect = a.u8()? != 0,
                MACSEC_SECY_ATTR_REPLAY => s.replay = a.u8()? != 0,
                MACSEC_SECY_ATTR_OPER => s.oper = a.u8()? != 0,
                MACSEC_SECY_ATTR_VALIDATE => s.validate = Validate::from_u8(a.u8()?),
                MACSEC_SECY_ATTR_ENCRYPT => s.encrypt = a.u8()? != 0,
                MACSEC_SECY_ATTR_INC_SCI => s.inc_sci = a.u8()? != 0,
                MACSEC_SECY_ATTR_ES => s.es = a.u8()? != 0,
                MACSEC_SECY_ATTR_SCB => s.scb = a.u8()? != 0,
                _ => {}
            }
        }
        Ok(s)
    }
}

/// One macsec link's state, one entry of `MACSEC_CMD_GET_TXSC`'s dump
/// (`ip macsec show`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MacsecDevice {
    /// The macsec link's index.
    pub ifindex: u32,
    /// Its SecY settings and transmit channel.
    pub secy: SecY,
    /// Transmit associations.
    pub tx_sas: Vec<Sa>,
    /// Receive channels with their associations.
    pub rx_scs: Vec<RxSc>,
    /// Transmit channel counters (`MACSEC_TXSC_STATS_ATTR_*`).
    pub txsc_stats: Stats,
    /// SecY counters (`MACSEC_SECY_STATS_ATTR_*`).
    pub secy_stats: Stats,
    /// Where MACsec is done (kernels since 5.7 say).
    pub offload: Option<Offload>,
}

impl MacsecDevice {
    /// Writes the dump of every macsec link of the namespace (`ip macsec
    /// show`; the kernel has no single-link get).
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        finish(request(
            buf,
            family,
            MACSEC_CMD_GET_TXSC,
            MACSEC_GENL_VERSION,
            NLM_F_DUMP,
        ))
    }

    /// Parses one entry of the dump.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<MacsecDevice> {
        let err = |e| msg.wire_error(FAMILY, e);
        let mut d = MacsecDevice::default();
        let mut ifindex = None;
        for a in msg.attrs() {
            let a = a.map_err(err)?;
            let r = (|| -> nl_wire::Result<()> {
                match a.ty() {
                    MACSEC_ATTR_IFINDEX => ifindex = Some(a.u32()?),
                    MACSEC_ATTR_SECY => d.secy = SecY::read(a.nested())?,
                    MACSEC_ATTR_TXSA_LIST => d.tx_sas = Sa::read_list(a.nested())?,
                    MACSEC_ATTR_RXSC_LIST => {
                        d.rx_scs = a
                            .nested()
                            .map(|sc| RxSc::read(sc?.nested()))
                            .collect::<nl_wire::Result<_>>()?;
                    }
                    MACSEC_ATTR_TXSC_STATS => d.txsc_stats = Stats::read(a.nested())?,
                    MACSEC_ATTR_SECY_STATS => d.secy_stats = Stats::read(a.nested())?,
                    MACSEC_ATTR_OFFLOAD => {
                        if let Some(t) = a.nested().get(MACSEC_OFFLOAD_ATTR_TYPE)? {
                            d.offload = Some(Offload::from_u8(t.u8()?));
                        }
                    }
                    _ => {}
                }
                Ok(())
            })();
            r.map_err(err)?;
        }
        d.ifindex = ifindex.ok_or(Error::Unexpected {
            what: "a macsec device (no MACSEC_ATTR_IFINDEX)",
            msg_type: msg.family_id(),
        })?;
        Ok(d)
    }
}

impl fmt::Display for MacsecDevice {
    /// As `ip macsec show` prints a link (without its name and counters).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on = |b: bool| if b { "on" } else { "off" };
        let s = &self.secy;
        writeln!(
            f,
            "{}: protect {} validate {} encrypt {} send_sci {} end_station {} scb {} \
             replay {} window {} ",
            self.ifindex,
            on(s.protect),
            s.validate.name(),
            on(s.encrypt),
            on(s.inc_sci),
            on(s.es),
            on(s.scb),
            on(s.replay),
            s.window
        )?;
        writeln!(
            f,
            "    cipher suite: {}, using ICV length {}",
            cipher_name(s.cipher_suite),
            s.icv_len
        )?;
        writeln!(f, "    TXSC: {} on SA {}", s.sci, s.encoding_sa)?;
        for sa in &self.tx_sas {
            writeln!(f, "        {sa}")?;
        }
        for sc in &self.rx_scs {
            writeln!(f, "    RXSC: {}, state {}", sc.sci, on(sc.active))?;
            for sa in &sc.sas {
                writeln!(f, "        {sa}")?;
            }
        }
        if let Some(o) = self.offload {
            writeln!(f, "    offload: {} ", o.name())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msg;

    const FAM: u16 = 0x1d;
    const KEY: &str = "ad7cf13d86ec1f2d4a4a1f8d4e0f4c2b";

    fn genl(buf: &[u8]) -> GenlMsg<'_> {
        let (msg, _) = Msg::parse(buf).unwrap();
        GenlMsg::parse(&msg, 0).unwrap()
    }

    #[test]
    fn sci_is_mac_and_port() {
        let sci = Sci::new([0x52, 0x54, 0, 0x12, 0x34, 0x56], 1);
        assert_eq!(sci.to_string(), "5254001234560001");
        assert_eq!(sci.mac(), [0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        assert_eq!(sci.port(), 1);
        assert_eq!("0x5254001234560001".parse::<Sci>().unwrap(), sci);
        assert!("zz".parse::<Sci>().is_err());
        assert_eq!(
            "01".parse::<KeyId>().unwrap().to_string(),
            "01000000000000000000000000000000"
        );
        assert!("0".repeat(34).parse::<KeyId>().is_err());
    }

    /// `ip macsec add macsec0 tx sa 0 pn 1 on key 01 KEY` in the order
    /// iproute2's ipmacsec.c writes it: ifindex, then the SA nest (AN, PN,
    /// key id, key, active).
    #[test]
    fn add_txsa_is_what_ip_sends() {
        let sa = SaConfig::new(0, 1, "01".parse().unwrap(), Key::from_hex(KEY).unwrap());
        let mut buf = Vec::new();
        sa.write_add_tx(FAM, 9, &mut buf).unwrap();
        assert_eq!(&buf[16..20], &[MACSEC_CMD_ADD_TXSA, 1, 0, 0]);
        let key = Key::from_hex(KEY).unwrap();
        #[rustfmt::skip]
        let mut attrs: Vec<u8> = vec![
            8, 0, 1, 0, 9, 0, 0, 0,
            68, 0, 3, 0x80,
            5, 0, 1, 0, 0, 0, 0, 0,
            8, 0, 3, 0, 1, 0, 0, 0,
            20, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            20, 0, 4, 0,
        ];
        attrs.extend_from_slice(key.reveal());
        attrs.extend_from_slice(&[5, 0, 2, 0, 1, 0, 0, 0]);
        assert_eq!(&buf[20..], &attrs[..]);
    }

    #[test]
    fn keys_never_show() {
        let key = Key::from_hex(KEY).unwrap();
        let sa = SaConfig {
            salt: Some(Key::new([7u8; 12])),
            ssci: Some(1),
            ..SaConfig::new(1, 5, KeyId::default(), key.clone())
        };
        let shown = format!("{sa:?} {key:?}");
        assert!(!shown.contains("ad7c") && !shown.contains("173"), "{shown}");
        assert!(shown.contains("Key(<16 bytes>)") && shown.contains("Key(<12 bytes>)"));
        // A bad key's error does not repeat it.
        let e = Key::from_hex("ad7cf13d86ec1f2d4a4a1f8d4e0f4c2").unwrap_err();
        assert!(!e.to_string().contains("ad7c"), "{e}");
        // Changing an association cannot carry a key.
        let e = sa.write_set_tx(FAM, 1, &mut Vec::new()).unwrap_err();
        assert!(!format!("{e} {e:?}").contains("ad7c"));
    }

    #[test]
    fn requests_are_checked() {
        let key = || Key::from_hex(KEY).unwrap();
        let id = KeyId::default();
        let bad = [
            SaConfig::new(4, 1, id, key()),
            SaConfig::new(0, 0, id, key()),
            SaConfig::new(0, 1 << 32, id, key()),
            SaConfig {
                key: None,
                ..SaConfig::new(0, 1, id, key())
            },
        ];
        for sa in bad {
            assert!(sa.write_add_tx(FAM, 1, &mut Vec::new()).is_err(), "{sa:?}");
        }
        // With an XPN suite a 64-bit PN is written as 64 bits.
        let xpn = SaConfig {
            extended_pn: true,
            ..SaConfig::new(0, 1 << 32, id, key())
        };
        let mut buf = Vec::new();
        xpn.write_add_rx(FAM, 1, Sci(5), &mut buf).unwrap();
        let g = genl(&buf);
        let sa = g.attrs().get(MACSEC_ATTR_SA_CONFIG).unwrap().unwrap();
        let pn = sa.nested().get(MACSEC_SA_ATTR_PN).unwrap().unwrap();
        assert_eq!(pn.u64().unwrap(), 1 << 32);
        let sc = g.attrs().get(MACSEC_ATTR_RXSC_CONFIG).unwrap().unwrap();
        let sci = sc.nested().get(MACSEC_RXSC_ATTR_SCI).unwrap().unwrap();
        assert_eq!(sci.payload(), &[0, 0, 0, 0, 0, 0, 0, 5]);
        // Deleting sends the AN alone.
        let mut buf = Vec::new();
        SaConfig::write_del_rx(FAM, 1, Sci(5), 2, &mut buf).unwrap();
        let g = genl(&buf);
        let sa = g.attrs().get(MACSEC_ATTR_SA_CONFIG).unwrap().unwrap();
        assert_eq!(sa.payload(), &[5, 0, 1, 0, 2, 0, 0, 0]);
    }

    /// A dump entry built the way the kernel's `dump_secy` fills it.
    #[test]
    fn dump_entry_reads_like_ip_macsec_show() {
        let sci = Sci::new([0x52, 0x54, 0, 0x12, 0x34, 0x56], 1);
        let peer = Sci::new([0x52, 0x54, 0, 0x12, 0x34, 0x57], 1);
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr {
            cmd: MACSEC_CMD_GET_TXSC,
            version: 1,
            reserved: [0; 2],
        });
        m.put_u32(MACSEC_ATTR_IFINDEX, 6);
        m.nest(MACSEC_ATTR_SECY, |m| {
            m.put_be64(MACSEC_SECY_ATTR_SCI, sci.0)
                .put_u64(MACSEC_SECY_ATTR_CIPHER_SUITE, MACSEC_CIPHER_ID_GCM_AES_128)
                .put_u8(MACSEC_SECY_ATTR_ICV_LEN, 16)
                .put_u8(MACSEC_SECY_ATTR_OPER, 1)
                .put_u8(MACSEC_SECY_ATTR_PROTECT, 1)
                .put_u8(MACSEC_SECY_ATTR_REPLAY, 0)
                .put_u8(MACSEC_SECY_ATTR_VALIDATE, 2)
                .put_u8(MACSEC_SECY_ATTR_ENCRYPT, 1)
                .put_u8(MACSEC_SECY_ATTR_INC_SCI, 1)
                .put_u8(MACSEC_SECY_ATTR_ES, 0)
                .put_u8(MACSEC_SECY_ATTR_SCB, 0)
                .put_u8(MACSEC_SECY_ATTR_ENCODING_SA, 0)
                .put_u32(MACSEC_SECY_ATTR_WINDOW, 0);
        });
        m.nest(MACSEC_ATTR_TXSC_STATS, |m| {
            m.put_u64(MACSEC_TXSC_STATS_ATTR_OUT_PKTS_PROTECTED, 3);
        });
        m.nest(MACSEC_ATTR_SECY_STATS, |m| {
            m.put_flag(MACSEC_SECY_STATS_ATTR_PAD)
                .put_u64(MACSEC_SECY_STATS_ATTR_IN_PKTS_NO_TAG, 2);
        });
        m.nest(MACSEC_ATTR_TXSA_LIST, |m| {
            m.nest(1, |m| {
                m.nest(MACSEC_SA_ATTR_STATS, |m| {
                    m.put_u32(MACSEC_SA_STATS_ATTR_OUT_PKTS_PROTECTED, 3);
                })
                .put_u8(MACSEC_SA_ATTR_AN, 0)
                .put_u32(MACSEC_SA_ATTR_PN, 4)
                .put_bytes(MACSEC_SA_ATTR_KEYID, &[1; 16])
                .put_u8(MACSEC_SA_ATTR_ACTIVE, 1);
            });
        });
        m.nest(MACSEC_ATTR_RXSC_LIST, |m| {
            m.nest(1, |m| {
                m.put_u8(MACSEC_RXSC_ATTR_ACTIVE, 1)
                    .put_be64(MACSEC_RXSC_ATTR_SCI, peer.0)
                    .nest(MACSEC_RXSC_ATTR_SA_LIST, |m| {
                        m.nest(1, |m| {
                            m.put_u8(MACSEC_SA_ATTR_AN, 2)
                                .put_u32(MACSEC_SA_ATTR_PN, 1)
                                .put_bytes(MACSEC_SA_ATTR_KEYID, &[2; 16])
                                .put_u8(MACSEC_SA_ATTR_ACTIVE, 0);
                        });
                    });
            });
        });
        m.nest(MACSEC_ATTR_OFFLOAD, |m| {
            m.put_u8(MACSEC_OFFLOAD_ATTR_TYPE, 0);
        });
        m.finish().unwrap();
        let d = MacsecDevice::parse(&genl(&buf)).unwrap();
        assert_eq!(d.ifindex, 6);
        assert_eq!(d.secy.sci, sci);
        assert_eq!(d.tx_sas.len(), 1);
        assert_eq!(
            d.tx_sas[0]
                .stats
                .get(MACSEC_SA_STATS_ATTR_OUT_PKTS_PROTECTED),
            Some(3)
        );
        assert_eq!(
            d.secy_stats.get(MACSEC_SECY_STATS_ATTR_IN_PKTS_NO_TAG),
            Some(2)
        );
        assert_eq!(d.rx_scs[0].sas[0].an, 2);
        assert_eq!(
            d.to_string(),
            "6: protect on validate strict encrypt on send_sci on end_station off scb off \
             replay off window 0 \n\
             \x20   cipher suite: GCM-AES-128, using ICV length 16\n\
             \x20   TXSC: 5254001234560001 on SA 0\n\
             \x20       0: PN 4, state on, key 01010101010101010101010101010101\n\
             \x20   RXSC: 5254001234570001, state on\n\
             \x20       2: PN 1, state off, key 02020202020202020202020202020202\n\
             \x20   offload: off \n"
        );
        // Without the ifindex it is not a device.
        let mut buf = Vec::new();
        MacsecDevice::write_dump(FAM, &mut buf).unwrap();
        assert!(MacsecDevice::parse(&genl(&buf)).is_err());
    }

    #[test]
    fn channels_and_offload() {
        let sc = RxScConfig {
            sci: Sci(0x5254_0012_3457_0001),
            active: Some(false),
        };
        let mut buf = Vec::new();
        sc.write_add(FAM, 3, &mut buf).unwrap();
        let g = genl(&buf);
        assert_eq!(g.cmd(), MACSEC_CMD_ADD_RXSC);
        let nest = g.attrs().get(MACSEC_ATTR_RXSC_CONFIG).unwrap().unwrap();
        assert_eq!(
            nest.nested()
                .get(MACSEC_RXSC_ATTR_ACTIVE)
                .unwrap()
                .unwrap()
                .u8()
                .unwrap(),
            0
        );
        let mut buf = Vec::new();
        RxScConfig::write_del(FAM, 3, sc.sci, &mut buf).unwrap();
        let nest = genl(&buf)
            .attrs()
            .get(MACSEC_ATTR_RXSC_CONFIG)
            .unwrap()
            .unwrap();
        assert!(
            nest.nested()
                .get(MACSEC_RXSC_ATTR_ACTIVE)
                .unwrap()
                .is_none()
        );
        let mut buf = Vec::new();
        Offload::Mac.write_set(FAM, 3, &mut buf).unwrap();
        assert_eq!(
            &buf[16..],
            &[
                MACSEC_CMD_UPD_OFFLOAD,
                1,
                0,
                0,
                8,
                0,
                1,
                0,
                3,
                0,
                0,
                0,
                12,
                0,
                9,
                0x80,
                5,
                0,
                1,
                0,
                2,
                0,
                0,
                0
            ]
        );
        assert_eq!(cipher_name(MACSEC_DEFAULT_CIPHER_ID), "GCM-AES-128");
        assert_eq!(cipher_name(7), "(unknown)");
        assert_eq!(Validate::from_u8(9).name(), "(unknown)");
    }
}
