//! One subscription for every kind of notification: routes and links,
//! conntrack, nftables. What differs between them (the protocol, the
//! groups, how a message reads as an event, how the current state is
//! listed) is a [`Feed`], implemented by each kind's options type
//! ([`Subscribe`], `ConntrackSubscribe`, `NftSubscribe`); the queue, the
//! overrun and resync, timeouts, stopping and the descriptor are written
//! here once, blocking ([`Subscription`]) and under tokio
//! (`AsyncSubscription`).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_sock::{CancelHandle, Socket};
use nl_wire::Msg;

use crate::error::{ErrorKind, Result};
use crate::events::{StopHandle, Subscribe};
use crate::handle::Handle;

/// How many queued datagrams a resync throws away at most before it
/// lists (any prefix of the queue may go: what stays is newer).
pub(crate) const DISCARD_MAX: usize = 1 << 16;

/// How many listings a resync tries while changes keep interrupting them
/// (each after the dump's own retries), before it gives up with the
/// error.
pub(crate) const RESYNC_ATTEMPTS: usize = 50;

/// A kind of notification a [`Subscription`] follows: implemented by the
/// options types ([`Subscribe`] for rtnetlink, `ConntrackSubscribe`,
/// `NftSubscribe`), sealed.
pub trait Feed: private::Sealed + Clone + std::fmt::Debug + Send + Sync + 'static {
    /// What the subscription yields.
    type Event: Send + 'static;
    /// The netlink protocol of the subscription's socket.
    const PROTOCOL: i32;
    /// The subscription's name in `Debug` output.
    const NAME: &'static str;

    /// Joins the groups and sizes the buffer of a fresh socket.
    #[doc(hidden)]
    fn prepare(&self, sock: &mut Socket) -> Result<()>;
    /// Reads a notification; `None` for messages the subscription does not
    /// report.
    #[doc(hidden)]
    fn event(&self, msg: &Msg<'_>) -> Option<Result<Self::Event>>;
    /// The event that says notifications were lost.
    #[doc(hidden)]
    fn overrun() -> Self::Event;
    /// Whether the current state is delivered first.
    #[doc(hidden)]
    fn wants_existing(&self) -> bool;
    /// Whether an overrun is followed by a fresh listing.
    #[doc(hidden)]
    fn wants_resync(&self) -> bool;
    /// The current state as events, ending with the kind's "synced" event.
    #[doc(hidden)]
    fn list(&self, h: &Handle) -> Result<Vec<Self::Event>>;
    /// [`Feed::list`] on an async handle.
    #[cfg(feature = "tokio")]
    #[doc(hidden)]
    fn list_async(&self, h: Arc<crate::AsyncHandle>) -> Listing<Self::Event>;
}

/// A listing in flight on an async handle.
#[cfg(feature = "tokio")]
#[doc(hidden)]
pub type Listing<E> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<E>>> + Send>>;

pub(crate) mod private {
    /// Only this crate's options types are feeds.
    pub trait Sealed {}
}

/// An owned subscription: an [`Iterator`] of events that blocks for the
/// next one. `Subscription` alone is the rtnetlink one
/// ([`Handle::subscribe`]); `ConntrackSubscription` and `NftSubscription`
/// are the same type over their feeds.
pub struct Subscription<F: Feed = Subscribe> {
    sock: Socket,
    /// Events (or parse failures) already received, in order.
    pending: VecDeque<Result<F::Event>>,
    opts: F,
    lister: Handle,
    stop: Arc<CancelHandle>,
    stopped: bool,
}

impl<F: Feed> std::fmt::Debug for Subscription<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(F::NAME)
            .field("opts", &self.opts)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl<F: Feed> Subscription<F> {
    /// Opens the socket in `h`'s namespace, joins, and queues the listing
    /// when `opts` asks for one. The groups are joined before the listing,
    /// so no change in between is missed (one may show in both).
    pub(crate) fn open(h: &Handle, opts: &F) -> Result<Self> {
        let mut sock = h.open_socket(F::PROTOCOL)?;
        opts.prepare(&mut sock)?;
        let stop = Arc::new(sock.cancel_handle()?);
        let mut sub = Subscription {
            sock,
            pending: VecDeque::new(),
            opts: opts.clone(),
            lister: h.sibling(),
            stop,
            stopped: false,
        };
        if opts.wants_existing() {
            let listed = opts.list(&sub.lister)?;
            sub.pending.extend(listed.into_iter().map(Ok));
        }
        Ok(sub)
    }

    /// The next event; blocks until one arrives (or the timeout set with
    /// [`Subscription::set_timeout`] passes: [`ErrorKind::Timeout`]).
    /// Lost notifications are an overrun event (see [`crate::events`]).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<F::Event> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return r;
            }
            // Every message of a datagram is parsed and queued before any
            // is returned: one that fails to parse is reported in its
            // place, and the messages after it are not lost.
            let mut stream = self.sock.messages();
            match stream.next() {
                Ok(msg) => {
                    self.pending.extend(self.opts.event(&msg));
                    while stream.has_buffered() {
                        match stream.next() {
                            Ok(m) => self.pending.extend(self.opts.event(&m)),
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
    /// what is queued, then list (see [`crate::events`] for why that
    /// order). A storm can keep interrupting the listing: it starts over,
    /// from the discard, until one listing is consistent.
    fn overrun(&mut self) -> Result<()> {
        self.pending.clear();
        self.pending.push_back(Ok(F::overrun()));
        if self.opts.wants_resync() {
            let mut attempt = 0;
            let listed = loop {
                self.sock.discard_queued(DISCARD_MAX)?;
                match self.opts.list(&self.lister) {
                    Err(e)
                        if e.kind() == ErrorKind::DumpInterrupted && attempt < RESYNC_ATTEMPTS =>
                    {
                        attempt += 1;
                    }
                    other => break other?,
                }
            };
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

    /// Non-blocking mode: `next` fails with [`ErrorKind::WouldBlock`] when
    /// nothing is queued, for use with an event loop through
    /// [`AsFd`](std::os::fd::AsFd).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        Ok(self.sock.set_nonblocking(on)?)
    }

    /// The options the subscription was made with.
    pub fn options(&self) -> &F {
        &self.opts
    }

    /// The handle the subscription lists with (same namespace, its own
    /// sockets).
    pub(crate) fn lister(&self) -> &Handle {
        &self.lister
    }
}

/// The subscription's descriptor, for event loops of any runtime: wait
/// until it is readable, then call `next` (with
/// [`Subscription::set_nonblocking`] on, `next` answers
/// [`ErrorKind::WouldBlock`] instead of waiting).
impl<F: Feed> std::os::fd::AsFd for Subscription<F> {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

/// Events until the subscription is stopped ([`StopHandle::stop`]): then
/// `None`. Errors (a timeout, a message that did not parse) are items; the
/// iteration goes on after them.
impl<F: Feed> Iterator for Subscription<F> {
    type Item = Result<F::Event>;

    fn next(&mut self) -> Option<Result<F::Event>> {
        if self.stopped {
            return None;
        }
        match Subscription::next(self) {
            Err(e) if e.kind() == ErrorKind::Cancelled => {
                self.stopped = true;
                None
            }
            other => Some(other),
        }
    }
}

#[cfg(feature = "tokio")]
pub use self::nonblocking::AsyncSubscription;

#[cfg(feature = "tokio")]
mod nonblocking {
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures_core::Stream;
    use nl_sock::tokio::AsyncSocket;

    use super::{DISCARD_MAX, Feed, Listing, RESYNC_ATTEMPTS};
    use crate::async_handle::AsyncHandle;
    use crate::error::{ErrorKind, Result};
    use crate::events::Subscribe;

    /// A subscription on an [`AsyncHandle`]: a [`Stream`] of events that
    /// never ends by itself, with the overrun and converging resync of the
    /// blocking [`Subscription`](super::Subscription).
    /// `AsyncSubscription` alone is the rtnetlink one
    /// ([`AsyncHandle::subscribe`]).
    ///
    /// ```no_run
    /// # async fn run() -> netlink::Result<()> {
    /// use netlink::{AsyncHandle, Event, Stream, Subscribe};
    /// let h = AsyncHandle::new()?;
    /// let mut sub = h.subscribe(&Subscribe::new().links().routes().resync()).await?;
    /// while let Some(event) = sub.next().await {
    ///     match event? {
    ///         Event::NewRoute(r) => println!("route {}", r.dst_string()),
    ///         Event::Overrun => println!("-- lost some, listing again --"),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub struct AsyncSubscription<F: Feed = Subscribe> {
        sock: AsyncSocket,
        pending: VecDeque<Result<F::Event>>,
        opts: F,
        lister: Arc<AsyncHandle>,
        listing: Option<Listing<F::Event>>,
        attempts: usize,
    }

    impl<F: Feed> std::fmt::Debug for AsyncSubscription<F> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct(F::NAME)
                .field("opts", &self.opts)
                .field("pending", &self.pending.len())
                .field("listing", &self.listing.is_some())
                .finish()
        }
    }

    impl<F: Feed> AsyncSubscription<F> {
        /// Opens the socket in `h`'s namespace, joins, and lists first
        /// when `opts` asks for it.
        pub(crate) async fn open(h: &AsyncHandle, opts: &F) -> Result<Self> {
            let mut sock = h.open_socket(F::PROTOCOL)?;
            opts.prepare(&mut sock)?;
            let mut sub = AsyncSubscription {
                sock: AsyncSocket::new(sock)?,
                pending: VecDeque::new(),
                opts: opts.clone(),
                lister: Arc::new(h.sibling()),
                listing: None,
                attempts: 0,
            };
            if opts.wants_existing() {
                let listed = opts.list_async(sub.lister.clone()).await?;
                sub.pending.extend(listed.into_iter().map(Ok));
            }
            Ok(sub)
        }

        /// The next event.
        pub async fn next(&mut self) -> Option<Result<F::Event>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// How long `next` waits for a notification before an
        /// [`ErrorKind::Timeout`] item (default: for ever).
        pub fn set_timeout(&mut self, timeout: Option<Duration>) {
            self.sock.set_events_timeout(timeout);
        }

        /// The options the subscription was made with.
        pub fn options(&self) -> &F {
            &self.opts
        }

        fn overrun(&mut self) -> Result<()> {
            self.pending.clear();
            self.pending.push_back(Ok(F::overrun()));
            if self.opts.wants_resync() {
                self.attempts = 0;
                self.list()?;
            }
            Ok(())
        }

        /// Queued notifications are older than the listing: they go
        /// first, so none of them is applied on top of it.
        fn list(&mut self) -> Result<()> {
            self.sock.discard_queued(DISCARD_MAX)?;
            self.listing = Some(self.opts.list_async(self.lister.clone()));
            Ok(())
        }
    }

    // Nothing in it is structurally pinned: the socket and the boxed
    // listing move freely.
    impl<F: Feed> Unpin for AsyncSubscription<F> {}

    impl<F: Feed> Stream for AsyncSubscription<F> {
        type Item = Result<F::Event>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = self.get_mut();
            loop {
                if let Some(r) = this.pending.pop_front() {
                    return Poll::Ready(Some(r));
                }
                // While the listing runs, notifications wait in the
                // socket: they come after it.
                if let Some(listing) = this.listing.as_mut() {
                    match listing.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(got) => {
                            this.listing = None;
                            match got {
                                Ok(events) => this.pending.extend(events.into_iter().map(Ok)),
                                // A storm interrupted the listing: list again.
                                Err(e)
                                    if e.kind() == ErrorKind::DumpInterrupted
                                        && this.attempts < RESYNC_ATTEMPTS =>
                                {
                                    this.attempts += 1;
                                    if let Err(e) = this.list() {
                                        return Poll::Ready(Some(Err(e)));
                                    }
                                }
                                Err(e) => return Poll::Ready(Some(Err(e))),
                            }
                            continue;
                        }
                    }
                }
                match this.sock.poll_message(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(msg)) => this.pending.extend(this.opts.event(&msg)),
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
