// Connection tracking calls (the Go library's Conntrack* functions):
// list (with filters), get, create, update, delete, delete by filter,
// flush, statistics, expectations, and the listing behind event resync.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_netfilter::NfMsg;
use nl_netfilter::conntrack::{
    self, CpuStats, Entry, Expect, Filter, Stats, Tuple, is_entry, is_expect,
};
use nl_netfilter::uapi::nfnetlink::{NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP};
use nl_sock::BatchReport;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::ErrorKind;
use crate::conntrack::ConntrackEvent;
use crate::error::{Error, Result};

const NETFILTER: i32 = NETLINK_NETFILTER;

/// Reads a ctnetlink entry message; `None` for anything else.
fn entry_of(m: &nl_wire::Msg<'_>) -> Result<Option<Entry>> {
    if !is_entry(m) {
        return Ok(None);
    }
    let nf = NfMsg::parse(m, NFNL_SUBSYS_CTNETLINK)?;
    Ok(Some(Entry::parse(&nf)?))
}

/// `what` not found when the kernel says `ENOENT`, else the error about
/// `what`.
fn not_found_or(e: Error, what: impl FnOnce() -> String) -> Error {
    if e.kind() == ErrorKind::NotFound {
        let source = e.netlink().cloned();
        Error::not_found(what(), source)
    } else {
        e.about(what())
    }
}

/// The short name of an entry in errors: `tcp src=.. dst=.. sport=.. dport=..`.
fn named(t: &Tuple) -> String {
    format!("{} {t}", conntrack::proto_name(t.proto))
}

impl H {
    call! {
        /// Every entry of `family` (`AF_INET`, `AF_INET6`, or `AF_UNSPEC`
        /// for both): `conntrack -L`, the Go library's
        /// `ConntrackTableList(ConntrackTable, family)`.
        pub fn conntrack_list(&self, family: u8) -> Result<Vec<Entry>> {
            run!(self.conntrack_list_filtered(family, &Filter::default()))
        }
    }

    call! {
        /// The entries of `family` that match `filter` (an empty filter:
        /// all). The kernel leaves out what it can tell does not match
        /// (mark, zone, status, exact addresses, protocol and ports; see
        /// [`Filter`]); every entry is checked again here, so networks,
        /// labels and either-reply-address filters work on any kernel.
        pub fn conntrack_list_filtered(&self, family: u8, filter: &Filter) -> Result<Vec<Entry>> {
            run!(self.do_dump_into(
                NETFILTER,
                |b| Ok(filter.write_dump(family, b)?),
                |m, out| {
                    if let Some(e) = entry_of(&m)? {
                        if filter.matches(&e) {
                            out.push(e);
                        }
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about("conntrack list"))
        }
    }

    call! {
        /// Streams the entries of `family` matching `filter` to `f`, one
        /// at a time as they are read: memory stays that of one receive
        /// buffer, whatever the size of the table. `f` may make other
        /// calls on this handle.
        pub fn conntrack_for_each(
            &self,
            family: u8,
            filter: &Filter,
            mut f: impl FnMut(Entry) -> Result<()>,
        ) -> Result<()> {
            run!(self.do_dump_each(
                NETFILTER,
                |b| Ok(filter.write_dump(family, b)?),
                |m| match entry_of(&m)? {
                    Some(e) if filter.matches(&e) => f(e),
                    _ => Ok(()),
                },
            ))
        }
    }

    call! {
        /// Streams the raw entry messages of a dump (no owned objects): for
        /// a caller that parses them elsewhere, e.g. on another thread
        /// ([`ConntrackEntry::parse_msg`](crate::ConntrackEntry::parse_msg)).
        /// Only `filter`'s kernel-side part applies; check the rest with
        /// [`Filter::matches`] on each parsed entry.
        pub fn conntrack_dump_views(
            &self,
            family: u8,
            filter: &Filter,
            mut f: impl FnMut(nl_wire::Msg<'_>) -> Result<()>,
        ) -> Result<()> {
            run!(self.do_dump_each(
                NETFILTER,
                |b| Ok(filter.write_dump(family, b)?),
                |m| if is_entry(&m) { f(m) } else { Ok(()) },
            ))
        }
    }

    call! {
        /// The entry whose original tuple is `orig`, in `zone` (`conntrack
        /// -G`). Not found is [`ErrorKind::NotFound`].
        pub fn conntrack_get(&self, orig: &Tuple, zone: Option<u16>) -> Result<Entry> {
            let mut found = None;
            run!(self.do_exchange(
                NETFILTER,
                |b| Ok(Entry::write_get(orig, zone, b)?),
                |m| {
                    if found.is_none() {
                        found = entry_of(&m)?;
                    }
                    Ok(())
                },
            ))
            .map_err(|e| not_found_or(e, || format!("conntrack entry {}", named(orig))))?;
            found.ok_or_else(|| Error::not_found(format!("conntrack entry {}", named(orig)), None))
        }
    }

    call! {
        /// Creates an entry (`conntrack -I`; the Go library's
        /// `ConntrackCreate`): both tuples and a timeout are needed
        /// ([`Entry::new`] makes the reply tuple); an existing entry is
        /// [`ErrorKind::Exists`].
        pub fn conntrack_create(&self, entry: &Entry) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(entry.write_create(b)?)))
                .map(drop)
                .map_err(|e| e.about(format_args!("conntrack create {}", named(&entry.orig))))
        }
    }

    call! {
        /// Creates many entries with as few system calls as the socket
        /// allows; one result per entry.
        pub fn conntracks_create(&self, entries: &[Entry]) -> Result<BatchReport> {
            let mut buf = Vec::with_capacity(entries.len().saturating_mul(160));
            for e in entries {
                e.write_create(&mut buf)?;
            }
            run!(self.do_batch(NETFILTER, &mut buf))
        }
    }

    call! {
        /// Changes the entry of `entry`'s original tuple (`conntrack -U`;
        /// the Go library's `ConntrackUpdate`): its timeout, status, mark
        /// (under `mark_mask`), labels (under `labels_mask`), protocol state
        /// and sequence adjustments, where set. Not found is
        /// [`ErrorKind::NotFound`].
        pub fn conntrack_update(&self, entry: &Entry) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(entry.write_update(b)?)))
                .map(drop)
                .map_err(|e| not_found_or(e, || format!("conntrack entry {}", named(&entry.orig))))
        }
    }

    call! {
        /// Deletes one entry (`conntrack -D` of one tuple; the Go
        /// library's `ConntrackDelete`), found by its original tuple and
        /// zone, and only if its id is still `entry.id` when that is set.
        pub fn conntrack_delete(&self, entry: &Entry) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(entry.write_delete(b)?)))
                .map(drop)
                .map_err(|e| not_found_or(e, || format!("conntrack entry {}", named(&entry.orig))))
        }
    }

    call! {
        /// Deletes the entries of `family` that match any of `filters`
        /// and returns how many went (the Go library's
        /// `ConntrackDeleteFilters`). An empty filter matches nothing here,
        /// so a forgotten criterion never flushes the table. The table is
        /// listed once and the deletions sent in batches; each names the
        /// entry's id, so an entry that went and came back meanwhile is
        /// left alone, and one already gone (expired, deleted by another)
        /// counts as deleted, as in the Go library.
        pub fn conntrack_delete_filters(&self, family: u8, filters: &[Filter]) -> Result<usize> {
            for f in filters {
                f.check()?;
            }
            let active: Vec<&Filter> = filters.iter().filter(|f| !f.is_empty()).collect();
            let Some(first) = active.first() else {
                return Ok(0);
            };
            // One filter: the kernel can leave out what it knows differs.
            let prefilter = if active.len() == 1 { (*first).clone() } else { Filter::default() };
            let mut dels = Vec::new();
            let mut matched = 0usize;
            run!(self.do_dump_each(
                NETFILTER,
                |b| Ok(prefilter.write_dump(family, b)?),
                |m| {
                    if let Some(e) = entry_of(&m)? {
                        if active.iter().any(|f| f.matches(&e)) {
                            e.write_delete(&mut dels)?;
                            matched += 1;
                        }
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about("conntrack delete by filter: listing"))?;
            let report = run!(self.do_batch(NETFILTER, &mut dels))
                .map_err(|e| e.about("conntrack delete by filter"))?;
            let mut failed = None;
            let mut gone = 0usize;
            for (_, e) in report.failures() {
                if e.kind() == ErrorKind::NotFound {
                    gone += 1;
                } else if failed.is_none() {
                    failed = Some(e.clone());
                }
            }
            if let Some(e) = failed {
                let count = report.failures().len() - gone;
                return Err(Error::from(e).about(format_args!(
                    "conntrack delete by filter: {count} of {matched} deletions failed, the first"
                )));
            }
            Ok(report.succeeded() + gone)
        }
    }

    call! {
        /// Flushes the entries of every family (`conntrack -F`; the Go
        /// library's `ConntrackTableFlush(ConntrackTable)`).
        pub fn conntrack_table_flush(&self) -> Result<()> {
            run!(self.conntrack_flush(0))
        }
    }

    call! {
        /// Flushes the entries of `family` only (`conntrack -F -f ipv6`;
        /// `AF_UNSPEC`: every family).
        pub fn conntrack_flush(&self, family: u8) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(conntrack::write_flush(family, b)?)))
                .map(drop)
                .map_err(|e| e.about("conntrack flush"))
        }
    }

    call! {
        /// The table's global statistics: its entries and limit
        /// (`conntrack -C`).
        pub fn conntrack_stats(&self) -> Result<Stats> {
            let mut stats = None;
            run!(self.do_exchange(
                NETFILTER,
                |b| Ok(Stats::write_get(b)?),
                |m| {
                    if stats.is_none() {
                        let nf = NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK)?;
                        stats = Some(Stats::parse(&nf)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about("conntrack statistics"))?;
            stats.ok_or_else(|| Error::not_found("conntrack statistics".into(), None))
        }
    }

    call! {
        /// Per-CPU statistics (`conntrack -S`).
        pub fn conntrack_stats_cpu(&self) -> Result<Vec<CpuStats>> {
            run!(self.do_dump(
                NETFILTER,
                |b| Ok(CpuStats::write_dump(b)?),
                |m| {
                    let nf = NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK)?;
                    Ok(Some(CpuStats::parse(&nf)?))
                },
            ))
            .map_err(|e| e.about("conntrack per-CPU statistics"))
        }
    }

    call! {
        /// The expectations of `family` (`conntrack -L expect`).
        pub fn conntrack_expect_list(&self, family: u8) -> Result<Vec<Expect>> {
            run!(self.do_dump(
                NETFILTER,
                |b| Ok(Expect::write_dump(family, b)?),
                |m| {
                    if !is_expect(&m) {
                        return Ok(None);
                    }
                    let nf = NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK_EXP)?;
                    Ok(Some(Expect::parse(&nf)?))
                },
            ))
            .map_err(|e| e.about("conntrack expectation list"))
        }
    }

    call! {
        /// Creates an expectation (`conntrack -I expect`): its master
        /// must exist and have a helper (the kernel says `EOPNOTSUPP`
        /// otherwise).
        pub fn conntrack_expect_create(&self, expect: &Expect) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(expect.write_create(b)?)))
                .map(drop)
                .map_err(|e| {
                    e.about(format_args!("conntrack expectation create {}", named(&expect.tuple)))
                })
        }
    }

    call! {
        /// Deletes an expectation, by its tuple (and id, when set).
        pub fn conntrack_expect_delete(&self, expect: &Expect) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(expect.write_delete(b)?)))
                .map(drop)
                .map_err(|e| {
                    not_found_or(e, || format!("conntrack expectation {}", named(&expect.tuple)))
                })
        }
    }

    call! {
        /// Deletes every expectation (`conntrack -F expect`).
        pub fn conntrack_expect_flush(&self) -> Result<()> {
            run!(self.do_request(NETFILTER, |b| Ok(Expect::write_flush(None, b)?)))
                .map(drop)
                .map_err(|e| e.about("conntrack expectation flush"))
        }
    }

    call! {
        /// The entries of `family` as `New` events, then `Synced`: what a
        /// conntrack subscription delivers on `list_existing` and resync.
        pub(crate) fn conntrack_snapshot(&self, family: u8) -> Result<Vec<ConntrackEvent>> {
            let mut out: Vec<ConntrackEvent> = run!(self.conntrack_list(family))?
                .into_iter()
                .map(|e| ConntrackEvent::New(Box::new(e)))
                .collect();
            out.push(ConntrackEvent::Synced);
            Ok(out)
        }
    }
}
