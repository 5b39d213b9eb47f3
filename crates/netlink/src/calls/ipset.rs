// ipset calls (the Go library's Ipset* functions): protocol, create,
// destroy, flush, rename, swap, list, and members added, deleted and
// tested one by one or many per message.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_netfilter::ipset::{
    self, Adt, CreateOptions, Entry, Family, IpSet, ListWhat, Protocol, TypeInfo,
};
use nl_netfilter::uapi::ip_set::*;
use nl_netfilter::uapi::ip_set_hash::IPSET_ERR_HASH_FULL;
use nl_netfilter::uapi::ip_set_list::IPSET_ERR_LIST_FULL;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::ErrorKind;
use crate::error::{Error, Result};

const NETFILTER: i32 = NETLINK_NETFILTER;

/// The family a type is created with: some types take none.
fn family_for(type_name: &str, family: Family) -> Family {
    match type_name {
        "bitmap:port" | "list:set" | "hash:mac" => Family::Unspec,
        _ => family,
    }
}

/// The class of an ipset error code, for [`Error::kind`].
fn kind_of(errno: i32, command: u8, kind: ErrorKind) -> ErrorKind {
    match (errno, command) {
        (IPSET_ERR_FIND_TYPE | IPSET_ERR_INVALID_FAMILY, _) => ErrorKind::NotSupported,
        (IPSET_ERR_EXIST, IPSET_CMD_ADD) | (IPSET_ERR_EXIST_SETNAME2, IPSET_CMD_RENAME) => {
            ErrorKind::Exists
        }
        (IPSET_ERR_EXIST, _) | (IPSET_ERR_EXIST_SETNAME2, _) => ErrorKind::NotFound,
        (IPSET_ERR_BUSY | IPSET_ERR_REFERENCED, _) => ErrorKind::Busy,
        (IPSET_ERR_MAX_SETS | IPSET_ERR_HASH_FULL | IPSET_ERR_LIST_FULL, _) => ErrorKind::NoSpace,
        (e, _) if e >= IPSET_ERR_PRIVATE => ErrorKind::Invalid,
        _ => kind,
    }
}

/// A failed ipset command's error with the `ipset` tool's words for the
/// kernel's code (`type_name` tells what the type-specific codes mean).
fn ipset_error(e: Error, command: u8, type_name: Option<&str>) -> Error {
    let Error::Netlink(ne) = e else { return e };
    if !ne.is_kernel_reply() {
        return Error::Netlink(ne);
    }
    let errno = ne.raw_errno();
    let text = match ipset::error_text(errno, command, type_name) {
        Some(t) => t.to_string(),
        None if errno >= IPSET_ERR_PRIVATE => {
            format!("Undecoded error {errno} received from kernel")
        }
        None => return Error::Netlink(ne),
    };
    let kind = kind_of(errno, command, ne.kind());
    Error::Ipset {
        text,
        error: ne.with_kind(kind),
    }
}

/// The kernel's errno of a refused request, if that is what `e` is.
fn kernel_errno(e: &Error) -> Option<i32> {
    e.netlink()
        .filter(|n| n.is_kernel_reply())
        .map(|n| n.raw_errno())
}

/// The first address of a member of the wrong family for `family`.
fn wrong_family(entry: &Entry, family: Family) -> Option<std::net::IpAddr> {
    [entry.ip, entry.ip_to, entry.ip2, entry.ip2_to]
        .into_iter()
        .flatten()
        .find(|ip| matches!(family, Family::Inet | Family::Inet6) && Family::of(ip) != family)
}

/// A type whose member text shows what `entry` holds, to name a member
/// of a set the kernel could not describe.
fn guess_type(entry: &Entry) -> String {
    let mut dims = Vec::new();
    if entry.name.is_some() {
        dims.push("set");
    }
    if entry.ip.is_some() {
        dims.push(if entry.cidr.is_some() { "net" } else { "ip" });
    }
    if entry.port.is_some() {
        dims.push("port");
    }
    if entry.ip2.is_some() {
        dims.push(if entry.cidr2.is_some() { "net" } else { "ip" });
    }
    if entry.mac.is_some() {
        dims.push("mac");
    }
    if entry.iface.is_some() {
        dims.push("iface");
    }
    if entry.mark.is_some() {
        dims.push("mark");
    }
    format!("hash:{}", dims.join(","))
}

impl H {
    call! {
        /// The ipset protocol versions of the kernel (the Go library's
        /// `IpsetProtocol`): the highest and the lowest.
        pub fn ipset_protocol(&self) -> Result<Protocol> {
            let mut found = None;
            run!(self.do_exchange(NETFILTER, |b| Ok(Protocol::write_get(b)?), |m| {
                if found.is_none() {
                    found = Some(Protocol::parse(&m)?);
                }
                Ok(())
            }))
            .map_err(|e| ipset_error(e, IPSET_CMD_PROTOCOL, None).about("ipset protocol"))?;
            found.ok_or_else(|| Error::not_found("ipset protocol reply".into(), None))
        }
    }

    call! {
        /// What the kernel supports of set type `type_name` in `family`:
        /// its revisions (`IPSET_CMD_TYPE`, asked before creating).
        pub fn ipset_type(&self, type_name: &str, family: Family) -> Result<TypeInfo> {
            let family = family_for(type_name, family);
            let mut found = None;
            let asked = run!(self.do_exchange(NETFILTER, |b| Ok(TypeInfo::write_get(b, type_name, family)?), |m| {
                if found.is_none() {
                    found = Some(TypeInfo::parse(&m)?);
                }
                Ok(())
            }));
            match asked {
                // The kernel answers EEXIST for a type it does not have.
                Err(e) if kernel_errno(&e) == Some(nl_sock::Errno::EEXIST as i32) => {
                    let error = e.netlink().cloned().map(|n| n.with_kind(ErrorKind::NotSupported));
                    let text = ipset::error_text(IPSET_ERR_FIND_TYPE, IPSET_CMD_CREATE, None)
                        .unwrap_or_default()
                        .to_string();
                    return Err(match error {
                        Some(error) => Error::Ipset { text, error },
                        None => e,
                    }
                    .about(format_args!("ipset type {type_name}")));
                }
                Err(e) => return Err(run!(self.ipset_explain(e, IPSET_CMD_TYPE, ipset::PROTOCOL, None, Some(type_name), None))
                    .about(format_args!("ipset type {type_name}"))),
                Ok(_) => {}
            }
            found.ok_or_else(|| Error::not_found(format!("ipset type {type_name}"), None))
        }
    }

    call! {
        /// `ipset create NAME TYPE OPTIONS` (the Go library's
        /// `IpsetCreate`): a set of type `type_name` (`hash:ip`,
        /// `hash:net,port`, `bitmap:port`, `list:set` ...) in `family`
        /// (ignored by the types that have none), created at the highest
        /// revision the kernel supports, as the `ipset` tool does. Fails
        /// with [`ErrorKind::Exists`](crate::ErrorKind::Exists) if the set
        /// exists, with [`ErrorKind::NotSupported`](crate::ErrorKind::NotSupported)
        /// if the kernel lacks the type.
        ///
        /// ```no_run
        /// use netlink::{Handle, IpsetCreateOptions, nl_netfilter::ipset::Family};
        /// let h = Handle::new()?;
        /// let opts = IpsetCreateOptions { timeout: Some(600), counters: true, ..Default::default() };
        /// h.ipset_create("blocked", "hash:ip", Family::Inet, &opts)?;
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn ipset_create(&self, name: &str, type_name: &str, family: Family, options: &CreateOptions) -> Result<()> {
            run!(self.ipset_create_with(name, type_name, family, options, None, false))
        }
    }

    call! {
        /// [`Handle::ipset_create`] at a given type `revision` (`None`: the
        /// kernel's highest), and with `exist_ok`, no error if the same set
        /// exists already (`ipset -exist create`).
        pub fn ipset_create_with(
            &self,
            name: &str,
            type_name: &str,
            family: Family,
            options: &CreateOptions,
            revision: Option<u8>,
            exist_ok: bool,
        ) -> Result<()> {
            let what = || format!("ipset create {name:?} {type_name}");
            let family = family_for(type_name, family);
            let revision = match revision {
                Some(r) => r,
                // The type's own context gives way to the create's.
                None => run!(self.ipset_type(type_name, family)).map_err(|e| e.inner().clone().about(what()))?.revision,
            };
            let done = run!(self.do_request(NETFILTER, |b| {
                Ok(ipset::write_create(b, name, type_name, revision, family, options, exist_ok)?)
            }));
            match done {
                Ok(_) => Ok(()),
                Err(e) => Err(run!(self.ipset_explain(e, IPSET_CMD_CREATE, ipset::PROTOCOL, None, Some(type_name), None)).about(what())),
            }
        }
    }

    call! {
        /// `ipset destroy NAME` (`IpsetDestroy`): the set must be empty of
        /// references (no rule or `list:set` uses it).
        pub fn ipset_destroy(&self, name: &str) -> Result<()> {
            run!(self.ipset_simple(IPSET_CMD_DESTROY, Some(name), None))
        }
    }

    call! {
        /// `ipset destroy`: every set not in use.
        pub fn ipset_destroy_all(&self) -> Result<()> {
            run!(self.ipset_simple(IPSET_CMD_DESTROY, None, None))
        }
    }

    call! {
        /// `ipset flush NAME` (`IpsetFlush`): removes every member.
        pub fn ipset_flush(&self, name: &str) -> Result<()> {
            run!(self.ipset_simple(IPSET_CMD_FLUSH, Some(name), None))
        }
    }

    call! {
        /// `ipset rename FROM TO`.
        pub fn ipset_rename(&self, from: &str, to: &str) -> Result<()> {
            run!(self.ipset_simple(IPSET_CMD_RENAME, Some(from), Some(to)))
        }
    }

    call! {
        /// `ipset swap A B` (`IpsetSwap`): the sets exchange names, so every
        /// rule using one now uses the other's members (an atomic refill:
        /// fill a new set, swap, destroy the old one). Both must have the
        /// same type.
        pub fn ipset_swap(&self, a: &str, b: &str) -> Result<()> {
            run!(self.ipset_simple(IPSET_CMD_SWAP, Some(a), Some(b)))
        }
    }

    call! {
        /// Destroy, flush, rename or swap.
        pub(crate) fn ipset_simple(&self, command: u8, a: Option<&str>, b: Option<&str>) -> Result<()> {
            let done = run!(self.do_request(NETFILTER, |buf| {
                match (command, a, b) {
                    (IPSET_CMD_DESTROY, a, _) => ipset::write_destroy(buf, a)?,
                    (IPSET_CMD_FLUSH, a, _) => ipset::write_flush(buf, a)?,
                    (IPSET_CMD_RENAME, Some(a), Some(b)) => ipset::write_rename(buf, a, b)?,
                    (_, Some(a), Some(b)) => ipset::write_swap(buf, a, b)?,
                    _ => {}
                }
                Ok(())
            }));
            let word = match command {
                IPSET_CMD_DESTROY => "destroy",
                IPSET_CMD_FLUSH => "flush",
                IPSET_CMD_RENAME => "rename",
                _ => "swap",
            };
            done.map(drop).map_err(|e| {
                let e = ipset_error(e, command, None);
                match (a, b) {
                    (Some(a), Some(b)) => e.about(format_args!("ipset {word} {a:?} {b:?}")),
                    (Some(a), None) => e.about(format_args!("ipset {word} {a:?}")),
                    _ => e.about(format_args!("ipset {word}")),
                }
            })
        }
    }

    call! {
        /// `ipset list NAME` (`IpsetList`): the set's header and members,
        /// merged from every message of the dump.
        pub fn ipset_list(&self, name: &str) -> Result<IpSet> {
            let sets = run!(self.ipset_list_what(Some(name), ListWhat::All))?;
            sets.into_iter()
                .find(|s| s.name == name)
                .ok_or_else(|| Error::not_found(format!("ipset {name:?}"), None))
        }
    }

    call! {
        /// `ipset list` (`IpsetListAll`): every set with its members.
        pub fn ipset_list_all(&self) -> Result<Vec<IpSet>> {
            run!(self.ipset_list_what(None, ListWhat::All))
        }
    }

    call! {
        /// `ipset list -t`: every set's header, without members.
        pub fn ipset_list_headers(&self) -> Result<Vec<IpSet>> {
            run!(self.ipset_list_what(None, ListWhat::Headers))
        }
    }

    call! {
        /// `ipset list -n`: the names of the sets.
        pub fn ipset_list_names(&self) -> Result<Vec<String>> {
            let sets = run!(self.ipset_list_what(None, ListWhat::Names))?;
            Ok(sets.into_iter().map(|s| s.name).collect())
        }
    }

    call! {
        /// A listing of one set or all, of headers, names or everything.
        pub fn ipset_list_what(&self, name: Option<&str>, what: ListWhat) -> Result<Vec<IpSet>> {
            run!(self.do_dump_into(
                NETFILTER,
                |b| Ok(ipset::write_list(b, name, what)?),
                |m, out| Ok(ipset::push_into(out, &m)?),
            ))
            .map_err(|e| {
                let e = ipset_error(e, IPSET_CMD_LIST, None);
                match name {
                    Some(n) => e.about(format_args!("ipset list {n:?}")),
                    None => e.about("ipset list"),
                }
            })
        }
    }

    call! {
        /// Sends one prebuilt ipset request (written with
        /// [`nl_netfilter::ipset::request`] or `request_with_protocol`, for
        /// a command or a protocol version this library does not use) and
        /// waits for its ack; a refusal is explained as the other calls'.
        pub fn ipset_request(&self, request: &mut [u8]) -> Result<()> {
            let (command, protocol) = nl_wire::Msgs::new(request)
                .next()
                .and_then(|m| m.ok())
                .and_then(|m| {
                    let nf = ipset::parse(&m).ok()?;
                    let v = nf.attrs().get(IPSET_ATTR_PROTOCOL).ok()??.u8().ok()?;
                    Some((nf.command(), v))
                })
                .unwrap_or((0, ipset::PROTOCOL));
            match run!(self.do_raw_request(NETFILTER, request)) {
                Ok(_) => Ok(()),
                Err(e) => Err(run!(self.ipset_explain(e, command, protocol, None, None, None)).about("ipset request")),
            }
        }
    }

    call! {
        /// A set's name, type, family and revision, without sizes or
        /// members (`IPSET_CMD_HEADER`).
        pub fn ipset_header(&self, name: &str) -> Result<IpSet> {
            let mut found = None;
            run!(self.do_exchange(NETFILTER, |b| Ok(ipset::write_header(b, name)?), |m| {
                if found.is_none() {
                    found = Some(ipset::parse_header(&m)?);
                }
                Ok(())
            }))
            .map_err(|e| ipset_error(e, IPSET_CMD_HEADER, None).about(format_args!("ipset header {name:?}")))?;
            found.ok_or_else(|| Error::not_found(format!("ipset {name:?}"), None))
        }
    }

    call! {
        /// `ipset add SET MEMBER` (`IpsetAdd`): fails with
        /// [`ErrorKind::Exists`](crate::ErrorKind::Exists) if the member is
        /// there (see [`Handle::ipset_add_many`] for "make sure it is").
        ///
        /// ```no_run
        /// use netlink::{Handle, IpsetEntry};
        /// let h = Handle::new()?;
        /// let e = IpsetEntry::ip("192.0.2.7".parse()?).with_timeout(60).with_comment("scanner");
        /// h.ipset_add("blocked", &e)?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn ipset_add(&self, set: &str, entry: &Entry) -> Result<()> {
            run!(self.ipset_adt(Adt::Add, set, entry))
        }
    }

    call! {
        /// `ipset del SET MEMBER` (`IpsetDel`): fails with
        /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) if the
        /// member is not there.
        pub fn ipset_del(&self, set: &str, entry: &Entry) -> Result<()> {
            run!(self.ipset_adt(Adt::Del, set, entry))
        }
    }

    call! {
        /// `ipset test SET MEMBER` (`IpsetTest`): whether the member is in
        /// the set (for net sets: whether it matches, `nomatch` members
        /// excepted).
        pub fn ipset_test(&self, set: &str, entry: &Entry) -> Result<bool> {
            let done = run!(self.do_request(NETFILTER, |b| Ok(ipset::write_entry(b, Adt::Test, set, entry, false)?)));
            match done {
                Ok(_) => Ok(true),
                // "Not in the set" is the answer, not a failure.
                Err(e) if kernel_errno(&e) == Some(IPSET_ERR_EXIST) => Ok(false),
                Err(e) => Err(run!(self.ipset_name_error(e, Adt::Test, set, entry))),
            }
        }
    }

    call! {
        /// One member command.
        pub(crate) fn ipset_adt(&self, adt: Adt, set: &str, entry: &Entry) -> Result<()> {
            let done = run!(self.do_request(NETFILTER, |b| Ok(ipset::write_entry(b, adt, set, entry, false)?)));
            match done {
                Ok(_) => Ok(()),
                Err(e) => Err(run!(self.ipset_name_error(e, adt, set, entry))),
            }
        }
    }

    call! {
        /// A failed member command's error, explained, naming the member
        /// as the `ipset` tool writes it for the set's type.
        pub(crate) fn ipset_name_error(&self, e: Error, adt: Adt, set: &str, entry: &Entry) -> Error {
            let e = run!(self.ipset_explain(e, adt.command(), ipset::PROTOCOL, Some(set), None, Some(entry)));
            let type_name = match run!(self.ipset_header(set)) {
                Ok(h) => h.type_name,
                Err(_) => guess_type(entry),
            };
            e.about(format_args!("ipset {} {set:?} {}", adt.name(), entry.key_text(&type_name)))
        }
    }

    call! {
        /// `ipset -exist add` of many members (`ipset restore`'s way): as
        /// many members per message as fit, the messages sent as a batch.
        /// A member already there is no error. Every member is tried; the
        /// first failure is returned, naming the member (the failing
        /// messages are sent again member by member to find it).
        pub fn ipset_add_many(&self, set: &str, entries: &[Entry]) -> Result<()> {
            run!(self.ipset_many(Adt::Add, set, entries))
        }
    }

    call! {
        /// `ipset -exist del` of many members: as [`Handle::ipset_add_many`];
        /// a member that is not there is no error.
        pub fn ipset_del_many(&self, set: &str, entries: &[Entry]) -> Result<()> {
            run!(self.ipset_many(Adt::Del, set, entries))
        }
    }

    call! {
        /// Many members per message, then, for a message that failed, its
        /// members one per message to name the one at fault.
        pub(crate) fn ipset_many(&self, adt: Adt, set: &str, entries: &[Entry]) -> Result<()> {
            let mut buf = Vec::with_capacity(entries.len().saturating_mul(32).min(64 << 20));
            let counts = ipset::write_entries(&mut buf, adt, set, entries, true)?;
            let report = run!(self.do_batch(NETFILTER, &mut buf))?;
            if report.is_ok() {
                return Ok(());
            }
            // Members of the messages that failed, one per message.
            let mut starts = Vec::with_capacity(counts.len());
            let mut at = 0usize;
            for c in &counts {
                starts.push(at);
                at += c;
            }
            let mut retry = Vec::new();
            let mut members = Vec::new();
            for (index, _) in report.failures() {
                let from = starts.get(*index).copied().unwrap_or(0);
                let n = counts.get(*index).copied().unwrap_or(0);
                for (i, e) in entries.iter().enumerate().skip(from).take(n) {
                    ipset::write_entry(&mut retry, adt, set, e, true)?;
                    members.push(i);
                }
            }
            let report2 = run!(self.do_batch(NETFILTER, &mut retry))?;
            let first = report2.failures().first().cloned().or_else(|| report.failures().first().cloned());
            let Some((index, error)) = first else { return Ok(()) };
            let failed_at = if report2.failures().is_empty() { None } else { members.get(index).copied() };
            let e = run!(self.ipset_explain(
                Error::Netlink(error),
                adt.command(),
                ipset::PROTOCOL,
                Some(set),
                None,
                failed_at.and_then(|i| entries.get(i)),
            ));
            Err(match failed_at.and_then(|i| entries.get(i).map(|m| (i, m))) {
                Some((i, m)) => {
                    let key = match run!(self.ipset_header(set)) {
                        Ok(h) => m.key_text(&h.type_name),
                        Err(_) => m.key_text(&guess_type(m)),
                    };
                    e.about(format_args!("ipset {} {set:?} {key} (member {} of {})", adt.name(), i + 1, entries.len()))
                }
                None => e.about(format_args!("ipset {} {set:?}", adt.name())),
            })
        }
    }

    call! {
        /// The error of a failed command in the `ipset` tool's words,
        /// asking the kernel what it takes to say it: its protocol versions
        /// when it refused ours, the set's family when a member's address
        /// is of the other one, the set's type for type-specific codes.
        pub(crate) fn ipset_explain(
            &self,
            e: Error,
            command: u8,
            protocol: u8,
            set: Option<&str>,
            type_name: Option<&str>,
            entry: Option<&Entry>,
        ) -> Error {
            let Some(errno) = kernel_errno(&e) else { return e };
            let header = match set {
                Some(s) if errno == IPSET_ERR_PROTOCOL || (errno >= IPSET_ERR_TYPE_SPECIFIC && type_name.is_none()) => {
                    run!(self.ipset_header(s)).ok()
                }
                _ => None,
            };
            if errno == IPSET_ERR_PROTOCOL {
                if let Ok(p) = run!(self.ipset_protocol()) {
                    if !p.supports(protocol) {
                        if let Some(n) = e.netlink().cloned() {
                            return Error::Ipset { text: p.mismatch_text(protocol), error: n.with_kind(ErrorKind::NotSupported) };
                        }
                    }
                }
                let wrong = match (&header, entry) {
                    (Some(h), Some(m)) => wrong_family(m, h.family).map(|ip| (ip, h.family)),
                    _ => None,
                };
                if let (Some((ip, family)), Some(n)) = (wrong, e.netlink().cloned()) {
                    let code = if family == Family::Inet { IPSET_ERR_IPADDR_IPV4 } else { IPSET_ERR_IPADDR_IPV6 };
                    let text = format!(
                        "{}: {ip} is not of the set's family {family}",
                        ipset::error_text(code, command, None).unwrap_or_default()
                    );
                    return Error::Ipset { text, error: n.with_kind(ErrorKind::Invalid) };
                }
            }
            let ty = type_name.map(str::to_string).or(header.map(|h| h.type_name));
            ipset_error(e, command, ty.as_deref())
        }
    }
}
