//! nftables monitor events (feature `netfilter`, `nft monitor`): every
//! committed change as the object it made or removed, then the new
//! generation, as a subscription with the overrun and resync semantics of
//! the route and conntrack events; and the streaming listings of the
//! async handle.
//!
//! When changes come faster than the program reads them the kernel drops
//! some and says so: the subscription yields [`NftEvent::Overrun`]. With
//! [`NftSubscribe::resync`] it then gets back in step by itself: it throws
//! away the notifications still queued (older than what comes next),
//! lists the ruleset on another socket and yields it as
//! [`NftEvent::Synced`], then goes on with the changes committed since the
//! listing started.
//!
//! ```no_run
//! use netlink::{Handle, NftEvent, NftSubscribe};
//! use netlink::nl_netfilter::nft::monitor::Event;
//! let h = Handle::new()?;
//! for event in h.nft_subscribe(&NftSubscribe::new().list_existing().resync())? {
//!     match event? {
//!         NftEvent::Synced(ruleset) => println!("{} rules now", ruleset.rules.len()),
//!         NftEvent::Change(change) => match *change {
//!             Event::NewRule(r) => println!("+rule {:?}", r.handle),
//!             Event::NewGen(g) => println!("generation {}", g.id),
//!             _ => {}
//!         },
//!         NftEvent::Overrun => println!("-- lost some, listing again --"),
//!         _ => {}
//!     }
//! }
//! # Ok::<(), netlink::Error>(())
//! ```

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_netfilter::nft::monitor::{Event, GROUP};
use nl_netfilter::nft::{Family, Ruleset};
use nl_sock::{CancelHandle, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::error::{ErrorKind, Result};
use crate::events::{DISCARD_MAX, StopHandle};
use crate::handle::Handle;

/// What to subscribe to: how to start and recover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NftSubscribe {
    list_existing: bool,
    resync: bool,
    recv_buffer: Option<usize>,
}

impl NftSubscribe {
    /// Changes only, no listing, an overrun reported and nothing more.
    pub fn new() -> Self {
        NftSubscribe::default()
    }

    /// First deliver the whole ruleset as [`NftEvent::Synced`]. The group
    /// is joined before the listing, so no change in between is missed
    /// (a change may show both in the listing and after it).
    #[must_use]
    pub fn list_existing(mut self) -> Self {
        self.list_existing = true;
        self
    }

    /// After lost notifications, get back in step by itself (see the
    /// module docs). Without it, [`NftEvent::Overrun`] is all that is said.
    #[must_use]
    pub fn resync(mut self) -> Self {
        self.resync = true;
        self
    }

    /// Receive buffer size for the subscription's socket (bytes): a large
    /// transaction notifies one message per object.
    #[must_use]
    pub fn recv_buffer(mut self, bytes: usize) -> Self {
        self.recv_buffer = Some(bytes);
        self
    }
}

/// An nftables notification, or a word about the subscription itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NftEvent {
    /// A committed change (or [`Event::NewGen`] closing a transaction).
    Change(Box<Event>),
    /// Notifications were lost: what the program knew may be wrong. With
    /// [`NftSubscribe::resync`], [`NftEvent::Synced`] follows.
    Overrun,
    /// The whole ruleset (on `list_existing` and after a resync).
    Synced(Box<Ruleset>),
}

/// Reads `msg` as an event; `None` for messages of other subsystems.
fn event_of(msg: &Msg<'_>) -> Option<Result<NftEvent>> {
    if msg.ty() >> 8 != u16::from(nl_netfilter::nft::SUBSYSTEM) {
        return None;
    }
    Some(
        Event::parse(msg)
            .map(|e| NftEvent::Change(Box::new(e)))
            .map_err(Into::into),
    )
}

/// Prepares the subscription's socket: group joined, buffer sized.
fn open(sock: &mut Socket, opts: &NftSubscribe) -> Result<()> {
    if let Some(bytes) = opts.recv_buffer {
        sock.set_recv_buffer_size(bytes, true)?;
    }
    sock.join(GROUP)?;
    Ok(())
}

/// A subscription to nftables notifications ([`Handle::nft_subscribe`]):
/// an [`Iterator`] of [`NftEvent`]s that blocks for the next one.
pub struct NftSubscription {
    sock: Socket,
    pending: VecDeque<Result<NftEvent>>,
    opts: NftSubscribe,
    lister: Handle,
    stop: Arc<CancelHandle>,
    stopped: bool,
}

impl std::fmt::Debug for NftSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NftSubscription")
            .field("opts", &self.opts)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Handle {
    /// Subscribes to nftables changes in this handle's namespace (`nft
    /// monitor`).
    pub fn nft_subscribe(&self, opts: &NftSubscribe) -> Result<NftSubscription> {
        let mut sock = self.open_socket(NETLINK_NETFILTER)?;
        open(&mut sock, opts)?;
        let stop = Arc::new(sock.cancel_handle()?);
        let mut sub = NftSubscription {
            sock,
            pending: VecDeque::new(),
            opts: opts.clone(),
            lister: self.sibling(),
            stop,
            stopped: false,
        };
        if opts.list_existing {
            let rs = sub.lister.nft_ruleset(Family::Unspec)?;
            sub.pending.push_back(Ok(NftEvent::Synced(Box::new(rs))));
        }
        Ok(sub)
    }
}

impl NftSubscription {
    /// The next event; blocks until one arrives (or the timeout set with
    /// [`NftSubscription::set_timeout`] passes: [`ErrorKind::Timeout`]).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<NftEvent> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return r;
            }
            // A datagram's messages are all queued before any is
            // returned, so one that fails to parse loses no other.
            let mut stream = self.sock.messages();
            match stream.next() {
                Ok(msg) => {
                    self.pending.extend(event_of(&msg));
                    while stream.has_buffered() {
                        match stream.next() {
                            Ok(m) => self.pending.extend(event_of(&m)),
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

    /// After lost notifications: say so, and with `resync`, throw away
    /// what is queued, then list.
    fn overrun(&mut self) -> Result<()> {
        self.pending.clear();
        self.pending.push_back(Ok(NftEvent::Overrun));
        if self.opts.resync {
            self.sock.discard_queued(DISCARD_MAX)?;
            let rs = self.lister.nft_ruleset(Family::Unspec)?;
            self.pending.push_back(Ok(NftEvent::Synced(Box::new(rs))));
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

    /// Non-blocking mode: `next` fails with [`ErrorKind::WouldBlock`] when
    /// nothing is queued, for use with an event loop through
    /// [`AsFd`](std::os::fd::AsFd).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        Ok(self.sock.set_nonblocking(on)?)
    }
}

/// The subscription's descriptor, for event loops of any runtime.
impl std::os::fd::AsFd for NftSubscription {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

/// Events until the subscription is stopped ([`StopHandle::stop`]): then
/// `None`. Errors are items; the iteration goes on after them.
impl Iterator for NftSubscription {
    type Item = Result<NftEvent>;

    fn next(&mut self) -> Option<Result<NftEvent>> {
        if self.stopped {
            return None;
        }
        match NftSubscription::next(self) {
            Err(e) if e.kind() == ErrorKind::Cancelled => {
                self.stopped = true;
                None
            }
            other => Some(other),
        }
    }
}

#[cfg(feature = "tokio")]
pub use self::nonblocking::AsyncNftSubscription;

#[cfg(feature = "tokio")]
mod nonblocking {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures_core::Stream;
    use nl_netfilter::msg_type;
    use nl_netfilter::nft::{Family, Rule, Ruleset, SUBSYSTEM, SetElems};
    use nl_netfilter::uapi::nf_tables::{NFT_MSG_NEWRULE, NFT_MSG_NEWSETELEM};
    use nl_sock::tokio::AsyncSocket;
    use nl_wire::netlink::NETLINK_NETFILTER;

    use super::{NftEvent, NftSubscribe, event_of, open};
    use crate::async_handle::{AsyncHandle, DumpStream};
    use crate::error::{ErrorKind, Result};
    use crate::events::DISCARD_MAX;

    type Listing = Pin<Box<dyn Future<Output = Result<Ruleset>> + Send>>;

    /// An nftables subscription on an [`AsyncHandle`]
    /// ([`AsyncHandle::nft_subscribe`]): a [`Stream`] of [`NftEvent`]s
    /// that never ends by itself, with the overrun and resync behaviour of
    /// the blocking one.
    pub struct AsyncNftSubscription {
        sock: AsyncSocket,
        pending: VecDeque<Result<NftEvent>>,
        opts: NftSubscribe,
        lister: Arc<AsyncHandle>,
        listing: Option<Listing>,
    }

    impl std::fmt::Debug for AsyncNftSubscription {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("AsyncNftSubscription")
                .field("opts", &self.opts)
                .field("pending", &self.pending.len())
                .field("listing", &self.listing.is_some())
                .finish()
        }
    }

    impl AsyncHandle {
        /// Subscribes to nftables changes (`nft monitor`).
        pub async fn nft_subscribe(&self, opts: &NftSubscribe) -> Result<AsyncNftSubscription> {
            let mut sock = self.open_socket(NETLINK_NETFILTER)?;
            open(&mut sock, opts)?;
            let mut sub = AsyncNftSubscription {
                sock: AsyncSocket::new(sock)?,
                pending: VecDeque::new(),
                opts: opts.clone(),
                lister: Arc::new(self.sibling()),
                listing: None,
            };
            if opts.list_existing {
                let rs = sub.lister.nft_ruleset(Family::Unspec).await?;
                sub.pending.push_back(Ok(NftEvent::Synced(Box::new(rs))));
            }
            Ok(sub)
        }

        /// The rules of `family`, of `table` and `chain` if given, as they
        /// arrive: any number of rules stream in the memory of one
        /// receive buffer.
        pub fn nft_rule_stream<'h>(
            &'h self,
            family: Family,
            table: Option<&'h str>,
            chain: Option<&'h str>,
        ) -> Result<DumpStream<'h, Rule>> {
            self.dump_stream(
                NETLINK_NETFILTER,
                |b| Ok(Rule::write_dump(b, family, table, chain)?),
                move |m| {
                    if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWRULE) {
                        return Ok(None);
                    }
                    Ok(Some(Rule::parse(&m)?).filter(|r| {
                        (table.is_none() || r.table.as_deref() == table)
                            && (chain.is_none() || r.chain.as_deref() == chain)
                    }))
                },
            )
        }

        /// The elements of set `set` in `table`, one message's worth at a
        /// time, as they arrive.
        pub fn nft_set_elements_stream<'h>(
            &'h self,
            family: Family,
            table: &'h str,
            set: &'h str,
        ) -> Result<DumpStream<'h, SetElems>> {
            self.dump_stream(
                NETLINK_NETFILTER,
                |b| Ok(SetElems::write_dump(b, family, table, set)?),
                move |m| {
                    if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWSETELEM) {
                        return Ok(None);
                    }
                    Ok(Some(SetElems::parse(&m)?))
                },
            )
        }
    }

    impl AsyncNftSubscription {
        /// The next event.
        pub async fn next(&mut self) -> Option<Result<NftEvent>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// How long `next` waits for an event before an
        /// [`ErrorKind::Timeout`] item (default: for ever).
        pub fn set_timeout(&mut self, timeout: Option<Duration>) {
            self.sock.set_events_timeout(timeout);
        }

        fn overrun(&mut self) -> Result<()> {
            self.pending.clear();
            self.pending.push_back(Ok(NftEvent::Overrun));
            if self.opts.resync {
                // Queued notifications are older than the listing: they go.
                self.sock.discard_queued(DISCARD_MAX)?;
                let lister = self.lister.clone();
                self.listing = Some(Box::pin(
                    async move { lister.nft_ruleset(Family::Unspec).await },
                ));
            }
            Ok(())
        }
    }

    impl Stream for AsyncNftSubscription {
        type Item = Result<NftEvent>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<NftEvent>>> {
            let this = self.get_mut();
            loop {
                if let Some(r) = this.pending.pop_front() {
                    return Poll::Ready(Some(r));
                }
                // While the listing runs, notifications wait in the socket.
                if let Some(listing) = this.listing.as_mut() {
                    match listing.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(got) => {
                            this.listing = None;
                            match got {
                                Ok(rs) => {
                                    this.pending.push_back(Ok(NftEvent::Synced(Box::new(rs))))
                                }
                                Err(e) => return Poll::Ready(Some(Err(e))),
                            }
                            continue;
                        }
                    }
                }
                match this.sock.poll_message(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(msg)) => this.pending.extend(event_of(&msg)),
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
