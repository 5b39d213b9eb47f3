//! [`AsyncHandle`]: every call of [`Handle`](crate::Handle), awaited, for
//! tokio programs (feature `tokio`).

use std::os::fd::{BorrowedFd, OwnedFd};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use futures_core::Stream;
use nl_sock::tokio::DumpState;

use nl_sock::tokio::AsyncSocket;
use nl_sock::{Ack, BatchReport, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_ROUTE;

use crate::error::Result;
use crate::handle::{DEFAULT_DUMP_RETRIES, Place, Pool, SockOpts};

/// One registered socket and a scratch buffer for requests.
pub(crate) struct AsyncConn {
    sock: AsyncSocket,
    buf: Vec<u8>,
    hint: usize,
}

impl AsyncConn {
    fn new(sock: Socket) -> Result<Self> {
        Ok(AsyncConn {
            sock: AsyncSocket::new(sock)?,
            buf: Vec::with_capacity(4096),
            hint: 0,
        })
    }
}

/// A connection taken from the pool for one call: given back when the
/// call completes. A call dropped midway (its future cancelled) drops its
/// socket instead, so no later call meets its leftovers.
struct Lease<'h> {
    pool: &'h Pool<AsyncConn>,
    protocol: i32,
    conn: Option<AsyncConn>,
}

impl Lease<'_> {
    /// Gives the connection back if it can serve the next call at once.
    fn give_back(pool: &Pool<AsyncConn>, protocol: i32, conn: AsyncConn) {
        if conn.sock.is_idle() {
            pool.put(protocol, conn);
        }
    }

    fn conn(&mut self) -> Result<&mut AsyncConn> {
        self.conn.as_mut().ok_or_else(|| {
            crate::Error::from(nl_sock::Error::new(
                nl_sock::Op::Open,
                nl_sock::ErrorKind::Other,
            ))
        })
    }

    fn done(mut self) {
        if let Some(c) = self.conn.take() {
            Lease::give_back(self.pool, self.protocol, c);
        }
    }
}

/// The kernel's network state from async Rust: the calls of
/// [`Handle`](crate::Handle), with the same names and arguments, awaited.
///
/// ```no_run
/// # async fn run() -> netlink::Result<()> {
/// use netlink::{AsyncHandle, Link, LinkKind};
/// let h = AsyncHandle::new()?;
/// let br = h.link_add(&Link::new("br0").with_kind(LinkKind::bridge())).await?;
/// h.link_set_up(br.index).await?;
/// h.addr_add(br.index, &"192.0.2.1/24".parse()?).await?;
/// for route in h.route_list(netlink::AF_INET).await? {
///     println!("{route}");
/// }
/// # Ok(()) }
/// ```
///
/// Concurrent calls on one handle run concurrently, each on a socket of
/// its own: a call takes an idle socket or opens one, and gives it back
/// when it completes (a couple per protocol are kept). Matching replies
/// by sequence number on one shared socket would make every call wait
/// for a reader task and a channel; sockets are cheap, and the kernel
/// serves them in parallel.
///
/// Every future can be dropped at any await point: its socket is closed
/// (the kernel discards what was left of a dump) and the handle goes on.
/// No call starts a task of its own; nothing runs unless awaited.
///
/// Sockets in another namespace ([`AsyncHandle::in_netns`]) are created by
/// a short-lived helper thread that enters it; no runtime thread changes
/// namespace.
pub struct AsyncHandle {
    pub(crate) place: Place,
    pool: Pool<AsyncConn>,
    pub(crate) retries: usize,
    pub(crate) opts: SockOpts,
    #[cfg(feature = "genl")]
    pub(crate) genl: crate::genl::GenlCache,
}

impl std::fmt::Debug for AsyncHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncHandle")
            .field("netns", &matches!(self.place, Place::Netns(_)))
            .field("retries", &self.retries)
            .finish()
    }
}

impl AsyncHandle {
    /// A handle on this process's network namespace.
    pub fn new() -> Result<Self> {
        Ok(AsyncHandle::at(Place::Here))
    }

    pub(crate) fn at(place: Place) -> Self {
        AsyncHandle {
            place,
            pool: Pool::default(),
            retries: DEFAULT_DUMP_RETRIES,
            opts: SockOpts::default(),
            #[cfg(feature = "genl")]
            genl: crate::genl::GenlCache::default(),
        }
    }

    /// A handle on another namespace, given its file; checked at once
    /// (see [`Handle::in_netns`](crate::Handle::in_netns)).
    pub fn in_netns(path: impl AsRef<Path>) -> Result<Self> {
        Ok(AsyncHandle::at(Place::open(path.as_ref())?))
    }

    /// A handle on the namespace of an open namespace file descriptor.
    pub fn in_netns_fd(fd: OwnedFd) -> Result<Self> {
        Ok(AsyncHandle::at(Place::from_fd(fd)?))
    }

    /// Opens the NETLINK_ROUTE socket now rather than on first use.
    pub async fn connect(self) -> Result<Self> {
        let lease = self.lease(NETLINK_ROUTE)?;
        lease.done();
        Ok(self)
    }

    /// A handle over a given NETLINK_ROUTE socket (a scripted transport in
    /// tests); it never opens another. Must be called inside a tokio
    /// runtime.
    pub fn with_route_socket(sock: Socket) -> Result<Self> {
        let h = AsyncHandle::at(Place::Fixed);
        h.pool.put(NETLINK_ROUTE, AsyncConn::new(sock)?);
        Ok(h)
    }

    /// Sets how many times dumps restart on `NLM_F_DUMP_INTR`.
    #[must_use]
    pub fn with_dump_retries(mut self, retries: usize) -> Self {
        self.retries = retries;
        self
    }

    /// Every request, dump and batch of this handle waits at most
    /// `timeout` for the kernel (Go's `SetSocketTimeout`); `None` waits for
    /// ever. The default is [`nl_sock::DEFAULT_TIMEOUT`].
    #[must_use]
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.opts.timeout = Some(timeout);
        let _ = self.pool.try_for_each(|c| {
            c.sock.set_timeout(timeout);
            Ok(())
        });
        self
    }

    /// Gives the sockets of this handle's calls a receive buffer of
    /// `bytes` (Go's `SetSocketReceiveBufferSize`); see
    /// [`Handle::with_recv_buffer_size`](crate::Handle::with_recv_buffer_size).
    pub fn with_recv_buffer_size(mut self, bytes: usize, force: bool) -> Result<Self> {
        self.opts.recv_buffer = Some((bytes, force));
        self.pool.try_for_each(|c| {
            c.sock.get_mut().set_recv_buffer_size(bytes, force)?;
            Ok(())
        })?;
        Ok(self)
    }

    /// The receive buffer the kernel gives this handle's `protocol`
    /// socket, in bytes as it counts them (Go's
    /// `GetSocketReceiveBufferSize`).
    pub fn recv_buffer_size(&self, protocol: i32) -> Result<usize> {
        let mut lease = self.lease(protocol)?;
        Ok(lease.conn()?.sock.get_ref().recv_buffer_size()?)
    }

    /// Whether the kernel here speaks netlink protocol `protocol` (Go's
    /// `SupportsNetlinkFamily`): a socket of it opens.
    pub fn supports_protocol(&self, protocol: i32) -> bool {
        self.lease(protocol).is_ok()
    }

    /// A new handle on the same namespace, with sockets of its own (and
    /// this one's settings).
    pub fn sibling(&self) -> AsyncHandle {
        AsyncHandle {
            retries: self.retries,
            opts: self.opts,
            ..AsyncHandle::at(self.place.clone())
        }
    }

    /// The blocking twin of this handle, on the same namespace (and with
    /// its settings).
    pub fn blocking(&self) -> crate::Handle {
        let mut h = crate::Handle::at(self.place.clone()).with_dump_retries(self.retries);
        h.opts = self.opts;
        h
    }

    pub(crate) fn netns_fd(&self) -> Option<BorrowedFd<'_>> {
        self.place.netns_fd()
    }

    /// Opens a new socket of `protocol` where this handle lives (blocking
    /// mode: wrap it in [`AsyncSocket`] to await it).
    pub fn open_socket(&self, protocol: i32) -> Result<Socket> {
        self.place.open_socket(protocol)
    }

    fn lease(&self, protocol: i32) -> Result<Lease<'_>> {
        let conn = match self.pool.take(protocol) {
            Some(c) => c,
            None => {
                let mut sock = self.place.open_socket(protocol)?;
                self.opts.apply_buffer(&mut sock)?;
                let mut conn = AsyncConn::new(sock)?;
                if let Some(t) = self.opts.timeout {
                    conn.sock.set_timeout(t);
                }
                conn
            }
        };
        Ok(Lease {
            pool: &self.pool,
            protocol,
            conn: Some(conn),
        })
    }

    /// Starts a dump of `protocol` with the request `write` builds and
    /// returns it as a [`Stream`] of what `parse` makes of each message
    /// (`Ok(None)` skips one). The request is sent now; the stream reads
    /// the replies as they arrive, in one reused buffer, parsing each in
    /// place. It does not restart an interrupted dump: after every
    /// message it yields one [`ErrorKind::DumpInterrupted`](crate::ErrorKind)
    /// error and ends. Dropping it early closes its socket (the kernel
    /// discards the rest).
    ///
    /// The typed streams ([`AsyncHandle::route_stream`] ...) are built on
    /// this; use it for kinds they do not cover.
    pub fn dump_stream<'h, T>(
        &'h self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut parse: impl FnMut(Msg<'_>) -> Result<Option<T>> + Send + 'h,
    ) -> Result<DumpStream<'h, T>> {
        let mut lease = self.lease(protocol)?;
        let c = lease.conn()?;
        c.buf.clear();
        write(&mut c.buf)?;
        let state = c.sock.start_dump(&mut c.buf)?;
        Ok(DumpStream {
            pool: &self.pool,
            protocol,
            conn: lease.conn.take(),
            state,
            // Shaped as `poll_next` returns it, so an object is moved once
            // less on its way out (a `Route` is a few hundred bytes).
            parse: Box::new(move |m| parse(m).transpose()),
            end_on_not_found: false,
        })
    }

    pub(crate) async fn do_request(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
    ) -> Result<Ack> {
        let mut lease = self.lease(protocol)?;
        let c = lease.conn()?;
        c.buf.clear();
        write(&mut c.buf)?;
        let ack = c.sock.request(&mut c.buf).await;
        lease.done();
        Ok(ack?)
    }

    pub(crate) async fn do_exchange(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut on_reply: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<Ack> {
        let mut lease = self.lease(protocol)?;
        let c = lease.conn()?;
        c.buf.clear();
        write(&mut c.buf)?;
        let mut failure = None;
        let ack = c
            .sock
            .exchange(&mut c.buf, |m| {
                if failure.is_none() {
                    failure = on_reply(m).err();
                }
                Ok(())
            })
            .await;
        lease.done();
        let ack = ack?;
        match failure {
            Some(e) => Err(e),
            None => Ok(ack),
        }
    }

    pub(crate) async fn do_dump<T>(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut parse: impl FnMut(Msg<'_>) -> Result<Option<T>>,
    ) -> Result<Vec<T>> {
        self.do_dump_into(protocol, write, |m, out| {
            if let Some(v) = parse(m)? {
                out.push(v);
            }
            Ok(())
        })
        .await
    }

    pub(crate) async fn do_dump_into<T>(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut fill: impl FnMut(Msg<'_>, &mut Vec<T>) -> Result<()>,
    ) -> Result<Vec<T>> {
        let mut lease = self.lease(protocol)?;
        let c = lease.conn()?;
        c.buf.clear();
        write(&mut c.buf)?;
        let mut attempt = 0;
        let out = loop {
            let mut out = Vec::with_capacity(c.hint);
            let mut failure = None;
            let mut dump = c.sock.dump(&mut c.buf).await?;
            let status = loop {
                match dump.next().await {
                    Some(Ok(m)) => {
                        if failure.is_none() {
                            failure = fill(m, &mut out).err();
                        }
                    }
                    Some(Err(e)) => break Err(e),
                    None => break Ok(()),
                }
            };
            drop(dump);
            match status {
                Err(e)
                    if e.kind() == nl_sock::ErrorKind::DumpInterrupted
                        && attempt < self.retries =>
                {
                    attempt += 1;
                }
                Err(e) => {
                    lease.done();
                    return Err(e.into());
                }
                Ok(()) => match failure {
                    Some(e) => {
                        lease.done();
                        return Err(e);
                    }
                    None => break out,
                },
            }
        };
        c.hint = out.len();
        lease.done();
        Ok(out)
    }

    pub(crate) async fn do_dump_each(
        &self,
        protocol: i32,
        write: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        mut f: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut lease = self.lease(protocol)?;
        let c = lease.conn()?;
        c.buf.clear();
        write(&mut c.buf)?;
        let mut dump = c.sock.dump(&mut c.buf).await?;
        let mut status = Ok(());
        while let Some(msg) = dump.next().await {
            if let Err(e) = msg.map_err(crate::Error::from).and_then(&mut f) {
                status = Err(e);
                break;
            }
        }
        drop(dump);
        lease.done();
        status
    }

    pub(crate) async fn do_batch(&self, protocol: i32, requests: &mut [u8]) -> Result<BatchReport> {
        let mut lease = self.lease(protocol)?;
        let report = lease.conn()?.sock.batch(requests).await;
        lease.done();
        Ok(report?)
    }

    /// The blocking handle's `do_send_collect`, awaited.
    #[allow(dead_code)]
    pub(crate) async fn do_send_collect(
        &self,
        protocol: i32,
        request: &mut [u8],
        rcvbuf: usize,
        mut feed: impl FnMut(u32, Msg<'_>) -> bool,
    ) -> Result<()> {
        let mut lease = self.lease(protocol)?;
        let c = lease.conn()?;
        if rcvbuf > c.sock.get_ref().recv_buffer_size().unwrap_or(0) {
            // Best effort, as in the blocking handle.
            let _ = c.sock.get_mut().set_recv_buffer_size(rcvbuf, true);
        }
        if request.len() > 128 * 1024 {
            let _ = c
                .sock
                .get_mut()
                .set_send_buffer_size(request.len().saturating_add(4096), true);
        }
        let first = c.sock.send(request)?;
        let mut done = false;
        while !done {
            c.sock
                .recv_with(|m| {
                    if !done {
                        done = feed(first, m);
                    }
                    Ok(())
                })
                .await?;
        }
        lease.done();
        Ok(())
    }

    pub(crate) async fn do_raw_request(&self, protocol: i32, request: &mut [u8]) -> Result<Ack> {
        let mut lease = self.lease(protocol)?;
        let ack = lease.conn()?.sock.request(request).await;
        lease.done();
        Ok(ack?)
    }
}

/// What a [`DumpStream`] makes of each message.
type Parser<'h, T> = Box<dyn FnMut(Msg<'_>) -> Option<Result<T>> + Send + 'h>;

/// A dump read as it arrives ([`AsyncHandle::dump_stream`],
/// [`AsyncHandle::route_stream`] ...): a [`Stream`] of parsed objects.
pub struct DumpStream<'h, T> {
    pool: &'h Pool<AsyncConn>,
    protocol: i32,
    conn: Option<AsyncConn>,
    state: DumpState,
    parse: Parser<'h, T>,
    end_on_not_found: bool,
}

impl<T> std::fmt::Debug for DumpStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DumpStream")
            .field("protocol", &self.protocol)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<T> DumpStream<'_, T> {
    /// Ends the stream quietly when the kernel answers "not found" (a
    /// route table that does not exist has no routes).
    pub(crate) fn end_on_not_found(mut self) -> Self {
        self.end_on_not_found = true;
        self
    }

    fn finish(&mut self) {
        if let Some(c) = self.conn.take() {
            if self.state.is_finished() {
                Lease::give_back(self.pool, self.protocol, c);
            }
        }
    }
}

impl<T> Stream for DumpStream<'_, T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = self.get_mut();
        loop {
            let Some(conn) = this.conn.as_mut() else {
                return Poll::Ready(None);
            };
            let item = match conn.sock.poll_dump(&mut this.state, cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => None,
                Poll::Ready(Some(Err(e))) => Some(Err(crate::Error::from(e))),
                Poll::Ready(Some(Ok(msg))) => match (this.parse)(msg) {
                    None => continue,
                    // The dump goes on in the kernel: its socket goes.
                    Some(Err(e)) => {
                        this.conn = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                    parsed => return Poll::Ready(parsed),
                },
            };
            this.finish();
            return Poll::Ready(match item {
                Some(Err(e)) if this.end_on_not_found && e.is_not_found() => None,
                other => other,
            });
        }
    }
}

impl<T> Drop for DumpStream<'_, T> {
    fn drop(&mut self) {
        self.finish();
    }
}
