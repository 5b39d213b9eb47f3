//! IPsec calls: `ip xfrm state`, `ip xfrm policy` and `ip xfrm monitor`
//! in Rust, named after the Go library's `XfrmStateAdd`, `XfrmPolicyList`
//! ... They use the handle's NETLINK_XFRM socket, opened on first use in
//! the handle's namespace.
//!
//! ```no_run
//! use netlink::Handle;
//! use netlink::nl_xfrm::{Algo, AuthAlgo, Dir, Key, Mode, Proto, Selector, Template, XfrmPolicy, XfrmState};
//!
//! let h = Handle::new()?;
//! // ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x100 mode tunnel reqid 7
//! //   auth-trunc 'hmac(sha256)' 0x... 128 enc 'cbc(aes)' 0x...
//! let mut sa = XfrmState::new("192.0.2.1".parse()?, "198.51.100.1".parse()?, Proto::Esp, 0x100);
//! sa.mode = Mode::Tunnel;
//! sa.reqid = 7;
//! sa.auth = Some(AuthAlgo::new("hmac(sha256)", Key::new([1u8; 32]), 128));
//! sa.crypt = Some(Algo::new("cbc(aes)", Key::new([2u8; 16])));
//! h.xfrm_state_add(&sa)?;
//!
//! // ip xfrm policy add src 192.0.2.0/24 dst 198.51.100.0/24 dir out
//! //   tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid 7 mode tunnel
//! let mut pol = XfrmPolicy::new(Selector::new("192.0.2.0/24".parse()?, "198.51.100.0/24".parse()?), Dir::Out);
//! pol.templates.push(Template::tunnel("192.0.2.1".parse()?, "198.51.100.1".parse()?, 7));
//! h.xfrm_policy_add(&pol)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_sock::{CancelHandle, Socket};
use nl_wire::netlink::NETLINK_XFRM;
use nl_xfrm::{Group, XfrmEvent};

use crate::error::{Error, ErrorKind, Result};
use crate::events::StopHandle;
use crate::handle::Handle;

/// ESRCH / ENOENT from a get: the object does not exist.
pub(crate) fn not_found_as(e: Error, what: impl FnOnce() -> String) -> Error {
    match e {
        Error::Netlink(n) if n.kind() == ErrorKind::NotFound => Error::not_found(what(), Some(n)),
        e => e,
    }
}

impl Handle {
    /// `ip xfrm monitor` (`XfrmMonitor`): a subscription to `groups`
    /// ([`Group::ALL`] for everything) on a socket of its own.
    pub fn xfrm_monitor(&self, groups: &[Group]) -> Result<XfrmMonitor> {
        let mut sock = self.open_socket(NETLINK_XFRM)?;
        for g in groups {
            sock.join(g.number())?;
        }
        let stop = Arc::new(sock.cancel_handle()?);
        Ok(XfrmMonitor {
            sock,
            pending: VecDeque::new(),
            stop,
        })
    }
}

/// An owned subscription to xfrm notifications ([`Handle::xfrm_monitor`]).
/// Dropping it leaves the groups.
pub struct XfrmMonitor {
    sock: Socket,
    pending: VecDeque<Result<XfrmEvent>>,
    stop: Arc<CancelHandle>,
}

impl std::fmt::Debug for XfrmMonitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XfrmMonitor").finish_non_exhaustive()
    }
}

impl XfrmMonitor {
    /// The next event; blocks until one arrives (or the timeout set with
    /// [`XfrmMonitor::set_timeout`] passes: [`ErrorKind::Timeout`]).
    /// [`ErrorKind::Overrun`] means notifications were lost: list states
    /// and policies again.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<XfrmEvent> {
        if let Some(r) = self.pending.pop_front() {
            return r;
        }
        let mut stream = self.sock.messages();
        let msg = stream.next()?;
        let event = XfrmEvent::parse(&msg).map_err(Error::from);
        // Keep the rest of this datagram for the next calls, parse failures
        // included, so one bad message does not lose the ones after it.
        while stream.has_buffered() {
            match stream.next() {
                Ok(m) => self
                    .pending
                    .push_back(XfrmEvent::parse(&m).map_err(Error::from)),
                Err(e) => {
                    self.pending.push_back(Err(e.into()));
                    break;
                }
            }
        }
        event
    }

    /// A receive that waits longer than `timeout` fails with [`ErrorKind::Timeout`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        Ok(self.sock.set_recv_timeout(timeout)?)
    }

    /// A handle another thread can use to stop a blocked `next`.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle::new(self.stop.clone())
    }
}

/// The subscription's descriptor, for event loops of any runtime: wait
/// until it is readable, then call `next` (with
/// [`XfrmMonitor::set_nonblocking`] on, `next` answers
/// [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock) instead of waiting).
impl std::os::fd::AsFd for XfrmMonitor {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl XfrmMonitor {
    /// Non-blocking mode: `next` fails with
    /// [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock) when nothing
    /// is queued, for use with an event loop through [`AsFd`](std::os::fd::AsFd).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        Ok(self.sock.set_nonblocking(on)?)
    }
}
