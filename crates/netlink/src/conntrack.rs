//! Connection tracking events (feature `netfilter`): new, updated and
//! destroyed entries as a subscription, with the overrun and resync
//! semantics of the route events ([`crate::events`]), and the table as a
//! stream on the async handle.
//!
//! When events come faster than the program reads them the kernel drops
//! some and says so: the subscription yields [`ConntrackEvent::Overrun`].
//! With [`ConntrackSubscribe::resync`] it then gets back in step by
//! itself: it throws away the events still queued (older than what comes
//! next), lists the table on another socket and yields it as
//! [`ConntrackEvent::New`] events ending with [`ConntrackEvent::Synced`],
//! then goes on with the events that arrived since the listing started.
//!
//! The calls, as the README shows them:
//!
//! ```no_run
//! use netlink::{ConntrackEntry, ConntrackEvent, ConntrackFilter, ConntrackSubscribe, ConntrackTuple, Handle, TcpState};
//!
//! let h = Handle::new()?;
//! // conntrack -I -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1000 --dport 80 --state ESTABLISHED -t 120
//! let orig = ConntrackTuple::tcp("192.0.2.1:1000".parse()?, "192.0.2.2:80".parse()?);
//! h.conntrack_create(&ConntrackEntry::new(orig).with_timeout(120).with_tcp_state(TcpState::ESTABLISHED))?;
//! // conntrack -L -p tcp --dport 80, streamed: one entry in memory at a time
//! let to_web = ConntrackFilter::new().proto(6).orig_dst_port(80);
//! h.conntrack_for_each(netlink::AF_INET, &to_web, |e| {
//!     println!("{e}"); // conntrack -L -o extended's line
//!     Ok(())
//! })?;
//! // the Go library's ConntrackDeleteFilters: entries from 192.0.2.0/24
//! let gone = h.conntrack_delete_filters(netlink::AF_INET, &[ConntrackFilter::new().orig_src("192.0.2.0/24".parse::<netlink::IpNet>()?)])?;
//! println!("{gone} deleted");
//! // conntrack -E, listing the table first and again after lost events
//! for event in h.conntrack_subscribe(&ConntrackSubscribe::all().list_existing().resync())? {
//!     if let ConntrackEvent::Destroy(e) = event? {
//!         println!("[DESTROY] {e}");
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Events alone:
//!
//! ```no_run
//! use netlink::{ConntrackEvent, ConntrackSubscribe, Handle};
//! let h = Handle::new()?;
//! let sub = h.conntrack_subscribe(&ConntrackSubscribe::all().list_existing().resync())?;
//! for event in sub {
//!     match event? {
//!         ConntrackEvent::New(e) => println!("new {e}"),
//!         ConntrackEvent::Destroy(e) => println!("gone {e}"),
//!         ConntrackEvent::Overrun => println!("-- lost some, listing again --"),
//!         _ => {}
//!     }
//! }
//! # Ok::<(), netlink::Error>(())
//! ```

use nl_netfilter::conntrack::{Entry, EventKind, is_entry, parse_event};
use nl_netfilter::uapi::nfnetlink::{
    NFNLGRP_CONNTRACK_DESTROY, NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE,
};
use nl_sock::Socket;
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::error::Result;
use crate::feed::{Feed, Subscription};
use crate::handle::Handle;

/// What to subscribe to: which events, and how to start and recover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConntrackSubscribe {
    new: bool,
    update: bool,
    destroy: bool,
    family: u8,
    list_existing: bool,
    resync: bool,
    recv_buffer: Option<usize>,
}

impl ConntrackSubscribe {
    /// Nothing yet: add event kinds with the methods below.
    pub fn new() -> Self {
        ConntrackSubscribe::default()
    }

    /// New, update and destroy events (`conntrack -E`).
    pub fn all() -> Self {
        ConntrackSubscribe::new().news().updates().destroys()
    }

    /// New entries (`NFNLGRP_CONNTRACK_NEW`).
    #[must_use]
    pub fn news(mut self) -> Self {
        self.new = true;
        self
    }

    /// Changed entries (`NFNLGRP_CONNTRACK_UPDATE`).
    #[must_use]
    pub fn updates(mut self) -> Self {
        self.update = true;
        self
    }

    /// Destroyed entries (`NFNLGRP_CONNTRACK_DESTROY`).
    #[must_use]
    pub fn destroys(mut self) -> Self {
        self.destroy = true;
        self
    }

    /// The family listed by [`list_existing`](Self::list_existing) and
    /// resyncs, and of the events delivered (`AF_UNSPEC`, the default:
    /// both).
    #[must_use]
    pub fn family(mut self, family: u8) -> Self {
        self.family = family;
        self
    }

    /// First deliver every existing entry as a
    /// [`ConntrackEvent::New`], then [`ConntrackEvent::Synced`]. The
    /// groups are joined before the listing, so no change in between is
    /// missed.
    #[must_use]
    pub fn list_existing(mut self) -> Self {
        self.list_existing = true;
        self
    }

    /// After lost events, get back in step by itself (see the module
    /// docs). Without it, [`ConntrackEvent::Overrun`] is all that is said.
    #[must_use]
    pub fn resync(mut self) -> Self {
        self.resync = true;
        self
    }

    /// Receive buffer size for the subscription's socket (bytes). Small
    /// buffers overrun sooner when connections come and go in storms.
    #[must_use]
    pub fn recv_buffer(mut self, bytes: usize) -> Self {
        self.recv_buffer = Some(bytes);
        self
    }

    fn groups(&self) -> impl Iterator<Item = u32> + '_ {
        [
            (self.new, NFNLGRP_CONNTRACK_NEW),
            (self.update, NFNLGRP_CONNTRACK_UPDATE),
            (self.destroy, NFNLGRP_CONNTRACK_DESTROY),
        ]
        .into_iter()
        .filter_map(|(on, g)| on.then_some(g))
    }

    /// Whether an event of `e`'s family is wanted.
    fn wants(&self, e: &Entry) -> bool {
        self.family == 0 || self.family == e.family
    }
}

/// A connection tracking event, or a word about the subscription itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConntrackEvent {
    /// A new entry (or, in a listing, an existing one).
    New(Box<Entry>),
    /// An entry changed (its state, status, mark ...); only what changed
    /// and the tuples are sure to be set.
    Update(Box<Entry>),
    /// An entry went (with its final counters when accounting is on).
    Destroy(Box<Entry>),
    /// Events were lost: what the program knew may be wrong. With
    /// [`ConntrackSubscribe::resync`], the table follows, then
    /// [`ConntrackEvent::Synced`].
    Overrun,
    /// A listing (existing entries, or a resync) is complete.
    Synced,
}

impl ConntrackEvent {
    /// Reads one notification; `None` for messages that are not entry
    /// events.
    pub fn parse(msg: &Msg<'_>) -> Result<Option<ConntrackEvent>> {
        if !is_entry(msg) {
            return Ok(None);
        }
        let (kind, entry) = parse_event(msg)?;
        let entry = Box::new(entry);
        Ok(kind.map(|k| match k {
            EventKind::New => ConntrackEvent::New(entry),
            EventKind::Update => ConntrackEvent::Update(entry),
            EventKind::Destroy => ConntrackEvent::Destroy(entry),
        }))
    }

    /// The entry of a `New`, `Update` or `Destroy` event.
    pub fn entry(&self) -> Option<&Entry> {
        match self {
            ConntrackEvent::New(e) | ConntrackEvent::Update(e) | ConntrackEvent::Destroy(e) => {
                Some(e)
            }
            _ => None,
        }
    }

    /// The kind of a `New`, `Update` or `Destroy` event.
    pub fn kind(&self) -> Option<EventKind> {
        match self {
            ConntrackEvent::New(_) => Some(EventKind::New),
            ConntrackEvent::Update(_) => Some(EventKind::Update),
            ConntrackEvent::Destroy(_) => Some(EventKind::Destroy),
            _ => None,
        }
    }
}

impl crate::feed::private::Sealed for ConntrackSubscribe {}

impl Feed for ConntrackSubscribe {
    type Event = ConntrackEvent;
    const PROTOCOL: i32 = NETLINK_NETFILTER;
    const NAME: &'static str = "ConntrackSubscription";

    fn prepare(&self, sock: &mut Socket) -> Result<()> {
        if let Some(bytes) = self.recv_buffer {
            sock.set_recv_buffer_size(bytes, true)?;
        }
        for g in self.groups() {
            sock.join(g)?;
        }
        Ok(())
    }

    fn event(&self, msg: &Msg<'_>) -> Option<Result<ConntrackEvent>> {
        match ConntrackEvent::parse(msg) {
            Ok(Some(ev)) if ev.entry().is_some_and(|e| self.wants(e)) => Some(Ok(ev)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        }
    }

    fn overrun() -> ConntrackEvent {
        ConntrackEvent::Overrun
    }

    fn wants_existing(&self) -> bool {
        self.list_existing
    }

    fn wants_resync(&self) -> bool {
        self.resync
    }

    fn list(&self, h: &Handle) -> Result<Vec<ConntrackEvent>> {
        h.conntrack_snapshot(self.family)
    }

    #[cfg(feature = "tokio")]
    fn list_async(
        &self,
        h: std::sync::Arc<crate::AsyncHandle>,
    ) -> crate::feed::Listing<ConntrackEvent> {
        let family = self.family;
        Box::pin(async move { h.conntrack_snapshot(family).await })
    }
}

/// A subscription to connection tracking events
/// ([`Handle::conntrack_subscribe`]): an [`Iterator`] of
/// [`ConntrackEvent`]s that blocks for the next one.
pub type ConntrackSubscription = Subscription<ConntrackSubscribe>;

impl Handle {
    /// Subscribes to connection tracking events in this handle's
    /// namespace (`conntrack -E`).
    pub fn conntrack_subscribe(&self, opts: &ConntrackSubscribe) -> Result<ConntrackSubscription> {
        Subscription::open(self, opts)
    }
}

#[cfg(feature = "tokio")]
pub use self::nonblocking::AsyncConntrackSubscription;

#[cfg(feature = "tokio")]
mod nonblocking {
    use nl_netfilter::NfMsg;
    use nl_netfilter::conntrack::{Entry, Filter, is_entry};
    use nl_netfilter::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK;
    use nl_wire::netlink::NETLINK_NETFILTER;

    use super::ConntrackSubscribe;
    use crate::async_handle::{AsyncHandle, DumpStream};
    use crate::error::Result;
    use crate::feed::AsyncSubscription;

    /// A conntrack subscription on an [`AsyncHandle`]
    /// ([`AsyncHandle::conntrack_subscribe`]): a
    /// [`Stream`](crate::Stream) of
    /// [`ConntrackEvent`](super::ConntrackEvent)s that never ends by
    /// itself, with the overrun and resync behaviour of the blocking one.
    pub type AsyncConntrackSubscription = AsyncSubscription<ConntrackSubscribe>;

    impl AsyncHandle {
        /// Subscribes to connection tracking events (`conntrack -E`).
        pub async fn conntrack_subscribe(
            &self,
            opts: &ConntrackSubscribe,
        ) -> Result<AsyncConntrackSubscription> {
            AsyncSubscription::open(self, opts).await
        }

        /// The entries of `family` matching `filter`, as they arrive: a
        /// table of any size streams in the memory of one receive buffer.
        pub fn conntrack_stream<'h>(
            &'h self,
            family: u8,
            filter: &'h Filter,
        ) -> Result<DumpStream<'h, Entry>> {
            self.dump_stream(
                NETLINK_NETFILTER,
                |b| Ok(filter.write_dump(family, b)?),
                move |m| {
                    if !is_entry(&m) {
                        return Ok(None);
                    }
                    let nf = NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK)?;
                    Ok(Some(Entry::parse(&nf)?).filter(|e| filter.matches(e)))
                },
            )
        }
    }
}
