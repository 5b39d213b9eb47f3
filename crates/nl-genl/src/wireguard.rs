//! WireGuard (genl family `"wireguard"`, `<linux/wireguard.h>`): read a
//! device with its peers ([`Device`], `WG_CMD_GET_DEVICE`) and change it
//! ([`Config`], `WG_CMD_SET_DEVICE`), in wgctrl's terms.
//!
//! A device with many peers does not fit one message either way, because
//! a nest's `nla_len` is 16 bits:
//!
//! ```text
//! GET (a dump)  msg 1: IFINDEX IFNAME PRIVATE_KEY PUBLIC_KEY PORT FWMARK PEERS{ p1 p2 p3(part) }
//!               msg 2:                                                  PEERS{ p3(rest) p4 ... }
//! SET           msg 1: IFNAME PRIVATE_KEY PORT FWMARK FLAGS(replace) PEERS{ p1 p2 p3(part) }
//!               msg 2: IFNAME                                         PEERS{ p3(rest) p4 ... }
//! ```
//!
//! The kernel continues a peer whose allowed IPs did not fit in the next
//! message, repeating only its public key: [`Device::merge`] joins such a
//! peer to the previous one (as wireguard-tools' `coalesce_peers` does).
//! [`Config::write_set`] splits the other way: device settings and
//! `WGDEVICE_F_REPLACE_PEERS` go in the first message only, and a peer
//! continued in a later message repeats its public key (and its remove /
//! update-only flags) but not `WGPEER_F_REPLACE_ALLOWEDIPS` nor its other
//! settings, so the kernel adds the rest of its allowed IPs to the first
//! part. Send the messages in order, each waiting for its ack.
//!
//! Keys: [`Key`] is a public key and prints as base64, like `wg`;
//! [`PrivateKey`] and [`PresharedKey`] never print their bytes (`Debug`
//! and `Display` say `(hidden)`, as `wg show` does); their base64 is
//! reachable only through an explicit [`PrivateKey::to_base64`].
//!
//! Like the rest of the crate this module does no I/O.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use core::ops::Range;
use core::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Attr, Attrs, Msg, MsgBuilder};

use crate::error::{Error, Result};
use crate::uapi::wireguard::*;
use crate::{GenlMsg, request};

/// The family's name.
pub const FAMILY: &str = "wireguard";

/// Largest `WG_CMD_SET_DEVICE` message [`Config::write_set`] writes: its
/// peers nest must stay under the 64 KiB an `nla_len` can say.
pub const MAX_SET_MSG: usize = 65532;

/// `AF_INET` and `AF_INET6` of `<linux/socket.h>`, as the endpoint and
/// allowed-IP attributes carry them.
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;

/// `sizeof(struct sockaddr_in)` and `sizeof(struct sockaddr_in6)`.
const SOCKADDR_IN_LEN: usize = 16;
const SOCKADDR_IN6_LEN: usize = 28;

// ---- Keys ---------------------------------------------------------------

/// The base64 text of a key is 44 characters: 43 and one `=`.
const KEY_B64_LEN: usize = 44;

/// A 6-bit value as its base64 character, without branches on the value
/// (keys are secrets; wireguard-tools encodes the same way).
fn b64_char(v: u8) -> u8 {
    let v = i32::from(v & 63);
    // 'A' + v, then shifted into 'a'.., '0'.., '+', '/' by masks that are
    // all-ones exactly when v passed 25, 51, 61, 62.
    let c = v + i32::from(b'A') + (((25 - v) >> 8) & 6)
        - (((51 - v) >> 8) & 75)
        - (((61 - v) >> 8) & 15)
        + (((62 - v) >> 8) & 3);
    u8::try_from(c).unwrap_or(b'A')
}

/// A base64 character's 6-bit value, or -1, without branches on the
/// character.
fn b64_value(c: u8) -> i32 {
    let c = i32::from(c);
    // Each term is (value + 1) when c is in its range, 0 otherwise: the
    // mask is all-ones when both (lo - 1 - c) and (c - hi - 1) are negative.
    let within = |lo: u8, hi: u8| ((i32::from(lo) - 1 - c) & (c - i32::from(hi) - 1)) >> 8;
    -1 + (within(b'A', b'Z') & (c - 64))
        + (within(b'a', b'z') & (c - 70))
        + (within(b'0', b'9') & (c + 5))
        + (within(b'+', b'+') & 63)
        + (within(b'/', b'/') & 64)
}

/// 32 bytes as standard base64 with padding (44 characters).
fn encode_key(key: &[u8; WG_KEY_LEN]) -> String {
    let mut out = String::with_capacity(KEY_B64_LEN);
    for chunk in key.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let sextets = [b0 >> 2, (b0 << 4) | (b1 >> 4), (b1 << 2) | (b2 >> 6), b2];
        // A chunk of n bytes gives n + 1 characters, then padding.
        for (i, s) in sextets.iter().enumerate() {
            out.push(if i <= chunk.len() {
                char::from(b64_char(*s))
            } else {
                '='
            });
        }
    }
    out
}

/// Reads the base64 text of a key: exactly 44 characters, the last `=`,
/// and no stray bits in the last character (the form `wg` accepts).
fn decode_key(text: &str) -> Option<[u8; WG_KEY_LEN]> {
    let s = text.as_bytes();
    if s.len() != KEY_B64_LEN || s.last() != Some(&b'=') {
        return None;
    }
    let mut key = [0u8; WG_KEY_LEN];
    let mut bad = 0i32;
    // Ten groups of four characters make 30 bytes ...
    for (group, out) in s.chunks(4).zip(key.chunks_mut(3)) {
        let mut v = 0i32;
        for (i, c) in group.iter().enumerate() {
            let d = if i == 3 && group.len() == 4 && out.len() == 2 {
                0
            } else {
                b64_value(*c)
            };
            bad |= d;
            v |= d << (18 - 6 * i32::try_from(i).unwrap_or(0));
        }
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::try_from((v >> (16 - 8 * i32::try_from(i).unwrap_or(0))) & 0xff).unwrap_or(0);
        }
        // ... and the last "XXX=" two, whose third character must carry no
        // bits past them.
        if out.len() == 2 {
            bad |= -(v & 0xff);
        }
    }
    (bad >= 0).then_some(key)
}

/// Compares two keys in time that does not depend on where they differ.
fn same_secret(a: &[u8; WG_KEY_LEN], b: &[u8; WG_KEY_LEN]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A WireGuard public key: 32 bytes, printed and parsed as base64 (as in
/// `wg show` and configuration files).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Key([u8; WG_KEY_LEN]);

impl Key {
    /// The key with these bytes.
    pub const fn new(bytes: [u8; WG_KEY_LEN]) -> Self {
        Key(bytes)
    }

    /// The key's bytes.
    pub const fn as_bytes(&self) -> &[u8; WG_KEY_LEN] {
        &self.0
    }

    /// The key as base64.
    pub fn to_base64(&self) -> String {
        encode_key(&self.0)
    }

    /// Reads a key from base64 (44 characters).
    pub fn from_base64(text: &str) -> Result<Self> {
        decode_key(text)
            .map(Key)
            .ok_or_else(|| key_error("public key", text.len()))
    }

    /// Whether every byte is zero (no key).
    pub fn is_zero(&self) -> bool {
        self.0 == [0; WG_KEY_LEN]
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_key(&self.0))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({self})")
    }
}

impl FromStr for Key {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Key::from_base64(s)
    }
}

impl From<[u8; WG_KEY_LEN]> for Key {
    fn from(bytes: [u8; WG_KEY_LEN]) -> Self {
        Key(bytes)
    }
}

/// The error for key text that is not 44 characters of base64; the text
/// itself is left out (it may be a secret).
fn key_error(what: &'static str, len: usize) -> Error {
    Error::invalid(
        what,
        format!("not a base64 WireGuard key ({len} characters; a key is 44 ending in '=')"),
    )
}

macro_rules! secret_key {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        ///
        /// `Debug` and `Display` print `(hidden)`, never the bytes; equality
        /// takes the same time wherever two keys differ; the bytes are
        /// overwritten with zeros when the key is dropped (best effort: copies
        /// the compiler made are not reached).
        #[derive(Clone, Default)]
        pub struct $name([u8; WG_KEY_LEN]);

        impl $name {
            /// The key with these bytes.
            pub const fn new(bytes: [u8; WG_KEY_LEN]) -> Self {
                $name(bytes)
            }

            /// The all-zero key, which the kernel reads as "remove the key".
            pub const fn zero() -> Self {
                $name([0; WG_KEY_LEN])
            }

            /// The secret bytes.
            pub const fn as_bytes(&self) -> &[u8; WG_KEY_LEN] {
                &self.0
            }

            /// The secret as base64 (for a configuration file): the only
            /// way its text is printed.
            pub fn to_base64(&self) -> String {
                encode_key(&self.0)
            }

            /// Reads the key from base64 (44 characters).
            pub fn from_base64(text: &str) -> Result<Self> {
                decode_key(text).map($name).ok_or_else(|| key_error($what, text.len()))
            }

            /// Whether every byte is zero (no key).
            pub fn is_zero(&self) -> bool {
                same_secret(&self.0, &[0; WG_KEY_LEN])
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("(hidden)")
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(hidden)"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                same_secret(&self.0, &other.0)
            }
        }

        impl Eq for $name {}

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                $name::from_base64(s)
            }
        }

        impl From<[u8; WG_KEY_LEN]> for $name {
            fn from(bytes: [u8; WG_KEY_LEN]) -> Self {
                $name(bytes)
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.0 = [0; WG_KEY_LEN];
                // Keeps the zeroing from being optimized away as a dead store.
                core::hint::black_box(&self.0);
            }
        }
    };
}

secret_key!(
    /// A WireGuard private key (`wg genkey`).
    PrivateKey,
    "private key"
);

secret_key!(
    /// A peer's preshared key (`wg genpsk`).
    PresharedKey,
    "preshared key"
);

// ---- Which device -------------------------------------------------------

/// The WireGuard link a request is about: by index or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Interface {
    /// `WGDEVICE_A_IFINDEX`.
    Index(u32),
    /// `WGDEVICE_A_IFNAME`.
    Name(String),
}

impl Interface {
    fn put(&self, m: &mut MsgBuilder<'_>) {
        match self {
            Interface::Index(i) => m.put_u32(WGDEVICE_A_IFINDEX, *i),
            Interface::Name(n) => m.put_str(WGDEVICE_A_IFNAME, n),
        };
    }

    fn check(&self) -> Result<()> {
        match self {
            Interface::Name(n) if n.is_empty() || n.len() >= 16 || n.contains('\0') => Err(
                Error::invalid("interface name", format!("{n:?}: 1 to 15 bytes, no NUL")),
            ),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Interface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interface::Index(i) => write!(f, "if{i}"),
            Interface::Name(n) => write!(f, "{n:?}"),
        }
    }
}

impl From<u32> for Interface {
    fn from(index: u32) -> Self {
        Interface::Index(index)
    }
}

impl From<&str> for Interface {
    fn from(name: &str) -> Self {
        Interface::Name(name.to_string())
    }
}

impl From<String> for Interface {
    fn from(name: String) -> Self {
        Interface::Name(name)
    }
}

impl From<&String> for Interface {
    fn from(name: &String) -> Self {
        Interface::Name(name.clone())
    }
}

impl From<&Interface> for Interface {
    fn from(i: &Interface) -> Self {
        i.clone()
    }
}

// ---- Reading a device ---------------------------------------------------

/// A WireGuard device as the kernel reports it (wgctrl's `Device`;
/// `wg show`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Device {
    /// The link's name.
    pub name: String,
    /// The link's index.
    pub index: u32,
    /// The private key, if set (hidden when printed).
    pub private_key: Option<PrivateKey>,
    /// The public key derived from it, if set.
    pub public_key: Option<Key>,
    /// The UDP port it listens on (the kernel picks one when 0 was set).
    pub listen_port: u16,
    /// The mark of its outgoing packets (0: none).
    pub firewall_mark: u32,
    /// Its peers, in the kernel's order.
    pub peers: Vec<Peer>,
}

/// A peer of a [`Device`] (wgctrl's `Peer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// The peer's public key: its identity.
    pub public_key: Key,
    /// The preshared key, if set (hidden when printed).
    pub preshared_key: Option<PresharedKey>,
    /// Where its packets go, if known.
    pub endpoint: Option<SocketAddr>,
    /// How often a keepalive is sent when idle (zero: off).
    pub persistent_keepalive_interval: Duration,
    /// When the last handshake completed, if one did.
    pub last_handshake_time: Option<SystemTime>,
    /// Bytes received from it.
    pub receive_bytes: u64,
    /// Bytes sent to it.
    pub transmit_bytes: u64,
    /// The source addresses accepted from it and routed to it.
    pub allowed_ips: Vec<IpNet>,
    /// The protocol version (1).
    pub protocol_version: u32,
}

impl Peer {
    /// A peer with this key and nothing else.
    pub fn new(public_key: Key) -> Self {
        Peer {
            public_key,
            preshared_key: None,
            endpoint: None,
            persistent_keepalive_interval: Duration::ZERO,
            last_handshake_time: None,
            receive_bytes: 0,
            transmit_bytes: 0,
            allowed_ips: Vec::new(),
            protocol_version: 0,
        }
    }
}

impl Device {
    /// Writes the `WG_CMD_GET_DEVICE` dump of device `dev` (the kernel
    /// answers one device, in as many messages as its peers need).
    pub fn write_get(family: u16, dev: &Interface, buf: &mut Vec<u8>) -> Result<()> {
        dev.check()?;
        let mut m = request(buf, family, WG_CMD_GET_DEVICE, WG_GENL_VERSION, NLM_F_DUMP);
        dev.put(&mut m);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Reads one `WG_CMD_GET_DEVICE` reply message as a whole device.
    /// A device that took several messages is read with [`Device::merge`].
    pub fn parse(msg: &Msg<'_>) -> Result<Device> {
        let mut d = Device::default();
        d.merge(msg)?;
        Ok(d)
    }

    /// Adds one message of a `WG_CMD_GET_DEVICE` dump to this device: the
    /// device's settings (which only the first message carries) and its
    /// share of the peers. A peer with the public key of the peer before
    /// it (the last one so far, when it opens a message) is the rest of
    /// that peer: its allowed IPs are added to it. Start from
    /// `Device::default()` and merge the messages in order.
    pub fn merge(&mut self, msg: &Msg<'_>) -> Result<()> {
        let genl = GenlMsg::parse(msg, 0)?;
        let err = |e| genl.wire_error(FAMILY, e);
        for a in genl.attrs() {
            let a = a.map_err(err)?;
            match a.ty() {
                WGDEVICE_A_IFINDEX => self.index = a.u32().map_err(err)?,
                WGDEVICE_A_IFNAME => self.name = a.cstr().map_err(err)?.to_string(),
                WGDEVICE_A_PRIVATE_KEY => {
                    self.private_key = Some(PrivateKey(key_bytes(&a).map_err(err)?));
                }
                WGDEVICE_A_PUBLIC_KEY => self.public_key = Some(Key(key_bytes(&a).map_err(err)?)),
                WGDEVICE_A_LISTEN_PORT => self.listen_port = a.u16().map_err(err)?,
                WGDEVICE_A_FWMARK => self.firewall_mark = a.u32().map_err(err)?,
                WGDEVICE_A_PEERS => self.merge_peers(a.nested(), &genl)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn merge_peers(&mut self, peers: Attrs<'_>, genl: &GenlMsg<'_>) -> Result<()> {
        for p in peers {
            let p = p.map_err(|e| genl.wire_error(FAMILY, e))?;
            let peer = parse_peer(p.nested(), genl)?;
            match self.peers.last_mut() {
                // The kernel's continuation of a peer whose allowed IPs
                // filled the previous message: key and allowed IPs only.
                Some(last) if last.public_key == peer.public_key => {
                    last.allowed_ips.extend(peer.allowed_ips);
                }
                _ => self.peers.push(peer),
            }
        }
        Ok(())
    }

    /// The configuration that makes another device the same as this one
    /// (`wg showconf | wg setconf`): its keys, port, mark and peers,
    /// replacing whatever peers it had.
    pub fn config(&self) -> Config {
        Config {
            private_key: self.private_key.clone(),
            listen_port: Some(self.listen_port),
            firewall_mark: Some(self.firewall_mark),
            replace_peers: true,
            peers: self
                .peers
                .iter()
                .map(|p| PeerConfig {
                    public_key: p.public_key,
                    remove: false,
                    update_only: false,
                    preshared_key: p.preshared_key.clone(),
                    endpoint: p.endpoint,
                    persistent_keepalive_interval: Some(p.persistent_keepalive_interval),
                    replace_allowed_ips: true,
                    allowed_ips: p.allowed_ips.clone(),
                })
                .collect(),
        }
    }

    /// The peer with this public key.
    pub fn peer(&self, key: &Key) -> Option<&Peer> {
        self.peers.iter().find(|p| p.public_key == *key)
    }
}

fn key_bytes(a: &Attr<'_>) -> nl_wire::Result<[u8; WG_KEY_LEN]> {
    a.payload()
        .try_into()
        .map_err(|_| nl_wire::Error::PayloadLen {
            ty: a.ty(),
            need: WG_KEY_LEN,
            have: a.payload().len(),
            offset: a.offset(),
        })
}

fn parse_peer(attrs: Attrs<'_>, genl: &GenlMsg<'_>) -> Result<Peer> {
    let err = |e| genl.wire_error(FAMILY, e);
    let mut peer = Peer::new(Key::default());
    for a in attrs {
        let a = a.map_err(err)?;
        match a.ty() {
            WGPEER_A_PUBLIC_KEY => peer.public_key = Key(key_bytes(&a).map_err(err)?),
            WGPEER_A_PRESHARED_KEY => {
                let k = PresharedKey(key_bytes(&a).map_err(err)?);
                // The kernel sends zeros for "no preshared key".
                peer.preshared_key = (!k.is_zero()).then_some(k);
            }
            WGPEER_A_ENDPOINT => peer.endpoint = parse_endpoint(a.payload()),
            WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL => {
                peer.persistent_keepalive_interval =
                    Duration::from_secs(a.u16().map_err(err)?.into());
            }
            WGPEER_A_LAST_HANDSHAKE_TIME => {
                peer.last_handshake_time = parse_timespec(&a).map_err(err)?;
            }
            WGPEER_A_RX_BYTES => peer.receive_bytes = a.u64().map_err(err)?,
            WGPEER_A_TX_BYTES => peer.transmit_bytes = a.u64().map_err(err)?,
            WGPEER_A_PROTOCOL_VERSION => peer.protocol_version = a.u32().map_err(err)?,
            WGPEER_A_ALLOWEDIPS => {
                for ip in a.nested() {
                    let ip = ip.map_err(err)?;
                    if let Some(net) = parse_allowed_ip(ip.nested()).map_err(err)? {
                        peer.allowed_ips.push(net);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(peer)
}

/// A `struct sockaddr_in` or `sockaddr_in6` (port and flow info in network
/// order, scope id in host order); `None` for another family.
fn parse_endpoint(b: &[u8]) -> Option<SocketAddr> {
    let family = u16::from_ne_bytes(b.get(0..2)?.try_into().ok()?);
    let port = u16::from_be_bytes(b.get(2..4)?.try_into().ok()?);
    match family {
        AF_INET if b.len() >= SOCKADDR_IN_LEN => {
            let ip: [u8; 4] = b.get(4..8)?.try_into().ok()?;
            Some(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(ip), port)))
        }
        AF_INET6 if b.len() >= SOCKADDR_IN6_LEN => {
            let flow = u32::from_be_bytes(b.get(4..8)?.try_into().ok()?);
            let ip: [u8; 16] = b.get(8..24)?.try_into().ok()?;
            let scope = u32::from_ne_bytes(b.get(24..28)?.try_into().ok()?);
            Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(ip),
                port,
                flow,
                scope,
            )))
        }
        _ => None,
    }
}

/// Writes `addr` as the kernel's `struct sockaddr_in[6]`.
fn endpoint_bytes(addr: &SocketAddr, out: &mut [u8; SOCKADDR_IN6_LEN]) -> usize {
    *out = [0; SOCKADDR_IN6_LEN];
    let mut put = |at: usize, bytes: &[u8]| {
        if let Some(dst) = out.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    };
    match addr {
        SocketAddr::V4(a) => {
            put(0, &AF_INET.to_ne_bytes());
            put(2, &a.port().to_be_bytes());
            put(4, &a.ip().octets());
            SOCKADDR_IN_LEN
        }
        SocketAddr::V6(a) => {
            put(0, &AF_INET6.to_ne_bytes());
            put(2, &a.port().to_be_bytes());
            put(4, &a.flowinfo().to_be_bytes());
            put(8, &a.ip().octets());
            put(24, &a.scope_id().to_ne_bytes());
            SOCKADDR_IN6_LEN
        }
    }
}

/// `struct __kernel_timespec` (two `i64`); all zero means "never".
fn parse_timespec(a: &Attr<'_>) -> nl_wire::Result<Option<SystemTime>> {
    let b = a.payload();
    let bad = || nl_wire::Error::PayloadLen {
        ty: a.ty(),
        need: 16,
        have: b.len(),
        offset: a.offset(),
    };
    let (Some(sec), Some(nsec), 16) = (b.get(0..8), b.get(8..16), b.len()) else {
        return Err(bad());
    };
    let sec = i64::from_ne_bytes(sec.try_into().map_err(|_| bad())?);
    let nsec = i64::from_ne_bytes(nsec.try_into().map_err(|_| bad())?);
    if sec == 0 && nsec == 0 {
        return Ok(None);
    }
    let (Ok(sec), Ok(nsec)) = (u64::try_from(sec), u32::try_from(nsec)) else {
        // Before 1970: not a time the kernel records for a handshake.
        return Ok(None);
    };
    Ok(UNIX_EPOCH.checked_add(Duration::new(sec, nsec.min(999_999_999))))
}

/// One allowed IP: family, address, prefix length. An address whose
/// family is unknown (newer kernel) is skipped.
fn parse_allowed_ip(attrs: Attrs<'_>) -> nl_wire::Result<Option<IpNet>> {
    let mut family = None;
    let mut addr = None;
    let mut cidr = None;
    for a in attrs {
        let a = a?;
        match a.ty() {
            WGALLOWEDIP_A_FAMILY => family = Some(a.u16()?),
            WGALLOWEDIP_A_IPADDR => addr = Some(a),
            WGALLOWEDIP_A_CIDR_MASK => cidr = Some(a),
            _ => {}
        }
    }
    let (Some(family), Some(addr), Some(cidr)) = (family, addr, cidr) else {
        return Ok(None);
    };
    let len = cidr.u8()?;
    let bad_len = |max: usize| nl_wire::Error::PayloadLen {
        ty: WGALLOWEDIP_A_CIDR_MASK,
        need: max,
        have: usize::from(len),
        offset: cidr.offset(),
    };
    Ok(match family {
        AF_INET => Some(IpNet::V4(
            Ipv4Net::new(addr.ipv4()?, len).map_err(|_| bad_len(32))?,
        )),
        AF_INET6 => Some(IpNet::V6(
            Ipv6Net::new(addr.ipv6()?, len).map_err(|_| bad_len(128))?,
        )),
        _ => None,
    })
}

// ---- Changing a device --------------------------------------------------

/// Changes to a WireGuard device (wgctrl's `Config`; `wg set`,
/// `wg setconf`). Fields left `None` are left as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// A new private key; [`PrivateKey::zero`] removes it.
    pub private_key: Option<PrivateKey>,
    /// A new listen port; 0 lets the kernel pick one.
    pub listen_port: Option<u16>,
    /// A new firewall mark; 0 removes it.
    pub firewall_mark: Option<u32>,
    /// Remove every peer not in `peers` first (`wg setconf`).
    pub replace_peers: bool,
    /// Peers to add, change or remove.
    pub peers: Vec<PeerConfig>,
}

/// Changes to one peer (wgctrl's `PeerConfig`): a peer not on the device
/// is created unless `update_only`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerConfig {
    /// The peer's public key.
    pub public_key: Key,
    /// Remove the peer (everything else is ignored).
    pub remove: bool,
    /// Change the peer only if it exists; never create it.
    pub update_only: bool,
    /// A new preshared key; [`PresharedKey::zero`] removes it.
    pub preshared_key: Option<PresharedKey>,
    /// A new endpoint.
    pub endpoint: Option<SocketAddr>,
    /// A new keepalive interval, whole seconds up to 65535; zero: off.
    pub persistent_keepalive_interval: Option<Duration>,
    /// Remove the peer's allowed IPs before adding `allowed_ips`.
    pub replace_allowed_ips: bool,
    /// Allowed IPs to add.
    pub allowed_ips: Vec<IpNet>,
}

impl Config {
    /// A configuration that changes nothing yet.
    pub fn new() -> Self {
        Config::default()
    }

    /// Sets the private key.
    #[must_use]
    pub fn with_private_key(mut self, key: PrivateKey) -> Self {
        self.private_key = Some(key);
        self
    }

    /// Sets the listen port.
    #[must_use]
    pub fn with_listen_port(mut self, port: u16) -> Self {
        self.listen_port = Some(port);
        self
    }

    /// Sets the firewall mark.
    #[must_use]
    pub fn with_firewall_mark(mut self, mark: u32) -> Self {
        self.firewall_mark = Some(mark);
        self
    }

    /// Replaces every peer with `peers`.
    #[must_use]
    pub fn with_replace_peers(mut self, replace: bool) -> Self {
        self.replace_peers = replace;
        self
    }

    /// Adds a peer change.
    #[must_use]
    pub fn with_peer(mut self, peer: PeerConfig) -> Self {
        self.peers.push(peer);
        self
    }

    /// Writes the `WG_CMD_SET_DEVICE` messages that apply this
    /// configuration to device `dev`, each at most [`MAX_SET_MSG`] bytes,
    /// and returns their byte ranges in `buf`: send them in order, each
    /// waiting for its ack, and stop at the first failure.
    pub fn write_set(
        &self,
        family: u16,
        dev: &Interface,
        buf: &mut Vec<u8>,
    ) -> Result<Vec<Range<usize>>> {
        self.write_set_max(family, dev, MAX_SET_MSG, buf)
    }

    /// [`Config::write_set`] with messages of at most `max` bytes (the
    /// device's settings and one allowed IP of a peer must fit).
    pub fn write_set_max(
        &self,
        family: u16,
        dev: &Interface,
        max: usize,
        buf: &mut Vec<u8>,
    ) -> Result<Vec<Range<usize>>> {
        dev.check()?;
        self.check()?;
        let max = max.min(MAX_SET_MSG);
        let start = buf.len();
        let mut out = Vec::new();
        // Where the next message resumes: peer index, allowed-IP index.
        let mut cursor = (0usize, 0usize);
        loop {
            let mut m = request(buf, family, WG_CMD_SET_DEVICE, WG_GENL_VERSION, NLM_F_ACK);
            dev.put(&mut m);
            if out.is_empty() {
                self.put_device(&mut m);
                if m.len() > max {
                    drop(m);
                    buf.truncate(start);
                    return Err(Error::invalid(
                        "message size",
                        format!("{max} bytes do not hold the device's settings"),
                    ));
                }
            }
            let before = cursor;
            if cursor.0 < self.peers.len() {
                let nest = m.nest_start(WGDEVICE_A_PEERS | NLA_F_NESTED);
                cursor = self.put_peers(&mut m, cursor, max);
                m.nest_end(nest);
            }
            if cursor == before && cursor.0 < self.peers.len() {
                drop(m);
                buf.truncate(start);
                return Err(Error::invalid(
                    "message size",
                    format!("{max} bytes hold no peer of this configuration"),
                ));
            }
            out.push(m.finish().map_err(Error::Build)?);
            if cursor.0 >= self.peers.len() {
                return Ok(out);
            }
        }
    }

    fn check(&self) -> Result<()> {
        for p in &self.peers {
            if let Some(k) = p.persistent_keepalive_interval {
                if k.as_secs() > u64::from(u16::MAX) {
                    return Err(Error::invalid(
                        "persistent keepalive interval",
                        format!(
                            "{}s of peer {}: at most 65535 seconds",
                            k.as_secs(),
                            p.public_key
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn put_device(&self, m: &mut MsgBuilder<'_>) {
        if let Some(k) = &self.private_key {
            m.put_bytes(WGDEVICE_A_PRIVATE_KEY, k.as_bytes());
        }
        if let Some(p) = self.listen_port {
            m.put_u16(WGDEVICE_A_LISTEN_PORT, p);
        }
        if let Some(f) = self.firewall_mark {
            m.put_u32(WGDEVICE_A_FWMARK, f);
        }
        if self.replace_peers {
            m.put_u32(WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS);
        }
    }

    /// Puts peers from `cursor` on while they fit in `max` bytes; returns
    /// where the next message resumes.
    fn put_peers(
        &self,
        m: &mut MsgBuilder<'_>,
        mut cursor: (usize, usize),
        max: usize,
    ) -> (usize, usize) {
        while let Some(peer) = self.peers.get(cursor.0) {
            let nest = m.nest_start(NLA_F_NESTED);
            peer.put_head(m, cursor.1 > 0);
            let ips = peer.allowed_ips.get(cursor.1..).unwrap_or_default();
            // The head must fit with room for one allowed IP, or the peer
            // starts in the next message.
            let need = ips
                .first()
                .map_or(0, |ip| ALLOWED_IPS_NEST + allowed_ip_len(ip));
            if m.len() + need > max {
                m.nest_cancel(nest);
                return cursor;
            }
            if !ips.is_empty() {
                let list = m.nest_start(WGPEER_A_ALLOWEDIPS | NLA_F_NESTED);
                for ip in ips {
                    if m.len() + allowed_ip_len(ip) > max {
                        break;
                    }
                    put_allowed_ip(m, ip);
                    cursor.1 += 1;
                }
                m.nest_end(list);
            }
            m.nest_end(nest);
            if cursor.1 < peer.allowed_ips.len() {
                // The rest of this peer's allowed IPs go in the next message.
                return cursor;
            }
            cursor = (cursor.0 + 1, 0);
        }
        cursor
    }
}

/// Bytes of the allowed-IPs nest header.
const ALLOWED_IPS_NEST: usize = 4;

/// Bytes one allowed IP takes: its nest, family, address, prefix length.
fn allowed_ip_len(ip: &IpNet) -> usize {
    let addr = match ip {
        IpNet::V4(_) => 8,
        IpNet::V6(_) => 20,
    };
    4 + 8 + addr + 8
}

fn put_allowed_ip(m: &mut MsgBuilder<'_>, ip: &IpNet) {
    let nest = m.nest_start(NLA_F_NESTED);
    match ip {
        IpNet::V4(n) => {
            m.put_u16(WGALLOWEDIP_A_FAMILY, AF_INET)
                .put_ipv4(WGALLOWEDIP_A_IPADDR, n.addr());
        }
        IpNet::V6(n) => {
            m.put_u16(WGALLOWEDIP_A_FAMILY, AF_INET6)
                .put_ipv6(WGALLOWEDIP_A_IPADDR, n.addr());
        }
    }
    m.put_u8(WGALLOWEDIP_A_CIDR_MASK, ip.prefix_len());
    m.nest_end(nest);
}

impl PeerConfig {
    /// Changes to the peer with this public key (none yet: adding it as is
    /// creates the peer).
    pub fn new(public_key: Key) -> Self {
        PeerConfig {
            public_key,
            remove: false,
            update_only: false,
            preshared_key: None,
            endpoint: None,
            persistent_keepalive_interval: None,
            replace_allowed_ips: false,
            allowed_ips: Vec::new(),
        }
    }

    /// Removes the peer.
    #[must_use]
    pub fn with_remove(mut self) -> Self {
        self.remove = true;
        self
    }

    /// Changes the peer only if it exists.
    #[must_use]
    pub fn with_update_only(mut self) -> Self {
        self.update_only = true;
        self
    }

    /// Sets the preshared key.
    #[must_use]
    pub fn with_preshared_key(mut self, key: PresharedKey) -> Self {
        self.preshared_key = Some(key);
        self
    }

    /// Sets the endpoint.
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: SocketAddr) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Sets the keepalive interval (zero: off).
    #[must_use]
    pub fn with_persistent_keepalive_interval(mut self, every: Duration) -> Self {
        self.persistent_keepalive_interval = Some(every);
        self
    }

    /// Replaces the allowed IPs with those given.
    #[must_use]
    pub fn with_replace_allowed_ips(mut self) -> Self {
        self.replace_allowed_ips = true;
        self
    }

    /// Adds an allowed IP.
    #[must_use]
    pub fn with_allowed_ip(mut self, net: IpNet) -> Self {
        self.allowed_ips.push(net);
        self
    }

    /// Adds allowed IPs.
    #[must_use]
    pub fn with_allowed_ips(mut self, nets: impl IntoIterator<Item = IpNet>) -> Self {
        self.allowed_ips.extend(nets);
        self
    }

    /// The peer's key, settings and flags (in wireguard-tools' order); a
    /// continued peer (`more`) repeats only its key and the flags that
    /// must hold for every part.
    fn put_head(&self, m: &mut MsgBuilder<'_>, more: bool) {
        m.put_bytes(WGPEER_A_PUBLIC_KEY, self.public_key.as_bytes());
        if !more {
            if let Some(k) = &self.preshared_key {
                m.put_bytes(WGPEER_A_PRESHARED_KEY, k.as_bytes());
            }
            if let Some(e) = &self.endpoint {
                let mut sa = [0u8; SOCKADDR_IN6_LEN];
                let len = endpoint_bytes(e, &mut sa);
                m.put_bytes(WGPEER_A_ENDPOINT, sa.get(..len).unwrap_or_default());
            }
            if let Some(k) = self.persistent_keepalive_interval {
                m.put_u16(
                    WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
                    u16::try_from(k.as_secs()).unwrap_or(u16::MAX),
                );
            }
        }
        let mut flags = 0;
        if self.remove {
            flags |= WGPEER_F_REMOVE_ME;
        }
        // Repeated, or a later part would create a peer the first skipped.
        if self.update_only {
            flags |= WGPEER_F_UPDATE_ONLY;
        }
        if self.replace_allowed_ips && !more {
            flags |= WGPEER_F_REPLACE_ALLOWEDIPS;
        }
        if flags != 0 {
            m.put_u32(WGPEER_A_FLAGS, flags);
        }
    }
}

// ---- Printing -----------------------------------------------------------

/// `wg show`'s byte counts: B, then KiB .. TiB with two decimals.
fn fmt_bytes(f: &mut fmt::Formatter<'_>, b: u64) -> fmt::Result {
    const UNITS: [(&str, u64); 4] = [
        ("KiB", 1 << 10),
        ("MiB", 1 << 20),
        ("GiB", 1 << 30),
        ("TiB", 1 << 40),
    ];
    if b < 1024 {
        return write!(f, "{b} B");
    }
    let (unit, size) = UNITS
        .iter()
        .copied()
        .take_while(|(_, size)| b >= *size)
        .last()
        .unwrap_or(("KiB", 1 << 10));
    // Display only: f64's rounding of huge counts does not matter.
    #[allow(clippy::cast_precision_loss)]
    let v = b as f64 / size as f64;
    write!(f, "{v:.2} {unit}")
}

/// `wg show`'s durations: "1 hour, 2 minutes, 3 seconds".
fn fmt_duration(f: &mut fmt::Formatter<'_>, secs: u64) -> fmt::Result {
    let parts = [
        (secs / (365 * 86400), "year"),
        (secs % (365 * 86400) / 86400, "day"),
        (secs % 86400 / 3600, "hour"),
        (secs % 3600 / 60, "minute"),
        (secs % 60, "second"),
    ];
    let mut comma = "";
    for (n, unit) in parts {
        if n > 0 {
            let s = if n == 1 { "" } else { "s" };
            write!(f, "{comma}{n} {unit}{s}")?;
            comma = ", ";
        }
    }
    Ok(())
}

/// Like `wg show DEV` without colours: keys other than public ones are
/// `(hidden)`, peers in the kernel's order (wg sorts them by handshake).
impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "interface: {}", self.name)?;
        if let Some(k) = &self.public_key {
            writeln!(f, "  public key: {k}")?;
        }
        if let Some(k) = &self.private_key {
            writeln!(f, "  private key: {k}")?;
        }
        if self.listen_port != 0 {
            writeln!(f, "  listening port: {}", self.listen_port)?;
        }
        if self.firewall_mark != 0 {
            writeln!(f, "  fwmark: {:#x}", self.firewall_mark)?;
        }
        for p in &self.peers {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

/// One peer as `wg show` prints it; the handshake counted from now.
impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "peer: {}", self.public_key)?;
        if let Some(k) = &self.preshared_key {
            writeln!(f, "  preshared key: {k}")?;
        }
        if let Some(e) = &self.endpoint {
            writeln!(f, "  endpoint: {e}")?;
        }
        f.write_str("  allowed ips: ")?;
        if self.allowed_ips.is_empty() {
            f.write_str("(none)")?;
        }
        for (i, net) in self.allowed_ips.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{net}")?;
        }
        f.write_str("\n")?;
        if let Some(t) = self.last_handshake_time {
            f.write_str("  latest handshake: ")?;
            // Whole seconds on both sides, as wg subtracts them: a
            // handshake at 9.95 s seen at 10.1 s was "1 second ago".
            let secs = |t: SystemTime| {
                t.duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            };
            let (now, then) = (secs(SystemTime::now()), secs(t));
            match now.checked_sub(then) {
                Some(0) => f.write_str("Now")?,
                Some(ago) => {
                    fmt_duration(f, ago)?;
                    f.write_str(" ago")?;
                }
                None => {
                    f.write_str("(System clock wound backward; connection problems may ensue.)")?
                }
            }
            f.write_str("\n")?;
        }
        if self.receive_bytes != 0 || self.transmit_bytes != 0 {
            f.write_str("  transfer: ")?;
            fmt_bytes(f, self.receive_bytes)?;
            f.write_str(" received, ")?;
            fmt_bytes(f, self.transmit_bytes)?;
            f.write_str(" sent\n")?;
        }
        let every = self.persistent_keepalive_interval.as_secs();
        if every != 0 {
            f.write_str("  persistent keepalive: every ")?;
            fmt_duration(f, every)?;
            f.write_str("\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msgs;
    use proptest::prelude::*;

    /// Keys as `wg genkey | tee /dev/stderr | wg pubkey` prints them, with
    /// their bytes (`base64 -d | xxd -p`).
    const KEYS: [(&str, &str); 5] = [
        (
            "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
            "c809f3e5317e9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669",
        ),
        (
            "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=",
            "1c8828f7137324c58b2804928624ea2326f1674537c062e251e2753ca7fcca4c",
        ),
        (
            "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
            "c53201039adba14be71f886da1d8dbe9eebded08cb111b75340078999aa9f038",
        ),
        (
            "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=",
            "4eb32f4a83f88d842563a448cc181bb2c42a637bf12363e2fb2ef594e5965d7d",
        ),
        (
            "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=",
            "1690b2870b3d731c16a15e3110bb5f26f8c937ecd05513c84a59515a07a8a551",
        ),
    ];

    /// Two messages of a `WG_CMD_GET_DEVICE` dump in the kernel's layout
    /// (`wg_get_device_dump`): the device with its first peer, whose second
    /// allowed IP did not fit; then that peer continued (key and the IPv6
    /// allowed IP only) and a second peer with an IPv6 endpoint, no
    /// preshared key (zeros) and no handshake.
    const DUMP_1: &str = "5801000015000200070000003412000000010000060006006cca0000080007002a000000\
        0800010005000000080002007767300024000300c809f3e5317e9575c9b5ed78b638b7ce530dabe85ddab614\
        220241801ddf0669240004001c8828f7137324c58b2804928624ea2326f1674537c062e251e2753ca7fcca4c\
        dc000880d800008024000100c53201039adba14be71f886da1d8dbe9eebded08cb111b75340078999aa9f038\
        240002001690b2870b3d731c16a15e3110bb5f26f8c937ecd05513c84a59515a07a8a5511400060000f15365\
        00000000050000000000000006000500190000000c00080000080000000000000c000700e803000000000000\
        08000a0001000000140004000200ca6cc000020100000000000000003c0009801c0000800600010002000000\
        08000200c633640005000300180000001c000080060001000200000008000200cb0071070500030020000000";
    const DUMP_2: &str = "1401000015000200070000003412000000010000000108805400008024000100c5320103\
        9adba14be71f886da1d8dbe9eebded08cb111b75340078999aa9f0382c00098028000080060001000a000000\
        1400020020010db80001000000000000000000000500030030000000a8000080240001004eb32f4a83f88d84\
        2563a448cc181bb2c42a637bf12363e2fb2ef594e5965d7d2400020000000000000000000000000000000000\
        0000000000000000000000000000000014000600000000000000000000000000000000000600050000000000\
        0c00080000000000000000000c000700000000000000000008000a0001000000200004000a00119400000000\
        20010db800000000000000000000000100000000";

    /// `wg set wg0 private-key K listen-port 51820 fwmark 0 peer P
    /// preshared-key S endpoint 192.0.2.1:51820 persistent-keepalive 25
    /// allowed-ips 198.51.100.0/24,2001:db8::/32` in the layout of
    /// wireguard-tools' `kernel_set_device` (its `replace-peers` as
    /// `wg setconf` sends it), family id 0x15.
    const SET: &str = "1401000015000500000000000000000001010000080002007767300024000300c809f3e5\
        317e9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669060006006cca00000800070000000000\
        0800050001000000bc000880b800008024000100c53201039adba14be71f886da1d8dbe9eebded08cb111b75\
        340078999aa9f038240002001690b2870b3d731c16a15e3110bb5f26f8c937ecd05513c84a59515a07a8a551\
        140004000200ca6cc0000201000000000000000006000500190000000800030002000000480009801c000080\
        060001000200000008000200c6336400050003001800000028000080060001000a0000001400020020010db8\
        0000000000000000000000000500030020000000";

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn key(i: usize) -> [u8; 32] {
        hex(KEYS[i].1).try_into().unwrap()
    }

    fn one(buf: &[u8]) -> Msg<'_> {
        Msgs::new(buf).next().unwrap().unwrap()
    }

    #[test]
    fn test_base64() {
        for (text, bytes) in KEYS {
            let k = Key::from_base64(text).unwrap();
            assert_eq!(k.as_bytes()[..], hex(bytes)[..]);
            assert_eq!(k.to_string(), text);
            assert_eq!(text.parse::<PrivateKey>().unwrap().to_base64(), text);
        }
        let zero = Key::default();
        assert_eq!(zero.to_string(), format!("{}=", "A".repeat(43)));
        assert!(zero.is_zero() && PrivateKey::zero().is_zero());
        let all = Key::new([0xff; 32]);
        assert_eq!(all.to_string(), format!("{}8=", "/".repeat(42)));
    }

    #[test]
    fn test_base64_refused() {
        let good = KEYS[0].0;
        let bad = [
            "",
            &good[..43],                                    // no padding
            &good[1..],                                     // 43 characters
            "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmj=", // stray bits in the last character
            "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm==", // two '='
            "yAnz5TF-lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=", // URL-safe alphabet
            "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmké", // not ASCII
            "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=A",
        ];
        for text in bad {
            let e = Key::from_base64(text).unwrap_err();
            let p = PresharedKey::from_base64(text).unwrap_err();
            // The text itself never appears in the error: it may be a secret.
            assert!(text.is_empty() || !e.to_string().contains(text), "{e}");
            assert!(matches!(
                p,
                Error::Invalid {
                    field: "preshared key",
                    ..
                }
            ));
        }
    }

    #[test]
    fn secrets_never_print() {
        let k = PrivateKey::new(key(0));
        let psk = PresharedKey::new(key(4));
        let d = Device {
            name: "wg0".into(),
            private_key: Some(k.clone()),
            public_key: Some(Key::new(key(1))),
            peers: vec![Peer {
                preshared_key: Some(psk.clone()),
                ..Peer::new(Key::new(key(2)))
            }],
            ..Device::default()
        };
        let config = d.config();
        for text in [
            format!("{k} {k:?} {psk} {psk:?}"),
            format!("{d} {d:?} {d:#?}"),
            format!("{config:?} {config:#?}"),
        ] {
            for secret in [KEYS[0].0, KEYS[4].0] {
                assert!(!text.contains(secret), "{text}");
                assert!(!text.contains(&secret[..20]), "{text}");
            }
            for b in [key(0), key(4)] {
                assert!(!text.contains(&format!("{:?}", &b[..4])), "{text}");
            }
            assert!(text.contains("(hidden)"));
        }
        // The public keys show, as in `wg show`.
        assert!(format!("{d:?}").contains(KEYS[1].0));
        assert!(format!("{d}").contains(KEYS[2].0));
        assert_eq!(k, PrivateKey::new(key(0)));
        assert_ne!(k, PrivateKey::new(key(1)));
    }

    #[test]
    fn test_parse_a_dump_of_two_messages() {
        let (b1, b2) = (hex(DUMP_1), hex(DUMP_2));
        let mut d = Device::default();
        d.merge(&one(&b1)).unwrap();
        d.merge(&one(&b2)).unwrap();
        assert_eq!((d.name.as_str(), d.index), ("wg0", 5));
        assert_eq!((d.listen_port, d.firewall_mark), (51820, 0x2a));
        assert_eq!(d.private_key, Some(PrivateKey::new(key(0))));
        assert_eq!(d.public_key, Some(Key::new(key(1))));
        assert_eq!(d.peers.len(), 2, "the continued peer is merged: {d:#?}");
        let p = &d.peers[0];
        assert_eq!(p.public_key, Key::new(key(2)));
        assert_eq!(p.preshared_key, Some(PresharedKey::new(key(4))));
        assert_eq!(p.endpoint, Some("192.0.2.1:51820".parse().unwrap()));
        assert_eq!(p.persistent_keepalive_interval, Duration::from_secs(25));
        assert_eq!(
            p.last_handshake_time,
            Some(UNIX_EPOCH + Duration::new(1_700_000_000, 5))
        );
        assert_eq!((p.receive_bytes, p.transmit_bytes), (1000, 2048));
        assert_eq!(p.protocol_version, 1);
        let ips: Vec<String> = p.allowed_ips.iter().map(ToString::to_string).collect();
        assert_eq!(
            ips,
            ["198.51.100.0/24", "203.0.113.7/32", "2001:db8:1::/48"]
        );
        let q = &d.peers[1];
        assert_eq!(q.public_key, Key::new(key(3)));
        assert_eq!(q.preshared_key, None);
        assert_eq!(q.last_handshake_time, None);
        assert_eq!(q.endpoint, Some("[2001:db8::1]:4500".parse().unwrap()));
        assert!(q.allowed_ips.is_empty());
        // The first message alone is a device with its first peer cut short.
        let first = Device::parse(&one(&b1)).unwrap();
        assert_eq!(
            (first.peers.len(), first.peers[0].allowed_ips.len()),
            (1, 2)
        );
    }

    #[test]
    fn test_display_like_wg_show() {
        let mut d = Device::default();
        d.merge(&one(&hex(DUMP_1))).unwrap();
        d.merge(&one(&hex(DUMP_2))).unwrap();
        d.peers[0].last_handshake_time = None;
        let text = d.to_string();
        let want = format!(
            "interface: wg0\n  public key: {}\n  private key: (hidden)\n  listening port: 51820\n  \
             fwmark: 0x2a\n\npeer: {}\n  preshared key: (hidden)\n  endpoint: 192.0.2.1:51820\n  \
             allowed ips: 198.51.100.0/24, 203.0.113.7/32, 2001:db8:1::/48\n  \
             transfer: 1000 B received, 2.00 KiB sent\n  persistent keepalive: every 25 seconds\n\n\
             peer: {}\n  endpoint: [2001:db8::1]:4500\n  allowed ips: (none)\n",
            KEYS[1].0, KEYS[2].0, KEYS[3].0
        );
        assert_eq!(text, want);
        d.peers[0].persistent_keepalive_interval = Duration::from_secs(3661);
        d.peers[0].receive_bytes = 5 << 30;
        let text = d.to_string();
        assert!(
            text.contains("every 1 hour, 1 minute, 1 second\n"),
            "{text}"
        );
        assert!(text.contains("transfer: 5.00 GiB received"), "{text}");
    }

    fn set_config() -> Config {
        Config::new()
            .with_private_key(PrivateKey::new(key(0)))
            .with_listen_port(51820)
            .with_firewall_mark(0)
            .with_replace_peers(true)
            .with_peer(
                PeerConfig::new(Key::new(key(2)))
                    .with_preshared_key(PresharedKey::new(key(4)))
                    .with_endpoint("192.0.2.1:51820".parse().unwrap())
                    .with_persistent_keepalive_interval(Duration::from_secs(25))
                    .with_replace_allowed_ips()
                    .with_allowed_ip("198.51.100.0/24".parse().unwrap())
                    .with_allowed_ip("2001:db8::/32".parse().unwrap()),
            )
    }

    #[test]
    fn test_emit_set() {
        let mut buf = Vec::new();
        let msgs = set_config()
            .write_set(0x15, &"wg0".into(), &mut buf)
            .unwrap();
        assert_eq!((msgs.len(), msgs[0].clone()), (1, 0..buf.len()));
        assert_eq!(buf, hex(SET));
        // By index instead of name; the get request names it the same way.
        let mut buf = Vec::new();
        Device::write_get(0x15, &Interface::Index(5), &mut buf).unwrap();
        assert_eq!(
            buf,
            hex("1c000000150001030000000000000000000100000800010005000000")
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        let mut buf = Vec::new();
        for name in ["", "a_name_too_long_x", "a\0b"] {
            assert!(Device::write_get(0x15, &name.into(), &mut buf).is_err());
        }
        let long = Config::new().with_peer(
            PeerConfig::new(Key::new(key(2)))
                .with_persistent_keepalive_interval(Duration::from_secs(65536)),
        );
        assert!(long.write_set(0x15, &"wg0".into(), &mut buf).is_err());
        // Too small to hold one peer: refused, nothing left in the buffer.
        let e = set_config().write_set_max(0x15, &"wg0".into(), 100, &mut buf);
        assert!(matches!(e, Err(Error::Invalid { .. })), "{e:?}");
        assert!(buf.is_empty());
        let e = set_config().write_set_max(0x15, &"wg0".into(), 40, &mut buf);
        assert!(matches!(e, Err(Error::Invalid { .. })), "{e:?}");
        assert!(buf.is_empty());
    }

    /// What a SET message asks for, read back the way the kernel reads it
    /// (`wg_set_device` / `set_peer`): device settings, the replace flag,
    /// and per peer its flags, settings and allowed IPs.
    #[derive(Debug, Default)]
    struct SetMsg {
        ifname: Option<String>,
        device: Vec<u16>,
        flags: u32,
        peers: Vec<(Key, u32, Vec<u16>, Vec<IpNet>)>,
    }

    fn read_set(msg: &Msg<'_>) -> SetMsg {
        let genl = GenlMsg::parse(msg, 0).unwrap();
        assert_eq!((genl.cmd(), genl.version()), (WG_CMD_SET_DEVICE, 1));
        let mut s = SetMsg::default();
        for a in genl.attrs() {
            let a = a.unwrap();
            match a.ty() {
                WGDEVICE_A_IFNAME => s.ifname = Some(a.cstr().unwrap().into()),
                WGDEVICE_A_FLAGS => s.flags = a.u32().unwrap(),
                WGDEVICE_A_PEERS => {
                    assert!(a.is_nested());
                    for p in a.nested() {
                        let p = p.unwrap();
                        let mut peer = (Key::default(), 0, Vec::new(), Vec::new());
                        for pa in p.nested() {
                            let pa = pa.unwrap();
                            match pa.ty() {
                                WGPEER_A_PUBLIC_KEY => peer.0 = Key(key_bytes(&pa).unwrap()),
                                WGPEER_A_FLAGS => peer.1 = pa.u32().unwrap(),
                                WGPEER_A_ALLOWEDIPS => {
                                    for ip in pa.nested() {
                                        let ip = parse_allowed_ip(ip.unwrap().nested());
                                        peer.3.push(ip.unwrap().unwrap());
                                    }
                                }
                                other => peer.2.push(other),
                            }
                        }
                        s.peers.push(peer);
                    }
                }
                other => s.device.push(other),
            }
        }
        s
    }

    /// A configuration of `n` peers, peer `i` with `ips(i)` allowed IPs.
    fn many(n: usize, ips: impl Fn(usize) -> usize) -> Config {
        let mut c = Config::new().with_listen_port(1).with_replace_peers(true);
        for i in 0..n {
            let mut k = [0u8; 32];
            k[..8].copy_from_slice(&(i as u64 + 1).to_be_bytes());
            let mut p = PeerConfig::new(Key::new(k))
                .with_endpoint("192.0.2.1:1".parse().unwrap())
                .with_replace_allowed_ips();
            if i % 3 == 0 {
                p = p.with_update_only();
            }
            for j in 0..ips(i) {
                let net: IpNet = if j % 2 == 0 {
                    Ipv4Net::new(Ipv4Addr::from(0xc633_6400 + j as u32), 32)
                        .unwrap()
                        .into()
                } else {
                    Ipv6Net::new(Ipv6Addr::from(0x2001_0db8_u128 << 96 | j as u128), 128)
                        .unwrap()
                        .into()
                };
                p = p.with_allowed_ip(net);
            }
            c = c.with_peer(p);
        }
        c
    }

    /// Checks that `msgs` ask the kernel for exactly `config`, split the
    /// way it expects.
    fn check_split(config: &Config, buf: &[u8], msgs: &[Range<usize>], max: usize) {
        let mut got: Vec<(Key, Vec<IpNet>)> = Vec::new();
        for (n, r) in msgs.iter().enumerate() {
            assert!(r.len() <= max, "message {n} is {} bytes", r.len());
            let s = read_set(&one(&buf[r.clone()]));
            assert_eq!(s.ifname.as_deref(), Some("wg0"));
            if n == 0 {
                assert_eq!(s.flags, WGDEVICE_F_REPLACE_PEERS);
                assert_eq!(s.device, [WGDEVICE_A_LISTEN_PORT]);
            } else {
                assert_eq!((s.flags, s.device.len()), (0, 0), "message {n}: {s:?}");
            }
            for (i, (k, flags, attrs, ips)) in s.peers.into_iter().enumerate() {
                let pc = config.peers.iter().find(|p| p.public_key == k).unwrap();
                let continued = i == 0 && got.last().is_some_and(|(last, _)| *last == k);
                assert_eq!(flags & WGPEER_F_UPDATE_ONLY != 0, pc.update_only);
                if continued {
                    assert_eq!(flags & WGPEER_F_REPLACE_ALLOWEDIPS, 0);
                    assert!(attrs.is_empty(), "a continuation repeats no setting");
                    got.last_mut().unwrap().1.extend(ips);
                } else {
                    assert_eq!(
                        flags & WGPEER_F_REPLACE_ALLOWEDIPS,
                        WGPEER_F_REPLACE_ALLOWEDIPS
                    );
                    assert_eq!(attrs, [WGPEER_A_ENDPOINT]);
                    got.push((k, ips));
                }
            }
        }
        let want: Vec<(Key, Vec<IpNet>)> = config
            .peers
            .iter()
            .map(|p| (p.public_key, p.allowed_ips.clone()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn big_configurations_split() {
        // 10,000 peers of 2 allowed IPs: about 1.3 MB in 64 KiB messages.
        let c = many(10_000, |_| 2);
        let mut buf = Vec::new();
        let msgs = c.write_set(0x15, &"wg0".into(), &mut buf).unwrap();
        assert!(
            msgs.len() > 15 && msgs.len() < 40,
            "{} messages",
            msgs.len()
        );
        check_split(&c, &buf, &msgs, MAX_SET_MSG);
        // One peer with 5,000 allowed IPs needs several messages by itself.
        let c = many(3, |i| if i == 1 { 5000 } else { 3 });
        let mut buf = Vec::new();
        let msgs = c.write_set(0x15, &"wg0".into(), &mut buf).unwrap();
        assert!(msgs.len() >= 3, "{} messages", msgs.len());
        check_split(&c, &buf, &msgs, MAX_SET_MSG);
        // Nothing to change is still one message (it checks the device).
        let mut buf = Vec::new();
        let msgs = Config::new()
            .write_set(0x15, &"wg0".into(), &mut buf)
            .unwrap();
        assert_eq!(msgs.len(), 1);
    }

    proptest! {
        #[test]
        fn any_split_asks_for_the_whole_configuration(
            sizes in proptest::collection::vec(0usize..40, 0..30),
            max in 200usize..2000,
        ) {
            let c = many(sizes.len(), |i| sizes[i]);
            let mut buf = Vec::new();
            let msgs = c.write_set_max(0x15, &"wg0".into(), max, &mut buf).unwrap();
            check_split(&c, &buf, &msgs, max);
        }

        #[test]
        fn any_split_dump_merges_back(
            sizes in proptest::collection::vec(0usize..40, 1..20),
            cut in 1usize..30,
        ) {
            // A device read through messages cut after any allowed IP
            // merges into the device itself.
            let c = many(sizes.len(), |i| sizes[i]);
            let whole = Device {
                name: "wg0".into(),
                index: 3,
                peers: c.peers.iter().map(|p| Peer {
                    allowed_ips: p.allowed_ips.clone(),
                    protocol_version: 1,
                    ..Peer::new(p.public_key)
                }).collect(),
                ..Device::default()
            };
            let mut buf = Vec::new();
            write_dump(&whole, cut, &mut buf);
            let mut d = Device::default();
            for m in Msgs::new(&buf) {
                d.merge(&m.unwrap()).unwrap();
            }
            prop_assert_eq!(d, whole);
        }
    }

    /// Writes `d` as the kernel's dump would, starting a new message after
    /// every `cut` allowed IPs (continuing the peer with its key only).
    fn write_dump(d: &Device, cut: usize, buf: &mut Vec<u8>) {
        let mut parts: Vec<Vec<(Key, bool, Vec<IpNet>)>> = vec![Vec::new()];
        let mut n = 0;
        for p in &d.peers {
            parts
                .last_mut()
                .unwrap()
                .push((p.public_key, true, Vec::new()));
            for ip in &p.allowed_ips {
                if n == cut {
                    n = 0;
                    parts.push(vec![(p.public_key, false, Vec::new())]);
                }
                parts.last_mut().unwrap().last_mut().unwrap().2.push(*ip);
                n += 1;
            }
        }
        for (i, part) in parts.iter().enumerate() {
            let mut m = MsgBuilder::new(buf, 0x15, nl_wire::netlink::NLM_F_MULTI);
            m.header(&crate::GenlMsgHdr {
                cmd: 0,
                version: 1,
                reserved: [0; 2],
            });
            if i == 0 {
                m.put_u32(WGDEVICE_A_IFINDEX, d.index)
                    .put_str(WGDEVICE_A_IFNAME, &d.name);
            }
            m.nest(WGDEVICE_A_PEERS | NLA_F_NESTED, |m| {
                for (k, head, ips) in part {
                    m.nest(NLA_F_NESTED, |m| {
                        m.put_bytes(WGPEER_A_PUBLIC_KEY, k.as_bytes());
                        if *head {
                            m.put_bytes(WGPEER_A_PRESHARED_KEY, &[0; 32]);
                            m.put_u32(WGPEER_A_PROTOCOL_VERSION, 1);
                        }
                        if !ips.is_empty() {
                            m.nest(WGPEER_A_ALLOWEDIPS | NLA_F_NESTED, |m| {
                                for ip in ips {
                                    put_allowed_ip(m, ip);
                                }
                            });
                        }
                    });
                }
            });
            m.finish().unwrap();
        }
    }

    #[test]
    fn handshake_age_counts_whole_seconds_as_wg_does() {
        // A handshake late in the previous second is "1 second ago" (wg
        // subtracts whole seconds), never "Now".
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(now * 1000 - 1);
        let mut peer = Peer::new(Key([7; WG_KEY_LEN]));
        peer.last_handshake_time = Some(t);
        let text = peer.to_string();
        assert!(
            text.contains("latest handshake: 1 second ago")
                || text.contains("latest handshake: 2 seconds ago"),
            "{text}"
        );
    }

    #[test]
    fn test_impossible_len() {
        // Every truncation of a reply (its length fixed up) is an error or
        // a smaller device, never a panic.
        for full in [hex(DUMP_1), hex(DUMP_2)] {
            for cut in 0..full.len() {
                let mut b = full[..cut].to_vec();
                if b.len() >= 4 {
                    let len = u32::try_from(b.len()).unwrap();
                    b[..4].copy_from_slice(&len.to_ne_bytes());
                }
                if let Some(Ok(m)) = Msgs::new(&b).next() {
                    let _ = Device::parse(&m);
                }
            }
        }
        // A key of 31 bytes is an error that says where.
        let mut b = hex(DUMP_1);
        let at = 20 + 8 + 8 + 8 + 8; // the private key's nla_len
        b[at] = 35;
        let e = Device::parse(&one(&b)).unwrap_err();
        assert!(e.to_string().contains("offset"), "{e}");
    }
}
