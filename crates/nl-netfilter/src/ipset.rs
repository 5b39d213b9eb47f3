//! ipset (`NFNL_SUBSYS_IPSET`): sets of addresses, networks, ports,
//! interfaces and MACs that iptables and nftables rules match against.
//!
//! Every request names its command in `nlmsg_type` and carries the
//! protocol version first; set-level attributes follow, and the
//! attributes of a member or of a set's creation options are nested in
//! `IPSET_ATTR_DATA`, most numbers big endian with `NLA_F_NET_BYTEORDER`
//! (the kernel refuses an address without the flag):
//!
//! ```text
//! nlmsghdr(IPSET<<8 | ADD) nfgenmsg(AF_INET)
//!   PROTOCOL=7  SETNAME="blocked"
//!   DATA (nested)
//!     IP (nested)  IPADDR_IPV4|NET_BYTEORDER = c0 00 02 01
//!     TIMEOUT|NET_BYTEORDER = be32 60
//!     COMMENT = "why"\0
//! ```
//!
//! Many members go in one message as `IPSET_ATTR_ADT`, a list of `DATA`
//! nests ([`write_entries`]), the way `ipset restore` sends them: the
//! kernel applies them in order and stops at the first failure.
//!
//! A listing is a dump ([`write_list`]): one message per set, or, for a
//! set whose members do not fit, several: the first carries the header
//! (type, family, revision, `DATA` with the creation options and sizes),
//! the next ones only the name and more members. [`SetList`] merges them
//! into [`IpSet`]s.
//!
//! Creating a set needs the revision of its type; the `ipset` tool asks
//! the kernel for the highest it supports ([`TypeInfo`], `IPSET_CMD_TYPE`)
//! and so does the facade.
//!
//! The kernel answers failures with ipset's own error codes (4097 and up),
//! which carry no text: [`error_text`] gives the `ipset` tool's words.

mod entry;
mod names;
mod set;

pub use entry::{Entry, ListPosition};
pub use names::{error_text, proto_name};
pub use set::{CreateOptions, IpSet, SetList, list_text, push_into};

use core::fmt;
use std::net::IpAddr;

use nl_wire::netlink::{NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Msg, MsgBuilder};

use crate::uapi::ip_set::*;
use crate::uapi::nfnetlink::NFNL_SUBSYS_IPSET;
use crate::{Error, NfMsg, Result};

/// The protocol version this library speaks (`IPSET_PROTOCOL`).
pub const PROTOCOL: u8 = IPSET_PROTOCOL;

/// The oldest protocol version this library can speak (`IPSET_PROTOCOL_MIN`).
pub const PROTOCOL_MIN: u8 = IPSET_PROTOCOL_MIN;

/// Longest set or type name, without its NUL.
pub const MAX_NAME_LEN: usize = IPSET_MAXNAMELEN - 1;

/// `NFPROTO_IPV4`, the nfgenmsg family the `ipset` tool sends every
/// request with (the kernel reads the family from `IPSET_ATTR_FAMILY`).
const NFGEN_FAMILY: u8 = 2;

/// A set's protocol family (`NFPROTO_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Family {
    /// Not bound to a family (`hash:mac`, `bitmap:port`, `list:set`).
    #[default]
    Unspec,
    /// IPv4 (`inet`).
    Inet,
    /// IPv6 (`inet6`).
    Inet6,
    /// A value this library does not know.
    Other(u8),
}

impl Family {
    /// The `NFPROTO_*` value.
    pub fn to_u8(self) -> u8 {
        match self {
            Family::Unspec => 0,
            Family::Inet => 2,
            Family::Inet6 => 10,
            Family::Other(v) => v,
        }
    }

    /// From an `NFPROTO_*` value.
    pub fn from_u8(v: u8) -> Self {
        match v {
            0 => Family::Unspec,
            2 => Family::Inet,
            10 => Family::Inet6,
            v => Family::Other(v),
        }
    }

    /// The family of an address.
    pub fn of(ip: &IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => Family::Inet,
            IpAddr::V6(_) => Family::Inet6,
        }
    }

    /// Parses `inet` or `inet6` (the `ipset` tool's words).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inet" | "ipv4" => Some(Family::Inet),
            "inet6" | "ipv6" => Some(Family::Inet6),
            _ => None,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Unspec => f.write_str("unspec"),
            Family::Inet => f.write_str("inet"),
            Family::Inet6 => f.write_str("inet6"),
            Family::Other(v) => write!(f, "{v}"),
        }
    }
}

/// Starts an ipset request of `command` speaking [`PROTOCOL`]: the
/// headers and `IPSET_ATTR_PROTOCOL`. Add attributes, then finish it.
pub fn request(buf: &mut Vec<u8>, command: u8, flags: u16) -> MsgBuilder<'_> {
    request_with_protocol(buf, command, PROTOCOL, flags)
}

/// [`request`] speaking another protocol version (to talk to a kernel
/// that asks for it, or to test one that refuses).
pub fn request_with_protocol(
    buf: &mut Vec<u8>,
    command: u8,
    protocol: u8,
    flags: u16,
) -> MsgBuilder<'_> {
    let mut m = crate::request(buf, NFNL_SUBSYS_IPSET, command, NFGEN_FAMILY, flags);
    m.put_u8(IPSET_ATTR_PROTOCOL, protocol);
    m
}

/// Reads `msg` as an ipset message.
pub fn parse<'a>(msg: &Msg<'a>) -> Result<NfMsg<'a>> {
    NfMsg::parse(msg, NFNL_SUBSYS_IPSET)
}

/// Checks a set name before it is sent: the kernel cuts longer ones.
pub(crate) fn check_name(field: &'static str, name: &str) -> Result<()> {
    if name.is_empty() || name.len() > MAX_NAME_LEN || name.contains('\0') {
        return Err(Error::invalid(
            field,
            format!("{name:?}: a set name has 1 to {MAX_NAME_LEN} bytes and no NUL"),
        ));
    }
    Ok(())
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map(drop).map_err(Error::Build)
}

/// The protocol versions the kernel speaks (`IPSET_CMD_PROTOCOL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protocol {
    /// The highest version (`IPSET_ATTR_PROTOCOL`).
    pub version: u8,
    /// The lowest version (`IPSET_ATTR_PROTOCOL_MIN`; kernels before it
    /// existed speak one version only).
    pub min: u8,
}

impl Protocol {
    /// Writes the request (the Go library's `IpsetProtocol`).
    pub fn write_get(buf: &mut Vec<u8>) -> Result<()> {
        finish(request(buf, IPSET_CMD_PROTOCOL, 0))
    }

    /// Reads the kernel's reply.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let nf = parse(msg)?;
        let tb = nf.attrs().table::<16>().map_err(|e| nf.wire_error(e))?;
        let version = tb
            .u8(IPSET_ATTR_PROTOCOL)
            .map_err(|e| nf.wire_error(e))?
            .ok_or(Error::Unexpected {
                what: "an ipset protocol reply",
                msg_type: msg.ty(),
            })?;
        let min = tb
            .u8(IPSET_ATTR_PROTOCOL_MIN)
            .map_err(|e| nf.wire_error(e))?
            .unwrap_or(version);
        Ok(Protocol { version, min })
    }

    /// Whether this library and the kernel share a version.
    pub fn compatible(&self) -> bool {
        self.min <= PROTOCOL && PROTOCOL_MIN <= self.version
    }

    /// Whether the kernel speaks version `v`.
    pub fn supports(&self, v: u8) -> bool {
        self.min <= v && v <= self.version
    }

    /// The `ipset` tool's words for a kernel that does not speak
    /// `version` (this library's [`PROTOCOL`], or one a caller chose).
    pub fn mismatch_text(&self, version: u8) -> String {
        let ours = if version == PROTOCOL {
            format!("versions {PROTOCOL_MIN}-{PROTOCOL}")
        } else {
            format!("version {version}")
        };
        format!(
            "Cannot communicate with kernel: Kernel support protocol versions {}-{} \
             while userspace supports protocol {ours}",
            self.min, self.version
        )
    }
}

/// What the kernel supports of a set type (`IPSET_CMD_TYPE`): the
/// revisions to create it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    /// Type name (`hash:ip`).
    pub name: String,
    /// The family asked for.
    pub family: Family,
    /// Highest revision the kernel supports.
    pub revision: u8,
    /// Lowest revision the kernel supports.
    pub revision_min: u8,
}

impl TypeInfo {
    /// Writes the request for type `name` in `family` (as `ipset create`
    /// sends before creating).
    pub fn write_get(buf: &mut Vec<u8>, name: &str, family: Family) -> Result<()> {
        check_name("set type", name)?;
        let mut m = request(buf, IPSET_CMD_TYPE, 0);
        m.put_str(IPSET_ATTR_TYPENAME, name)
            .put_u8(IPSET_ATTR_FAMILY, family.to_u8());
        finish(m)
    }

    /// Reads the kernel's reply.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let nf = parse(msg)?;
        let w = |e| nf.wire_error(e);
        let tb = nf.attrs().table::<16>().map_err(w)?;
        let missing = Error::Unexpected {
            what: "an ipset type reply",
            msg_type: msg.ty(),
        };
        let revision = tb.u8(IPSET_ATTR_REVISION).map_err(w)?.ok_or(missing)?;
        Ok(TypeInfo {
            name: tb
                .cstr(IPSET_ATTR_TYPENAME)
                .map_err(w)?
                .unwrap_or_default()
                .to_string(),
            family: Family::from_u8(tb.u8(IPSET_ATTR_FAMILY).map_err(w)?.unwrap_or(0)),
            revision,
            revision_min: tb
                .u8(IPSET_ATTR_REVISION_MIN)
                .map_err(w)?
                .unwrap_or(revision),
        })
    }
}

/// Writes `IPSET_CMD_CREATE` of set `name` of type `type_name` at
/// `revision` (from [`TypeInfo`]) in `family`. With `exist_ok`, creating
/// a set that exists with the same type and options is not an error
/// (`ipset -exist create`).
pub fn write_create(
    buf: &mut Vec<u8>,
    name: &str,
    type_name: &str,
    revision: u8,
    family: Family,
    options: &CreateOptions,
    exist_ok: bool,
) -> Result<()> {
    check_name("set name", name)?;
    check_name("set type", type_name)?;
    let flags = nl_wire::netlink::NLM_F_CREATE
        | NLM_F_ACK
        | if exist_ok {
            0
        } else {
            nl_wire::netlink::NLM_F_EXCL
        };
    let mut m = request(buf, IPSET_CMD_CREATE, flags);
    m.put_str(IPSET_ATTR_SETNAME, name)
        .put_str(IPSET_ATTR_TYPENAME, type_name)
        .put_u8(IPSET_ATTR_REVISION, revision)
        .put_u8(IPSET_ATTR_FAMILY, family.to_u8());
    let data = m.nest_start(IPSET_ATTR_DATA | NLA_F_NESTED);
    options.write(&mut m)?;
    m.nest_end(data);
    finish(m)
}

/// A request that names one set, or every set when `name` is `None`
/// (`destroy`, `flush`).
fn write_named(buf: &mut Vec<u8>, command: u8, name: Option<&str>) -> Result<()> {
    let mut m = request(buf, command, NLM_F_ACK);
    if let Some(name) = name {
        check_name("set name", name)?;
        m.put_str(IPSET_ATTR_SETNAME, name);
    }
    finish(m)
}

/// Writes `IPSET_CMD_DESTROY` of set `name`, or of every set not in use.
pub fn write_destroy(buf: &mut Vec<u8>, name: Option<&str>) -> Result<()> {
    write_named(buf, IPSET_CMD_DESTROY, name)
}

/// Writes `IPSET_CMD_FLUSH` of set `name` (all its members go), or of
/// every set.
pub fn write_flush(buf: &mut Vec<u8>, name: Option<&str>) -> Result<()> {
    write_named(buf, IPSET_CMD_FLUSH, name)
}

/// A request naming two sets (`rename`, `swap`).
fn write_pair(buf: &mut Vec<u8>, command: u8, a: &str, b: &str) -> Result<()> {
    check_name("set name", a)?;
    check_name("second set name", b)?;
    let mut m = request(buf, command, NLM_F_ACK);
    m.put_str(IPSET_ATTR_SETNAME, a)
        .put_str(IPSET_ATTR_SETNAME2, b);
    finish(m)
}

/// Writes `IPSET_CMD_RENAME`: set `from` is named `to` from now on.
pub fn write_rename(buf: &mut Vec<u8>, from: &str, to: &str) -> Result<()> {
    write_pair(buf, IPSET_CMD_RENAME, from, to)
}

/// Writes `IPSET_CMD_SWAP`: the two sets exchange names (and so their
/// contents, for every rule that refers to them).
pub fn write_swap(buf: &mut Vec<u8>, a: &str, b: &str) -> Result<()> {
    write_pair(buf, IPSET_CMD_SWAP, a, b)
}

/// What a listing returns of each set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListWhat {
    /// Header and members (`ipset list`).
    #[default]
    All,
    /// Header only (`ipset list -t`).
    Headers,
    /// Names only (`ipset list -n`).
    Names,
}

/// Writes the `IPSET_CMD_LIST` dump of set `name`, or of every set.
pub fn write_list(buf: &mut Vec<u8>, name: Option<&str>, what: ListWhat) -> Result<()> {
    let mut m = request(buf, IPSET_CMD_LIST, NLM_F_DUMP | NLM_F_ACK);
    if let Some(name) = name {
        check_name("set name", name)?;
        m.put_str(IPSET_ATTR_SETNAME, name);
    }
    match what {
        ListWhat::All => {}
        ListWhat::Headers => {
            m.put_be32(
                IPSET_ATTR_FLAGS | NLA_F_NET_BYTEORDER,
                IPSET_FLAG_LIST_HEADER,
            );
        }
        ListWhat::Names => {
            m.put_be32(
                IPSET_ATTR_FLAGS | NLA_F_NET_BYTEORDER,
                IPSET_FLAG_LIST_SETNAME,
            );
        }
    }
    finish(m)
}

/// Writes `IPSET_CMD_HEADER` of set `name`: its type, family and
/// revision, without the sizes or members (what `ipset add` asks first).
pub fn write_header(buf: &mut Vec<u8>, name: &str) -> Result<()> {
    check_name("set name", name)?;
    let mut m = request(buf, IPSET_CMD_HEADER, 0);
    m.put_str(IPSET_ATTR_SETNAME, name);
    finish(m)
}

/// A member command: add, delete or test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adt {
    /// `IPSET_CMD_ADD`.
    Add,
    /// `IPSET_CMD_DEL`.
    Del,
    /// `IPSET_CMD_TEST`.
    Test,
}

impl Adt {
    /// The command.
    pub fn command(self) -> u8 {
        match self {
            Adt::Add => IPSET_CMD_ADD,
            Adt::Del => IPSET_CMD_DEL,
            Adt::Test => IPSET_CMD_TEST,
        }
    }

    /// The `ipset` tool's word.
    pub fn name(self) -> &'static str {
        match self {
            Adt::Add => "add",
            Adt::Del => "del",
            Adt::Test => "test",
        }
    }

    fn flags(self, exist_ok: bool) -> u16 {
        // The kernel ignores "already added" / "not added" unless EXCL.
        match self {
            Adt::Test => NLM_F_ACK,
            _ if exist_ok => NLM_F_ACK,
            _ => NLM_F_ACK | nl_wire::netlink::NLM_F_EXCL,
        }
    }
}

/// Writes one member command on set `set`. With `exist_ok`, adding a
/// member that is there or deleting one that is not is no error
/// (`ipset -exist`).
pub fn write_entry(
    buf: &mut Vec<u8>,
    adt: Adt,
    set: &str,
    entry: &Entry,
    exist_ok: bool,
) -> Result<()> {
    check_name("set name", set)?;
    let mut m = request(buf, adt.command(), adt.flags(exist_ok));
    m.put_str(IPSET_ATTR_SETNAME, set);
    let data = m.nest_start(IPSET_ATTR_DATA | NLA_F_NESTED);
    entry.write(&mut m)?;
    if adt != Adt::Test {
        // As the ipset tool: a line number of 0 outside restore mode.
        m.put_be32(IPSET_ATTR_LINENO | NLA_F_NET_BYTEORDER, 0);
    }
    m.nest_end(data);
    finish(m)
}

/// Most bytes of members one message carries: `IPSET_ATTR_ADT` is one
/// attribute, and `nla_len` counts to 65535.
const ADT_BYTES: usize = 60 * 1024;

/// Writes members of `entries` on set `set` as `IPSET_ATTR_ADT` lists, as
/// many per message as fit, and returns how many members each message
/// holds (in order). The messages go out as a batch.
pub fn write_entries<'e>(
    buf: &mut Vec<u8>,
    adt: Adt,
    set: &str,
    entries: impl IntoIterator<Item = &'e Entry>,
    exist_ok: bool,
) -> Result<Vec<usize>> {
    check_name("set name", set)?;
    let mut counts = Vec::new();
    let mut entries = entries.into_iter().peekable();
    while entries.peek().is_some() {
        let mut m = request(buf, adt.command(), adt.flags(exist_ok));
        // The kernel takes a member list only with a line number (restore
        // mode); the members carry none, so a failure is a plain error.
        m.put_str(IPSET_ATTR_SETNAME, set)
            .put_be32(IPSET_ATTR_LINENO | NLA_F_NET_BYTEORDER, 0);
        let adt_nest = m.nest_start(IPSET_ATTR_ADT | NLA_F_NESTED);
        let start = m.len();
        let mut n = 0usize;
        while let Some(e) = entries.next_if(|_| m.len() - start < ADT_BYTES) {
            let data = m.nest_start(IPSET_ATTR_DATA | NLA_F_NESTED);
            e.write(&mut m)?;
            m.nest_end(data);
            n += 1;
        }
        m.nest_end(adt_nest);
        finish(m)?;
        counts.push(n);
    }
    Ok(counts)
}

/// The name of the set a list message is about, and whether it starts
/// the set (carries its type) or continues its members.
pub fn list_message_set<'a>(msg: &Msg<'a>) -> Result<(&'a str, bool)> {
    let nf = parse(msg)?;
    let tb = nf.attrs().table::<16>().map_err(|e| nf.wire_error(e))?;
    let name = tb
        .cstr(IPSET_ATTR_SETNAME)
        .map_err(|e| nf.wire_error(e))?
        .ok_or(Error::Unexpected {
            what: "an ipset list message with a set name",
            msg_type: msg.ty(),
        })?;
    Ok((name, tb.has(IPSET_ATTR_TYPENAME)))
}

/// The header of a set (`IPSET_CMD_HEADER` reply): name, type, family,
/// revision.
pub fn parse_header(msg: &Msg<'_>) -> Result<IpSet> {
    IpSet::parse(msg)
}

#[cfg(test)]
mod tests;
