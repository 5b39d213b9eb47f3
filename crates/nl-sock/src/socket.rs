//! [`Socket`]: sequence numbers, acks, dumps, batches and notifications
//! over one [`Transport`].
//!
//! There is one receive state machine: every reply is matched to its
//! request by sequence number and port id (stale replies of abandoned
//! requests are skipped), `NLMSG_ERROR` becomes an ack or a typed error
//! carrying the kernel's ext-ack text, `NLMSG_DONE` ends a dump, and
//! `NLM_F_DUMP_INTR` is remembered and reported after the last message.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::libc;
use nl_wire::Msg;
use nl_wire::netlink::{
    NETLINK_ADD_MEMBERSHIP, NETLINK_BROADCAST_ERROR, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP,
    NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_LISTEN_ALL_NSID, NETLINK_NO_ENOBUFS,
    NLM_F_ACK, NlMsgHdr, SOL_NETLINK,
};
use nl_wire::pcap::Direction;
use zerocopy::FromBytes;

use crate::engine::{Expect, Receiver, Step};
use crate::error::{Ack, Error, ErrorKind, Op, Result};
use crate::record::Recorder;
use crate::sys;
use crate::transport::{SysSocket, Transport};

/// How long a request, dump or batch waits for the kernel's next datagram
/// before failing with [`ErrorKind::Timeout`] (see
/// [`Socket::set_recv_timeout`]).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long an exchange spends draining a dump an earlier caller dropped
/// before it gives up with [`ErrorKind::Busy`] (and goes on next time).
pub(crate) const DRAIN_BUDGET: Duration = Duration::from_secs(1);

/// Bytes of requests per `sendmsg` in a batch (the kernel's limit is the
/// socket's send buffer; 64 KiB is what iproute2 and nftables use).
pub const DEFAULT_BATCH_BYTES: usize = 64 * 1024;

/// Receive buffer a batch asks for, so the kernel never has to drop an
/// error reply because our queue is full.
const BATCH_RCVBUF: i32 = 8 * 1024 * 1024;

/// Kernel memory one error reply can take in our receive queue (skb
/// truesize of a small reply with ext-ack TLVs, rounded up generously).
const REPLY_TRUESIZE: usize = 2048;

enum Io {
    Sys(SysSocket),
    /// A transport without a descriptor of its own gets a placeholder (an
    /// eventfd nobody writes), so `Socket` can always be `AsFd`.
    Custom(Box<dyn Transport>, OwnedFd),
}

impl Io {
    fn transport(&mut self) -> &mut dyn Transport {
        match self {
            Io::Sys(s) => s,
            Io::Custom(t, _) => t.as_mut(),
        }
    }

    fn port_id(&self) -> u32 {
        match self {
            Io::Sys(s) => s.port_id(),
            Io::Custom(t, _) => t.port_id(),
        }
    }

    fn fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Io::Sys(s) => Some(s.as_fd()),
            Io::Custom(t, _) => t.fd(),
        }
    }
}

/// A netlink socket for any protocol.
///
/// ```no_run
/// use nl_sock::Socket;
/// use nl_wire::{MsgBuilder, netlink::{NETLINK_ROUTE, NLM_F_REQUEST, NLM_F_DUMP}};
///
/// let mut sock = Socket::open(NETLINK_ROUTE)?;
/// let mut req = Vec::new();
/// let mut m = MsgBuilder::new(&mut req, 18 /* RTM_GETLINK */, NLM_F_REQUEST | NLM_F_DUMP);
/// m.header(&[0u8; 16]); // struct ifinfomsg, AF_UNSPEC
/// m.finish()?;
/// let mut dump = sock.dump(&mut req)?;
/// while let Some(msg) = dump.next() {
///     let msg = msg?;
///     println!("RTM_NEWLINK of {} bytes", msg.len());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Socket {
    io: Io,
    protocol: i32,
    seq: u32,
    pub(crate) rbuf: Vec<u8>,
    pub(crate) batch_bytes: usize,
    batch_msgs: Option<usize>,
    recorder: Option<Recorder>,
    /// A dump dropped before its end: drained before the next exchange.
    pub(crate) pending: Option<Receiver>,
    /// Where notifications stand in the receive buffer.
    pub(crate) events: Receiver,
    /// Whether the caller chose the receive timeout (otherwise the
    /// default applies to requests and dumps, not to notifications).
    pub(crate) timeout_set: bool,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("protocol", &self.protocol)
            .field("port_id", &self.io.port_id())
            .field("seq", &self.seq)
            .field("fd", &self.io.fd().map(|fd| fd.as_raw_fd()))
            .finish()
    }
}

impl Socket {
    /// Opens and binds a socket of `protocol` (`NETLINK_ROUTE`,
    /// `NETLINK_XFRM`, ...) with extended acks and capped acks on.
    pub fn open(protocol: i32) -> Result<Self> {
        Self::from_sys(SysSocket::open(protocol)?, protocol)
    }

    /// Opens a socket inside the network namespace `netns` (an fd of
    /// `/proc/PID/ns/net` or `/var/run/netns/NAME`).
    ///
    /// A short-lived helper thread enters the namespace, creates the socket
    /// and exits; no thread of the caller ever changes namespace. The socket
    /// stays in that namespace for its whole life.
    pub fn open_in_netns(protocol: i32, netns: BorrowedFd<'_>) -> Result<Self> {
        let fd = crate::netns::socket_in(protocol, netns)?;
        Self::from_sys(SysSocket::bound(fd)?, protocol)
    }

    /// [`Socket::open_in_netns`] with a path such as `/var/run/netns/blue`
    /// or `/proc/1234/ns/net`.
    pub fn open_in_netns_path(protocol: i32, path: impl AsRef<Path>) -> Result<Self> {
        let ns = crate::netns::open_path(path.as_ref())?;
        Self::open_in_netns(protocol, ns.as_fd())
    }

    /// Wraps an existing netlink socket, without binding it when it is not
    /// bound (some platforms forbid `bind()`; the kernel then binds it on
    /// the first send).
    pub fn from_fd(fd: OwnedFd) -> Result<Self> {
        let protocol = sys::get_int(fd.as_fd(), libc::SOL_SOCKET, libc::SO_PROTOCOL)
            .map_err(|e| Error::from_errno(Op::Option, e))?;
        Self::from_sys(SysSocket::from_fd(fd)?, protocol)
    }

    /// A socket over any transport, such as [`crate::fake::Fake`]. Fails
    /// only if the placeholder descriptor for [`AsFd`] cannot be created.
    pub fn with_transport(transport: impl Transport + 'static, protocol: i32) -> Result<Self> {
        use nix::sys::eventfd::{EfdFlags, EventFd};
        let placeholder =
            EventFd::from_value_and_flags(0, EfdFlags::EFD_CLOEXEC | EfdFlags::EFD_NONBLOCK)
                .map_err(|e| Error::from_errno(Op::Open, e))?;
        Ok(Socket {
            io: Io::Custom(Box::new(transport), placeholder.into()),
            protocol,
            seq: 0,
            rbuf: Vec::new(),
            batch_bytes: DEFAULT_BATCH_BYTES,
            batch_msgs: None,
            recorder: None,
            pending: None,
            events: events_receiver(protocol),
            // A custom transport keeps time itself (the fake answers an
            // empty queue with a timeout at once).
            timeout_set: true,
        })
    }

    fn from_sys(sys: SysSocket, protocol: i32) -> Result<Self> {
        let mut sock = Socket {
            io: Io::Sys(sys),
            protocol,
            seq: 0,
            rbuf: Vec::new(),
            batch_bytes: DEFAULT_BATCH_BYTES,
            batch_msgs: None,
            recorder: None,
            pending: None,
            events: events_receiver(protocol),
            timeout_set: false,
        };
        // Old kernels lack these options; the socket still works without.
        let _ = sock.set_ext_ack(true);
        let _ = sock.set_cap_ack(true);
        if let Io::Sys(s) = &mut sock.io {
            s.set_timeout(Some(DEFAULT_TIMEOUT))?;
        }
        Ok(sock)
    }

    /// The netlink protocol number.
    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// The port id the kernel assigned (0 before the first send of an
    /// unbound socket).
    pub fn port_id(&self) -> u32 {
        self.io.port_id()
    }

    /// The transport's descriptor, if it has one.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        self.io.fd()
    }

    fn need_fd(&self) -> Result<BorrowedFd<'_>> {
        self.io
            .fd()
            .ok_or(Error::new(Op::Option, ErrorKind::Unsupported))
    }

    fn set_flag(&mut self, name: i32, on: bool) -> Result<()> {
        let fd = self.need_fd()?;
        sys::set_int(fd, SOL_NETLINK, name, i32::from(on))
            .map_err(|e| Error::from_errno(Op::Option, e))
    }

    /// `NETLINK_EXT_ACK`: errors carry the kernel's text (on by default).
    pub fn set_ext_ack(&mut self, on: bool) -> Result<()> {
        self.set_flag(NETLINK_EXT_ACK, on)
    }

    /// `NETLINK_CAP_ACK`: errors do not echo the request back (on by
    /// default; the socket keeps requests itself to map ext-ack offsets).
    pub fn set_cap_ack(&mut self, on: bool) -> Result<()> {
        self.set_flag(NETLINK_CAP_ACK, on)
    }

    /// `NETLINK_GET_STRICT_CHK`: the kernel validates dump requests strictly
    /// and applies header and attribute filters.
    pub fn set_strict(&mut self, on: bool) -> Result<()> {
        self.set_flag(NETLINK_GET_STRICT_CHK, on)
    }

    /// `NETLINK_NO_ENOBUFS`: do not report lost notifications.
    pub fn set_no_enobufs(&mut self, on: bool) -> Result<()> {
        self.set_flag(NETLINK_NO_ENOBUFS, on)
    }

    /// `NETLINK_LISTEN_ALL_NSID`: receive notifications of every namespace
    /// that has an id in ours.
    pub fn set_listen_all_nsid(&mut self, on: bool) -> Result<()> {
        self.set_flag(NETLINK_LISTEN_ALL_NSID, on)
    }

    /// `NETLINK_BROADCAST_ERROR`: report delivery failures of broadcasts.
    pub fn set_broadcast_error(&mut self, on: bool) -> Result<()> {
        self.set_flag(NETLINK_BROADCAST_ERROR, on)
    }

    /// Joins multicast group `group` (any number, not just the first 32).
    pub fn join(&mut self, group: u32) -> Result<()> {
        let fd = self.need_fd()?;
        let g =
            i32::try_from(group).map_err(|_| Error::from_errno(Op::Membership, Errno::EINVAL))?;
        sys::set_int(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g)
            .map_err(|e| Error::from_errno(Op::Membership, e))
    }

    /// Leaves multicast group `group`.
    pub fn leave(&mut self, group: u32) -> Result<()> {
        let fd = self.need_fd()?;
        let g =
            i32::try_from(group).map_err(|_| Error::from_errno(Op::Membership, Errno::EINVAL))?;
        sys::set_int(fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, g)
            .map_err(|e| Error::from_errno(Op::Membership, e))
    }

    /// Sets `SO_RCVBUF`; with `force`, tries `SO_RCVBUFFORCE` first (needs
    /// `CAP_NET_ADMIN`) and falls back. Returns the size the kernel reports
    /// (twice the request, as the kernel counts its own overhead).
    pub fn set_recv_buffer_size(&mut self, bytes: usize, force: bool) -> Result<usize> {
        self.set_buffer(libc::SO_RCVBUF, libc::SO_RCVBUFFORCE, bytes, force)
    }

    /// Sets `SO_SNDBUF`; with `force`, tries `SO_SNDBUFFORCE` first.
    pub fn set_send_buffer_size(&mut self, bytes: usize, force: bool) -> Result<usize> {
        self.set_buffer(libc::SO_SNDBUF, libc::SO_SNDBUFFORCE, bytes, force)
    }

    fn set_buffer(
        &mut self,
        name: i32,
        force_name: i32,
        bytes: usize,
        force: bool,
    ) -> Result<usize> {
        let fd = self.need_fd()?;
        let v = i32::try_from(bytes).unwrap_or(i32::MAX);
        let forced = force && sys::set_int(fd, libc::SOL_SOCKET, force_name, v).is_ok();
        if !forced {
            sys::set_int(fd, libc::SOL_SOCKET, name, v)
                .map_err(|e| Error::from_errno(Op::Option, e))?;
        }
        let got = sys::get_int(fd, libc::SOL_SOCKET, name)
            .map_err(|e| Error::from_errno(Op::Option, e))?;
        Ok(usize::try_from(got).unwrap_or(0))
    }

    /// The receive buffer size the kernel reports.
    pub fn recv_buffer_size(&self) -> Result<usize> {
        let fd = self.need_fd()?;
        let got = sys::get_int(fd, libc::SOL_SOCKET, libc::SO_RCVBUF)
            .map_err(|e| Error::from_errno(Op::Option, e))?;
        Ok(usize::try_from(got).unwrap_or(0))
    }

    /// Non-blocking mode: receives return [`ErrorKind::WouldBlock`] instead
    /// of waiting (for use with an event loop through [`AsFd`]).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        use nix::fcntl::{FcntlArg, OFlag, fcntl};
        let fd = self.need_fd()?;
        let flags = fcntl(fd, FcntlArg::F_GETFL).map_err(|e| Error::from_errno(Op::Option, e))?;
        let mut flags = OFlag::from_bits_retain(flags);
        flags.set(OFlag::O_NONBLOCK, on);
        fcntl(fd, FcntlArg::F_SETFL(flags)).map_err(|e| Error::from_errno(Op::Option, e))?;
        if let Io::Sys(s) = &mut self.io {
            s.set_nonblocking(on);
        }
        Ok(())
    }

    /// Receive timeout: a receive that waits longer fails with
    /// [`ErrorKind::Timeout`], so a caller never hangs on a silent kernel.
    /// `None` waits for ever. The default, [`DEFAULT_TIMEOUT`], applies to
    /// requests, dumps and batches; [`Socket::messages`] waits for ever
    /// unless a timeout is set here. A timed-out call leaves the socket
    /// usable: a late reply is recognised by its sequence number and
    /// skipped, the rest of a dump drained by the next call.
    pub fn set_recv_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        match &mut self.io {
            Io::Sys(s) => {
                s.set_timeout(timeout)?;
                self.timeout_set = true;
                Ok(())
            }
            Io::Custom(..) => Err(Error::new(Op::Option, ErrorKind::Unsupported)),
        }
    }

    /// Whether receives first peek at the datagram size (default on); see
    /// [`SysSocket::set_peek`].
    pub fn set_peek(&mut self, on: bool) {
        if let Io::Sys(s) = &mut self.io {
            s.set_peek(on);
        }
    }

    /// Bytes of requests per `sendmsg` in [`Socket::batch`].
    pub fn set_batch_bytes(&mut self, bytes: usize) {
        self.batch_bytes = bytes.max(nl_wire::align::NLMSG_HDRLEN);
    }

    /// A handle that makes a receive blocked in another thread return
    /// [`ErrorKind::Cancelled`]. Receives then poll first (one more syscall).
    pub fn cancel_handle(&mut self) -> Result<CancelHandle> {
        use nix::sys::eventfd::{EfdFlags, EventFd};
        let Io::Sys(sys) = &mut self.io else {
            return Err(Error::new(Op::Option, ErrorKind::Unsupported));
        };
        let efd = EventFd::from_value_and_flags(0, EfdFlags::EFD_CLOEXEC | EfdFlags::EFD_NONBLOCK)
            .map_err(|e| Error::from_errno(Op::Option, e))?;
        let mine: OwnedFd = efd.into();
        let theirs = mine.try_clone().map_err(|e| {
            Error::from_errno(Op::Option, Errno::from_raw(e.raw_os_error().unwrap_or(0)))
        })?;
        sys.set_cancel(mine);
        Ok(CancelHandle { fd: theirs })
    }

    fn next_seq(&mut self) -> u32 {
        // 0 is what notifications carry; never use it for a request.
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    /// Writes sequence numbers into every message of `buf` (consecutive,
    /// from the returned first one), clears `nlmsg_pid`, and returns
    /// (first seq, number of messages).
    pub(crate) fn stamp(&mut self, buf: &mut [u8], op: Op) -> Result<(u32, usize)> {
        let first = self.seq.wrapping_add(1).max(1);
        let mut pos = 0usize;
        let mut count = 0usize;
        while pos < buf.len() {
            let seq = self.next_seq();
            let rest = buf.get_mut(pos..).unwrap_or_default();
            let have = rest.len();
            let (hdr, _) = NlMsgHdr::mut_from_prefix(rest).map_err(|_| {
                Error::malformed(
                    op,
                    nl_wire::Error::Truncated {
                        what: nl_wire::Item::MsgHeader,
                        need: 16,
                        have,
                        offset: pos,
                    },
                )
                .with_kind(ErrorKind::Invalid)
            })?;
            let len = usize::try_from(hdr.nlmsg_len.get()).unwrap_or(usize::MAX);
            if len < 16 || len > have {
                let wire = nl_wire::Error::MsgLen {
                    len: hdr.nlmsg_len.get(),
                    have,
                    offset: pos,
                };
                return Err(Error::malformed(op, wire).with_kind(ErrorKind::Invalid));
            }
            hdr.nlmsg_seq.set(seq);
            hdr.nlmsg_pid.set(0);
            pos = pos.saturating_add(nl_wire::align::align(len));
            count += 1;
        }
        if count == 0 {
            return Err(Error::new(op, ErrorKind::Invalid));
        }
        Ok((first, count))
    }

    pub(crate) fn send_datagram(&mut self, buf: &[u8]) -> Result<()> {
        self.io.transport().send(buf)?;
        if let Some(rec) = &self.recorder {
            rec.record(Direction::ToKernel, self.protocol, buf);
        }
        Ok(())
    }

    pub(crate) fn recv_datagram(&mut self) -> Result<usize> {
        let n = self.io.transport().recv(&mut self.rbuf)?;
        if let Some(rec) = &self.recorder {
            rec.record(
                Direction::ToUser,
                self.protocol,
                self.rbuf.get(..n).unwrap_or_default(),
            );
        }
        Ok(n)
    }

    /// Records every datagram this socket sends or receives from now on
    /// into `recorder` (a pcap capture of link type 253).
    pub fn record_to(&mut self, recorder: Recorder) {
        self.recorder = Some(recorder);
    }

    /// Stops recording; returns the recorder that was in use.
    pub fn stop_recording(&mut self) -> Option<Recorder> {
        self.recorder.take()
    }

    /// Sends raw bytes (one or more messages) as one datagram, stamping
    /// sequence numbers; returns the first sequence number used.
    pub fn send(&mut self, buf: &mut [u8]) -> Result<u32> {
        let (first, _) = self.stamp(buf, Op::Send)?;
        self.send_datagram(buf)?;
        Ok(first)
    }

    /// Receives one datagram and returns its bytes, unparsed.
    pub fn recv_raw(&mut self) -> Result<&[u8]> {
        self.events.discard();
        let n = self.recv_datagram()?;
        Ok(self.rbuf.get(..n).unwrap_or_default())
    }

    /// Receives one datagram and hands each message in it to `f`, without
    /// any matching: the lowest layer, for protocols the socket does not model.
    pub fn recv_with(&mut self, mut f: impl FnMut(Msg<'_>) -> Result<()>) -> Result<usize> {
        self.events.discard();
        let n = self.recv_datagram()?;
        let mut count = 0;
        for msg in nl_wire::Msgs::new(self.rbuf.get(..n).unwrap_or_default()) {
            f(msg.map_err(|e| Error::malformed(Op::Recv, e))?)?;
            count += 1;
        }
        Ok(count)
    }

    /// Runs the receive engine until it has a step other than "more
    /// data", receiving datagrams as it asks.
    #[inline]
    fn drive(&mut self, rx: &mut Receiver) -> Result<Step> {
        loop {
            match rx.next(&self.rbuf) {
                Step::NeedData => {}
                step => return Ok(step),
            }
            match self.recv_datagram() {
                Ok(n) => rx.feed(n),
                Err(e) => return rx.recv_error(e),
            }
        }
    }

    /// Starts an exchange: finishes a dump an earlier caller dropped (so
    /// the kernel does not answer EBUSY and its messages do not linger),
    /// and forgets buffered notifications (the receive buffer is reused).
    fn begin(&mut self) -> Result<()> {
        self.events.discard();
        let Some(mut rx) = self.pending.take() else {
            return Ok(());
        };
        let deadline = Instant::now() + DRAIN_BUDGET;
        while !rx.is_finished() {
            if Instant::now() >= deadline {
                // Bounded: a transport that never ends the dump costs each
                // later call at most the budget, then an error.
                self.pending = Some(rx);
                return Err(Error::new(Op::Dump, ErrorKind::Busy)
                    .with_note("an abandoned dump is still being drained"));
            }
            if self.drive(&mut rx).is_err() {
                // The socket failed or the kernel went silent: nothing of
                // that dump is left to drain.
                break;
            }
        }
        Ok(())
    }

    /// Sends one request with `NLM_F_ACK` and waits for its ack.
    ///
    /// A failure is an [`Error`] with the errno and the kernel's ext-ack
    /// text; a success may carry a warning ([`Ack::warning`]).
    pub fn request(&mut self, req: &mut [u8]) -> Result<Ack> {
        self.exchange(req, |_| Ok(()))
    }

    /// Sends one request with `NLM_F_ACK`, hands every reply message before
    /// the ack to `on_reply` (a `GET` without `NLM_F_DUMP` answers with one),
    /// then returns the ack.
    pub fn exchange(
        &mut self,
        req: &mut [u8],
        mut on_reply: impl FnMut(Msg<'_>) -> Result<()>,
    ) -> Result<Ack> {
        self.begin()?;
        let (seq, count) = self.stamp(req, Op::Request)?;
        if count != 1 {
            return Err(Error::new(Op::Request, ErrorKind::Invalid));
        }
        set_flags(req, NLM_F_ACK);
        self.send_datagram(req)?;
        let mut rx = Receiver::new(Expect::Reply { seq }, self.io.port_id());
        loop {
            match self.drive(&mut rx).map_err(|e| e.with_op(Op::Request))? {
                Step::Message(span) => on_reply(span.msg(&self.rbuf)?)?,
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

    /// Sends a dump request (the caller sets `NLM_F_DUMP`) and returns a
    /// lending stream over the replies, one receive buffer at a time.
    pub fn dump(&mut self, req: &mut [u8]) -> Result<Dump<'_>> {
        self.begin()?;
        let (seq, count) = self.stamp(req, Op::Dump)?;
        if count != 1 {
            return Err(Error::new(Op::Dump, ErrorKind::Invalid));
        }
        self.send_datagram(req)?;
        let rx = Receiver::new(Expect::Dump { seq }, self.io.port_id());
        Ok(Dump { sock: self, rx })
    }

    /// Runs a dump and hands every message to `f`. If the kernel flags the
    /// dump as interrupted, it is restarted (`on_restart` is called so the
    /// caller can drop what it collected) up to `retries` more times; after
    /// that the result is [`ErrorKind::DumpInterrupted`], with every message
    /// of the last attempt already delivered.
    pub fn dump_retry(
        &mut self,
        req: &mut [u8],
        retries: usize,
        mut f: impl FnMut(Msg<'_>) -> Result<()>,
        mut on_restart: impl FnMut(),
    ) -> Result<()> {
        let mut attempt = 0;
        loop {
            let mut dump = self.dump(req)?;
            let result = dump.for_each(&mut f);
            match result {
                Err(e) if e.kind() == ErrorKind::DumpInterrupted && attempt < retries => {
                    attempt += 1;
                    on_restart();
                }
                other => return other,
            }
        }
    }

    /// Runs a dump, keeping what `parse` returns for each message, with up
    /// to `retries` restarts on `NLM_F_DUMP_INTR`.
    pub fn dump_collect<T>(
        &mut self,
        req: &mut [u8],
        retries: usize,
        mut parse: impl FnMut(Msg<'_>) -> Result<Option<T>>,
    ) -> Result<Vec<T>> {
        let out = std::cell::RefCell::new(Vec::new());
        self.dump_retry(
            req,
            retries,
            |m| {
                if let Some(v) = parse(m)? {
                    out.borrow_mut().push(v);
                }
                Ok(())
            },
            || out.borrow_mut().clear(),
        )?;
        Ok(out.into_inner())
    }

    /// Sends many requests with as few `sendmsg` calls as the socket buffers
    /// allow and returns one result per request.
    ///
    /// Only the last request of each datagram asks for an ack: the kernel
    /// answers every failed request with an error regardless, so successes
    /// cost no reply at all. A failure in the middle leaves every other
    /// request's result intact. Requests must not be dumps.
    pub fn batch(&mut self, buf: &mut [u8]) -> Result<BatchReport> {
        if buf.is_empty() {
            // Nothing to send is not an error: flushing an empty table is a no-op.
            return Ok(BatchReport::default());
        }
        self.begin()?;
        let max_msgs = self.batch_capacity();
        let plan = BatchPlan::new(self, buf, max_msgs)?;
        let mut report = BatchReport {
            len: plan.count,
            failures: Vec::new(),
        };
        let mut rx = plan.receiver(self.io.port_id());
        let mut i = 0usize;
        while let Some((range, last_seq, next)) = plan.chunk(buf, i, self.batch_bytes) {
            rx.expect_batch_last(last_seq);
            self.send_datagram(buf.get(range).unwrap_or_default())?;
            loop {
                match self.drive(&mut rx).map_err(|e| e.with_op(Op::Batch))? {
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

    /// How many requests one batch datagram may carry so that every error
    /// reply fits our receive queue.
    pub(crate) fn batch_capacity(&mut self) -> usize {
        if let Some(n) = self.batch_msgs {
            return n;
        }
        let rcvbuf = if self.io.fd().is_some() {
            let current = self.recv_buffer_size().unwrap_or(0);
            if current < usize::try_from(BATCH_RCVBUF).unwrap_or(usize::MAX) {
                self.set_recv_buffer_size(usize::try_from(BATCH_RCVBUF).unwrap_or(0), true)
                    .unwrap_or(current)
            } else {
                current
            }
        } else {
            usize::try_from(BATCH_RCVBUF).unwrap_or(0)
        };
        let n = (rcvbuf / REPLY_TRUESIZE).max(16);
        self.batch_msgs = Some(n);
        n
    }

    /// Drops every notification already received but not read (at most
    /// `max` datagrams), without waiting; returns how many datagrams went.
    ///
    /// This is the first step of a resync after [`ErrorKind::Overrun`]:
    /// what is queued is older than the snapshot the caller takes next, and
    /// applying it after the snapshot could bring back objects the kernel
    /// has deleted since (their deletion may be among the lost messages).
    /// Notifications that arrive from here on come after the snapshot
    /// starts and are safe to apply on top of it.
    pub fn discard_queued(&mut self, max: usize) -> Result<usize> {
        self.events.discard();
        self.io.transport().discard_queued(max)
    }

    /// A lending stream of every message that arrives (notifications of
    /// joined groups), with no request matching.
    pub fn messages(&mut self) -> Messages<'_> {
        Messages { sock: self }
    }

    /// Whether no abandoned dump waits to be drained (its next exchange
    /// starts at once).
    pub fn is_idle(&self) -> bool {
        self.pending.is_none()
    }

    /// Stamps a batch's requests and clears `NLM_F_ACK` on each (the plan
    /// sets it again on the last of every datagram).
    pub(crate) fn stamp_batch(&mut self, buf: &mut [u8]) -> Result<(u32, usize)> {
        self.stamp(buf, Op::Batch)
    }
}

impl AsFd for Socket {
    /// The socket's descriptor, for event loops (`async-io`, tokio's
    /// `AsyncFd`). A transport without one (a fake) lends a placeholder
    /// eventfd that never becomes readable.
    fn as_fd(&self) -> BorrowedFd<'_> {
        match &self.io {
            Io::Sys(s) => s.as_fd(),
            Io::Custom(t, placeholder) => t.fd().unwrap_or(placeholder.as_fd()),
        }
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.as_fd().as_raw_fd()
    }
}

/// The notification receiver for a socket of `protocol`.
fn events_receiver(protocol: i32) -> Receiver {
    let rx = Receiver::new(Expect::Events, 0);
    // The connector sends everything as NLMSG_DONE (cn_netlink_send).
    if protocol == nl_wire::netlink::NETLINK_CONNECTOR {
        rx.done_is_message()
    } else {
        rx
    }
}

fn msg_len_at(buf: &[u8], pos: usize) -> usize {
    buf.get(pos..pos.saturating_add(4))
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, |b| usize::try_from(u32::from_ne_bytes(b)).unwrap_or(0))
}

pub(crate) fn set_flags(msg: &mut [u8], flags: u16) {
    if let Ok((hdr, _)) = NlMsgHdr::mut_from_prefix(msg) {
        hdr.nlmsg_flags.set(hdr.nlmsg_flags.get() | flags);
    }
}

fn clear_flags(msg: &mut [u8], flags: u16) {
    if let Ok((hdr, _)) = NlMsgHdr::mut_from_prefix(msg) {
        hdr.nlmsg_flags.set(hdr.nlmsg_flags.get() & !flags);
    }
}

/// How a batch is cut into datagrams: the offset of every request.
pub(crate) struct BatchPlan {
    first: u32,
    pub(crate) count: usize,
    offsets: Vec<usize>,
    max_msgs: usize,
}

impl BatchPlan {
    pub(crate) fn new(sock: &mut Socket, buf: &mut [u8], max_msgs: usize) -> Result<Self> {
        let (first, count) = sock.stamp_batch(buf)?;
        let mut offsets = Vec::with_capacity(count);
        let mut pos = 0usize;
        while pos < buf.len() && offsets.len() < count {
            offsets.push(pos);
            let len = msg_len_at(buf, pos);
            clear_flags(buf.get_mut(pos..).unwrap_or_default(), NLM_F_ACK);
            pos = pos.saturating_add(nl_wire::align::align(len));
        }
        Ok(BatchPlan {
            first,
            count,
            offsets,
            max_msgs,
        })
    }

    pub(crate) fn receiver(&self, port: u32) -> Receiver {
        let count = u32::try_from(self.count).unwrap_or(u32::MAX);
        Receiver::new(
            Expect::Batch {
                first: self.first,
                count,
                last: self.first,
            },
            port,
        )
    }

    /// The datagram starting at request `i`: its byte range, the sequence
    /// number of its last request (flagged `NLM_F_ACK`), and the index of
    /// the next datagram's first request. `None` after the last.
    pub(crate) fn chunk(
        &self,
        buf: &mut [u8],
        i: usize,
        batch_bytes: usize,
    ) -> Option<(std::ops::Range<usize>, u32, usize)> {
        if i >= self.count {
            return None;
        }
        let start = self.offsets.get(i).copied().unwrap_or(buf.len());
        let mut j = i;
        let mut end = start;
        while j < self.count && j - i < self.max_msgs {
            let off = self.offsets.get(j).copied().unwrap_or(buf.len());
            let next = off
                .saturating_add(nl_wire::align::align(msg_len_at(buf, off)))
                .min(buf.len());
            if j > i && next - start > batch_bytes {
                break;
            }
            end = next;
            j += 1;
        }
        let last = j - 1;
        let last_off = self.offsets.get(last).copied().unwrap_or(0);
        set_flags(buf.get_mut(last_off..).unwrap_or_default(), NLM_F_ACK);
        let last_seq = self
            .first
            .wrapping_add(u32::try_from(last).unwrap_or(u32::MAX));
        Some((start..end, last_seq, j))
    }

    /// The bytes of request `index`, to resolve its error's attribute path.
    pub(crate) fn request<'b>(&self, buf: &'b [u8], index: usize) -> &'b [u8] {
        self.offsets
            .get(index)
            .and_then(|&o| buf.get(o..o.saturating_add(msg_len_at(buf, o))))
            .unwrap_or_default()
    }
}

/// Results of [`Socket::batch`]: one per request, by index.
#[derive(Debug, Clone, Default)]
pub struct BatchReport {
    pub(crate) len: usize,
    pub(crate) failures: Vec<(usize, Error)>,
}

impl BatchReport {
    /// Number of requests.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether every request succeeded.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// Number of requests that succeeded.
    pub fn succeeded(&self) -> usize {
        self.len - self.failures.len()
    }

    /// The failed requests: (index in the batch, error), in reply order.
    pub fn failures(&self) -> &[(usize, Error)] {
        &self.failures
    }

    /// The result of request `index`.
    pub fn result(&self, index: usize) -> std::result::Result<(), &Error> {
        match self.failures.iter().find(|(i, _)| *i == index) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Every result in request order.
    pub fn results(&self) -> Vec<std::result::Result<(), &Error>> {
        let mut out: Vec<std::result::Result<(), &Error>> = vec![Ok(()); self.len];
        for (i, e) in &self.failures {
            if let Some(slot) = out.get_mut(*i) {
                *slot = Err(e);
            }
        }
        out
    }
}

/// A dump in progress: a lending stream of reply messages.
///
/// `next` hands out views into the socket's receive buffer; each view lives
/// until the next call. After the last message: `None`, or once
/// `Some(Err(..))` with [`ErrorKind::DumpInterrupted`] if the kernel flagged
/// the dump as inconsistent (every message was still delivered), or the
/// kernel's error if the dump failed midway. On a non-blocking socket,
/// [`ErrorKind::WouldBlock`] means "not yet": call `next` again when the
/// socket is readable. Dropping an unfinished dump costs nothing; the
/// socket's next exchange first reads and discards the rest (for at most
/// a second, then it answers [`ErrorKind::Busy`] and goes on next time).
pub struct Dump<'s> {
    sock: &'s mut Socket,
    rx: Receiver,
}

impl Dump<'_> {
    /// The next message of the dump.
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next(&mut self) -> Option<Result<Msg<'_>>> {
        let step = match self.sock.drive(&mut self.rx) {
            Ok(step) => step,
            Err(e) => return Some(Err(e.with_op(Op::Dump))),
        };
        match step {
            Step::Message(span) => Some(span.msg(&self.sock.rbuf)),
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
    pub fn for_each(&mut self, mut f: impl FnMut(Msg<'_>) -> Result<()>) -> Result<()> {
        while let Some(msg) = self.next() {
            f(msg?)?;
        }
        Ok(())
    }
}

impl Drop for Dump<'_> {
    fn drop(&mut self) {
        if !self.rx.is_finished() {
            // Drained by the socket's next exchange, within a budget.
            self.sock.pending = Some(self.rx.clone());
        }
    }
}

/// A lending stream of incoming messages without request matching
/// (notifications). `next` blocks (or fails with the timeout, cancel or
/// non-blocking error); `ENOBUFS` and `NLMSG_OVERRUN` are
/// [`ErrorKind::Overrun`]: notifications were lost, the caller should
/// resync, and the stream goes on. The socket's default request timeout
/// does not apply here: `next` waits until a message comes, unless a
/// timeout was set with [`Socket::set_recv_timeout`].
pub struct Messages<'s> {
    sock: &'s mut Socket,
}

impl Messages<'_> {
    /// The next message.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Msg<'_>> {
        loop {
            match self.sock.events.next(&self.sock.rbuf) {
                Step::Message(span) => return span.msg(&self.sock.rbuf),
                Step::Overrun => return Err(Error::new(Op::Events, ErrorKind::Overrun)),
                Step::Malformed(e) => return Err(e),
                Step::NeedData => {}
                _ => continue,
            }
            match self.sock.recv_datagram() {
                Ok(n) => self.sock.events.feed(n),
                Err(e) => match self.sock.events.recv_error(e) {
                    Ok(_) => return Err(Error::new(Op::Events, ErrorKind::Overrun)),
                    Err(e) if e.kind() == ErrorKind::Timeout && !self.sock.timeout_set => {}
                    Err(e) => return Err(e.with_op(Op::Events)),
                },
            }
        }
    }

    /// Whether messages of the last datagram are still waiting (so the
    /// next `next` will not block).
    pub fn has_buffered(&self) -> bool {
        self.sock.events.has_buffered()
    }
}

/// Makes a blocked receive on its socket return [`ErrorKind::Cancelled`];
/// `Send + Sync`, for use from another thread.
#[derive(Debug)]
pub struct CancelHandle {
    fd: OwnedFd,
}

impl CancelHandle {
    /// Wakes the socket's receive with [`ErrorKind::Cancelled`]; receives
    /// keep failing that way from then on.
    pub fn cancel(&self) -> Result<()> {
        let one = 1u64.to_ne_bytes();
        nix::unistd::write(&self.fd, &one).map(drop).or_else(|e| {
            if e == Errno::EAGAIN {
                Ok(())
            } else {
                Err(Error::from_errno(Op::Option, e))
            }
        })
    }
}
