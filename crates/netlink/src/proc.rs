//! Process events (feature `connector`): fork, exec, exit ... of every
//! task on the system, as the Go library's `ProcEventMonitor` gives them.
//!
//! [`Handle::proc_event_subscribe`] opens a `NETLINK_CONNECTOR` socket,
//! joins the `cn_proc` group and tells the kernel to start building
//! events (`PROC_CN_MCAST_LISTEN`); dropping the subscription tells it to
//! stop. The kernel answers the listen with a
//! [`ProcEventKind::Ack`](crate::ProcEventKind::Ack) event.
//!
//! The events are the whole system's, not a namespace's: the kernel has a
//! connector socket only in the initial network namespace, so the handle
//! must be there (a handle made with `Handle::in_netns("/proc/1/ns/net")`
//! works from anywhere), and only a task of the initial user and PID
//! namespaces may listen. Lost events are an
//! [`ErrorKind::Overrun`](crate::ErrorKind::Overrun) item; the
//! subscription goes on (there is nothing to list again).
//!
//! ```no_run
//! use netlink::{Handle, ProcEventKind};
//! let h = Handle::new()?;
//! for event in h.proc_event_subscribe()? {
//!     match event?.kind {
//!         ProcEventKind::Exec { tgid, .. } => println!("{tgid} exec"),
//!         ProcEventKind::Exit { tgid, exit_code, .. } => println!("{tgid} exit {exit_code:#x}"),
//!         _ => {}
//!     }
//! }
//! # Ok::<(), netlink::Error>(())
//! ```

use std::time::Duration;

use nl_connector::proc::{write_ignore, write_listen};
use nl_connector::uapi::connector::CN_IDX_PROC;
use nl_connector::{CnMsg, ProcEvent};
use nl_sock::{Errno, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_CONNECTOR;

use crate::error::{Error, Result};
use crate::events::StopHandle;
use crate::handle::Handle;
use crate::multicast::Multicast;

/// Reads a message of the connector socket: proc events only.
fn decode(msg: &Msg<'_>) -> Option<Result<ProcEvent>> {
    match CnMsg::parse(msg).and_then(|cn| ProcEvent::parse_cn(&cn)) {
        Ok(Some(ev)) => Some(Ok(ev)),
        Ok(None) => None,
        Err(e) => Some(Err(e.into())),
    }
}

/// Joins the group and starts the events on `sock`.
fn listen(sock: &mut Socket) -> Result<()> {
    sock.join(CN_IDX_PROC)?;
    let mut req = Vec::new();
    write_listen(&mut req)?;
    sock.send(&mut req).map_err(|e| {
        let refused = e.errno() == Some(Errno::ECONNREFUSED);
        let err = Error::from(e);
        if refused {
            // No connector socket answers outside the initial namespace.
            err.about("proc events (the connector is in the initial network namespace only)")
        } else {
            err.about("proc events")
        }
    })?;
    Ok(())
}

/// Tells the kernel this socket stops listening (best effort, on drop).
fn ignore(send: impl FnOnce(&mut [u8]) -> nl_sock::Result<u32>) {
    let mut req = Vec::new();
    if write_ignore(&mut req).is_ok() {
        let _ = send(&mut req);
    }
}

/// A subscription to process events ([`Handle::proc_event_subscribe`]):
/// an [`Iterator`] of [`ProcEvent`]s that blocks for the next one.
pub struct ProcSubscription {
    inner: Multicast<ProcEvent>,
}

impl std::fmt::Debug for ProcSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcSubscription").finish_non_exhaustive()
    }
}

impl Handle {
    /// Subscribes to process events (the Go library's
    /// `ProcEventMonitor`; see [the module docs](crate::proc)).
    pub fn proc_event_subscribe(&self) -> Result<ProcSubscription> {
        let mut sock = self.open_socket(NETLINK_CONNECTOR)?;
        listen(&mut sock)?;
        Ok(ProcSubscription {
            inner: Multicast::new(sock, decode)?,
        })
    }
}

impl ProcSubscription {
    /// The next event; blocks until one arrives (or the timeout set with
    /// [`ProcSubscription::set_timeout`] passes:
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout)).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<ProcEvent> {
        self.inner.next()
    }

    /// A receive that waits longer than `timeout` fails with
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        self.inner.set_timeout(timeout)
    }

    /// Receive buffer size (bytes; privileged callers may exceed
    /// `rmem_max`): a busy system forks faster than a small buffer drains.
    pub fn set_recv_buffer_size(&mut self, bytes: usize) -> Result<usize> {
        Ok(self.inner.socket().set_recv_buffer_size(bytes, true)?)
    }

    /// A handle another thread can use to stop a blocked `next`.
    pub fn stop_handle(&self) -> StopHandle {
        self.inner.stop_handle()
    }

    /// Non-blocking mode: `next` fails with
    /// [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock) when nothing
    /// is queued, for use with an event loop through [`AsFd`](std::os::fd::AsFd).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        self.inner.set_nonblocking(on)
    }
}

/// The subscription's descriptor, for event loops of any runtime.
impl std::os::fd::AsFd for ProcSubscription {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

/// Events until the subscription is stopped ([`StopHandle::stop`]): then
/// `None`. Errors (an overrun, a malformed event) are items; the
/// iteration goes on after them.
impl Iterator for ProcSubscription {
    type Item = Result<ProcEvent>;

    fn next(&mut self) -> Option<Result<ProcEvent>> {
        self.inner.iter_next()
    }
}

/// The kernel builds events while any socket listens: say this one stops
/// (kernels before 6.6 do not notice a closed listener).
impl Drop for ProcSubscription {
    fn drop(&mut self) {
        let sock = self.inner.socket();
        ignore(|req| sock.send(req));
    }
}

#[cfg(feature = "tokio")]
pub use self::nonblocking::AsyncProcSubscription;

#[cfg(feature = "tokio")]
mod nonblocking {
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures_core::Stream;
    use nl_connector::ProcEvent;
    use nl_wire::netlink::NETLINK_CONNECTOR;

    use super::{decode, ignore, listen};
    use crate::async_handle::AsyncHandle;
    use crate::error::Result;
    use crate::multicast::AsyncMulticast;

    /// Process events on an [`AsyncHandle`]
    /// ([`AsyncHandle::proc_event_subscribe`]): a [`Stream`] of
    /// [`ProcEvent`]s that never ends by itself.
    pub struct AsyncProcSubscription {
        inner: AsyncMulticast<ProcEvent>,
    }

    impl std::fmt::Debug for AsyncProcSubscription {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("AsyncProcSubscription")
                .finish_non_exhaustive()
        }
    }

    impl AsyncHandle {
        /// Subscribes to process events (see
        /// [`Handle::proc_event_subscribe`](crate::Handle::proc_event_subscribe)).
        pub async fn proc_event_subscribe(&self) -> Result<AsyncProcSubscription> {
            let mut sock = self.open_socket(NETLINK_CONNECTOR)?;
            // The listen is one datagram to the kernel, which never
            // blocks: no need to await it.
            listen(&mut sock)?;
            Ok(AsyncProcSubscription {
                inner: AsyncMulticast::new(sock, decode)?,
            })
        }
    }

    impl AsyncProcSubscription {
        /// The next event.
        pub async fn next(&mut self) -> Option<Result<ProcEvent>> {
            std::future::poll_fn(|cx| self.inner.poll_next(cx)).await
        }

        /// How long `next` waits for an event before an
        /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) item (default:
        /// for ever).
        pub fn set_timeout(&mut self, timeout: Option<Duration>) {
            self.inner.set_timeout(timeout);
        }

        /// Receive buffer size (bytes; see
        /// [`ProcSubscription::set_recv_buffer_size`](super::ProcSubscription::set_recv_buffer_size)).
        pub fn set_recv_buffer_size(&mut self, bytes: usize) -> Result<usize> {
            Ok(self
                .inner
                .socket()
                .get_mut()
                .set_recv_buffer_size(bytes, true)?)
        }
    }

    impl Stream for AsyncProcSubscription {
        type Item = Result<ProcEvent>;

        fn poll_next(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<ProcEvent>>> {
            self.get_mut().inner.poll_next(cx)
        }
    }

    impl Drop for AsyncProcSubscription {
        fn drop(&mut self) {
            let sock = self.inner.socket();
            ignore(|req| sock.send(req));
        }
    }
}
