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
use std::fmt::{self, Write as _};
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
    if r.kind != RouteType::Unicast || details {
        write!(f, "{} ", r.kind)?;
    }
    write_prefix(f, r.dst.as_ref())?;
    if let Some(src) = &r.src {
        f.write_str("from ")?;
        write_prefix(f, Some(src))?;
    }
    if let Some(n) = r.nh_id {
        write!(f, "nhid {n} ")?;
    }
    if !r.newdst.is_empty() {
        f.write_str("as to ")?;
        write_labels(f, &r.newdst)?;
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
    if let Some(v) = r.via {
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
    if let Some(m) = r.mark {
        write!(f, "mark {m:#x} ")?;
    }
    if let Some(realm) = r.realm {
        write_realms(f, realm)?;
    }
    if let Some(u) = r.uid {
        write!(f, "uid {u} ")?;
    }
    if let Some(e) = r.expires.filter(|e| *e != 0) {
        write!(f, "expires {e}sec ")?;
    }
    if let Some(m) = &r.metrics {
        write_metrics(f, m)?;
    }
    if let Some(i) = r.iif {
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
}

impl<N: LinkNames + ?Sized> fmt::Display for LinkText<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (l, names) = (self.link, self.names);
        let mut mdown = false;
        write!(f, "{}: {}", l.index, l.name)?;
        if let Some(p) = l.parent.filter(|p| *p != l.index && !self.summary) {
            match (l.link_netnsid, p) {
                (Some(_), _) => write!(f, "@if{p}")?,
                (None, 0) => f.write_str("@NONE")?,
                (None, _) => {
                    write!(f, "@{}", Dev(names, p))?;
                    mdown = names.flags(p).is_some_and(|x| !x.contains(LinkFlags::UP));
                }
            }
        }
        f.write_str(": <")?;
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
        f.write_char('>')?;
        if let Some(m) = l.mtu {
            write!(f, " mtu {m}")?;
        }
        if let Some(q) = &l.qdisc {
            write!(f, " qdisc {q}")?;
        }
        if let Some(m) = l.master.filter(|_| !self.summary) {
            write!(f, " master {}", Dev(names, m))?;
        }
        if let Some(s) = l.operstate {
            write!(f, " state {s}")?;
        }
        if !self.in_addr {
            if let Some(m) = l.link_mode {
                write!(f, " mode {m}")?;
            }
        }
        match l.group {
            Some(0) => f.write_str(" group default")?,
            Some(g) => write!(f, " group {g}")?,
            None => {}
        }
        if let Some(q) = l.txqlen {
            write!(f, " qlen {q}")?;
        }
        if self.summary {
            return Ok(());
        }
        if self.hw_line || self.details {
            match link_type_name(l.link_type) {
                Some(t) => write!(f, "\n    link/{t}")?,
                None => write!(f, "\n    link/{}", l.link_type)?,
            }
            if l.link_type != 65534 {
                if let Some(a) = l.address {
                    write!(f, " {a}")?;
                }
                if let Some(b) = l.broadcast {
                    write!(f, " brd {b}")?;
                }
            }
            if let Some(nsid) = l.link_netnsid {
                write!(f, " link-netnsid {nsid}")?;
            }
        }
        if self.details {
            write!(
                f,
                " promiscuity {} allmulti {} minmtu {} maxmtu {}",
                l.promiscuity.unwrap_or(0),
                l.allmulti.unwrap_or(0),
                l.min_mtu.unwrap_or(0),
                l.max_mtu.unwrap_or(0)
            )?;
            if let Some(k) = &l.kind {
                write!(f, "\n    {}", k.name())?;
            }
            if let Some(s) = &l.slave {
                write!(f, "\n    {}_slave", s.name())?;
            }
            if let Some(m) = l.inet6_addr_gen_mode {
                write!(f, " addrgenmode {m}")?;
            }
            if let (Some(t), Some(r)) = (l.num_tx_queues, l.num_rx_queues) {
                write!(f, " numtxqueues {t} numrxqueues {r}")?;
            }
        }
        if let Some(a) = l.alias.as_ref().filter(|_| !self.in_addr || self.details) {
            write!(f, "\n    alias {a}")?;
        }
        for alt in &l.alt_names {
            write!(f, "\n    altname {alt}")?;
        }
        Ok(())
    }
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
            "5: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500\n    link/ether"
        );
        assert_eq!(l.to_string(), "5: v0: <BROADCAST,MULTICAST> mtu 1500");
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
