//! Policy routing rules: RTM_NEWRULE / DELRULE / GETRULE.
//!
//! [`Rule`] is the owned object (dump replies, notifications, requests);
//! [`RuleDump`] asks for the rules of one family. The kernel does not
//! filter rule dumps, so [`RuleDump::matches`] does.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use bitflags::bitflags;
use ipnet::IpNet;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST};
use nl_wire::{Attr, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::route::{RouteProtocol, TABLE_MAIN, table_name};
use crate::uapi::fib_rules::*;
use crate::uapi::newer::FRA_DSCP;
use crate::uapi::rtnetlink::{RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE};
use crate::uapi::types::{FibRuleHdr, FibRulePortRange, FibRuleUidRange};
use crate::{AF_INET, AF_INET6};

nl_wire::kernel_enum! {
    /// `FR_ACT_*`: what a matching rule does, with the words `ip rule` uses.
    #[derive(Default)]
    pub enum RuleAction: u8, "action", Error {
        /// Not set (in a delete request: any action).
        Unspec = FR_ACT_UNSPEC => "unspec",
        /// Look up the rule's table (`lookup T`).
        #[default]
        ToTable = FR_ACT_TO_TBL => "lookup" | "table",
        /// Jump to the rule with priority `goto`.
        Goto = FR_ACT_GOTO => "goto",
        /// Do nothing (`nop`).
        Nop = FR_ACT_NOP => "nop",
        /// Drop silently.
        Blackhole = FR_ACT_BLACKHOLE => "blackhole",
        /// Drop with ICMP unreachable.
        Unreachable = FR_ACT_UNREACHABLE => "unreachable",
        /// Drop with ICMP prohibited.
        Prohibit = FR_ACT_PROHIBIT => "prohibit",
    }
}

bitflags! {
    /// `FIB_RULE_*` flags of `fib_rule_hdr`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct RuleFlags: u32 {
        /// A rule the kernel keeps (the default rules).
        const PERMANENT = FIB_RULE_PERMANENT;
        /// Match packets the selectors do not match (`not`).
        const INVERT = FIB_RULE_INVERT;
        /// A `goto` whose target rule does not exist (reported).
        const UNRESOLVED = FIB_RULE_UNRESOLVED;
        /// The `iif` device does not exist (reported).
        const IIF_DETACHED = FIB_RULE_IIF_DETACHED;
        /// The `oif` device does not exist (reported).
        const OIF_DETACHED = FIB_RULE_OIF_DETACHED;
        /// Find a source address (IPv6).
        const FIND_SADDR = FIB_RULE_FIND_SADDR;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

/// An inclusive range of ports (`FRA_SPORT_RANGE`, `FRA_DPORT_RANGE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PortRange {
    /// First port.
    pub start: u16,
    /// Last port.
    pub end: u16,
}

impl PortRange {
    /// One port.
    pub fn single(port: u16) -> Self {
        PortRange {
            start: port,
            end: port,
        }
    }
}

impl FromStr for PortRange {
    type Err = Error;
    /// `80` or `1000-2000`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid("port range", "not PORT or START-END");
        match s.split_once('-') {
            Some((a, b)) => Ok(PortRange {
                start: a.parse().map_err(|_| bad())?,
                end: b.parse().map_err(|_| bad())?,
            }),
            None => s.parse().map(PortRange::single).map_err(|_| bad()),
        }
    }
}

/// An inclusive range of user ids (`FRA_UID_RANGE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UidRange {
    /// First uid.
    pub start: u32,
    /// Last uid.
    pub end: u32,
}

impl FromStr for UidRange {
    type Err = Error;
    /// `1000` or `1000-2000`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid("uid range", "not UID or START-END");
        let (a, b) = s.split_once('-').unwrap_or((s, s));
        Ok(UidRange {
            start: a.parse().map_err(|_| bad())?,
            end: b.parse().map_err(|_| bad())?,
        })
    }
}

/// A policy routing rule.
///
/// ```
/// use nl_route::rule::{Rule, RuleAction};
/// let mut r = Rule::new(nl_route::AF_INET).table(100).priority(1000);
/// r.src = Some("192.0.2.0/24".parse().unwrap());
/// let mut buf = Vec::new();
/// r.write_add(&mut buf)?;
/// let back = Rule::parse(&nl_wire::Msg::parse(&buf).unwrap().0)?;
/// assert_eq!(back, r);
/// assert_eq!(back.action, RuleAction::ToTable);
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// `FRA_PRIORITY` (`pref`); `None` lets the kernel choose on add. A
    /// parsed rule always has one: the kernel leaves the attribute out at
    /// priority 0, which reads back as `Some(0)`.
    pub priority: Option<u32>,
    /// Table to look up (`FRA_TABLE`, or the header's byte); 0: none / any.
    pub table: u32,
    /// What a match does.
    pub action: RuleAction,
    /// `FRA_GOTO`: target priority of a `goto` rule.
    pub goto: Option<u32>,
    /// Source prefix (`from`).
    pub src: Option<IpNet>,
    /// Destination prefix (`to`).
    pub dst: Option<IpNet>,
    /// Input interface name (`iif`).
    pub iif: Option<String>,
    /// Output interface name (`oif`).
    pub oif: Option<String>,
    /// Firewall mark (`fwmark`). The kernel keeps no mark selector when
    /// both mark and mask are 0, so `Some(0)` without a mask reads back as
    /// `None`; with a mask (`fwmark 0/0xff`) it reads back as `Some(0)`.
    pub fwmark: Option<u32>,
    /// Mask of the firewall mark (`fwmark M/MASK`); the kernel uses
    /// `0xffffffff` for a non-zero mark without one, and reports it so.
    pub fwmask: Option<u32>,
    /// TOS byte of the header (`tos`, `dsfield`).
    pub tos: u8,
    /// `FRA_DSCP` (Linux 6.13): DSCP value 0..=63.
    pub dscp: Option<u8>,
    /// `FRA_FLOW`: realms, `(from << 16) | to`.
    pub realms: Option<u32>,
    /// `suppress_prefixlength`: ignore lookups with a prefix this short or shorter.
    pub suppress_prefixlen: Option<u32>,
    /// `suppress_ifgroup`: ignore lookups whose device is in this group.
    pub suppress_ifgroup: Option<u32>,
    /// `FRA_L3MDEV`: look up the table of the VRF device (`l3mdev`).
    pub l3mdev: bool,
    /// `uidrange`.
    pub uid_range: Option<UidRange>,
    /// `sport`.
    pub sport: Option<PortRange>,
    /// `dport`.
    pub dport: Option<PortRange>,
    /// `ipproto`.
    pub ip_proto: Option<u8>,
    /// `tun_id` (network order on the wire).
    pub tun_id: Option<u64>,
    /// `FRA_PROTOCOL`: who installed the rule (written when not 0).
    pub protocol: RouteProtocol,
    /// `FIB_RULE_*`.
    pub flags: RuleFlags,
}

fn family_of(a: &IpAddr) -> u8 {
    if a.is_ipv4() { AF_INET } else { AF_INET6 }
}

/// `addr/len` read from attribute `ty`; a length the family cannot have
/// is an error of that attribute.
fn prefix(addr: IpAddr, len: u8, ty: u16) -> nl_wire::Result<IpNet> {
    IpNet::new(addr, len).map_err(|_| nl_wire::Error::Invalid { ty })
}

impl Rule {
    /// A rule of `family` (`AF_INET`, `AF_INET6`) that looks up the main table.
    pub fn new(family: u8) -> Self {
        Rule {
            family,
            table: TABLE_MAIN,
            ..Rule::default()
        }
    }

    /// Looks up `table` (`lookup T`).
    #[must_use]
    pub fn table(mut self, table: u32) -> Self {
        self.table = table;
        self.action = RuleAction::ToTable;
        self
    }

    /// Sets the priority (`pref`).
    #[must_use]
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Sets the action (and clears the table for actions other than lookup).
    #[must_use]
    pub fn action(mut self, action: RuleAction) -> Self {
        self.action = action;
        if action != RuleAction::ToTable {
            self.table = 0;
        }
        self
    }

    /// Whether the rule matches the opposite of its selectors (`not`).
    pub fn inverted(&self) -> bool {
        self.flags.contains(RuleFlags::INVERT)
    }

    /// Parses an RTM_NEWRULE (or RTM_DELRULE) message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let hdr: FibRuleHdr = msg.family_header();
        let mut r = Rule {
            family: hdr.family,
            table: u32::from(hdr.table),
            action: RuleAction::from(hdr.action),
            tos: hdr.tos,
            flags: RuleFlags::from_bits_retain(hdr.flags.get()),
            ..Rule::default()
        };
        parse_msg(msg, || {
            msg.attrs::<FibRuleHdr>()
                .decode(|a| r.parse_attr(&a, &hdr))?;
            Ok(())
        })?;
        // fib_nl_fill_rule leaves FRA_PRIORITY out at 0, and FRA_FWMARK
        // out at 0 even when a mask makes mark 0 a real selector.
        r.priority.get_or_insert(0);
        if r.fwmask.is_some() {
            r.fwmark.get_or_insert(0);
        }
        Ok(r)
    }

    fn parse_attr(&mut self, a: &Attr<'_>, hdr: &FibRuleHdr) -> nl_wire::Result<()> {
        match a.ty() {
            FRA_SRC => self.src = Some(prefix(a.ip()?, hdr.src_len, FRA_SRC)?),
            FRA_DST => self.dst = Some(prefix(a.ip()?, hdr.dst_len, FRA_DST)?),
            FRA_IIFNAME => self.iif = Some(a.str()?.to_string()),
            FRA_OIFNAME => self.oif = Some(a.str()?.to_string()),
            FRA_GOTO => self.goto = Some(a.u32()?),
            FRA_PRIORITY => self.priority = Some(a.u32()?),
            FRA_FWMARK => self.fwmark = Some(a.u32()?),
            FRA_FWMASK => self.fwmask = Some(a.u32()?),
            FRA_FLOW => self.realms = Some(a.u32()?),
            FRA_TUN_ID => self.tun_id = Some(a.be64()?),
            // The kernel always reports these two; -1 means "not set".
            FRA_SUPPRESS_IFGROUP => {
                self.suppress_ifgroup = Some(a.u32()?).filter(|v| *v != u32::MAX)
            }
            FRA_SUPPRESS_PREFIXLEN => {
                self.suppress_prefixlen = Some(a.u32()?).filter(|v| *v != u32::MAX)
            }
            FRA_TABLE => self.table = a.u32()?,
            FRA_L3MDEV => self.l3mdev = a.u8()? != 0,
            FRA_UID_RANGE => {
                let u: &FibRuleUidRange = a.get()?;
                self.uid_range = Some(UidRange {
                    start: u.start.get(),
                    end: u.end.get(),
                });
            }
            FRA_PROTOCOL => self.protocol = RouteProtocol(a.u8()?),
            FRA_IP_PROTO => self.ip_proto = Some(a.u8()?),
            FRA_SPORT_RANGE | FRA_DPORT_RANGE => {
                let p: &FibRulePortRange = a.get()?;
                let range = Some(PortRange {
                    start: p.start.get(),
                    end: p.end.get(),
                });
                if a.ty() == FRA_SPORT_RANGE {
                    self.sport = range;
                } else {
                    self.dport = range;
                }
            }
            FRA_DSCP => self.dscp = Some(a.u8()?),
            _ => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        if self.family != AF_INET && self.family != AF_INET6 {
            return Err(Error::invalid("family", "rules are AF_INET or AF_INET6"));
        }
        for (field, net) in [("src", self.src), ("dst", self.dst)] {
            if net.is_some_and(|n| family_of(&n.addr()) != self.family) {
                return Err(Error::invalid(
                    field,
                    "of another address family than the rule",
                ));
            }
        }
        for (field, name) in [("iif", &self.iif), ("oif", &self.oif)] {
            if name.as_ref().is_some_and(|n| n.is_empty() || n.len() > 15) {
                return Err(Error::invalid(field, "interface names are 1..=15 bytes"));
            }
        }
        for (field, range) in [("sport", self.sport), ("dport", self.dport)] {
            if range.is_some_and(|p| p.start > p.end) {
                return Err(Error::invalid(field, "start above end"));
            }
        }
        if self.uid_range.is_some_and(|u| u.start > u.end) {
            return Err(Error::invalid("uid range", "start above end"));
        }
        if self.dscp.is_some_and(|d| d > 63) {
            return Err(Error::invalid("dscp", "must be 0..=63"));
        }
        if self.action == RuleAction::Goto && self.goto.is_none() {
            return Err(Error::invalid(
                "goto",
                "a goto rule needs a target priority",
            ));
        }
        Ok(())
    }

    fn write(&self, buf: &mut Vec<u8>, ty: u16, flags: u16) -> Result<()> {
        self.validate()?;
        let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK | flags);
        m.header(&FibRuleHdr {
            family: self.family,
            dst_len: self.dst.map_or(0, |d| d.prefix_len()),
            src_len: self.src.map_or(0, |s| s.prefix_len()),
            tos: self.tos,
            table: u8::try_from(self.table).unwrap_or(0),
            action: self.action.into(),
            flags: self.flags.bits().into(),
            ..FibRuleHdr::default()
        });
        if self.table > 255 {
            m.put_u32(FRA_TABLE, self.table);
        }
        if let Some(v) = self.priority {
            m.put_u32(FRA_PRIORITY, v);
        }
        if let Some(s) = self.src {
            m.put_ip(FRA_SRC, s.addr());
        }
        if let Some(d) = self.dst {
            m.put_ip(FRA_DST, d.addr());
        }
        if let Some(n) = &self.iif {
            m.put_str(FRA_IIFNAME, n);
        }
        if let Some(n) = &self.oif {
            m.put_str(FRA_OIFNAME, n);
        }
        if let Some(v) = self.goto {
            m.put_u32(FRA_GOTO, v);
        }
        if let Some(v) = self.fwmark {
            m.put_u32(FRA_FWMARK, v);
        }
        if let Some(v) = self.fwmask {
            m.put_u32(FRA_FWMASK, v);
        }
        if let Some(v) = self.realms {
            m.put_u32(FRA_FLOW, v);
        }
        if let Some(v) = self.tun_id {
            m.put_be64(FRA_TUN_ID, v);
        }
        if let Some(v) = self.suppress_ifgroup {
            m.put_u32(FRA_SUPPRESS_IFGROUP, v);
        }
        if let Some(v) = self.suppress_prefixlen {
            m.put_u32(FRA_SUPPRESS_PREFIXLEN, v);
        }
        if self.l3mdev {
            m.put_u8(FRA_L3MDEV, 1);
        }
        if let Some(u) = self.uid_range {
            m.put(
                FRA_UID_RANGE,
                &FibRuleUidRange {
                    start: u.start.into(),
                    end: u.end.into(),
                },
            );
        }
        if self.protocol.0 != 0 {
            m.put_u8(FRA_PROTOCOL, self.protocol.0);
        }
        if let Some(v) = self.ip_proto {
            m.put_u8(FRA_IP_PROTO, v);
        }
        for (kind, range) in [(FRA_SPORT_RANGE, self.sport), (FRA_DPORT_RANGE, self.dport)] {
            if let Some(p) = range {
                m.put(
                    kind,
                    &FibRulePortRange {
                        start: p.start.into(),
                        end: p.end.into(),
                    },
                );
            }
        }
        if let Some(v) = self.dscp {
            m.put_u8(FRA_DSCP, v);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes an RTM_NEWRULE that adds the rule (`ip rule add`; an
    /// identical rule is an error).
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// Writes an RTM_DELRULE (`ip rule del`): the kernel deletes the first
    /// rule matching every selector set here (an `Unspec` action and table
    /// 0 match any).
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, RTM_DELRULE, 0)
    }
}

/// A rule dump request with filters: the Go library's `RuleListFiltered`
/// filter mask (`RT_FILTER_SRC`, `DST`, `TABLE`, `TOS`, `PRIORITY`, `MARK`,
/// `MASK`) and a few more, `None` for "any". The kernel filters rule dumps
/// by family only (strict checking refuses anything else in the request),
/// so [`RuleDump::matches`] applies the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleDump {
    /// `AF_INET`, `AF_INET6` (0: both).
    pub family: u8,
    /// Only rules looking up this table.
    pub table: Option<u32>,
    /// Only rules with this priority (0 included: see [`Rule::priority`]).
    pub priority: Option<u32>,
    /// Only rules of this protocol.
    pub protocol: Option<RouteProtocol>,
    /// Only rules with this input interface.
    pub iif: Option<String>,
    /// Only rules with this output interface.
    pub oif: Option<String>,
    /// Only rules with this source prefix (`from`); a prefix of length 0
    /// selects the rules without one (`from all`).
    pub src: Option<IpNet>,
    /// Only rules with this destination prefix (`to`); length 0 selects
    /// the rules without one.
    pub dst: Option<IpNet>,
    /// Only rules with this TOS (`tos`).
    pub tos: Option<u8>,
    /// Only rules with this firewall mark; 0 selects rules without one.
    pub fwmark: Option<u32>,
    /// Only rules with this mark mask; 0 selects rules without one.
    pub fwmask: Option<u32>,
}

impl RuleDump {
    /// Writes the RTM_GETRULE dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&FibRuleHdr {
            family: self.family,
            ..FibRuleHdr::default()
        });
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed rule passes every filter.
    pub fn matches(&self, r: &Rule) -> bool {
        // Go's ruleIPNetEqual: no prefix and a prefix of length 0 are both "all".
        let same_prefix = |want: IpNet, have: Option<IpNet>| match have {
            Some(h) if h.prefix_len() > 0 => want == h,
            _ => want.prefix_len() == 0,
        };
        (self.family == 0 || r.family == self.family)
            && self.table.is_none_or(|t| r.table == t)
            && self.priority.is_none_or(|p| r.priority.unwrap_or(0) == p)
            && self.protocol.is_none_or(|p| r.protocol == p)
            && self.iif.as_ref().is_none_or(|i| r.iif.as_ref() == Some(i))
            && self.oif.as_ref().is_none_or(|o| r.oif.as_ref() == Some(o))
            && self.src.is_none_or(|s| same_prefix(s, r.src))
            && self.dst.is_none_or(|d| same_prefix(d, r.dst))
            && self.tos.is_none_or(|t| r.tos == t)
            && self.fwmark.is_none_or(|m| r.fwmark.unwrap_or(0) == m)
            && self.fwmask.is_none_or(|m| r.fwmask.unwrap_or(0) == m)
    }
}

fn prefix_string(n: &IpNet) -> String {
    let full = if n.addr().is_ipv4() { 32 } else { 128 };
    if n.prefix_len() == full {
        n.addr().to_string()
    } else {
        n.to_string()
    }
}

impl fmt::Display for Rule {
    /// One line of `ip rule show`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:\t", self.priority.unwrap_or(0))?;
        if self.inverted() {
            f.write_str("not ")?;
        }
        match &self.src {
            Some(s) => write!(f, "from {}", prefix_string(s))?,
            None => f.write_str("from all")?,
        }
        if let Some(d) = &self.dst {
            write!(f, " to {}", prefix_string(d))?;
        }
        if self.tos != 0 {
            write!(f, " tos {}", crate::text::Dsfield(self.tos))?;
        }
        if let Some(d) = self.dscp {
            write!(f, " dscp {d}")?;
        }
        if self.fwmark.is_some() || self.fwmask.is_some() {
            // C's %#x, as ip prints: 0 without the 0x.
            match self.fwmark.unwrap_or(0) {
                0 => f.write_str(" fwmark 0")?,
                m => write!(f, " fwmark {m:#x}")?,
            }
            if let Some(m) = self.fwmask.filter(|m| *m != u32::MAX) {
                write!(f, "/{m:#x}")?;
            }
        }
        if let Some(i) = &self.iif {
            write!(f, " iif {i}")?;
        }
        if let Some(o) = &self.oif {
            write!(f, " oif {o}")?;
        }
        if self.l3mdev {
            f.write_str(" lookup [l3mdev-table]")?;
        }
        if let Some(u) = self.uid_range {
            write!(f, " uidrange {}-{}", u.start, u.end)?;
        }
        if let Some(p) = self.ip_proto {
            write!(f, " ipproto {}", crate::text::IpProto(p))?;
        }
        for (word, range) in [("sport", self.sport), ("dport", self.dport)] {
            match range {
                Some(p) if p.start == p.end => write!(f, " {word} {}", p.start)?,
                Some(p) => write!(f, " {word} {}-{}", p.start, p.end)?,
                None => {}
            }
        }
        if let Some(t) = self.tun_id {
            write!(f, " tun_id {t}")?;
        }
        if self.table != 0 {
            write!(f, " lookup {}", table_name(self.table))?;
            if let Some(p) = self.suppress_prefixlen {
                write!(f, " suppress_prefixlength {p}")?;
            }
            if let Some(g) = self.suppress_ifgroup {
                write!(f, " suppress_ifgroup {g}")?;
            }
        }
        if let Some(r) = self.realms {
            match r >> 16 {
                0 => write!(f, " realms {}", r & 0xffff)?,
                from => write!(f, " realms {from}/{}", r & 0xffff)?,
            }
        }
        match self.action {
            RuleAction::Goto => match self.goto {
                Some(g) => write!(f, " goto {g}")?,
                None => f.write_str(" goto none")?,
            },
            RuleAction::Nop => f.write_str(" nop")?,
            RuleAction::ToTable => {}
            a => write!(f, " {a}")?,
        }
        if self.protocol.0 != 0 && self.protocol != RouteProtocol::KERNEL {
            write!(f, " proto {}", self.protocol)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::types::FibRuleHdr;

    fn round_trip(r: &Rule) -> Rule {
        let mut buf = Vec::new();
        r.write_add(&mut buf).unwrap();
        Rule::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    fn everything() -> Rule {
        Rule {
            family: AF_INET6,
            priority: Some(100),
            table: 5000,
            action: RuleAction::ToTable,
            goto: None,
            src: Some("2001:db8:1::/48".parse().unwrap()),
            dst: Some("2001:db8:2::/64".parse().unwrap()),
            iif: Some("lo".into()),
            oif: Some("veth0".into()),
            fwmark: Some(0x10),
            fwmask: Some(0xff),
            tos: 0,
            dscp: Some(46),
            realms: Some((3 << 16) | 4),
            suppress_prefixlen: Some(0),
            suppress_ifgroup: Some(5),
            l3mdev: false,
            uid_range: Some(UidRange { start: 10, end: 20 }),
            sport: Some(PortRange {
                start: 1000,
                end: 2000,
            }),
            dport: Some(PortRange::single(80)),
            ip_proto: Some(6),
            tun_id: Some(0x0102_0304_0506_0708),
            protocol: RouteProtocol::STATIC,
            flags: RuleFlags::INVERT,
        }
    }

    #[test]
    fn every_field_round_trips() {
        let r = everything();
        assert_eq!(round_trip(&r), r);
        let r = Rule::new(AF_INET).priority(5).action(RuleAction::Goto);
        assert!(r.write_add(&mut Vec::new()).is_err(), "goto needs a target");
        let r = Rule {
            goto: Some(10),
            ..r
        };
        assert_eq!(round_trip(&r), r);
    }

    #[test]
    fn table_goes_in_the_header_below_256() {
        let mut buf = Vec::new();
        Rule::new(AF_INET).table(100).write_add(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let h: FibRuleHdr = m.family_header();
        assert_eq!((h.table, h.action), (100, FR_ACT_TO_TBL));
        assert!(m.attrs::<FibRuleHdr>().get(FRA_TABLE).unwrap().is_none());
    }

    #[test]
    fn kernel_unset_markers_read_as_none() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWRULE, 0);
        m.header(&FibRuleHdr {
            family: AF_INET,
            table: 254,
            action: 1,
            ..FibRuleHdr::default()
        });
        m.put_u32(FRA_SUPPRESS_PREFIXLEN, u32::MAX);
        m.put_u32(FRA_TABLE, 254);
        m.put_u8(FRA_PROTOCOL, 2);
        m.finish().unwrap();
        let r = Rule::parse(&Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(r.suppress_prefixlen, None);
        assert_eq!(r.protocol, RouteProtocol::KERNEL);
        assert_eq!(r.to_string(), "0:\tfrom all lookup main");
    }

    #[test]
    fn bad_requests_are_refused() {
        let mut r = Rule::new(AF_INET);
        r.src = Some("2001:db8::/32".parse().unwrap());
        assert!(matches!(
            r.write_add(&mut Vec::new()),
            Err(Error::Invalid { field: "src", .. })
        ));
        let mut r = Rule::new(AF_INET);
        r.sport = Some(PortRange { start: 9, end: 1 });
        assert!(r.write_add(&mut Vec::new()).is_err());
        assert!(Rule::new(0).write_add(&mut Vec::new()).is_err());
        assert_eq!("1000-2000".parse::<PortRange>().unwrap().end, 2000);
        assert_eq!(
            "7".parse::<UidRange>().unwrap(),
            UidRange { start: 7, end: 7 }
        );
        assert!("x".parse::<PortRange>().is_err());
    }

    #[test]
    fn display_reads_like_ip() {
        let mut r = Rule::new(AF_INET).table(100).priority(100);
        r.src = Some("192.0.2.0/24".parse().unwrap());
        r.fwmark = Some(0x10);
        r.fwmask = Some(0xff);
        r.flags = RuleFlags::INVERT;
        assert_eq!(
            r.to_string(),
            "100:\tnot from 192.0.2.0/24 fwmark 0x10/0xff lookup 100"
        );
        let r = Rule::new(AF_INET).priority(7).action(RuleAction::Blackhole);
        assert_eq!(r.to_string(), "7:\tfrom all blackhole");
    }

    #[test]
    fn dump_filter() {
        let f = RuleDump {
            family: AF_INET,
            table: Some(100),
            ..RuleDump::default()
        };
        assert!(f.matches(&Rule::new(AF_INET).table(100)));
        assert!(!f.matches(&Rule::new(AF_INET6).table(100)));
        assert!(!f.matches(&Rule::new(AF_INET).table(101)));
        let mut buf = Vec::new();
        f.write(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        assert_eq!(m.ty(), RTM_GETRULE);
    }

    #[test]
    fn values_the_kernel_leaves_out_at_zero_read_back() {
        // What fib_nl_fill_rule sends for `pref 0 fwmark 0/0xff lookup 100`:
        // no FRA_PRIORITY, no FRA_FWMARK, FRA_FWMASK 0xff.
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWRULE, 0);
        m.header(&FibRuleHdr {
            family: AF_INET,
            table: 100,
            action: FR_ACT_TO_TBL,
            ..FibRuleHdr::default()
        });
        m.put_u32(FRA_TABLE, 100);
        m.put_u32(FRA_FWMASK, 0xff);
        m.finish().unwrap();
        let r = Rule::parse(&Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(r.priority, Some(0));
        assert_eq!((r.fwmark, r.fwmask), (Some(0), Some(0xff)));
        assert_eq!(r.to_string(), "0:\tfrom all fwmark 0/0xff lookup 100");
        // No mask: no mark selector at all.
        let plain = Rule::parse(
            &Msg::parse(&{
                let mut b = Vec::new();
                Rule::new(AF_INET).table(100).write_add(&mut b).unwrap();
                b
            })
            .unwrap()
            .0,
        )
        .unwrap();
        assert_eq!((plain.fwmark, plain.fwmask), (None, None));
        // A request keeps None: the kernel chooses the priority.
        let mut b = Vec::new();
        Rule::new(AF_INET).write_add(&mut b).unwrap();
        let (m, _) = Msg::parse(&b).unwrap();
        assert!(m.attrs::<FibRuleHdr>().get(FRA_PRIORITY).unwrap().is_none());
    }

    #[test]
    fn every_dump_filter_selects() {
        let mut from = Rule::new(AF_INET).table(101).priority(100);
        from.src = Some("192.0.2.0/24".parse().unwrap());
        let mut to = Rule::new(AF_INET).table(101).priority(101);
        to.dst = Some("198.51.100.0/24".parse().unwrap());
        let mut marked = Rule::new(AF_INET).table(102).priority(102);
        (marked.fwmark, marked.fwmask) = (Some(0x10), Some(0xff));
        let mut zero_mark = Rule::new(AF_INET).table(102).priority(103);
        (zero_mark.fwmark, zero_mark.fwmask) = (Some(0), Some(0xff));
        let mut tos = Rule::new(AF_INET).table(103).priority(104);
        tos.tos = 0x10;
        let first = Rule::new(AF_INET).table(100).priority(0);
        let all = [&from, &to, &marked, &zero_mark, &tos, &first];
        let pick =
            |f: RuleDump| -> Vec<usize> { (0..all.len()).filter(|i| f.matches(all[*i])).collect() };
        let f = RuleDump::default;
        let net = |s: &str| Some(s.parse::<IpNet>().unwrap());
        assert_eq!(
            pick(RuleDump {
                src: net("192.0.2.0/24"),
                ..f()
            }),
            [0]
        );
        assert_eq!(
            pick(RuleDump {
                src: net("0.0.0.0/0"),
                ..f()
            }),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            pick(RuleDump {
                dst: net("198.51.100.0/24"),
                ..f()
            }),
            [1]
        );
        assert_eq!(
            pick(RuleDump {
                fwmark: Some(0x10),
                ..f()
            }),
            [2]
        );
        assert_eq!(
            pick(RuleDump {
                fwmark: Some(0),
                fwmask: Some(0xff),
                ..f()
            }),
            [3]
        );
        assert_eq!(
            pick(RuleDump {
                fwmask: Some(0xff),
                ..f()
            }),
            [2, 3]
        );
        assert_eq!(
            pick(RuleDump {
                tos: Some(0x10),
                ..f()
            }),
            [4]
        );
        assert_eq!(
            pick(RuleDump {
                table: Some(102),
                ..f()
            }),
            [2, 3]
        );
        assert_eq!(
            pick(RuleDump {
                priority: Some(0),
                ..f()
            }),
            [5]
        );
        assert_eq!(
            pick(RuleDump {
                priority: Some(103),
                ..f()
            }),
            [3]
        );
    }
}
