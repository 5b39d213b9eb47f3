//! [`Handle`]: the sockets a program needs, opened lazily, optionally in
//! another network namespace, behind the calls people know from `ip` and
//! the Go library.

use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use nl_sock::{Ack, BatchReport, Socket};
use nl_wire::Msg;
use nl_wire::netlink::{NETLINK_ROUTE, NETLINK_XFRM};

use crate::error::{Error, Result};

/// How many times a dump is restarted when the kernel flags it as
/// interrupted (`NLM_F_DUMP_INTR`) before the call gives up with
/// [`ErrorKind::DumpInterrupted`](crate::ErrorKind::DumpInterrupted).
pub const DEFAULT_DUMP_RETRIES: usize = 10;

/// One protocol's socket and a scratch buffer for requests.
pub(crate) struct Conn {
    pub(crate) sock: Socket,
    pub(crate) buf: Vec<u8>,
    /// Size of the last in-place listing: the next one starts with this
    /// capacity (agents list the same table over and over).
    hint: usize,
}

impl Conn {
    fn new(sock: Socket) -> Self {
        Conn {
            sock,
            buf: Vec::with_capacity(4096),
            hint: 0,
        }
    }

    /// Builds a request with `write`, sends it, waits for the ack.
    pub(crate) fn request(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
    ) -> Result<Ack> {
        self.buf.clear();
        write(&mut self.buf)?;
        Ok(self.sock.request(&mut self.buf)?)
    }

    /// Builds a request, sends it, hands each reply to `on_reply`, waits for the ack.
    pub(crate) fn exchange(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut on_reply: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<Ack> {
        self.buf.clear();
        write(&mut self.buf)?;
        let mut failure = None;
        let ack = self.sock.exchange(&mut self.buf, |m| {
            if failure.is_none() {
                if let Err(e) = on_reply(m) {
                    failure = Some(e);
                }
            }
            Ok(())
        })?;
        match failure {
            Some(e) => Err(e),
            None => Ok(ack),
        }
    }

    /// Runs a dump, restarting on `NLM_F_DUMP_INTR`, keeping what `parse` returns.
    pub(crate) fn dump<T>(
        &mut self,
        retries: usize,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut parse: impl FnMut(Msg<'_>) -> Result<Option<T>>,
    ) -> Result<Vec<T>> {
        self.buf.clear();
        write(&mut self.buf)?;
        let mut failure = None;
        let out = self
            .sock
            .dump_collect(&mut self.buf, retries, |m| match parse(m) {
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
    }

    /// Runs a dump, restarting on `NLM_F_DUMP_INTR`, letting `fill` append
    /// to the output in place (no per-object moves for large objects).
    pub(crate) fn dump_into<T>(
        &mut self,
        retries: usize,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut fill: impl FnMut(Msg<'_>, &mut Vec<T>) -> Result<()>,
    ) -> Result<Vec<T>> {
        self.buf.clear();
        write(&mut self.buf)?;
        let out = std::cell::RefCell::new(Vec::with_capacity(self.hint));
        let mut failure = None;
        self.sock.dump_retry(
            &mut self.buf,
            retries,
            |m| {
                if failure.is_none() {
                    if let Err(e) = fill(m, &mut out.borrow_mut()) {
                        failure = Some(e);
                    }
                }
                Ok(())
            },
            || out.borrow_mut().clear(),
        )?;
        match failure {
            Some(e) => Err(e),
            None => {
                let out = out.into_inner();
                self.hint = out.len();
                Ok(out)
            }
        }
    }

    /// Runs a dump once, streaming every message to `f` (no restart: the
    /// caller sees [`ErrorKind::DumpInterrupted`](crate::ErrorKind) at the end).
    pub(crate) fn dump_each(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut f: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<()> {
        self.buf.clear();
        write(&mut self.buf)?;
        let mut dump = self.sock.dump(&mut self.buf)?;
        while let Some(msg) = dump.next() {
            f(msg?)?;
        }
        Ok(())
    }
}

/// Where a [`Handle`] opens its sockets.
#[derive(Clone)]
enum Place {
    Here,
    Netns(Arc<OwnedFd>),
}

/// A handle on the kernel's network state, in this network namespace or
/// another one. Cheap to create; sockets are opened on first use and kept.
///
/// Calls take `&self` and are safe to make from several threads (each
/// protocol's socket is behind a mutex), so calls can nest the way Go code
/// reads: `h.link_set_master(&eth1, &h.link_by_name("br0")?)`.
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
    place: Place,
    route: Mutex<Option<Conn>>,
    xfrm: Mutex<Option<Conn>>,
    retries: usize,
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

    fn at(place: Place) -> Self {
        Handle {
            place,
            route: Mutex::new(None),
            xfrm: Mutex::new(None),
            retries: DEFAULT_DUMP_RETRIES,
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
        let path = path.as_ref();
        let fd = nl_sock::netns::open_path(path)
            .map_err(|e| Error::from(e).about(format_args!("network namespace {path:?}")))?;
        Ok(Handle::at(Place::Netns(Arc::new(fd))))
    }

    /// A handle on the namespace of an open namespace file descriptor;
    /// a descriptor of anything else is refused.
    pub fn in_netns_fd(fd: OwnedFd) -> Result<Self> {
        nl_sock::netns::check(fd.as_fd())
            .map_err(|e| Error::from(e).about("network namespace descriptor"))?;
        Ok(Handle::at(Place::Netns(Arc::new(fd))))
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
        self.route(|_| Ok(()))?;
        Ok(self)
    }

    /// A handle over a given NETLINK_ROUTE socket (for example one over a
    /// scripted [`nl_sock::fake::Fake`] transport in tests).
    pub fn with_route_socket(sock: Socket) -> Self {
        let h = Handle::at(Place::Here);
        if let Ok(mut g) = h.route.lock() {
            *g = Some(Conn::new(sock));
        }
        h
    }

    /// A handle over given NETLINK_ROUTE and NETLINK_XFRM sockets.
    pub fn with_sockets(route: Socket, xfrm: Socket) -> Self {
        let h = Handle::with_route_socket(route);
        if let Ok(mut g) = h.xfrm.lock() {
            *g = Some(Conn::new(xfrm));
        }
        h
    }

    /// Sets how many times dumps restart on `NLM_F_DUMP_INTR`.
    #[must_use]
    pub fn with_dump_retries(mut self, retries: usize) -> Self {
        self.retries = retries;
        self
    }

    /// A new handle on the same namespace, with sockets of its own.
    pub fn sibling(&self) -> Handle {
        Handle {
            retries: self.retries,
            ..Handle::at(self.place.clone())
        }
    }

    pub(crate) fn retries(&self) -> usize {
        self.retries
    }

    /// The namespace this handle works in, when it is not the caller's.
    pub(crate) fn netns_fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        match &self.place {
            Place::Here => None,
            Place::Netns(fd) => Some(fd.as_fd()),
        }
    }

    /// Opens a new socket of `protocol` where this handle lives.
    pub fn open_socket(&self, protocol: i32) -> Result<Socket> {
        let mut sock = match &self.place {
            Place::Here => Socket::open(protocol)?,
            Place::Netns(fd) => Socket::open_in_netns(protocol, fd.as_fd())?,
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

    fn conn<'a>(
        &self,
        slot: &'a Mutex<Option<Conn>>,
        protocol: i32,
    ) -> Result<MutexGuard<'a, Option<Conn>>> {
        // A panic while holding the lock leaves the socket in an unknown
        // state: start over with a fresh one.
        let mut guard = match slot.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                let mut g = poisoned.into_inner();
                *g = None;
                g
            }
        };
        if guard.is_none() {
            *guard = Some(Conn::new(self.open_socket(protocol)?));
        }
        Ok(guard)
    }

    /// Runs `f` with the NETLINK_ROUTE connection.
    /// Dumps with `filter`'s request and keeps the replies of type
    /// `reply` that parse and that the filter matches (the library checks
    /// again what the kernel may not have filtered).
    pub(crate) fn list<T, F: DumpFilter<T>>(
        &self,
        filter: &F,
        reply: u16,
        parse: impl Fn(&Msg<'_>) -> nl_route::Result<T>,
    ) -> Result<Vec<T>> {
        let retries = self.retries();
        self.route(|c| {
            c.dump(
                retries,
                |b| Ok(filter.write(b)?),
                |m| {
                    if m.ty() != reply {
                        return Ok(None);
                    }
                    Ok(Some(parse(&m)?).filter(|x| filter.matches(x)))
                },
            )
        })
    }

    pub(crate) fn route<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        let mut guard = self.conn(&self.route, NETLINK_ROUTE)?;
        let conn = guard.as_mut().ok_or(Error::Netlink(nl_sock::Error::new(
            nl_sock::Op::Open,
            nl_sock::ErrorKind::Other,
        )))?;
        f(conn)
    }

    /// Runs `f` with the NETLINK_XFRM connection.
    pub(crate) fn xfrm<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        let mut guard = self.conn(&self.xfrm, NETLINK_XFRM)?;
        let conn = guard.as_mut().ok_or(Error::Netlink(nl_sock::Error::new(
            nl_sock::Op::Open,
            nl_sock::ErrorKind::Other,
        )))?;
        f(conn)
    }

    /// Sends a batch of prebuilt NETLINK_ROUTE requests (any mix, each a
    /// whole message, as the nl-route `write_*` functions produce) with as
    /// few syscalls as the socket allows; one result per request.
    pub fn route_batch(&self, requests: &mut [u8]) -> Result<BatchReport> {
        self.route(|c| Ok(c.sock.batch(requests)?))
    }

    /// Sends one prebuilt NETLINK_ROUTE request and waits for its ack.
    pub fn route_request(&self, request: &mut [u8]) -> Result<Ack> {
        self.route(|c| Ok(c.sock.request(request)?))
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
