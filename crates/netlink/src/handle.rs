//! [`Handle`]: the sockets a program needs, opened on demand, optionally
//! in another network namespace, behind the calls people know from `ip`
//! and the Go library.
//!
//! The calls themselves are written once (in `calls/`) over a few
//! primitives — send a request and wait for its ack, exchange, dump,
//! batch — that the blocking [`Handle`] implements here and the tokio
//! [`AsyncHandle`](crate::AsyncHandle) implements with awaits.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nl_sock::{Ack, BatchReport, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_ROUTE;

use crate::error::{Error, Result};

/// How many times a dump is restarted when the kernel flags it as
/// interrupted (`NLM_F_DUMP_INTR`) before the call gives up with
/// [`ErrorKind::DumpInterrupted`](crate::ErrorKind::DumpInterrupted).
pub const DEFAULT_DUMP_RETRIES: usize = 10;

/// Idle sockets a handle keeps per protocol; more are opened while calls
/// overlap (threads, nested calls, concurrent futures) and closed after.
const IDLE_PER_PROTOCOL: usize = 2;

/// Where a handle opens its sockets.
#[derive(Clone)]
pub(crate) enum Place {
    Here,
    Netns(Arc<OwnedFd>),
    /// Only the sockets it was given (scripted transports in tests): a
    /// call that needs another while they are busy fails.
    Fixed,
}

impl Place {
    pub(crate) fn open(path: &Path) -> Result<Place> {
        let fd = nl_sock::netns::open_path(path)
            .map_err(|e| Error::from(e).about(format_args!("network namespace {path:?}")))?;
        Ok(Place::Netns(Arc::new(fd)))
    }

    pub(crate) fn from_fd(fd: OwnedFd) -> Result<Place> {
        nl_sock::netns::check(fd.as_fd())
            .map_err(|e| Error::from(e).about("network namespace descriptor"))?;
        Ok(Place::Netns(Arc::new(fd)))
    }

    pub(crate) fn netns_fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Place::Netns(fd) => Some(fd.as_fd()),
            Place::Here | Place::Fixed => None,
        }
    }

    /// Opens a socket of `protocol` here, set up the way the handle uses it.
    pub(crate) fn open_socket(&self, protocol: i32) -> Result<Socket> {
        let mut sock = match self {
            Place::Here => Socket::open(protocol)?,
            Place::Netns(fd) => Socket::open_in_netns(protocol, fd.as_fd())?,
            Place::Fixed => {
                return Err(Error::from(nl_sock::Error::new(
                    nl_sock::Op::Open,
                    nl_sock::ErrorKind::Busy,
                ))
                .about("the handle's only socket is in use (a call nested in another)"));
            }
        };
        if protocol == NETLINK_ROUTE {
            // Dumps are filtered by the kernel and requests checked strictly.
            let _ = sock.set_strict(true);
        }
        // NETLINK_PCAP=FILE records every socket of the process into FILE.
        match nl_sock::Recorder::from_env() {
            Ok(Some(rec)) => sock.record_to(rec),
            Ok(None) => {}
            Err(e) => return Err(Error::Capture(e.to_string())),
        }
        Ok(sock)
    }
}

/// Socket settings a handle gives the sockets its calls use (Go's
/// `SetSocketTimeout` and `SetSocketReceiveBufferSize`). Subscriptions
/// have their own ([`Subscription::set_timeout`](crate::Subscription::set_timeout),
/// `recv_buffer` on their options).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SockOpts {
    /// `Some`: the receive timeout of requests and dumps (`Some(None)`:
    /// wait for ever); `None`: nl-sock's default.
    pub(crate) timeout: Option<Option<Duration>>,
    /// `SO_RCVBUF` in bytes, and whether to force it.
    pub(crate) recv_buffer: Option<(usize, bool)>,
}

impl SockOpts {
    /// Sets the receive buffer of a blocking socket (the timeout is the
    /// caller's: blocking and async sockets keep it differently).
    pub(crate) fn apply_buffer(&self, sock: &mut Socket) -> Result<()> {
        if let Some((bytes, force)) = self.recv_buffer {
            sock.set_recv_buffer_size(bytes, force)?;
        }
        Ok(())
    }

    /// Both settings on a blocking socket.
    fn apply(&self, sock: &mut Socket) -> Result<()> {
        self.apply_buffer(sock)?;
        if let Some(t) = self.timeout {
            sock.set_recv_timeout(t)?;
        }
        Ok(())
    }
}

/// Idle connections by protocol, shared by a handle's calls.
pub(crate) struct Pool<C> {
    idle: Mutex<Vec<(i32, C)>>,
}

impl<C> Default for Pool<C> {
    fn default() -> Self {
        Pool {
            idle: Mutex::new(Vec::new()),
        }
    }
}

impl<C> Pool<C> {
    pub(crate) fn take(&self, protocol: i32) -> Option<C> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let i = idle.iter().position(|(p, _)| *p == protocol)?;
        Some(idle.swap_remove(i).1)
    }

    /// Runs `f` on every idle connection; the first error is returned.
    pub(crate) fn try_for_each(&self, mut f: impl FnMut(&mut C) -> Result<()>) -> Result<()> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.iter_mut().try_for_each(|(_, c)| f(c))
    }

    pub(crate) fn put(&self, protocol: i32, conn: C) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.iter().filter(|(p, _)| *p == protocol).count() < IDLE_PER_PROTOCOL {
            idle.push((protocol, conn));
        }
    }
}

/// One socket and a scratch buffer for requests.
pub(crate) struct Conn {
    pub(crate) sock: Socket,
    pub(crate) buf: Vec<u8>,
    /// Size of the last in-place listing: the next one starts with this
    /// capacity (agents list the same table over and over).
    hint: usize,
}

impl Conn {
    pub(crate) fn new(sock: Socket) -> Self {
        Conn {
            sock,
            buf: Vec::with_capacity(4096),
            hint: 0,
        }
    }
}

/// A handle on the kernel's network state, in this network namespace or
/// another one. Cheap to create; sockets are opened on first use and kept.
///
/// Calls take `&self` and are safe from several threads at once, and they
/// nest: a call made inside another's callback (a `route_del` for each
/// route of [`Handle::route_for_each`]) or while another thread's call is
/// running uses a socket of its own, opened for it and kept for later
/// (a couple per protocol; the rest are closed).
///
/// ```no_run
/// use netlink::{Handle, Link, LinkKind};
/// let h = Handle::new()?;
/// h.link_add(&Link::new("foo").with_kind(LinkKind::bridge()))?;
/// let eth1 = h.link_by_name("eth1")?;
/// h.link_set_master(&eth1, &h.link_by_name("foo")?)?;
/// # Ok::<(), netlink::Error>(())
/// ```
pub struct Handle {
    pub(crate) place: Place,
    pool: Pool<Conn>,
    pub(crate) retries: usize,
    pub(crate) opts: SockOpts,
    #[cfg(feature = "genl")]
    pub(crate) genl: crate::genl::GenlCache,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("netns", &matches!(self.place, Place::Netns(_)))
            .field("retries", &self.retries)
            .finish()
    }
}

impl Handle {
    /// A handle on this process's network namespace.
    pub fn new() -> Result<Self> {
        Ok(Handle::at(Place::Here))
    }

    pub(crate) fn at(place: Place) -> Self {
        Handle {
            place,
            pool: Pool::default(),
            retries: DEFAULT_DUMP_RETRIES,
            opts: SockOpts::default(),
            #[cfg(feature = "genl")]
            genl: crate::genl::GenlCache::default(),
        }
    }

    /// A handle on another namespace, given its file (`/var/run/netns/NAME`
    /// or `/proc/PID/ns/net`). No thread of the caller changes namespace.
    ///
    /// The file is opened and checked now: a path that does not exist, or
    /// a file that is not a network namespace, fails here with the path in
    /// the error. Sockets are still opened on first use; add
    /// [`Handle::connect`] to open them now too.
    ///
    /// ```no_run
    /// let h = netlink::Handle::in_netns("/run/netns/blue")?.connect()?;
    /// # Ok::<(), netlink::Error>(())
    /// ```
    pub fn in_netns(path: impl AsRef<Path>) -> Result<Self> {
        Ok(Handle::at(Place::open(path.as_ref())?))
    }

    /// A handle on the namespace of an open namespace file descriptor;
    /// a descriptor of anything else is refused.
    pub fn in_netns_fd(fd: OwnedFd) -> Result<Self> {
        Ok(Handle::at(Place::from_fd(fd)?))
    }

    /// Opens the NETLINK_ROUTE socket now rather than on first use, for
    /// programs that want every failure (no permission, a namespace gone,
    /// `NETLINK_PCAP` unwritable) at start-up.
    ///
    /// ```no_run
    /// let h = netlink::Handle::new()?.connect()?;
    /// # Ok::<(), netlink::Error>(())
    /// ```
    pub fn connect(self) -> Result<Self> {
        self.with_conn(NETLINK_ROUTE, |_| Ok(()))?;
        Ok(self)
    }

    /// A handle over a given NETLINK_ROUTE socket (for example one over a
    /// scripted [`nl_sock::fake::Fake`] transport in tests). It never opens
    /// another: a call nested in another's callback fails with
    /// [`ErrorKind::Busy`](crate::ErrorKind::Busy).
    pub fn with_route_socket(sock: Socket) -> Self {
        let h = Handle::at(Place::Fixed);
        h.pool.put(NETLINK_ROUTE, Conn::new(sock));
        h
    }

    /// A handle over given NETLINK_ROUTE and NETLINK_XFRM sockets.
    pub fn with_sockets(route: Socket, xfrm: Socket) -> Self {
        let h = Handle::with_route_socket(route);
        h.pool.put(nl_wire::netlink::NETLINK_XFRM, Conn::new(xfrm));
        h
    }

    /// The same handle using `sock` for `protocol` (NETLINK_GENERIC over a
    /// scripted transport in tests, say).
    #[must_use]
    pub fn with_socket(self, protocol: i32, sock: Socket) -> Self {
        self.pool.put(protocol, Conn::new(sock));
        self
    }

    /// Sets how many times dumps restart on `NLM_F_DUMP_INTR`.
    #[must_use]
    pub fn with_dump_retries(mut self, retries: usize) -> Self {
        self.retries = retries;
        self
    }

    /// Every request, dump and batch of this handle waits at most
    /// `timeout` for the kernel (Go's `SetSocketTimeout`); `None` waits for
    /// ever. The default is [`nl_sock::DEFAULT_TIMEOUT`]. A timed-out call
    /// fails with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) and
    /// leaves the handle usable.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let h = netlink::Handle::new()?.with_timeout(Some(Duration::from_secs(2)))?;
    /// # Ok::<(), netlink::Error>(())
    /// ```
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Result<Self> {
        self.opts.timeout = Some(timeout);
        let opts = self.opts;
        self.pool.try_for_each(|c| opts.apply(&mut c.sock))?;
        Ok(self)
    }

    /// Gives the sockets of this handle's calls a receive buffer of
    /// `bytes` (Go's `SetSocketReceiveBufferSize`); with `force`,
    /// `SO_RCVBUFFORCE` lifts the system's limit (needs `CAP_NET_ADMIN`,
    /// falls back without it). Large dumps do not need it (they are paced
    /// by the reader); bursts of replies to batches can.
    pub fn with_recv_buffer_size(mut self, bytes: usize, force: bool) -> Result<Self> {
        self.opts.recv_buffer = Some((bytes, force));
        let opts = self.opts;
        self.pool.try_for_each(|c| opts.apply(&mut c.sock))?;
        Ok(self)
    }

    /// The receive buffer the kernel gives this handle's `protocol`
    /// socket, in bytes as it counts them (twice what was asked: Go's
    /// `GetSocketReceiveBufferSize`).
    pub fn recv_buffer_size(&self, protocol: i32) -> Result<usize> {
        self.with_conn(protocol, |c| Ok(c.sock.recv_buffer_size()?))
    }

    /// Whether the kernel here speaks netlink protocol `protocol` (Go's
    /// `SupportsNetlinkFamily`): a socket of it opens. The socket is kept
    /// for the handle's next call.
    ///
    /// ```no_run
    /// let h = netlink::Handle::new()?;
    /// assert!(h.supports_protocol(netlink::NETLINK_ROUTE));
    /// # Ok::<(), netlink::Error>(())
    /// ```
    pub fn supports_protocol(&self, protocol: i32) -> bool {
        self.with_conn(protocol, |_| Ok(())).is_ok()
    }

    /// A new handle on the same namespace, with sockets of its own (and
    /// this one's settings).
    pub fn sibling(&self) -> Handle {
        Handle {
            retries: self.retries,
            opts: self.opts,
            ..Handle::at(self.place.clone())
        }
    }

    /// The namespace this handle works in, when it is not the caller's.
    pub(crate) fn netns_fd(&self) -> Option<BorrowedFd<'_>> {
        self.place.netns_fd()
    }

    /// Opens a new socket of `protocol` where this handle lives (set up as
    /// the handle's own: strict checking for NETLINK_ROUTE, `NETLINK_PCAP`).
    pub fn open_socket(&self, protocol: i32) -> Result<Socket> {
        self.place.open_socket(protocol)
    }

    /// Runs `f` on an idle connection of `protocol` (or a new one), then
    /// keeps it for the next call. A connection whose call panicked is
    /// dropped with its socket.
    pub(crate) fn with_conn<T>(
        &self,
        protocol: i32,
        f: impl FnOnce(&mut Conn) -> Result<T>,
    ) -> Result<T> {
        let mut conn = match self.pool.take(protocol) {
            Some(c) => c,
            None => {
                let mut sock = self.place.open_socket(protocol)?;
                self.opts.apply(&mut sock)?;
                Conn::new(sock)
            }
        };
        let out = f(&mut conn);
        self.pool.put(protocol, conn);
        out
    }

    /// Builds a request with `write`, sends it, waits for the ack.
    pub(crate) fn do_request(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
    ) -> Result<Ack> {
        self.with_conn(protocol, |c| {
            c.buf.clear();
            write(&mut c.buf)?;
            Ok(c.sock.request(&mut c.buf)?)
        })
    }

    /// Builds a request, sends it, hands each reply to `on_reply`, waits
    /// for the ack; the first error of `on_reply` is the result.
    pub(crate) fn do_exchange(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut on_reply: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<Ack> {
        self.with_conn(protocol, |c| {
            c.buf.clear();
            write(&mut c.buf)?;
            let mut failure = None;
            let ack = c.sock.exchange(&mut c.buf, |m| {
                if failure.is_none() {
                    failure = on_reply(m).err();
                }
                Ok(())
            })?;
            match failure {
                Some(e) => Err(e),
                None => Ok(ack),
            }
        })
    }

    /// Runs a dump, restarting on `NLM_F_DUMP_INTR`, keeping what `parse`
    /// returns.
    pub(crate) fn do_dump<T>(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut parse: impl FnMut(Msg<'_>) -> Result<Option<T>>,
    ) -> Result<Vec<T>> {
        let retries = self.retries;
        self.with_conn(protocol, |c| {
            c.buf.clear();
            write(&mut c.buf)?;
            let mut failure = None;
            let out = c
                .sock
                .dump_collect(&mut c.buf, retries, |m| match parse(m) {
                    Ok(v) => Ok(v),
                    Err(e) => {
                        failure.get_or_insert(e);
                        Ok(None)
                    }
                })?;
            match failure {
                Some(e) => Err(e),
                None => Ok(out),
            }
        })
    }

    /// Runs a dump, restarting on `NLM_F_DUMP_INTR`, letting `fill` append
    /// to the output in place (no per-object moves for large objects).
    pub(crate) fn do_dump_into<T>(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut fill: impl FnMut(Msg<'_>, &mut Vec<T>) -> Result<()>,
    ) -> Result<Vec<T>> {
        let retries = self.retries;
        self.with_conn(protocol, |c| {
            c.buf.clear();
            write(&mut c.buf)?;
            let out = std::cell::RefCell::new(Vec::with_capacity(c.hint));
            let mut failure = None;
            c.sock.dump_retry(
                &mut c.buf,
                retries,
                |m| {
                    if failure.is_none() {
                        failure = fill(m, &mut out.borrow_mut()).err();
                    }
                    Ok(())
                },
                || out.borrow_mut().clear(),
            )?;
            match failure {
                Some(e) => Err(e),
                None => {
                    let out = out.into_inner();
                    c.hint = out.len();
                    Ok(out)
                }
            }
        })
    }

    /// Runs a dump once, streaming every message to `f` (no restart: the
    /// caller sees [`ErrorKind::DumpInterrupted`](crate::ErrorKind) at the
    /// end). `f` may make other calls on this handle.
    pub(crate) fn do_dump_each(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut f: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<()> {
        self.with_conn(protocol, |c| {
            c.buf.clear();
            write(&mut c.buf)?;
            let mut dump = c.sock.dump(&mut c.buf)?;
            while let Some(msg) = dump.next() {
                f(msg?)?;
            }
            Ok(())
        })
    }

    /// Sends prebuilt requests of `protocol` as a batch.
    pub(crate) fn do_batch(&self, protocol: i32, requests: &mut [u8]) -> Result<BatchReport> {
        self.with_conn(protocol, |c| Ok(c.sock.batch(requests)?))
    }

    /// Sends `request` (several messages: a netfilter transaction) as one
    /// datagram with at least `rcvbuf` bytes of receive buffer for the
    /// answers, and hands every received message to `feed` with the first
    /// sequence number used, until `feed` says it has all it expects.
    #[allow(dead_code)]
    pub(crate) fn do_send_collect(
        &self,
        protocol: i32,
        request: &mut [u8],
        rcvbuf: usize,
        mut feed: impl FnMut(u32, Msg<'_>) -> bool,
    ) -> Result<()> {
        self.with_conn(protocol, |c| {
            if rcvbuf > c.sock.recv_buffer_size().unwrap_or(0) {
                // Best effort: without privilege the kernel caps it, and an
                // overrun is then reported as such.
                let _ = c.sock.set_recv_buffer_size(rcvbuf, true);
            }
            // The kernel refuses a datagram larger than the send buffer
            // (the default is about 200 KiB; never shrink it).
            if request.len() > 128 * 1024 {
                let _ = c
                    .sock
                    .set_send_buffer_size(request.len().saturating_add(4096), true);
            }
            let first = c.sock.send(request)?;
            let mut done = false;
            while !done {
                c.sock.recv_with(|m| {
                    if !done {
                        done = feed(first, m);
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
    }

    /// Sends one prebuilt request of `protocol` and waits for its ack.
    pub(crate) fn do_raw_request(&self, protocol: i32, request: &mut [u8]) -> Result<Ack> {
        self.with_conn(protocol, |c| Ok(c.sock.request(request)?))
    }
}

/// A dump filter of nl-route: the request it writes and the check it
/// applies to each object.
pub(crate) trait DumpFilter<T> {
    fn write(&self, buf: &mut Vec<u8>) -> nl_route::Result<()>;
    fn matches(&self, item: &T) -> bool;
}

macro_rules! dump_filter {
    ($($filter:ty => $obj:ty),* $(,)?) => {$(
        impl DumpFilter<$obj> for $filter {
            fn write(&self, buf: &mut Vec<u8>) -> nl_route::Result<()> {
                <$filter>::write(self, buf)
            }
            fn matches(&self, item: &$obj) -> bool {
                <$filter>::matches(self, item)
            }
        }
    )*};
}

dump_filter! {
    nl_route::AddrDump => nl_route::Addr,
    nl_route::NeighDump => nl_route::Neigh,
    nl_route::RuleDump => nl_route::Rule,
    nl_route::NexthopDump => nl_route::Nexthop,
}
