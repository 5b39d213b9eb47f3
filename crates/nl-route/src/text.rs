//! Objects as iproute2 prints them (`ip route`, `ip link` ...), written
//! once. `text` methods print iproute2's bytes (the space it leaves after
//! the last field of most lines included), naming links through a
//! [`LinkNames`] lookup; `Display` prints the same lines without those
//! spaces and with links named `if{index}`, as `ip` names a link it
//! cannot find.
//!
//! ```
//! use std::collections::HashMap;
//! use nl_route::Route;
//!
//! let r = Route::new("192.0.2.0/24".parse()?).via("198.51.100.1".parse()?).dev(3);
//! assert_eq!(r.to_string(), "192.0.2.0/24 via 198.51.100.1 dev if3");
//! let names = HashMap::from([(3, "eth0".to_string())]);
//! assert_eq!(r.text(&names).to_string(), "192.0.2.0/24 via 198.51.100.1 dev eth0 ");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;
use std::net::IpAddr;

use crate::AF_INET;
use crate::addr::{Addr, AddrFlags};
use crate::link::{Link, LinkFlags};
use crate::neigh::{Neigh, NeighFlags};
use crate::nexthop::{GroupType, Nexthop};
use crate::route::{Encap, Metrics, Route, RouteFlags, RouteProtocol, RouteType, TABLE_MAIN};
use crate::scope::Scope;
use crate::uapi::rtnetlink::{
    RTAX_CC_ALGO, RTAX_FASTOPEN_NO_COOKIE, RTAX_FEATURE_ECN, RTAX_FEATURES, RTAX_HOPLIMIT,
    RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR,
};

/// Names of links for text output, as `ip` looks them up
/// (`ll_index_to_name`, `ll_index_to_flags`).
pub trait LinkNames {
    /// The name of link `index`, if known.
    fn name(&self, index: u32) -> Option<&str>;

    /// The flags of link `index`, if known (`ip link` marks a link whose
    /// lower link is down `M-DOWN`).
    fn flags(&self, _index: u32) -> Option<LinkFlags> {
        None
    }
}

/// No names at all: every link prints as `if{index}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNames;

impl LinkNames for NoNames {
    fn name(&self, _index: u32) -> Option<&str> {
        None
    }
}

impl<S: BuildHasher> LinkNames for HashMap<u32, String, S> {
    fn name(&self, index: u32) -> Option<&str> {
        self.get(&index).map(String::as_str)
    }
}

impl<S: BuildHasher> LinkNames for HashMap<u32, (String, LinkFlags), S> {
    fn name(&self, index: u32) -> Option<&str> {
        self.get(&index).map(|(n, _)| n.as_str())
    }

    fn flags(&self, index: u32) -> Option<LinkFlags> {
        self.get(&index).map(|(_, f)| *f)
    }
}

impl<T: LinkNames + ?Sized> LinkNames for &T {
    fn name(&self, index: u32) -> Option<&str> {
        (**self).name(index)
    }

    fn flags(&self, index: u32) -> Option<LinkFlags> {
        (**self).flags(index)
    }
}

/// A link as `ip` names it: its name, or `if{index}` when it has none.
pub struct Dev<'a, N: ?Sized>(pub &'a N, pub u32);

impl<N: LinkNames + ?Sized> fmt::Display for Dev<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.name(self.1) {
            Some(n) => f.write_str(n),
            None => write!(f, "if{}", self.1),
        }
    }
}

/// `ARPHRD_*` as `ip link` names it (`link/ether` ...), `None` for types
/// it prints as a number.
pub fn link_type_name(t: u16) -> Option<&'static str> {
    Some(match t {
        1 => "ether",
        24 => "ieee1394",
        32 => "infiniband",
        256 => "slip",
        512 => "ppp",
        768 => "ipip",
        769 => "tunnel6",
        772 => "loopback",
        776 => "sit",
        778 => "gre",
        801 => "ieee802.11",
        823 => "gre6",
        824 => "netlink",
        825 => "6lowpan",
        65534 => "none",
        65535 => "void",
        _ => return None,
    })
}

/// `/etc/iproute2/rt_dsfield` as iproute2 ships it: TOS byte and name.
pub const DSFIELDS: [(u8, &str); 21] = [
    (0x00, "default"),
    (0x28, "AF11"),
    (0x30, "AF12"),
    (0x38, "AF13"),
    (0x48, "AF21"),
    (0x50, "AF22"),
    (0x58, "AF23"),
    (0x68, "AF31"),
    (0x70, "AF32"),
    (0x78, "AF33"),
    (0x88, "AF41"),
    (0x90, "AF42"),
    (0x98, "AF43"),
    (0x20, "CS1"),
    (0x40, "CS2"),
    (0x60, "CS3"),
    (0x80, "CS4"),
    (0xa0, "CS5"),
    (0xc0, "CS6"),
    (0xe0, "CS7"),
    (0xb8, "EF"),
];

/// A TOS byte as `rtnl_dsfield_n2a` prints it: a [`DSFIELDS`] name or
/// `0x%02x`.
pub struct Dsfield(pub u8);

impl fmt::Display for Dsfield {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DSFIELDS.iter().find(|(v, _)| *v == self.0) {
            Some((_, n)) => f.write_str(n),
            None => write!(f, "0x{:02x}", self.0),
        }
    }
}

/// IP protocols by their /etc/protocols names, as `ip rule` prints them.
pub const IP_PROTOCOLS: [(u8, &str); 13] = [
    (0, "ip"),
    (1, "icmp"),
    (2, "igmp"),
    (4, "ipencap"),
    (6, "tcp"),
    (17, "udp"),
    (41, "ipv6"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (58, "ipv6-icmp"),
    (132, "sctp"),
    (136, "udplite"),
];

/// An IP protocol as `inet_proto_n2a` prints it: an [`IP_PROTOCOLS`] name
/// or `ipproto-N`.
pub struct IpProto(pub u8);

impl fmt::Display for IpProto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match IP_PROTOCOLS.iter().find(|(v, _)| *v == self.0) {
            Some((_, n)) => f.write_str(n),
            None => write!(f, "ipproto-{}", self.0),
        }
    }
}

/// `inet` or `inet6`, as `ip` names an address's family.
pub fn family_name(a: &IpAddr) -> &'static str {
    if a.is_ipv4() { "inet" } else { "inet6" }
}

/// Writes through to `inner` without the spaces at the end of each line:
/// the printers here write iproute2's bytes, fields followed by a space,
/// and `Display` leaves out the space iproute2 leaves at the end.
struct TrimEnds<W> {
    inner: W,
    spaces: usize,
}

impl<W: fmt::Write> TrimEnds<W> {
    fn new(inner: W) -> Self {
        TrimEnds { inner, spaces: 0 }
    }
}

impl<W: fmt::Write> fmt::Write for TrimEnds<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for piece in s.split_inclusive('\n') {
            let (body, newline) = match piece.strip_suffix('\n') {
                Some(b) => (b, true),
                None => (piece, false),
            };
            let kept = body.trim_end_matches(' ');
            if !kept.is_empty() {
                for _ in 0..self.spaces {
                    self.inner.write_char(' ')?;
                }
                self.inner.write_str(kept)?;
                self.spaces = 0;
            }
            self.spaces += body.len() - kept.len();
            if newline {
                self.spaces = 0;
                self.inner.write_char('\n')?;
            }
        }
        Ok(())
    }
}

/// One route as `ip route show` prints it: see [`Route::text`].
pub struct RouteText<'a, N: ?Sized> {
    route: &'a Route,
    names: &'a N,
    listing: RouteListing,
}

/// How a route listing was asked for, which changes what `ip route show`
/// prints of each route: what the filter already says is left out, and
/// `-d` prints the defaults too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteListing {
    /// `-d`: the type, table, protocol and scope even when they are the
    /// defaults.
    pub details: bool,
    /// One table was listed (`table N`, or the main table by default):
    /// no `table` word. `ip route show table all` prints it.
    pub one_table: bool,
    /// `dev X` was the filter: no `dev` word.
    pub one_dev: bool,
    /// `proto P` was the filter: no `proto` word.
    pub one_protocol: bool,
}

impl Route {
    /// The `ip route show` line of this route as iproute2 writes it, the
    /// space after its last field included (without the newline; a
    /// multipath route adds a `\tnexthop` line per path), links named by
    /// `names`. `Display` prints the same with [`NoNames`] and without the
    /// spaces at the ends of lines.
    pub fn text<'a, N: LinkNames + ?Sized>(&'a self, names: &'a N) -> RouteText<'a, N> {
        RouteText {
            route: self,
            names,
            listing: RouteListing::default(),
        }
    }
}

impl<N: ?Sized> RouteText<'_, N> {
    /// As a listing asked for as `listing` prints it.
    #[must_use]
    pub fn listing(mut self, listing: RouteListing) -> Self {
        self.listing = listing;
        self
    }
}

impl<N: LinkNames + ?Sized> RouteText<'_, N> {
    /// Appends the text to `out`: what `Display` writes, faster (no
    /// formatter between the printer and the string), for listings of
    /// many routes.
    pub fn append_to(&self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = write_route(out, self.route, self.names, self.listing);
    }
}

impl<N: LinkNames + ?Sized> fmt::Display for RouteText<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_route(f, self.route, self.names, self.listing)
    }
}

impl fmt::Display for Route {
    /// One line of `ip route show`, links as `if{index}` (see
    /// [`Route::text`] for names).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = RouteListing::default();
        write_route(&mut TrimEnds::new(f), self, &NoNames, all)
    }
}

/// A destination or source as `ip route` prints it: `default` for a
/// zero-length prefix, the bare address for a host prefix.
fn write_prefix(f: &mut impl fmt::Write, d: Option<&ipnet::IpNet>) -> fmt::Result {
    match d {
        Some(d) if d.prefix_len() == 0 => f.write_str("default "),
        Some(d) if d.prefix_len() == d.max_prefix_len() => write_ip(f, d.addr(), " "),
        Some(d) => {
            write_ip(f, d.addr(), "/")?;
            write_u32(f, u32::from(d.prefix_len()))?;
            f.write_char(' ')
        }
        None => f.write_str("default "),
    }
}

/// An address then `end`; IPv4 by hand, as a route listing prints
/// hundreds of thousands of them.
fn write_ip(f: &mut impl fmt::Write, a: IpAddr, end: &str) -> fmt::Result {
    match a {
        IpAddr::V4(v4) => {
            let mut buf = [0u8; 16];
            let mut n = 0;
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    n = put(&mut buf, n, b'.');
                }
                if octet >= 100 {
                    n = put(&mut buf, n, b'0' + octet / 100);
                }
                if octet >= 10 {
                    n = put(&mut buf, n, b'0' + octet / 10 % 10);
                }
                n = put(&mut buf, n, b'0' + octet % 10);
            }
            // Only ASCII digits and dots were put.
            f.write_str(std::str::from_utf8(buf.get(..n).unwrap_or_default()).unwrap_or_default())?;
        }
        IpAddr::V6(v6) => write!(f, "{v6}")?,
    }
    f.write_str(end)
}

/// A number in decimal, without the formatting machinery (a listing
/// prints several per route).
fn write_u32(f: &mut impl fmt::Write, v: u32) -> fmt::Result {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // Only ASCII digits were put.
    f.write_str(std::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default())
}

/// `word NAME ` for link `index` (`if{index}` when it has no name).
fn write_dev<N: LinkNames + ?Sized>(
    f: &mut impl fmt::Write,
    word: &str,
    names: &N,
    index: u32,
) -> fmt::Result {
    f.write_str(word)?;
    match names.name(index) {
        Some(n) => f.write_str(n)?,
        None => {
            f.write_str("if")?;
            write_u32(f, index)?;
        }
    }
    f.write_char(' ')
}

fn put(buf: &mut [u8; 16], n: usize, b: u8) -> usize {
    if let Some(slot) = buf.get_mut(n) {
        *slot = b;
    }
    n + 1
}

/// `print_route` of iproute2 (ip/iproute.c), field for field.
fn write_route<N: LinkNames + ?Sized>(
    f: &mut impl fmt::Write,
    r: &Route,
    names: &N,
    listing: RouteListing,
) -> fmt::Result {
    let details = listing.details;
    if r.route_type != RouteType::Unicast || details {
        write!(f, "{} ", r.route_type)?;
    }
    write_prefix(f, r.dst.as_ref())?;
    if let Some(src) = &r.extra.src {
        f.write_str("from ")?;
        write_prefix(f, Some(src))?;
    }
    if let Some(n) = r.nh_id {
        write!(f, "nhid {n} ")?;
    }
    if !r.extra.newdst.is_empty() {
        f.write_str("as to ")?;
        write_labels(f, &r.extra.newdst)?;
    }
    if let Some(e) = &r.encap {
        write_encap(f, e)?;
    }
    if r.tos != 0 {
        write!(f, "tos {} ", Dsfield(r.tos))?;
    }
    if let Some(g) = r.gateway {
        f.write_str("via ")?;
        write_ip(f, g, " ")?;
    }
    if let Some(v) = r.extra.via {
        write!(f, "via {} {v} ", family_name(&v))?;
    }
    if let Some(i) = r.oif.filter(|_| !listing.one_dev) {
        write_dev(f, "dev ", names, i)?;
    }
    if (r.table != TABLE_MAIN || details) && !listing.one_table {
        write!(f, "table {} ", crate::route::table_name(r.table))?;
    }
    if !r.flags.contains(RouteFlags::CLONED) {
        if (r.protocol != RouteProtocol::BOOT || details) && !listing.one_protocol {
            f.write_str("proto ")?;
            match RouteProtocol::NAMES
                .iter()
                .find(|(v, _)| *v == r.protocol.0)
            {
                Some((_, n)) => f.write_str(n)?,
                None => write_u32(f, u32::from(r.protocol.0))?,
            }
            f.write_char(' ')?;
        }
        if r.scope != Scope::Universe || details {
            write!(f, "scope {} ", r.scope)?;
        }
    }
    if let Some(p) = r.prefsrc {
        f.write_str("src ")?;
        write_ip(f, p, " ")?;
    }
    // ip prints the metric the kernel sends: IPv4 leaves out 0.
    if let Some(m) = r.priority.filter(|m| *m != 0 || r.family != AF_INET) {
        f.write_str("metric ")?;
        write_u32(f, m)?;
        f.write_char(' ')?;
    }
    flag_words(f, r.flags)?;
    match r.extra.mark {
        Some(m) if m >= 16 => write!(f, "mark {m:#x} ")?,
        Some(m) if m != 0 => write!(f, "mark {m} ")?,
        _ => {}
    }
    if let Some(realm) = r.extra.realm {
        write_realms(f, realm)?;
    }
    if let Some(u) = r.extra.uid {
        write!(f, "uid {u} ")?;
    }
    if r.family == AF_INET && r.flags.contains(RouteFlags::CLONED) {
        f.write_str("\n    cache ")?;
        let names = cache_flag_names(r.flags.bits());
        if !names.is_empty() {
            write!(f, "<{}> ", names.join(","))?;
        }
    }
    if let Some(e) = r.extra.expires.filter(|e| *e != 0) {
        write!(f, "expires {e}sec ")?;
    }
    if let Some(ci) = &r.cache_info {
        write_cache_info(f, ci)?;
    }
    if let Some(m) = &r.metrics {
        write_metrics(f, m)?;
    }
    if let Some(i) = r.extra.iif {
        write_dev(f, "iif ", names, i)?;
    }
    if let Some(p) = r.pref {
        // The one field iproute2 prints without a space after it.
        write!(f, "pref {p}")?;
    }
    for nh in &r.multipath {
        f.write_str("\n\tnexthop ")?;
        if let Some(e) = &nh.encap {
            write_encap(f, e)?;
        }
        if !nh.newdst.is_empty() {
            f.write_str("as to ")?;
            write_labels(f, &nh.newdst)?;
        }
        if let Some(g) = nh.gateway {
            f.write_str("via ")?;
            write_ip(f, g, " ")?;
        }
        if let Some(v) = nh.via {
            write!(f, "via {} {v} ", family_name(&v))?;
        }
        if let Some(realm) = nh.realm {
            write_realms(f, realm)?;
        }
        if nh.ifindex != 0 {
            write_dev(f, "dev ", names, nh.ifindex)?;
        }
        write!(f, "weight {} ", nh.weight)?;
        flag_words(f, nh.flags)?;
    }
    Ok(())
}

/// The route cache flags (`RTCF_*`, the upper half of `rtm_flags`) of a
/// cloned route, by the names `ip route get` prints in `cache <...>`.
pub fn cache_flag_names(flags: u32) -> Vec<String> {
    use crate::uapi::in_route::*;
    const NAMES: [(u32, &str); 14] = [
        (RTCF_LOCAL, "local"),
        (RTCF_REJECT, "reject"),
        (RTCF_MULTICAST, "mc"),
        (RTCF_BROADCAST, "brd"),
        (RTCF_DNAT, "dst-nat"),
        (RTCF_SNAT, "src-nat"),
        (RTCF_MASQ, "masq"),
        (RTCF_DIRECTDST, "dst-direct"),
        (RTCF_DIRECTSRC, "src-direct"),
        (RTCF_REDIRECTED, "redirected"),
        (RTCF_DOREDIRECT, "redirect"),
        (RTCF_FAST, "fastroute"),
        (RTCF_NOTIFY, "notify"),
        (RTCF_TPROXY, "proxy"),
    ];
    let mut rest = flags & !0xffff;
    let mut out = Vec::new();
    for (bit, name) in NAMES {
        if rest & bit != 0 {
            rest &= !bit;
            out.push(name.to_string());
        }
    }
    if rest != 0 {
        out.push(format!("{rest:x}"));
    }
    out
}

/// `print_rta_cacheinfo` without `-s`: `error N ` (its `expires` is the
/// route's, printed after it).
fn write_cache_info(f: &mut impl fmt::Write, ci: &crate::route::RouteCacheInfo) -> fmt::Result {
    if ci.error != 0 {
        write!(f, "error {} ", ci.error)?;
    }
    Ok(())
}

/// MPLS labels as iproute2 prints them: `100/200 `.
fn write_labels(f: &mut impl fmt::Write, labels: &[crate::route::MplsLabel]) -> fmt::Result {
    for (i, l) in labels.iter().enumerate() {
        if i > 0 {
            f.write_char('/')?;
        }
        write!(f, "{}", l.label)?;
    }
    f.write_char(' ')
}

/// `lwt_print_encap`: `encap mpls 100/200 `, `encap seg6 mode encap segs 2 [ A B ] `.
fn write_encap(f: &mut impl fmt::Write, e: &Encap) -> fmt::Result {
    write!(f, "encap {} ", e.name())?;
    match e {
        Encap::Mpls { labels, ttl } => {
            write_labels(f, labels)?;
            if let Some(t) = ttl {
                write!(f, "ttl {t} ")?;
            }
        }
        Encap::Seg6 { mode, srh } => {
            write!(f, "mode {mode} segs {} [ ", srh.segments.len())?;
            for s in &srh.segments {
                write!(f, "{s} ")?;
            }
            f.write_str("] ")?;
        }
        _ => {}
    }
    Ok(())
}

/// `print_rta_flow`: `realm TO ` or `realms FROM/TO `.
fn write_realms(f: &mut impl fmt::Write, realm: u32) -> fmt::Result {
    match realm >> 16 {
        0 => write!(f, "realm {} ", Realm(realm & 0xffff)),
        from => write!(f, "realms {}/{} ", Realm(from), Realm(realm & 0xffff)),
    }
}

/// A routing realm as `rtnl_rtrealm_n2a` names it: 0 is `cosmos`.
pub struct Realm(pub u32);

impl fmt::Display for Realm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("cosmos"),
            r => write!(f, "{r}"),
        }
    }
}

fn flag_words(f: &mut impl fmt::Write, flags: RouteFlags) -> fmt::Result {
    for (flag, word) in RouteFlags::NAMES {
        if flags.contains(flag) {
            f.write_str(word)?;
            f.write_char(' ')?;
        }
    }
    Ok(())
}

/// `print_rta_metrics` of `ip route`: `mtu lock 1400 rtt 8ms ...`, in
/// kind order (`congctl`, `RTAX_CC_ALGO`, comes after `quickack`).
fn write_metrics(f: &mut impl fmt::Write, m: &Metrics) -> fmt::Result {
    for (kind, name) in Metrics::NAMES {
        if kind == RTAX_FASTOPEN_NO_COOKIE {
            if let Some(cc) = &m.cc_algo {
                f.write_str("congctl ")?;
                if m.lock & (1 << RTAX_CC_ALGO) != 0 {
                    f.write_str("lock ")?;
                }
                write!(f, "{cc} ")?;
            }
        }
        let Some(v) = m.get(kind) else { continue };
        // ip hides a hop limit of -1 (the kernel's "unset").
        if kind == RTAX_HOPLIMIT && v == u32::MAX {
            continue;
        }
        write!(f, "{name} ")?;
        if m.lock & (1 << kind) != 0 {
            f.write_str("lock ")?;
        }
        match kind {
            RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN => {
                write!(f, "{}ms ", Metrics::user_units(kind, v))?
            }
            RTAX_FEATURES => {
                // print_rtax_features: ecn by name, the rest in hex.
                if v & RTAX_FEATURE_ECN != 0 {
                    f.write_str("ecn ")?;
                }
                if v & !RTAX_FEATURE_ECN != 0 {
                    write!(f, "{v:#x} ")?;
                }
            }
            _ => write!(f, "{v} ")?,
        }
    }
    Ok(())
}

impl fmt::Display for Link {
    /// The first line `ip link show` prints for the link, without what
    /// would need another link's name (its lower link after `@`, its
    /// master); [`Link::text`] prints all of it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.text(&NoNames);
        text.summary = true;
        text.fmt(f)
    }
}

/// A link as `ip link show` prints it: see [`Link::text`].
pub struct LinkText<'a, N: ?Sized> {
    link: &'a Link,
    names: &'a N,
    details: bool,
    in_addr: bool,
    hw_line: bool,
    /// Display's one line, without other links.
    summary: bool,
    /// Names of the namespaces by their nsid, for `link-netns NAME`.
    netns_names: Option<&'a HashMap<i32, String>>,
    /// `ip monitor`'s variant: no `mode`, no `qlen`.
    monitor: bool,
    /// `-br`: one short line.
    brief: bool,
    /// `-s` given this many times.
    stats: u8,
}

impl Link {
    /// The lines `ip link show` prints for this link (without a final
    /// newline), links named by `names`. `Display` prints the same with
    /// [`NoNames`].
    pub fn text<'a, N: LinkNames + ?Sized>(&'a self, names: &'a N) -> LinkText<'a, N> {
        LinkText {
            link: self,
            names,
            details: false,
            in_addr: false,
            hw_line: true,
            summary: false,
            netns_names: None,
            monitor: false,
            stats: 0,
            brief: false,
        }
    }
}

impl<N: ?Sized> LinkText<'_, N> {
    /// With the details of `ip -d link show`.
    #[must_use]
    pub fn details(mut self, on: bool) -> Self {
        self.details = on;
        self
    }

    /// The variant `ip addr show` prints above the addresses: no `mode`,
    /// and without details no alias.
    #[must_use]
    pub fn in_addr(mut self, on: bool) -> Self {
        self.in_addr = on;
        self
    }

    /// Whether to print the `link/ether ...` line, which `ip` leaves out
    /// when it lists one address family (`ip -4 addr`).
    #[must_use]
    pub fn hw_line(mut self, on: bool) -> Self {
        self.hw_line = on;
        self
    }

    /// The variant `ip monitor` prints: no `mode` and no `qlen` on the
    /// first line.
    #[must_use]
    pub fn monitor(mut self, on: bool) -> Self {
        self.monitor = on;
        self
    }

    /// The short line of `ip -br link` (with [`LinkText::in_addr`], the
    /// start of `ip -br addr`'s: name and state only), without a newline.
    #[must_use]
    pub fn brief(mut self, on: bool) -> Self {
        self.brief = on;
        self
    }

    /// With the counters of `ip -s link` (`level` 1), and their error
    /// tables with `-s -s` (2); `ip addr` prints none.
    #[must_use]
    pub fn stats(mut self, level: u8) -> Self {
        self.stats = level;
        self
    }
}

impl<'a, N: ?Sized> LinkText<'a, N> {
    /// Names the peer's namespace `link-netns NAME`, as `ip` does, when
    /// `names` (nsid → name of a named namespace, the facade's
    /// `netns_names`) has its nsid; else it stays `link-netnsid N`.
    #[must_use]
    pub fn netns_names(mut self, names: &'a HashMap<i32, String>) -> Self {
        self.netns_names = Some(names);
        self
    }
}

impl<N: LinkNames + ?Sized> fmt::Display for LinkText<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.summary {
            return self.write(&mut TrimEnds::new(f));
        }
        self.write(f)
    }
}

/// `IFLA_EVENT` names (`print_link_event`).
const LINK_EVENTS: [&str; 7] = [
    "NONE",
    "REBOOT",
    "FEATURE CHANGE",
    "BONDING FAILOVER",
    "NOTIFY PEERS",
    "RESEND IGMP",
    "BONDING OPTION",
];

impl<N: LinkNames + ?Sized> LinkText<'_, N> {
    /// `print_linkinfo` of iproute2 (ip/ipaddress.c): fields followed by
    /// a space, as ip writes them.
    fn write(&self, f: &mut impl fmt::Write) -> fmt::Result {
        if self.brief {
            return self.write_brief(f);
        }
        let l = self.link;
        write!(f, "{}: ", l.index)?;
        let mdown = self.write_name(f)?;
        f.write_str(": ")?;
        self.write_flags(f, mdown)?;
        self.write_rest(f)
    }

    /// `print_linkinfo_brief`: the name (with its lower link) in 16
    /// columns, the state in 14, and unless in `ip -br addr` the address
    /// and flags; no newline.
    fn write_brief(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let l = self.link;
        let mut name = String::new();
        let mdown = self.write_name(&mut name)?;
        write!(f, "{name:<16} ")?;
        if let Some(s) = l.operstate {
            write!(f, "{:<14} ", s.to_string())?;
        }
        if !self.in_addr {
            if let Some(a) = l.address {
                write!(f, "{a} ")?;
            }
            self.write_flags(f, mdown)?;
        }
        Ok(())
    }

    /// The name and, after `@`, the lower link; whether that link is down
    /// (`M-DOWN`).
    fn write_name(&self, f: &mut impl fmt::Write) -> Result<bool, fmt::Error> {
        let (l, names) = (self.link, self.names);
        let mut mdown = false;
        f.write_str(&l.name)?;
        // A peer in another namespace may have this link's index there.
        let elsewhere = l.link_netnsid.is_some();
        if let Some(p) = l
            .parent
            .filter(|p| (*p != l.index || elsewhere) && !self.summary)
        {
            match (l.link_netnsid, p) {
                (Some(_), _) => write!(f, "@if{p}")?,
                (None, 0) => f.write_str("@NONE")?,
                (None, _) => {
                    write!(f, "@{}", Dev(names, p))?;
                    mdown = names.flags(p).is_some_and(|x| !x.contains(LinkFlags::UP));
                }
            }
        }
        Ok(mdown)
    }

    /// `print_link_flags`: `<UP,LOWER_UP> `.
    fn write_flags(&self, f: &mut impl fmt::Write, mdown: bool) -> fmt::Result {
        let l = self.link;
        f.write_char('<')?;
        for (i, n) in l.flags.names().iter().enumerate() {
            if i > 0 {
                f.write_char(',')?;
            }
            f.write_str(n)?;
        }
        if mdown {
            f.write_str(if l.flags.is_empty() {
                "M-DOWN"
            } else {
                ",M-DOWN"
            })?;
        }
        f.write_str("> ")
    }

    /// The first line after the flags, and the lines below it.
    fn write_rest(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let (l, names) = (self.link, self.names);
        if let Some(m) = l.mtu {
            write!(f, "mtu {m} ")?;
        }
        if let Some(q) = &l.qdisc {
            write!(f, "qdisc {q} ")?;
        }
        if let Some(m) = l.master.filter(|_| !self.summary) {
            write!(f, "master {} ", Dev(names, m))?;
        }
        if let Some(s) = l.operstate {
            write!(f, "state {s} ")?;
        }
        if !self.in_addr && !self.monitor {
            if let Some(m) = l.link_mode {
                write!(f, "mode {m} ")?;
            }
        }
        match l.group {
            Some(0) => f.write_str("group default ")?,
            Some(g) => write!(f, "group {g} ")?,
            None => {}
        }
        if !self.monitor {
            if let Some(q) = l.txqlen {
                write!(f, "qlen {q}")?;
            }
        }
        if let Some(e) = l.event.filter(|e| *e != 0) {
            match LINK_EVENTS.get(e as usize) {
                Some(name) => write!(f, "event {name} ")?,
                None => write!(f, "event {e} ")?,
            }
        }
        if self.summary {
            return Ok(());
        }
        if self.hw_line || self.details {
            match link_type_name(l.link_type) {
                Some(t) => write!(f, "\n    link/{t} ")?,
                None => write!(f, "\n    link/{} ", l.link_type)?,
            }
            if let Some(a) = l.address {
                write!(f, "{a}")?;
            }
            if let Some(b) = l.broadcast {
                let word = if l.flags.contains(LinkFlags::POINTOPOINT) {
                    " peer "
                } else {
                    " brd "
                };
                write!(f, "{word}{b}")?;
            }
            if let Some(p) = l.perm_address.filter(|p| Some(*p) != l.address) {
                write!(f, " permaddr {p}")?;
            }
        }
        match l.link_netnsid {
            Some(nsid) if nsid < 0 => f.write_str(" link-netnsid unknown")?,
            Some(nsid) => match self.netns_names.and_then(|m| m.get(&nsid)) {
                Some(name) => write!(f, " link-netns {name}")?,
                None => write!(f, " link-netnsid {nsid}")?,
            },
            None => {}
        }
        if l.protodown == Some(true) {
            f.write_str(" protodown on ")?;
        }
        if self.details {
            self.write_details(f)?;
        }
        if let Some(a) = l.alias.as_ref().filter(|_| !self.in_addr || self.details) {
            write!(f, "\n    alias {a}")?;
        }
        if self.stats > 0 && !self.in_addr {
            if let Some(s) = &l.stats {
                f.write_char('\n')?;
                write_link_stats(f, s, l.carrier_changes, self.stats > 1)?;
            }
        }
        for alt in &l.alt_names {
            write!(f, "\n    altname {alt}")?;
        }
        Ok(())
    }

    /// What `-d` adds to the `link/` line and below it.
    fn write_details(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let l = self.link;
        if let Some(p) = l.promiscuity {
            write!(f, " promiscuity {p} ")?;
        }
        if let Some(a) = l.allmulti {
            write!(f, " allmulti {a} ")?;
        }
        if let Some(m) = l.min_mtu {
            write!(f, "minmtu {m} ")?;
        }
        if let Some(m) = l.max_mtu {
            write!(f, "maxmtu {m} ")?;
        }
        if let Some(k) = &l.kind {
            write!(f, "\n    {} ", k.name())?;
            if let crate::kind::LinkKind::Bridge(b) = k {
                write_bridge(f, b)?;
            }
            // Kinds that say what ip prints (vti, hsr, amt ...).
            for d in k.details(&self.names) {
                if let Some(t) = d.text {
                    f.write_str(&t)?;
                }
            }
        }
        if let Some(s) = &l.slave {
            write!(f, "\n    {}_slave ", s.name())?;
            if let crate::kind::SlaveInfo::Bridge(p) = s {
                write_bridge_port(f, p, self.names)?;
            }
        }
        if !self.in_addr {
            if let Some(m) = l.inet6_addr_gen_mode {
                write!(f, "addrgenmode {m} ")?;
            }
        }
        let sizes = [
            ("numtxqueues", l.num_tx_queues),
            ("numrxqueues", l.num_rx_queues),
            ("gso_max_size", l.gso_max_size),
            ("gso_max_segs", l.gso_max_segs),
            ("tso_max_size", l.tso_max_size),
            ("tso_max_segs", l.tso_max_segs),
            ("gro_max_size", l.gro_max_size),
        ];
        for (name, v) in sizes {
            if let Some(v) = v {
                write!(f, "{name} {v} ")?;
            }
        }
        if let Some(n) = &l.phys_port_name {
            write!(f, "portname {n} ")?;
        }
        for (word, id) in [("portid", &l.phys_port_id), ("switchid", &l.phys_switch_id)] {
            if let Some(id) = id {
                write!(f, "{word} ")?;
                for b in id {
                    write!(f, "{b:02x}")?;
                }
                f.write_char(' ')?;
            }
        }
        if let Some(n) = &l.parent_dev_bus_name {
            write!(f, "parentbus {n} ")?;
        }
        if let Some(n) = &l.parent_dev_name {
            write!(f, "parentdev {n} ")?;
        }
        Ok(())
    }
}

/// A timer in centiseconds as `_bridge_print_timer` prints it.
fn write_timer(f: &mut impl fmt::Write, name: &str, v: Option<u64>) -> fmt::Result {
    match v {
        Some(v) => write!(f, "{name} {:4}.{:02} ", v / 100, v % 100),
        None => Ok(()),
    }
}

/// `bridge_print_opt` of ip/iplink_bridge.c.
fn write_bridge(f: &mut impl fmt::Write, b: &crate::kind::Bridge) -> fmt::Result {
    let u32s = [
        ("forward_delay", b.forward_delay),
        ("hello_time", b.hello_time),
        ("max_age", b.max_age),
        ("ageing_time", b.ageing_time),
        ("stp_state", b.stp_state),
        ("priority", b.priority.map(u32::from)),
        ("vlan_filtering", b.vlan_filtering.map(u32::from)),
    ];
    for (name, v) in u32s {
        if let Some(v) = v {
            write!(f, "{name} {v} ")?;
        }
    }
    match b.vlan_protocol {
        Some(0x8100) => f.write_str("vlan_protocol 802.1Q ")?,
        Some(0x88a8) => f.write_str("vlan_protocol 802.1ad ")?,
        Some(p) => write!(f, "vlan_protocol [{p}] ")?,
        None => {}
    }
    let i = &b.info;
    if let Some(id) = i.bridge_id {
        write!(f, "bridge_id {id} ")?;
    }
    // ip prints the bridge id under the root's name (iplink_bridge.c).
    if let (Some(_), Some(id)) = (i.root_id, i.bridge_id) {
        write!(f, "designated_root {id} ")?;
    }
    let state = [
        ("root_port", i.root_port.map(u64::from)),
        ("root_path_cost", i.root_path_cost.map(u64::from)),
        ("topology_change", i.topology_change.map(u64::from)),
        (
            "topology_change_detected",
            i.topology_change_detected.map(u64::from),
        ),
    ];
    for (name, v) in state {
        if let Some(v) = v {
            write!(f, "{name} {v} ")?;
        }
    }
    write_timer(f, "hello_timer", i.hello_timer)?;
    write_timer(f, "tcn_timer", i.tcn_timer)?;
    write_timer(f, "topology_change_timer", i.topology_change_timer)?;
    write_timer(f, "gc_timer", i.gc_timer)?;
    let vlan = [
        ("vlan_default_pvid", b.vlan_default_pvid.map(u64::from)),
        ("vlan_stats_enabled", b.vlan_stats_enabled.map(u64::from)),
        ("vlan_stats_per_port", b.vlan_stats_per_port.map(u64::from)),
    ];
    for (name, v) in vlan {
        if let Some(v) = v {
            write!(f, "{name} {v} ")?;
        }
    }
    if let Some(m) = b.group_fwd_mask {
        write_0xhex(f, "group_fwd_mask", u64::from(m))?;
    }
    if let Some(a) = &b.group_addr {
        write!(f, "group_address {a} ")?;
    }
    if let Some(v) = b.mcast_snooping {
        write!(f, "mcast_snooping {} ", u8::from(v))?;
    }
    if let Some(o) = b.multi_boolopt {
        // BR_BOOLOPT_NO_LL_LEARN is bit 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING bit 1.
        for (bit, name) in [(0, "no_linklocal_learn"), (1, "mcast_vlan_snooping")] {
            if o.mask & (1 << bit) != 0 {
                write!(f, "{name} {} ", u8::from(o.value & (1 << bit) != 0))?;
            }
        }
    }
    let mcast = [
        ("mcast_router", b.mcast_router.map(u64::from)),
        (
            "mcast_query_use_ifaddr",
            b.mcast_query_use_ifaddr.map(u64::from),
        ),
        ("mcast_querier", b.mcast_querier.map(u64::from)),
        (
            "mcast_hash_elasticity",
            b.mcast_hash_elasticity.map(u64::from),
        ),
        ("mcast_hash_max", b.mcast_hash_max.map(u64::from)),
        (
            "mcast_last_member_count",
            b.mcast_last_member_cnt.map(u64::from),
        ),
        (
            "mcast_startup_query_count",
            b.mcast_startup_query_cnt.map(u64::from),
        ),
        ("mcast_last_member_interval", b.mcast_last_member_intvl),
        ("mcast_membership_interval", b.mcast_membership_intvl),
        ("mcast_querier_interval", b.mcast_querier_intvl),
        ("mcast_query_interval", b.mcast_query_intvl),
        (
            "mcast_query_response_interval",
            b.mcast_query_response_intvl,
        ),
        ("mcast_startup_query_interval", b.mcast_startup_query_intvl),
        ("mcast_stats_enabled", b.mcast_stats_enabled.map(u64::from)),
        ("mcast_igmp_version", b.mcast_igmp_version.map(u64::from)),
        ("mcast_mld_version", b.mcast_mld_version.map(u64::from)),
        ("nf_call_iptables", b.nf_call_iptables.map(u64::from)),
        ("nf_call_ip6tables", b.nf_call_ip6tables.map(u64::from)),
        ("nf_call_arptables", b.nf_call_arptables.map(u64::from)),
    ];
    for (name, v) in mcast {
        if let Some(v) = v {
            write!(f, "{name} {v} ")?;
        }
    }
    Ok(())
}

/// C's `%#llx`: `0` for zero, `0x..` otherwise.
fn write_0xhex(f: &mut impl fmt::Write, name: &str, v: u64) -> fmt::Result {
    if v == 0 {
        write!(f, "{name} 0 ")
    } else {
        write!(f, "{name} {v:#x} ")
    }
}

/// `bridge_slave_print_opt` of ip/iplink_bridge_slave.c.
fn write_bridge_port<N: LinkNames + ?Sized>(
    f: &mut impl fmt::Write,
    p: &crate::port::BridgePort,
    names: &N,
) -> fmt::Result {
    use crate::port::PortState;
    let onoff = |v: bool| if v { "on" } else { "off" };
    match p.state {
        Some(PortState::Disabled) => f.write_str("state disabled ")?,
        Some(PortState::Listening) => f.write_str("state listening ")?,
        Some(PortState::Learning) => f.write_str("state learning ")?,
        Some(PortState::Forwarding) => f.write_str("state forwarding ")?,
        Some(PortState::Blocking) => f.write_str("state blocking ")?,
        Some(PortState::Other(n)) => write!(f, "state ({n}) ")?,
        None => {}
    }
    if let Some(v) = p.priority {
        write!(f, "priority {v} ")?;
    }
    if let Some(v) = p.cost {
        write!(f, "cost {v} ")?;
    }
    let flags = [
        ("hairpin", p.hairpin),
        ("guard", p.guard),
        ("root_block", p.root_block),
        ("fastleave", p.fast_leave),
        ("learning", p.learning),
        ("flood", p.unicast_flood),
    ];
    for (name, v) in flags {
        if let Some(v) = v {
            write!(f, "{name} {} ", onoff(v))?;
        }
    }
    let i = &p.info;
    if let Some(v) = i.id {
        write_0xhex(f, "port_id", u64::from(v))?;
    }
    if let Some(v) = i.no {
        write_0xhex(f, "port_no", u64::from(v))?;
    }
    if let Some(v) = i.designated_port {
        write!(f, "designated_port {v} ")?;
    }
    if let Some(v) = i.designated_cost {
        write!(f, "designated_cost {v} ")?;
    }
    if let Some(id) = i.bridge_id {
        write!(f, "designated_bridge {id} ")?;
    }
    if let Some(id) = i.root_id {
        write!(f, "designated_root {id} ")?;
    }
    write_timer(f, "hold_timer", i.hold_timer)?;
    write_timer(f, "message_age_timer", i.message_age_timer)?;
    write_timer(f, "forward_delay_timer", i.forward_delay_timer)?;
    if let Some(v) = i.topology_change_ack {
        write!(f, "topology_change_ack {v} ")?;
    }
    if let Some(v) = i.config_pending {
        write!(f, "config_pending {v} ")?;
    }
    for (name, v) in [
        ("proxy_arp", p.proxyarp),
        ("proxy_arp_wifi", p.proxyarp_wifi),
    ] {
        if let Some(v) = v {
            write!(f, "{name} {} ", onoff(v))?;
        }
    }
    if let Some(v) = p.multicast_router {
        write!(f, "mcast_router {v} ")?;
    }
    let flags = [
        ("mcast_fast_leave", p.fast_leave),
        ("mcast_flood", p.mcast_flood),
        ("bcast_flood", p.bcast_flood),
        ("mcast_to_unicast", p.mcast_to_ucast),
        ("neigh_suppress", p.neigh_suppress),
    ];
    for (name, v) in flags {
        if let Some(v) = v {
            write!(f, "{name} {} ", onoff(v))?;
        }
    }
    if let Some(m) = p.group_fwd_mask {
        write_0xhex(f, "group_fwd_mask", u64::from(m))?;
        f.write_str("group_fwd_mask_str ")?;
        if m == 0 {
            f.write_str("0x0")?;
        }
        let mut first = true;
        for bit in 0..16u16 {
            if m & (1 << bit) == 0 {
                continue;
            }
            if !first {
                f.write_char(',')?;
            }
            first = false;
            match bit {
                0 => f.write_str("stp")?,
                2 => f.write_str("lacp")?,
                14 => f.write_str("lldp")?,
                _ => write!(f, "{:#x}", 1u32 << bit)?,
            }
        }
        f.write_char(' ')?;
    }
    let flags = [
        ("vlan_tunnel", p.vlan_tunnel),
        ("isolated", p.isolated),
        ("locked", p.locked),
    ];
    for (name, v) in flags {
        if let Some(v) = v {
            write!(f, "{name} {} ", onoff(v))?;
        }
    }
    if let Some(b) = p.backup_port {
        write!(f, "backup_port {} ", Dev(names, b))?;
    }
    Ok(())
}

/// `print_stats64` of ip/ipaddress.c, text mode: the RX and TX tables
/// of `ip -s link` (`errors` adds the error tables of `-s -s`), each line
/// ending as ip ends it (a space after each number, no final newline).
pub fn write_link_stats(
    f: &mut impl fmt::Write,
    s: &crate::link::LinkStats,
    carrier_changes: Option<u32>,
    errors: bool,
) -> fmt::Result {
    fn digits(mut v: u64) -> usize {
        let mut n = 1;
        while v > 9 {
            v /= 10;
            n += 1;
        }
        n
    }
    let mut cols = [10usize, 7, 6, 7, 7, 7, 10, 9];
    let mut size = |vals: [u64; 8]| {
        for (c, v) in cols.iter_mut().zip(vals) {
            *c = (*c).max(digits(v));
        }
    };
    size([
        s.rx_bytes,
        s.rx_packets,
        s.rx_errors,
        s.rx_dropped,
        s.rx_missed_errors,
        s.multicast,
        s.rx_compressed,
        0,
    ]);
    if errors {
        size([
            0,
            s.rx_length_errors,
            s.rx_crc_errors,
            s.rx_frame_errors,
            s.rx_fifo_errors,
            s.rx_over_errors,
            s.rx_nohandler,
            s.rx_otherhost_dropped,
        ]);
    }
    size([
        s.tx_bytes,
        s.tx_packets,
        s.tx_errors,
        s.tx_dropped,
        s.tx_carrier_errors,
        s.collisions,
        s.tx_compressed,
        0,
    ]);
    let cc = u64::from(carrier_changes.unwrap_or(0));
    if errors {
        size([
            0,
            0,
            s.tx_aborted_errors,
            s.tx_fifo_errors,
            s.tx_window_errors,
            s.tx_heartbeat_errors,
            cc,
            0,
        ]);
    }
    let [c0, c1, c2, c3, c4, c5, c6, c7] = cols;
    let nums = |f: &mut dyn fmt::Write, vals: &[(usize, u64)]| -> fmt::Result {
        for (w, v) in vals {
            write!(f, "{v:>w$} ")?;
        }
        Ok(())
    };
    let compressed = |v: u64| if v != 0 { "compressed" } else { "" };
    write!(
        f,
        "    RX: {:>a$} {:>c1$} {:>c2$} {:>c3$} {:>c4$} {:>c5$} {:>c6$}\n    ",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "missed",
        "mcast",
        compressed(s.rx_compressed),
        a = c0 - 4,
    )?;
    let mut rx = vec![
        (c0, s.rx_bytes),
        (c1, s.rx_packets),
        (c2, s.rx_errors),
        (c3, s.rx_dropped),
        (c4, s.rx_missed_errors),
        (c5, s.multicast),
    ];
    if s.rx_compressed != 0 {
        rx.push((c6, s.rx_compressed));
    }
    nums(f, &rx)?;
    if errors {
        write!(
            f,
            "\n    RX errors:{:>a$} {:>c1$} {:>c2$} {:>c3$} {:>c4$} {:>c5$}",
            "",
            "length",
            "crc",
            "frame",
            "fifo",
            "overrun",
            a = c0 - 10,
        )?;
        if s.rx_nohandler != 0 {
            write!(f, "{:>w$}", " nohandler", w = c6 + 1)?;
        }
        if s.rx_otherhost_dropped != 0 {
            write!(f, "{:>w$}", " otherhost", w = c7 + 1)?;
        }
        write!(f, "\n{:w$}", "", w = c0 + 5)?;
        let mut e = vec![
            (c1, s.rx_length_errors),
            (c2, s.rx_crc_errors),
            (c3, s.rx_frame_errors),
            (c4, s.rx_fifo_errors),
            (c5, s.rx_over_errors),
        ];
        if s.rx_nohandler != 0 {
            e.push((c6, s.rx_nohandler));
        }
        if s.rx_otherhost_dropped != 0 {
            e.push((c7, s.rx_otherhost_dropped));
        }
        nums(f, &e)?;
    }
    write!(
        f,
        "\n    TX: {:>a$} {:>c1$} {:>c2$} {:>c3$} {:>c4$} {:>c5$} {:>c6$}\n    ",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "carrier",
        "collsns",
        compressed(s.tx_compressed),
        a = c0 - 4,
    )?;
    let mut tx = vec![
        (c0, s.tx_bytes),
        (c1, s.tx_packets),
        (c2, s.tx_errors),
        (c3, s.tx_dropped),
        (c4, s.tx_carrier_errors),
        (c5, s.collisions),
    ];
    if s.tx_compressed != 0 {
        tx.push((c6, s.tx_compressed));
    }
    nums(f, &tx)?;
    if errors {
        write!(
            f,
            "\n    TX errors:{:>a$} {:>c1$} {:>c2$} {:>c3$} {:>c4$} {:>c5$}",
            "",
            "aborted",
            "fifo",
            "window",
            "heartbt",
            if carrier_changes.is_some() {
                "transns"
            } else {
                ""
            },
            a = c0 - 10,
        )?;
        write!(f, "\n{:w$}", "", w = c0 + 5)?;
        let mut e = vec![
            (c1, s.tx_aborted_errors),
            (c2, s.tx_fifo_errors),
            (c3, s.tx_window_errors),
            (c4, s.tx_heartbeat_errors),
        ];
        if carrier_changes.is_some() {
            e.push((c5, cc));
        }
        nums(f, &e)?;
    }
    Ok(())
}

/// An address as `ip addr show` prints it: see [`Addr::text`].
pub struct AddrText<'a> {
    addr: &'a Addr,
    link_name: Option<&'a str>,
}

impl Addr {
    /// The line `ip addr show` prints for this address as iproute2 writes
    /// it (without its indentation and the lifetimes line below it): an
    /// IPv4 address ends with its label, `link_name` when it has none; an
    /// IPv6 one with a space. `Display` prints the same without a link
    /// name and without the space at the end.
    pub fn text<'a>(&'a self, link_name: Option<&'a str>) -> AddrText<'a> {
        AddrText {
            addr: self,
            link_name,
        }
    }

    /// Whether `ip` calls the address `dynamic`: the kernel did not mark
    /// it permanent and its lifetime is finite.
    pub fn is_dynamic(&self) -> bool {
        !self.flags.contains(AddrFlags::PERMANENT) && self.valid_lft.is_some_and(|v| v != u32::MAX)
    }
}

impl fmt::Display for AddrText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_addr(f, self.addr, self.link_name)
    }
}

impl fmt::Display for Addr {
    /// Reads like a line of `ip addr`: `inet 192.0.2.1/24 brd 192.0.2.255
    /// scope global eth0` (see [`Addr::text`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_addr(&mut TrimEnds::new(f), self, None)
    }
}

/// `print_addrinfo` of iproute2 (ip/ipaddress.c).
fn write_addr(f: &mut impl fmt::Write, a: &Addr, link_name: Option<&str>) -> fmt::Result {
    let ip = a.ip();
    write!(f, "{} {ip}", family_name(&ip))?;
    if let Some(p) = a.peer {
        write!(f, " peer {p}")?;
    }
    write!(f, "/{} ", a.prefix.prefix_len())?;
    if let Some(b) = a.broadcast {
        write!(f, "brd {b} ")?;
    }
    if let Some(b) = a.anycast {
        write!(f, "any {b} ")?;
    }
    write!(f, "scope {} ", a.scope)?;
    // print_ifa_flags: "dynamic" where "permanent" would be, which is
    // never printed.
    for n in (a.flags | AddrFlags::PERMANENT).names(a.family()) {
        match n {
            "permanent" if a.is_dynamic() => f.write_str("dynamic ")?,
            "permanent" => {}
            n => write!(f, "{n} ")?,
        }
    }
    if ip.is_ipv4() {
        if let Some(l) = a.label.as_deref().or(link_name) {
            f.write_str(l)?;
        }
    }
    Ok(())
}

/// The neighbour flags `ip neigh` prints, in its order.
pub const NEIGH_FLAGS: [(NeighFlags, &str); 4] = [
    (NeighFlags::ROUTER, "router"),
    (NeighFlags::PROXY, "proxy"),
    (NeighFlags::EXT_LEARNED, "extern_learn"),
    (NeighFlags::OFFLOADED, "offload"),
];

/// A neighbour as `ip neigh show` prints it: see [`Neigh::text`].
pub struct NeighText<'a, N: ?Sized> {
    neigh: &'a Neigh,
    names: &'a N,
    with_dev: bool,
}

impl Neigh {
    /// The `ip neigh show` line of this entry as iproute2 writes it,
    /// links named by `names`. `Display` prints the same with [`NoNames`]
    /// and without the space at the end.
    pub fn text<'a, N: LinkNames + ?Sized>(&'a self, names: &'a N) -> NeighText<'a, N> {
        NeighText {
            neigh: self,
            names,
            with_dev: true,
        }
    }
}

impl<N: ?Sized> NeighText<'_, N> {
    /// Without `dev X`, as `ip neigh show dev X` prints its entries.
    #[must_use]
    pub fn without_dev(mut self) -> Self {
        self.with_dev = false;
        self
    }
}

impl<N: LinkNames + ?Sized> fmt::Display for NeighText<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_neigh(f, self.neigh, self.names, self.with_dev)
    }
}

impl fmt::Display for Neigh {
    /// One line of `ip neigh show`, links as `if{index}` (see
    /// [`Neigh::text`] for names).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_neigh(&mut TrimEnds::new(f), self, &NoNames, true)
    }
}

/// `print_neigh` of iproute2 (ip/ipneigh.c).
fn write_neigh<N: LinkNames + ?Sized>(
    f: &mut impl fmt::Write,
    n: &Neigh,
    names: &N,
    with_dev: bool,
) -> fmt::Result {
    if let Some(d) = &n.dst {
        write!(f, "{d} ")?;
    }
    if with_dev {
        write!(f, "dev {} ", Dev(names, n.ifindex))?;
    }
    if let Some(l) = &n.lladdr {
        write!(f, "lladdr {l} ")?;
    }
    for (flag, word) in NEIGH_FLAGS {
        if n.flags.contains(flag) {
            write!(f, "{word} ")?;
        }
    }
    for s in n.state.names() {
        write!(f, "{s} ")?;
    }
    if let Some(p) = n.protocol.filter(|p| p.0 != 0) {
        write!(f, "proto {p} ")?;
    }
    Ok(())
}

/// A nexthop object as `ip nexthop show` prints it: see [`Nexthop::text`].
pub struct NexthopText<'a, N: ?Sized> {
    nexthop: &'a Nexthop,
    names: &'a N,
}

impl Nexthop {
    /// The `ip nexthop show` line of this nexthop as iproute2 writes it,
    /// links named by `names`. `Display` prints the same with [`NoNames`]
    /// and without the space at the end.
    pub fn text<'a, N: LinkNames + ?Sized>(&'a self, names: &'a N) -> NexthopText<'a, N> {
        NexthopText {
            nexthop: self,
            names,
        }
    }
}

impl<N: LinkNames + ?Sized> fmt::Display for NexthopText<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_nexthop(f, self.nexthop, self.names)
    }
}

impl fmt::Display for Nexthop {
    /// One line of `ip nexthop show`, links as `if{index}` (see
    /// [`Nexthop::text`] for names).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_nexthop(&mut TrimEnds::new(f), self, &NoNames)
    }
}

/// `print_nexthop` of iproute2 (ip/ipnexthop.c).
fn write_nexthop<N: LinkNames + ?Sized>(
    f: &mut impl fmt::Write,
    n: &Nexthop,
    names: &N,
) -> fmt::Result {
    write!(f, "id {} ", n.id)?;
    if n.is_group() {
        f.write_str("group ")?;
        for (i, g) in n.group.iter().enumerate() {
            if i > 0 {
                f.write_char('/')?;
            }
            write!(f, "{}", g.id)?;
            if g.weight > 1 {
                write!(f, ",{}", g.weight)?;
            }
        }
        f.write_char(' ')?;
    }
    if let Some(t) = n.group_type.filter(|t| *t != GroupType::Mpath) {
        write!(f, "type {t} ")?;
    }
    if let Some(g) = n.gateway {
        write!(f, "via {g} ")?;
    }
    if let Some(o) = n.oif {
        write!(f, "dev {} ", Dev(names, o))?;
    }
    if n.scope != Scope::Universe {
        write!(f, "scope {} ", n.scope)?;
    }
    if n.blackhole {
        f.write_str("blackhole ")?;
    }
    if n.protocol != RouteProtocol::UNSPEC {
        write!(f, "proto {} ", n.protocol)?;
    }
    flag_words(f, n.flags)?;
    if n.fdb {
        f.write_str("fdb")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::{Metrics, NextHop};

    #[test]
    fn route_text_names_links_or_numbers_them() {
        let mut r = Route::new("198.51.100.0/24".parse().unwrap())
            .via("192.0.2.1".parse().unwrap())
            .dev(7)
            .metric(100)
            .protocol(RouteProtocol::STATIC);
        let names: HashMap<u32, String> = HashMap::from([(7, "eth7".to_string())]);
        assert_eq!(
            r.text(&names).to_string(),
            "198.51.100.0/24 via 192.0.2.1 dev eth7 proto static metric 100 "
        );
        assert_eq!(
            r.to_string(),
            "198.51.100.0/24 via 192.0.2.1 dev if7 proto static metric 100"
        );
        r.flags = RouteFlags::ONLINK;
        r.dst = Some("0.0.0.0/0".parse().unwrap());
        assert_eq!(
            r.text(&names).to_string(),
            "default via 192.0.2.1 dev eth7 proto static metric 100 onlink "
        );
    }

    #[test]
    fn metrics_read_like_ip_route() {
        let mut r = Route::new("2001:db8::/64".parse().unwrap()).dev(1);
        let m = r.metrics_mut();
        m.mtu = Some(1400);
        m.lock = 1 << crate::uapi::rtnetlink::RTAX_MTU;
        m.rtt = Some(Metrics::kernel_units(RTAX_RTT, 8));
        m.advmss = Some(1360);
        m.hoplimit = Some(u32::MAX);
        m.features = Some(RTAX_FEATURE_ECN);
        m.cc_algo = Some("reno".into());
        assert_eq!(
            r.to_string(),
            "2001:db8::/64 dev if1 mtu lock 1400 rtt 8ms advmss 1360 features ecn congctl reno"
        );
    }

    #[test]
    fn numbers_and_addresses_by_hand() {
        let mut s = String::new();
        for v in [0, 7, 10, 99, 100, 4_294_967_295] {
            s.clear();
            write_u32(&mut s, v).unwrap();
            assert_eq!(s, v.to_string());
        }
        for a in ["0.0.0.0", "9.10.99.100", "255.255.255.255", "2001:db8::1"] {
            s.clear();
            write_ip(&mut s, a.parse().unwrap(), "").unwrap();
            assert_eq!(s, a);
        }
        let r = Route::new("198.18.0.0/15".parse().unwrap())
            .dev(7)
            .metric(1024);
        s.clear();
        r.text(&NoNames).append_to(&mut s);
        assert_eq!(s, format!("{} ", r));
    }

    #[test]
    fn multipath_paths_are_lines_of_their_own() {
        let mut r = Route::new("203.0.113.0/24".parse().unwrap());
        r.multipath = vec![
            NextHop::new(Some("192.0.2.1".parse().unwrap()), 2),
            NextHop::new(Some("192.0.2.2".parse().unwrap()), 3),
        ];
        let names: HashMap<u32, String> = HashMap::from([(2, "a".into()), (3, "b".into())]);
        assert_eq!(
            r.text(&names).to_string(),
            "203.0.113.0/24 \n\tnexthop via 192.0.2.1 dev a weight 1 \n\tnexthop via 192.0.2.2 dev b weight 1 "
        );
        assert_eq!(
            r.to_string(),
            "203.0.113.0/24\n\tnexthop via 192.0.2.1 dev if2 weight 1\n\tnexthop via 192.0.2.2 dev if3 weight 1"
        );
    }

    #[test]
    fn link_text_marks_a_lower_link_that_is_down() {
        let mut l = Link::new("v0");
        l.index = 5;
        l.parent = Some(4);
        l.flags = LinkFlags::BROADCAST | LinkFlags::MULTICAST;
        l.mtu = Some(1500);
        l.link_type = 1;
        let names: HashMap<u32, (String, LinkFlags)> =
            HashMap::from([(4, ("v1".to_string(), LinkFlags::BROADCAST))]);
        assert_eq!(
            l.text(&names).to_string(),
            "5: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 \n    link/ether "
        );
        assert_eq!(l.to_string(), "5: v0: <BROADCAST,MULTICAST> mtu 1500");
        // A peer in another namespace: its index there, and the
        // namespace's name when one is known.
        l.parent = Some(5);
        l.link_netnsid = Some(3);
        let ns = HashMap::from([(3, "blue".to_string())]);
        let text = l.text(&names).netns_names(&ns).to_string();
        assert!(text.starts_with("5: v0@if5: "), "{text}");
        assert!(text.ends_with("link/ether  link-netns blue"), "{text}");
        let text = l.text(&names).to_string();
        assert!(text.ends_with(" link-netnsid 3"), "{text}");
        l.link_netnsid = Some(-1);
        assert!(
            l.text(&names)
                .to_string()
                .ends_with(" link-netnsid unknown")
        );
    }

    #[test]
    fn addr_text_says_dynamic_never_permanent() {
        let mut a: Addr = "192.0.2.1/24".parse().unwrap();
        a.broadcast = Some("192.0.2.255".parse().unwrap());
        a.flags = AddrFlags::PERMANENT | AddrFlags::NOPREFIXROUTE;
        assert_eq!(
            a.text(Some("eth0")).to_string(),
            "inet 192.0.2.1/24 brd 192.0.2.255 scope global noprefixroute eth0"
        );
        a.flags = AddrFlags::empty();
        a.valid_lft = Some(30);
        a.label = Some("eth0:1".into());
        assert_eq!(
            a.to_string(),
            "inet 192.0.2.1/24 brd 192.0.2.255 scope global dynamic eth0:1"
        );
    }

    #[test]
    fn rules_name_tos_and_protocols() {
        let mut r = crate::Rule::new(AF_INET).table(100).priority(5);
        r.tos = 0xb8;
        r.ip_proto = Some(6);
        assert_eq!(r.to_string(), "5:\tfrom all tos EF ipproto tcp lookup 100");
        r.tos = 0x04;
        r.ip_proto = Some(253);
        assert_eq!(
            r.to_string(),
            "5:\tfrom all tos 0x04 ipproto ipproto-253 lookup 100"
        );
    }

    #[test]
    fn families_and_link_types_have_ip_words() {
        assert_eq!(family_name(&"2001:db8::1".parse().unwrap()), "inet6");
        assert_eq!(link_type_name(772), Some("loopback"));
        assert_eq!(link_type_name(4242), None);
    }
}
