//! The tokio driver: the same receive engine as [`Socket`], awaited.
//!
//! [`AsyncSocket`] puts a [`Socket`] in non-blocking mode inside tokio's
//! `AsyncFd`. Requests, dumps, batches and notifications run on the engine
//! of [`crate::engine`] exactly as the blocking calls do (same sequence and
//! port checks, same ext-ack errors, same streaming in one reused buffer);
//! only the wait for the next datagram differs. There is no background
//! task and no channel: the future that awaits a reply is the one that
//! reads it.
//!
//! Cancellation: every future here can be dropped at any await point and
//! the socket stays usable. A reply to an abandoned request is recognised
//! by its sequence number and skipped; the rest of an abandoned dump is
//! drained by the socket's next exchange (within a bounded time).
//!
//! Timeouts: a request, dump or batch that waits longer than the socket's
//! timeout ([`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT) unless set) for the
//! kernel's next datagram fails with [`ErrorKind::Timeout`]; notifications
//! wait for ever unless a timeout is set. Timeouts need tokio's time
//! driver (`Runtime` built with `enable_time` or `enable_all`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use nl_sock::{Socket, tokio::AsyncSocket};
//! use nl_wire::{MsgBuilder, netlink::{NETLINK_ROUTE, NLM_F_REQUEST, NLM_F_DUMP}};
//!
//! let mut sock = AsyncSocket::new(Socket::open(NETLINK_ROUTE)?)?;
//! let mut req = Vec::new();
//! let mut m = MsgBuilder::new(&mut req, 18 /* RTM_GETLINK */, NLM_F_REQUEST | NLM_F_DUMP);
//! m.header(&[0u8; 16]);
//! m.finish()?;
//! let mut dump = sock.dump(&mut req).await?;
//! while let Some(msg) = dump.next().await {
//!     println!("RTM_NEWLINK of {} bytes", msg?.len());
//! }
//! # Ok(()) }
//! ```

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use nl_wire::Msg;
use nl_wire::netlink::NLM_F_ACK;
use tokio::io::unix::AsyncFd;

use crate::engine::{Expect, Receiver, Step};
use crate::error::{Ack, Error, ErrorKind, Op, Result};
use crate::socket::{BatchPlan, BatchReport, DRAIN_BUDGET, Socket, set_flags};

/// A [`Socket`] driven by tokio (see the module docs).
pub struct AsyncSocket {
    fd: AsyncFd<Socket>,
    timeout: Option<Duration>,
    events_timeout: Option<Duration>,
    events_sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl std::fmt::Debug for AsyncSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSocket")
            .field("socket", self.fd.get_ref())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl AsyncSocket {
    /// Wraps `sock`, switching it to non-blocking mode. Must be called
    /// inside a tokio runtime (it registers the descriptor with it).
    pub fn new(mut sock: Socket) -> Result<Self> {
        if sock.fd().is_some() {
            sock.set_nonblocking(true)?;
            // Timeouts are kept here; the socket's own would turn "nothing
            // yet" (EAGAIN) into a timeout.
            sock.set_recv_timeout(None)?;
        }
        let fd = crate::sys::register_with_tokio(sock).map_err(|e| io_error(Op::Open, &e))?;
        Ok(AsyncSocket {
            fd,
            timeout: Some(crate::DEFAULT_TIMEOUT),
            events_timeout: None,
            events_sleep: None,
        })
    }

    /// The socket underneath (options, port id, recording).
    pub fn get_ref(&self) -> &Socket {
        self.fd.get_ref()
    }

    /// The socket underneath, mutably (joining groups, buffer sizes). Do
    /// not switch it back to blocking mode.
    pub fn get_mut(&mut self) -> &mut Socket {
        self.fd.get_mut()
    }

    /// Deregisters from tokio and returns the socket (still non-blocking).
    pub fn into_inner(self) -> Socket {
        self.fd.into_inner()
    }

    /// How long requests, dumps and batches wait for the kernel's next
    /// datagram (`None`: for ever).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// How long [`AsyncMessages::next`] waits for a notification
    /// (default: for ever).
    pub fn set_events_timeout(&mut self, timeout: Option<Duration>) {
        self.events_timeout = timeout;
    }

    /// Receives one datagram into the socket's buffer, waiting for it.
    async fn recv(&mut self, timeout: Option<Duration>) -> Result<usize> {
        // Try at once: a custom transport (the fake) has no descriptor to
        // wait on, and after a receive the kernel has often queued more.
        match self.fd.get_mut().recv_datagram() {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            other => return other,
        }
        let wait = async {
            loop {
                let mut guard = self
                    .fd
                    .readable_mut()
                    .await
                    .map_err(|e| io_error(Op::Recv, &e))?;
                let got = guard.try_io(|inner| match inner.get_mut().recv_datagram() {
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        Err(io::Error::from(io::ErrorKind::WouldBlock))
                    }
                    other => Ok(other),
                });
                if let Ok(result) = got {
                    return result.map_err(|e| io_error(Op::Recv, &e))?;
                }
            }
        };
        match timeout {
            Some(t) => tokio::time::timeout(t, wait)
                .await
                .unwrap_or_else(|_| Err(Error::new(Op::Recv, ErrorKind::Timeout))),
            None => wait.await,
        }
    }

    /// The engine's next step, receiving as it asks.
    async fn drive(&mut self, rx: &mut Receiver, timeout: Option<Duration>) -> Result<Step> {
        loop {
            match rx.next(&self.fd.get_ref().rbuf) {
                Step::NeedData => {}
                step => return Ok(step),
            }
            match self.recv(timeout).await {
                Ok(n) => rx.feed(n),
                Err(e) => return rx.recv_error(e),
            }
        }
    }

    /// Finishes a dump that an earlier (dropped) caller left running,
    /// within [`DRAIN_BUDGET`].
    async fn begin(&mut self) -> Result<()> {
        let sock = self.fd.get_mut();
        sock.events.discard();
        let Some(mut rx) = sock.pending.take() else {
            return Ok(());
        };
        let deadline = tokio::time::Instant::now() + DRAIN_BUDGET;
        while !rx.is_finished() {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let timeout = self.timeout;
            match tokio::time::timeout(left, self.drive(&mut rx, timeout)).await {
                Ok(Ok(_)) => {}
                // The socket failed or the kernel went silent: nothing of
                // that dump is left to drain.
                Ok(Err(_)) => break,
                Err(_) => {
                    self.fd.get_mut().pending = Some(rx);
                    return Err(Error::new(Op::Dump, ErrorKind::Busy)
                        .with_note("an abandoned dump is still being drained"));
                }
            }
        }
        Ok(())
    }

    /// Sends one request with `NLM_F_ACK` and waits for its ack
    /// ([`Socket::request`], awaited).
    pub async fn request(&mut self, req: &mut [u8]) -> Result<Ack> {
        self.exchange(req, |_| Ok(())).await
    }

    /// Sends one request, hands every reply before the ack to `on_reply`,
    /// returns the ack ([`Socket::exchange`], awaited).
    pub async fn exchange(
        &mut self,
        req: &mut [u8],
        mut on_reply: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<Ack> {
        self.begin().await?;
        let sock = self.fd.get_mut();
        let (seq, count) = sock.stamp(req, Op::Request)?;
        if count != 1 {
            return Err(Error::new(Op::Request, ErrorKind::Invalid));
        }
        set_flags(req, NLM_F_ACK);
        sock.send_datagram(req)?;
        let mut rx = Receiver::new(Expect::Reply { seq }, sock.port_id());
        loop {
            let step = self
                .drive(&mut rx, self.timeout)
                .await
                .map_err(|e| e.with_op(Op::Request))?;
            match step {
                Step::Message(span) => on_reply(span.msg(&self.fd.get_ref().rbuf)?)?,
                Step::Ack(ack) => return Ok(ack.locate(req)),
                Step::Failed { error, .. } => return Err(error.locate(req)),
                Step::Overrun => return Err(Error::new(Op::Request, ErrorKind::Overrun)),
                Step::Malformed(e) => return Err(e),
                Step::Done { .. } | Step::NeedData | Step::Finished => {
                    return Err(Error::new(Op::Request, ErrorKind::Protocol));
                }
            }
        }
    }

    /// Sends a dump request and returns the replies as they arrive
    /// ([`Socket::dump`], awaited).
    pub async fn dump(&mut self, req: &mut [u8]) -> Result<AsyncDump<'_>> {
        self.begin().await?;
        let sock = self.fd.get_mut();
        let (seq, count) = sock.stamp(req, Op::Dump)?;
        if count != 1 {
            return Err(Error::new(Op::Dump, ErrorKind::Invalid));
        }
        sock.send_datagram(req)?;
        let rx = Receiver::new(Expect::Dump { seq }, sock.port_id());
        Ok(AsyncDump { sock: self, rx })
    }

    /// Sends a batch of requests with few `sendmsg` calls
    /// ([`Socket::batch`], awaited). Dropping the future midway leaves the
    /// requests sent so far applied and the socket usable.
    pub async fn batch(&mut self, buf: &mut [u8]) -> Result<BatchReport> {
        if buf.is_empty() {
            return Ok(BatchReport::default());
        }
        self.begin().await?;
        let sock = self.fd.get_mut();
        let max_msgs = sock.batch_capacity();
        let plan = BatchPlan::new(sock, buf, max_msgs)?;
        let mut report = BatchReport {
            len: plan.count,
            failures: Vec::new(),
        };
        let mut rx = plan.receiver(sock.port_id());
        let mut i = 0usize;
        loop {
            let sock = self.fd.get_mut();
            let Some((range, last_seq, next)) = plan.chunk(buf, i, sock.batch_bytes) else {
                break;
            };
            rx.expect_batch_last(last_seq);
            sock.send_datagram(buf.get(range).unwrap_or_default())?;
            loop {
                let step = self
                    .drive(&mut rx, self.timeout)
                    .await
                    .map_err(|e| e.with_op(Op::Batch))?;
                match step {
                    Step::Failed { index, error } => {
                        report
                            .failures
                            .push((index, error.locate(plan.request(buf, index))));
                    }
                    Step::Done { .. } | Step::Finished => break,
                    Step::Overrun => return Err(Error::new(Op::Batch, ErrorKind::Overrun)),
                    Step::Malformed(e) => return Err(e),
                    Step::Message(_) | Step::Ack(_) | Step::NeedData => {}
                }
            }
            i = next;
        }
        Ok(report)
    }

    /// Notifications of the joined groups, as they arrive.
    pub fn messages(&mut self) -> AsyncMessages<'_> {
        AsyncMessages { sock: self }
    }

    /// Whether no abandoned dump waits to be drained.
    pub fn is_idle(&self) -> bool {
        self.fd.get_ref().is_idle()
    }

    /// Drops the notifications already queued (see
    /// [`Socket::discard_queued`]).
    pub fn discard_queued(&mut self, max: usize) -> Result<usize> {
        self.fd.get_mut().discard_queued(max)
    }

    /// Polls for one datagram; `sleep` times the wait (reset when one
    /// arrives).
    fn poll_recv(
        &mut self,
        cx: &mut Context<'_>,
        timeout: Option<Duration>,
        sleep: &mut Option<Pin<Box<tokio::time::Sleep>>>,
    ) -> Poll<Result<usize>> {
        loop {
            match self.fd.get_mut().recv_datagram() {
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                other => {
                    *sleep = None;
                    return Poll::Ready(other);
                }
            }
            match self.fd.poll_read_ready_mut(cx) {
                Poll::Ready(Ok(mut guard)) => guard.clear_ready(),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(io_error(Op::Recv, &e))),
                Poll::Pending => {
                    if let Some(t) = timeout {
                        let s = sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(t)));
                        if s.as_mut().poll(cx).is_ready() {
                            *sleep = None;
                            return Poll::Ready(Err(Error::new(Op::Recv, ErrorKind::Timeout)));
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
    }

    /// Sends a dump request without waiting and returns its state, to be
    /// polled with [`AsyncSocket::poll_dump`] (for a `Stream` that parses
    /// each message in place). The socket must be idle
    /// ([`AsyncSocket::is_idle`]): this does not drain an earlier dump.
    pub fn start_dump(&mut self, req: &mut [u8]) -> Result<DumpState> {
        let sock = self.fd.get_mut();
        if !sock.is_idle() {
            return Err(Error::new(Op::Dump, ErrorKind::Busy)
                .with_note("an abandoned dump is still being drained"));
        }
        sock.events.discard();
        let (seq, count) = sock.stamp(req, Op::Dump)?;
        if count != 1 {
            return Err(Error::new(Op::Dump, ErrorKind::Invalid));
        }
        sock.send_datagram(req)?;
        Ok(DumpState {
            rx: Receiver::new(Expect::Dump { seq }, sock.port_id()),
            timeout: self.timeout,
            sleep: None,
        })
    }

    /// The next message of a dump started with
    /// [`AsyncSocket::start_dump`], lent until the next poll; `None` after
    /// the last (as [`AsyncDump::next`]).
    pub fn poll_dump(
        &mut self,
        state: &mut DumpState,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Msg<'_>>>> {
        loop {
            match state.rx.next(&self.fd.get_ref().rbuf) {
                Step::Message(span) => {
                    return Poll::Ready(Some(span.msg(&self.fd.get_ref().rbuf)));
                }
                Step::Done { interrupted: true } => {
                    return Poll::Ready(Some(Err(Error::new(
                        Op::Dump,
                        ErrorKind::DumpInterrupted,
                    ))));
                }
                Step::Done { .. } | Step::Finished => return Poll::Ready(None),
                Step::Failed { error, .. } => return Poll::Ready(Some(Err(error))),
                Step::Overrun => {
                    return Poll::Ready(Some(Err(Error::new(Op::Dump, ErrorKind::Overrun))));
                }
                Step::Malformed(e) => return Poll::Ready(Some(Err(e))),
                Step::Ack(_) => {
                    return Poll::Ready(Some(Err(Error::new(Op::Dump, ErrorKind::Protocol))));
                }
                Step::NeedData => {}
            }
            let timeout = state.timeout;
            match self.poll_recv(cx, timeout, &mut state.sleep) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(n)) => state.rx.feed(n),
                Poll::Ready(Err(e)) => match state.rx.recv_error(e) {
                    Ok(_) => {
                        return Poll::Ready(Some(Err(Error::new(Op::Dump, ErrorKind::Overrun))));
                    }
                    Err(e) => return Poll::Ready(Some(Err(e.with_op(Op::Dump)))),
                },
            }
        }
    }

    /// The next notification, lent until the next poll (as
    /// [`AsyncMessages::next`]).
    pub fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Msg<'_>>> {
        let timeout = self.events_timeout;
        loop {
            let sock = self.fd.get_mut();
            match sock.events.next(&sock.rbuf) {
                Step::Message(span) => return Poll::Ready(span.msg(&self.fd.get_ref().rbuf)),
                Step::Overrun => {
                    return Poll::Ready(Err(Error::new(Op::Events, ErrorKind::Overrun)));
                }
                Step::Malformed(e) => return Poll::Ready(Err(e)),
                Step::NeedData => {}
                _ => continue,
            }
            let mut sleep = self.events_sleep.take();
            let got = self.poll_recv(cx, timeout, &mut sleep);
            self.events_sleep = sleep;
            match got {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(n)) => self.fd.get_mut().events.feed(n),
                Poll::Ready(Err(e)) => match self.fd.get_mut().events.recv_error(e) {
                    Ok(_) => {
                        return Poll::Ready(Err(Error::new(Op::Events, ErrorKind::Overrun)));
                    }
                    Err(e) => return Poll::Ready(Err(e.with_op(Op::Events))),
                },
            }
        }
    }
}

/// A dump in progress on an [`AsyncSocket`], driven by
/// [`AsyncSocket::poll_dump`]. Dropping it unfinished leaves the dump's
/// rest in the socket: drop the socket too, or drain it by polling.
pub struct DumpState {
    rx: Receiver,
    timeout: Option<Duration>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl std::fmt::Debug for DumpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DumpState")
            .field("finished", &self.rx.is_finished())
            .finish_non_exhaustive()
    }
}

impl DumpState {
    /// Whether the dump has ended (its last message or error was polled).
    pub fn is_finished(&self) -> bool {
        self.rx.is_finished()
    }

    /// Whether any message so far carried `NLM_F_DUMP_INTR`.
    pub fn interrupted(&self) -> bool {
        self.rx.interrupted()
    }
}

/// A dump in progress on an [`AsyncSocket`]: `next().await` lends each
/// message until the next call (as [`crate::Dump`] does). Dropping it
/// early is cheap: the socket's next exchange drains the rest.
pub struct AsyncDump<'s> {
    sock: &'s mut AsyncSocket,
    rx: Receiver,
}

impl AsyncDump<'_> {
    /// The next message; `None` after the last one. As for
    /// [`crate::Dump::next`], an interrupted dump ends with one
    /// [`ErrorKind::DumpInterrupted`] after every message was delivered.
    pub async fn next(&mut self) -> Option<Result<Msg<'_>>> {
        // Most messages are already in the buffer: take them without
        // building the receive future (the engine repeats NeedData).
        let step = match self.rx.next(&self.sock.fd.get_ref().rbuf) {
            Step::NeedData => {
                let timeout = self.sock.timeout;
                match self.sock.drive(&mut self.rx, timeout).await {
                    Ok(step) => step,
                    Err(e) => return Some(Err(e.with_op(Op::Dump))),
                }
            }
            step => step,
        };
        match step {
            Step::Message(span) => Some(span.msg(&self.sock.fd.get_ref().rbuf)),
            Step::Done { interrupted: true } => {
                Some(Err(Error::new(Op::Dump, ErrorKind::DumpInterrupted)))
            }
            Step::Done { .. } | Step::Finished => None,
            Step::Failed { error, .. } => Some(Err(error)),
            Step::Overrun => Some(Err(Error::new(Op::Dump, ErrorKind::Overrun))),
            Step::Malformed(e) => Some(Err(e)),
            Step::Ack(_) | Step::NeedData => Some(Err(Error::new(Op::Dump, ErrorKind::Protocol))),
        }
    }

    /// Whether any message so far carried `NLM_F_DUMP_INTR`.
    pub fn interrupted(&self) -> bool {
        self.rx.interrupted()
    }

    /// Hands every message to `f`; the dump's final status is the result.
    pub async fn for_each(&mut self, mut f: impl FnMut(Msg<'_>) -> Result<()>) -> Result<()> {
        while let Some(msg) = self.next().await {
            f(msg?)?;
        }
        Ok(())
    }
}

impl Drop for AsyncDump<'_> {
    fn drop(&mut self) {
        if !self.rx.is_finished() {
            self.sock.fd.get_mut().pending = Some(self.rx.clone());
        }
    }
}

/// Notifications on an [`AsyncSocket`] (see [`crate::Messages`]):
/// [`ErrorKind::Overrun`] when some were lost, and the stream goes on.
pub struct AsyncMessages<'s> {
    sock: &'s mut AsyncSocket,
}

impl AsyncMessages<'_> {
    /// The next notification.
    pub async fn next(&mut self) -> Result<Msg<'_>> {
        let timeout = self.sock.events_timeout;
        loop {
            let sock = self.sock.fd.get_mut();
            match sock.events.next(&sock.rbuf) {
                Step::Message(span) => return span.msg(&self.sock.fd.get_ref().rbuf),
                Step::Overrun => return Err(Error::new(Op::Events, ErrorKind::Overrun)),
                Step::Malformed(e) => return Err(e),
                Step::NeedData => {}
                _ => continue,
            }
            match self.sock.recv(timeout).await {
                Ok(n) => self.sock.fd.get_mut().events.feed(n),
                Err(e) => match self.sock.fd.get_mut().events.recv_error(e) {
                    Ok(_) => return Err(Error::new(Op::Events, ErrorKind::Overrun)),
                    Err(e) => return Err(e.with_op(Op::Events)),
                },
            }
        }
    }

    /// Whether messages of the last datagram are still waiting.
    pub fn has_buffered(&self) -> bool {
        self.sock.fd.get_ref().events.has_buffered()
    }
}

fn io_error(op: Op, e: &io::Error) -> Error {
    Error::from_errno(
        op,
        nix::errno::Errno::from_raw(e.raw_os_error().unwrap_or(0)),
    )
}
