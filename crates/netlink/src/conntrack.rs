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

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_netfilter::conntrack::{Entry, EventKind, is_entry, parse_event};
use nl_netfilter::uapi::nfnetlink::{
    NFNLGRP_CONNTRACK_DESTROY, NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE,
};
use nl_sock::{CancelHandle, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::error::{ErrorKind, Result};
use crate::events::{DISCARD_MAX, StopHandle};
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

/// Reads `msg` as an event `opts` wants; `None` to skip it.
fn event_for(opts: &ConntrackSubscribe, msg: &Msg<'_>) -> Option<Result<ConntrackEvent>> {
    match ConntrackEvent::parse(msg) {
        Ok(Some(ev)) if ev.entry().is_some_and(|e| opts.wants(e)) => Some(Ok(ev)),
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    }
}

/// Opens the subscription's socket: groups joined, buffer sized.
fn open(sock: &mut Socket, opts: &ConntrackSubscribe) -> Result<()> {
    if let Some(bytes) = opts.recv_buffer {
        sock.set_recv_buffer_size(bytes, true)?;
    }
    for g in opts.groups() {
        sock.join(g)?;
    }
    Ok(())
}

/// A subscription to connection tracking events
/// ([`Handle::conntrack_subscribe`]): an [`Iterator`] of
/// [`ConntrackEvent`]s that blocks for the next one.
pub struct ConntrackSubscription {
    sock: Socket,
    pending: VecDeque<Result<ConntrackEvent>>,
    opts: ConntrackSubscribe,
    lister: Handle,
    stop: Arc<CancelHandle>,
    stopped: bool,
}

impl std::fmt::Debug for ConntrackSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConntrackSubscription")
            .field("opts", &self.opts)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Handle {
    /// Subscribes to connection tracking events in this handle's
    /// namespace (`conntrack -E`).
    pub fn conntrack_subscribe(&self, opts: &ConntrackSubscribe) -> Result<ConntrackSubscription> {
        let mut sock = self.open_socket(NETLINK_NETFILTER)?;
        open(&mut sock, opts)?;
        let stop = Arc::new(sock.cancel_handle()?);
        let mut sub = ConntrackSubscription {
            sock,
            pending: VecDeque::new(),
            opts: opts.clone(),
            lister: self.sibling(),
            stop,
            stopped: false,
        };
        if opts.list_existing {
            let listed = sub.lister.conntrack_snapshot(opts.family)?;
            sub.pending.extend(listed.into_iter().map(Ok));
        }
        Ok(sub)
    }
}

impl ConntrackSubscription {
    /// The next event; blocks until one arrives (or the timeout set with
    /// [`ConntrackSubscription::set_timeout`] passes:
    /// [`ErrorKind::Timeout`]).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<ConntrackEvent> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return r;
            }
            // A datagram's messages are all queued before any is
            // returned, so one that fails to parse loses no other.
            let mut stream = self.sock.messages();
            match stream.next() {
                Ok(msg) => {
                    if let Some(ev) = event_for(&self.opts, &msg) {
                        self.pending.push_back(ev);
                    }
                    while stream.has_buffered() {
                        match stream.next() {
                            Ok(m) => {
                                if let Some(ev) = event_for(&self.opts, &m) {
                                    self.pending.push_back(ev);
                                }
                            }
                            Err(e) => {
                                self.pending.push_back(Err(e.into()));
                                break;
                            }
                        }
                    }
                }
                Err(e) if e.kind() == ErrorKind::Overrun => self.overrun()?,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// After lost events: say so, and with `resync`, throw away what is
    /// queued, then list.
    fn overrun(&mut self) -> Result<()> {
        self.pending.clear();
        self.pending.push_back(Ok(ConntrackEvent::Overrun));
        if self.opts.resync {
            self.sock.discard_queued(DISCARD_MAX)?;
            let listed = self.lister.conntrack_snapshot(self.opts.family)?;
            self.pending.extend(listed.into_iter().map(Ok));
        }
        Ok(())
    }

    /// A receive that waits longer than `timeout` fails with
    /// [`ErrorKind::Timeout`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        Ok(self.sock.set_recv_timeout(timeout)?)
    }

    /// A handle another thread can use to stop a blocked `next`.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle::new(self.stop.clone())
    }

    /// Non-blocking mode: `next` fails with
    /// [`ErrorKind::WouldBlock`] when nothing is queued, for use with an
    /// event loop through [`AsFd`](std::os::fd::AsFd).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        Ok(self.sock.set_nonblocking(on)?)
    }
}

/// The subscription's descriptor, for event loops of any runtime.
impl std::os::fd::AsFd for ConntrackSubscription {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

/// Events until the subscription is stopped ([`StopHandle::stop`]): then
/// `None`. Errors are items; the iteration goes on after them.
impl Iterator for ConntrackSubscription {
    type Item = Result<ConntrackEvent>;

    fn next(&mut self) -> Option<Result<ConntrackEvent>> {
        if self.stopped {
            return None;
        }
        match ConntrackSubscription::next(self) {
            Err(e) if e.kind() == ErrorKind::Cancelled => {
                self.stopped = true;
                None
            }
            other => Some(other),
        }
    }
}

#[cfg(feature = "tokio")]
pub use self::nonblocking::AsyncConntrackSubscription;

#[cfg(feature = "tokio")]
mod nonblocking {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures_core::Stream;
    use nl_netfilter::NfMsg;
    use nl_netfilter::conntrack::{Entry, Filter, is_entry};
    use nl_netfilter::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK;
    use nl_sock::tokio::AsyncSocket;
    use nl_wire::netlink::NETLINK_NETFILTER;

    use super::{ConntrackEvent, ConntrackSubscribe, event_for, open};
    use crate::async_handle::{AsyncHandle, DumpStream};
    use crate::error::{ErrorKind, Result};
    use crate::events::DISCARD_MAX;

    type Listing = Pin<Box<dyn Future<Output = Result<Vec<ConntrackEvent>>> + Send>>;

    /// A conntrack subscription on an [`AsyncHandle`]
    /// ([`AsyncHandle::conntrack_subscribe`]): a [`Stream`] of
    /// [`ConntrackEvent`]s that never ends by itself, with the overrun and
    /// resync behaviour of the blocking one.
    pub struct AsyncConntrackSubscription {
        sock: AsyncSocket,
        pending: VecDeque<Result<ConntrackEvent>>,
        opts: ConntrackSubscribe,
        lister: Arc<AsyncHandle>,
        listing: Option<Listing>,
    }

    impl std::fmt::Debug for AsyncConntrackSubscription {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("AsyncConntrackSubscription")
                .field("opts", &self.opts)
                .field("pending", &self.pending.len())
                .field("listing", &self.listing.is_some())
                .finish()
        }
    }

    impl AsyncHandle {
        /// Subscribes to connection tracking events (`conntrack -E`).
        pub async fn conntrack_subscribe(
            &self,
            opts: &ConntrackSubscribe,
        ) -> Result<AsyncConntrackSubscription> {
            let mut sock = self.open_socket(NETLINK_NETFILTER)?;
            open(&mut sock, opts)?;
            let mut sub = AsyncConntrackSubscription {
                sock: AsyncSocket::new(sock)?,
                pending: VecDeque::new(),
                opts: opts.clone(),
                lister: Arc::new(self.sibling()),
                listing: None,
            };
            if opts.list_existing {
                let listed = sub.lister.conntrack_snapshot(opts.family).await?;
                sub.pending.extend(listed.into_iter().map(Ok));
            }
            Ok(sub)
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

    impl AsyncConntrackSubscription {
        /// The next event.
        pub async fn next(&mut self) -> Option<Result<ConntrackEvent>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// How long `next` waits for an event before an
        /// [`ErrorKind::Timeout`] item (default: for ever).
        pub fn set_timeout(&mut self, timeout: Option<Duration>) {
            self.sock.set_events_timeout(timeout);
        }

        fn overrun(&mut self) -> Result<()> {
            self.pending.clear();
            self.pending.push_back(Ok(ConntrackEvent::Overrun));
            if self.opts.resync {
                // Queued events are older than the listing: they go first.
                self.sock.discard_queued(DISCARD_MAX)?;
                let lister = self.lister.clone();
                let family = self.opts.family;
                self.listing = Some(Box::pin(
                    async move { lister.conntrack_snapshot(family).await },
                ));
            }
            Ok(())
        }
    }

    impl Stream for AsyncConntrackSubscription {
        type Item = Result<ConntrackEvent>;

        fn poll_next(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<ConntrackEvent>>> {
            let this = self.get_mut();
            loop {
                if let Some(r) = this.pending.pop_front() {
                    return Poll::Ready(Some(r));
                }
                // While the listing runs, events wait in the socket.
                if let Some(listing) = this.listing.as_mut() {
                    match listing.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(got) => {
                            this.listing = None;
                            match got {
                                Ok(events) => this.pending.extend(events.into_iter().map(Ok)),
                                Err(e) => return Poll::Ready(Some(Err(e))),
                            }
                            continue;
                        }
                    }
                }
                match this.sock.poll_message(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(msg)) => {
                        if let Some(ev) = event_for(&this.opts, &msg) {
                            this.pending.push_back(ev);
                        }
                    }
                    Poll::Ready(Err(e)) if e.kind() == ErrorKind::Overrun => {
                        if let Err(e) = this.overrun() {
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
                }
            }
        }
    }
}
