//! Notifications under tokio: [`AsyncSubscription`], a `Stream` of the
//! same [`Event`]s as the blocking [`Subscription`](crate::Subscription),
//! with the same converging resync (see [`crate::events`]).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use nl_sock::tokio::AsyncSocket;
use nl_wire::netlink::NETLINK_ROUTE;

use crate::async_handle::AsyncHandle;
use crate::error::{ErrorKind, Result};
use crate::events::{DISCARD_MAX, Event, RESYNC_ATTEMPTS, Subscribe, join};

type Listing = Pin<Box<dyn Future<Output = Result<Vec<Event>>> + Send>>;

/// A subscription on an [`AsyncHandle`] ([`AsyncHandle::subscribe`]): a
/// [`Stream`] of [`Event`]s that never ends by itself. Lost notifications
/// are [`Event::Overrun`] items; with [`Subscribe::resync`] the current
/// state follows, then [`Event::Synced`], then the live events.
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
pub struct AsyncSubscription {
    sock: AsyncSocket,
    pending: VecDeque<Result<Event>>,
    opts: Subscribe,
    lister: Arc<AsyncHandle>,
    listing: Option<Listing>,
    attempts: usize,
}

impl std::fmt::Debug for AsyncSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSubscription")
            .field("opts", &self.opts)
            .field("pending", &self.pending.len())
            .field("listing", &self.listing.is_some())
            .finish()
    }
}

impl AsyncHandle {
    /// Subscribes to changes in this handle's namespace (`ip monitor`).
    pub async fn subscribe(&self, opts: &Subscribe) -> Result<AsyncSubscription> {
        let mut sock = self.open_socket(NETLINK_ROUTE)?;
        join(&mut sock, opts)?;
        let mut sub = AsyncSubscription {
            sock: AsyncSocket::new(sock)?,
            pending: VecDeque::new(),
            opts: opts.clone(),
            lister: Arc::new(self.sibling()),
            listing: None,
            attempts: 0,
        };
        if opts.wants_existing() {
            let listed = sub.lister.events_snapshot(opts).await?;
            sub.pending.extend(listed.into_iter().map(Ok));
        }
        Ok(sub)
    }
}

impl AsyncSubscription {
    /// The next event.
    pub async fn next(&mut self) -> Option<Result<Event>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// How long `next` waits for a notification before an
    /// [`ErrorKind::Timeout`] item (default: for ever).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.sock.set_events_timeout(timeout);
    }

    fn overrun(&mut self) -> Result<()> {
        self.pending.clear();
        self.pending.push_back(Ok(Event::Overrun));
        if self.opts.wants_resync() {
            self.attempts = 0;
            self.list()?;
        }
        Ok(())
    }

    /// Queued notifications are older than the listing: they go first, so
    /// none of them is applied on top of it.
    fn list(&mut self) -> Result<()> {
        self.sock.discard_queued(DISCARD_MAX)?;
        let lister = self.lister.clone();
        let opts = self.opts.clone();
        self.listing = Some(Box::pin(async move { lister.events_snapshot(&opts).await }));
        Ok(())
    }
}

impl Stream for AsyncSubscription {
    type Item = Result<Event>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Event>>> {
        let this = self.get_mut();
        loop {
            if let Some(r) = this.pending.pop_front() {
                match r {
                    Ok(Event::Other { .. }) => continue,
                    r => return Poll::Ready(Some(r)),
                }
            }
            // While the listing runs, notifications wait in the socket:
            // they come after it.
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
                Poll::Ready(Ok(msg)) => {
                    let event = Event::parse(&msg);
                    this.pending.push_back(event);
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
