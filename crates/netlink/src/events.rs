//! Notifications: subscribe to link and address changes (`ip monitor`).
//!
//! A [`Subscription`] owns its socket: dropping it leaves the groups.
//! Lost notifications (`ENOBUFS`, the receive queue overflowed) are an
//! [`ErrorKind::Overrun`] error from [`Subscription::next`]; the caller
//! then takes a [`Subscription::snapshot`] and goes on. Because every
//! notification carries the object's whole state and they arrive in
//! order, applying the snapshot and then the notifications still queued
//! converges on the kernel's state.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_route::uapi::rtnetlink::{
    RTM_DELADDR, RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
    RTNLGRP_LINK,
};
use nl_route::{Addr, Link, LinkDump};
use nl_sock::{CancelHandle, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_ROUTE;

use crate::error::{Error, ErrorKind, Result};
use crate::handle::Handle;

/// What to subscribe to.
///
/// ```no_run
/// use netlink::{Handle, Subscribe, Event};
/// let h = Handle::new()?;
/// let mut sub = h.subscribe(&Subscribe::new().links().addrs().list_existing())?;
/// loop {
///     match sub.next()? {
///         Event::NewLink(l) => println!("link {} up={}", l.name, l.is_up()),
///         Event::DelLink(l) => println!("link {} gone", l.name),
///         Event::Synced => println!("-- initial state complete --"),
///         _ => {}
///     }
/// }
/// # Ok::<(), netlink::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscribe {
    links: bool,
    addrs: bool,
    list_existing: bool,
    recv_buffer: Option<usize>,
}

impl Subscribe {
    /// Nothing yet: add groups with the methods below.
    pub fn new() -> Self {
        Subscribe::default()
    }

    /// Link changes (`RTNLGRP_LINK`).
    #[must_use]
    pub fn links(mut self) -> Self {
        self.links = true;
        self
    }

    /// Address changes (`RTNLGRP_IPV4_IFADDR`, `RTNLGRP_IPV6_IFADDR`).
    #[must_use]
    pub fn addrs(mut self) -> Self {
        self.addrs = true;
        self
    }

    /// First deliver every existing object as a `New*` event, then
    /// [`Event::Synced`]. The groups are joined before the listing, so no
    /// change in between is missed.
    #[must_use]
    pub fn list_existing(mut self) -> Self {
        self.list_existing = true;
        self
    }

    /// Receive buffer size for the subscription's socket (bytes). Small
    /// buffers overrun sooner under event storms.
    #[must_use]
    pub fn recv_buffer(mut self, bytes: usize) -> Self {
        self.recv_buffer = Some(bytes);
        self
    }
}

/// A change notification.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A link appeared or changed.
    NewLink(Link),
    /// A link went away.
    DelLink(Link),
    /// An address was added or changed.
    NewAddr(Addr),
    /// An address was removed.
    DelAddr(Addr),
    /// The initial listing asked for with [`Subscribe::list_existing`] is complete.
    Synced,
    /// A message of a type this subscription does not model.
    Other {
        /// `nlmsg_type`.
        msg_type: u16,
    },
}

impl Event {
    /// Parses one notification.
    pub fn parse(msg: &Msg<'_>) -> Result<Event> {
        Ok(match msg.ty() {
            RTM_NEWLINK => Event::NewLink(Link::parse(msg)?),
            RTM_DELLINK => Event::DelLink(Link::parse(msg)?),
            RTM_NEWADDR => Event::NewAddr(Addr::parse(msg)?),
            RTM_DELADDR => Event::DelAddr(Addr::parse(msg)?),
            other => Event::Other { msg_type: other },
        })
    }
}

/// The current state, for a resync after lost notifications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Every link (if the subscription has links).
    pub links: Vec<Link>,
    /// Every address (if the subscription has addresses).
    pub addrs: Vec<Addr>,
}

/// Stops a [`Subscription`] blocked in `next` from another thread.
#[derive(Debug, Clone)]
pub struct StopHandle(Arc<CancelHandle>);

impl StopHandle {
    pub(crate) fn new(cancel: Arc<CancelHandle>) -> Self {
        StopHandle(cancel)
    }

    /// Makes the subscription's `next` return [`ErrorKind::Cancelled`].
    pub fn stop(&self) -> Result<()> {
        Ok(self.0.cancel()?)
    }
}

/// An owned subscription to link and address changes ([`Handle::subscribe`](crate::Handle::subscribe)).
pub struct Subscription {
    sock: Socket,
    /// Events (or parse failures) already received, in order.
    pending: VecDeque<Result<Event>>,
    opts: Subscribe,
    lister: Handle,
    stop: Arc<CancelHandle>,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("opts", &self.opts)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Handle {
    /// Subscribes to changes in this handle's namespace.
    pub fn subscribe(&self, opts: &Subscribe) -> Result<Subscription> {
        let mut sock = self.open_socket(NETLINK_ROUTE)?;
        if let Some(bytes) = opts.recv_buffer {
            sock.set_recv_buffer_size(bytes, true)?;
        }
        if opts.links {
            sock.join(RTNLGRP_LINK)?;
        }
        if opts.addrs {
            sock.join(RTNLGRP_IPV4_IFADDR)?;
            sock.join(RTNLGRP_IPV6_IFADDR)?;
        }
        let stop = Arc::new(sock.cancel_handle()?);
        let mut sub = Subscription {
            sock,
            pending: VecDeque::new(),
            opts: opts.clone(),
            lister: self.sibling(),
            stop,
        };
        if opts.list_existing {
            let snap = sub.snapshot()?;
            sub.pending
                .extend(snap.links.into_iter().map(|l| Ok(Event::NewLink(l))));
            sub.pending
                .extend(snap.addrs.into_iter().map(|a| Ok(Event::NewAddr(a))));
            sub.pending.push_back(Ok(Event::Synced));
        }
        Ok(sub)
    }
}

impl Subscription {
    /// The next event; blocks until one arrives (or the timeout set with
    /// [`Subscription::set_timeout`] passes: [`ErrorKind::Timeout`]).
    /// [`ErrorKind::Overrun`]: notifications were lost, take a snapshot.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Event> {
        loop {
            // Every message of a datagram is parsed and queued before any
            // is returned: one that fails to parse is reported in its
            // place, and the messages after it are not lost.
            while let Some(r) = self.pending.pop_front() {
                match r {
                    Ok(Event::Other { .. }) => continue,
                    r => return r,
                }
            }
            let mut stream = self.sock.messages();
            let msg = stream.next()?;
            self.pending.push_back(Event::parse(&msg));
            while stream.has_buffered() {
                match stream.next() {
                    Ok(m) => self.pending.push_back(Event::parse(&m)),
                    Err(e) => {
                        self.pending.push_back(Err(e.into()));
                        break;
                    }
                }
            }
        }
    }

    /// Takes the current state with a separate socket in the same
    /// namespace (the subscription keeps receiving meanwhile).
    pub fn snapshot(&mut self) -> Result<Snapshot> {
        let mut snap = Snapshot::default();
        if self.opts.links {
            snap.links = self.lister.link_list_filtered(&LinkDump {
                skip_stats: true,
                ..LinkDump::default()
            })?;
        }
        if self.opts.addrs {
            snap.addrs = self.lister.addr_list(None, 0)?;
        }
        Ok(snap)
    }

    /// A receive that waits longer than `timeout` fails with [`ErrorKind::Timeout`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        Ok(self.sock.set_recv_timeout(timeout)?)
    }

    /// A handle another thread can use to stop a blocked `next`.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(self.stop.clone())
    }

    /// Whether an error means events were lost (resync with a snapshot).
    pub fn is_overrun(err: &Error) -> bool {
        err.kind() == ErrorKind::Overrun
    }
}
