//! Generic netlink on the handles (feature `genl`): families resolved once
//! and kept, forgotten when nlctrl says they are gone; subscriptions to a
//! family's multicast groups by name.

use std::sync::Mutex;

use nl_genl::ctrl::{CtrlEvent, NOTIFY_GROUP_ID};
use nl_genl::{Family, FamilyCache};
use nl_sock::Socket;
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{ErrorKind, Result};
use crate::handle::Place;

/// The families a handle resolved, and the nlctrl subscription that keeps
/// them true.
#[derive(Default)]
pub(crate) struct GenlCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    families: FamilyCache,
    /// nlctrl's `notify` group, joined before the first resolution, read
    /// without waiting before every use of the cache.
    notify: Option<Socket>,
}

impl GenlCache {
    /// The cached family `name`, after applying every nlctrl notification
    /// that arrived since the last look. `None`: resolve it (and call
    /// [`GenlCache::insert`]).
    pub(crate) fn lookup(&self, place: &Place, name: &str) -> Option<Family> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !inner.refresh(place) {
            return None;
        }
        inner.families.get(name).cloned()
    }

    /// Remembers a family just resolved (only while nlctrl is followed:
    /// without the subscription a cached id could go stale unseen).
    pub(crate) fn insert(&self, family: &Family) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.notify.is_some() {
            inner.families.insert(family.clone());
        }
    }
}

impl Inner {
    /// Applies what nlctrl said; false when the cache cannot be trusted
    /// (no subscription could be made here).
    fn refresh(&mut self, place: &Place) -> bool {
        if self.notify.is_none() {
            self.families.clear();
            self.notify = open_notify(place).ok();
        }
        let Some(sock) = self.notify.as_mut() else {
            return false;
        };
        let mut messages = sock.messages();
        loop {
            match messages.next() {
                Ok(msg) => {
                    if let Ok(event) = CtrlEvent::parse(&msg) {
                        self.families.apply(&event);
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == ErrorKind::Overrun => self.families.clear(),
                Err(_) => {
                    // The subscription broke: start over with a new one.
                    self.families.clear();
                    self.notify = None;
                    return false;
                }
            }
        }
    }
}

fn open_notify(place: &Place) -> Result<Socket> {
    let mut sock = place.open_socket(NETLINK_GENERIC)?;
    sock.join(NOTIFY_GROUP_ID)?;
    sock.set_recv_timeout(None)?;
    sock.set_nonblocking(true)?;
    Ok(sock)
}

/// A notification of a generic netlink family: its bytes, read with
/// [`GenlNotification::msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenlNotification {
    bytes: Vec<u8>,
    hdrsize: usize,
}

impl GenlNotification {
    pub(crate) fn new(msg: &nl_wire::Msg<'_>, hdrsize: usize) -> Self {
        GenlNotification {
            bytes: msg.bytes().to_vec(),
            hdrsize,
        }
    }

    /// The message, read as its family's.
    pub fn msg(&self) -> Result<nl_genl::GenlMsg<'_>> {
        let (m, _) = nl_wire::Msg::parse(&self.bytes).map_err(nl_genl::Error::Build)?;
        Ok(nl_genl::GenlMsg::parse(&m, self.hdrsize)?)
    }

    /// The message's bytes, as received.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A subscription to multicast groups of one generic netlink family
/// ([`Handle::genl_subscribe`](crate::Handle::genl_subscribe)), joined by
/// name; blocks in `next` for the next notification.
pub struct GenlSubscription {
    sock: Socket,
    family: Family,
}

impl std::fmt::Debug for GenlSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenlSubscription")
            .field("family", &self.family.name)
            .finish_non_exhaustive()
    }
}

/// Joins `groups` of `family` on `sock` (group ids above 31 go through
/// `NETLINK_ADD_MEMBERSHIP`, as every id does here).
pub(crate) fn join_groups(sock: &mut Socket, family: &Family, groups: &[&str]) -> Result<()> {
    for name in groups {
        let g = family.group(name).ok_or_else(|| {
            crate::Error::not_found(
                format!("multicast group {name:?} of genl family {:?}", family.name),
                None,
            )
        })?;
        sock.join(g.id)?;
    }
    Ok(())
}

impl crate::Handle {
    /// Subscribes to multicast groups of a generic netlink family by name
    /// (`genl monitor`-like; ethtool's `"monitor"`, nl80211's `"config"`,
    /// MPTCP's `"mptcp_pm_events"` ...).
    pub fn genl_subscribe(&self, family: &str, groups: &[&str]) -> Result<GenlSubscription> {
        let family = self.genl_family_get(family)?;
        let mut sock = self.open_socket(NETLINK_GENERIC)?;
        join_groups(&mut sock, &family, groups)?;
        sock.set_recv_timeout(None)?;
        Ok(GenlSubscription { sock, family })
    }
}

impl GenlSubscription {
    /// The family subscribed to.
    pub fn family(&self) -> &Family {
        &self.family
    }

    /// The next notification of the family; [`ErrorKind::Overrun`] when
    /// some were lost.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<GenlNotification> {
        let hdrsize = usize::try_from(self.family.hdrsize).unwrap_or(0);
        loop {
            let mut messages = self.sock.messages();
            let msg = messages.next()?;
            if msg.ty() == self.family.id {
                return Ok(GenlNotification::new(&msg, hdrsize));
            }
        }
    }

    /// A receive that waits longer than `timeout` fails with
    /// [`ErrorKind::Timeout`].
    pub fn set_timeout(&mut self, timeout: Option<std::time::Duration>) -> Result<()> {
        Ok(self.sock.set_recv_timeout(timeout)?)
    }
}

/// [`GenlSubscription`] under tokio: a `Stream` of a family's
/// notifications ([`AsyncHandle::genl_subscribe`](crate::AsyncHandle::genl_subscribe)).
#[cfg(feature = "tokio")]
pub struct AsyncGenlSubscription {
    sock: nl_sock::tokio::AsyncSocket,
    family: Family,
}

#[cfg(feature = "tokio")]
impl std::fmt::Debug for AsyncGenlSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncGenlSubscription")
            .field("family", &self.family.name)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "tokio")]
impl crate::AsyncHandle {
    /// Subscribes to multicast groups of a generic netlink family by name
    /// (see [`Handle::genl_subscribe`](crate::Handle::genl_subscribe)).
    pub async fn genl_subscribe(
        &self,
        family: &str,
        groups: &[&str],
    ) -> Result<AsyncGenlSubscription> {
        let family = self.genl_family_get(family).await?;
        let mut sock = self.open_socket(NETLINK_GENERIC)?;
        join_groups(&mut sock, &family, groups)?;
        Ok(AsyncGenlSubscription {
            sock: nl_sock::tokio::AsyncSocket::new(sock)?,
            family,
        })
    }
}

#[cfg(feature = "tokio")]
impl AsyncGenlSubscription {
    /// The family subscribed to.
    pub fn family(&self) -> &Family {
        &self.family
    }

    /// The next notification.
    pub async fn next(&mut self) -> Option<Result<GenlNotification>> {
        std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut *self), cx)
        })
        .await
    }
}

#[cfg(feature = "tokio")]
impl futures_core::Stream for AsyncGenlSubscription {
    type Item = Result<GenlNotification>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<GenlNotification>>> {
        let this = self.get_mut();
        let hdrsize = usize::try_from(this.family.hdrsize).unwrap_or(0);
        loop {
            match this.sock.poll_message(cx) {
                std::task::Poll::Pending => return std::task::Poll::Pending,
                std::task::Poll::Ready(Ok(msg)) if msg.ty() == this.family.id => {
                    return std::task::Poll::Ready(Some(Ok(GenlNotification::new(&msg, hdrsize))));
                }
                std::task::Poll::Ready(Ok(_)) => continue,
                std::task::Poll::Ready(Err(e)) => {
                    return std::task::Poll::Ready(Some(Err(e.into())));
                }
            }
        }
    }
}

/// The subscription's descriptor, for event loops of any runtime: wait
/// until it is readable, then call `next` (with
/// [`GenlSubscription::set_nonblocking`] on, `next` answers
/// [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock) instead of waiting).
impl std::os::fd::AsFd for GenlSubscription {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl GenlSubscription {
    /// Non-blocking mode: `next` fails with
    /// [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock) when nothing
    /// is queued, for use with an event loop through [`AsFd`](std::os::fd::AsFd).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        Ok(self.sock.set_nonblocking(on)?)
    }
}
