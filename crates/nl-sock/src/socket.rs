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
use std::time::Duration;

use nix::errno::Errno;
use nix::libc;
use nl_wire::netlink::{
    NETLINK_ADD_MEMBERSHIP, NETLINK_BROADCAST_ERROR, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP,
    NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_LISTEN_ALL_NSID, NETLINK_NO_ENOBUFS,
    NLM_F_ACK, NlMsgHdr, SOL_NETLINK,
};
use nl_wire::pcap::Direction;
use nl_wire::{Control, ErrorMsg, Msg, locate_any};
use zerocopy::FromBytes;

use crate::error::{Ack, Error, ErrorKind, KernelDetail, Op, Result};
use crate::record::Recorder;
use crate::sys;
use crate::transport::{SysSocket, Transport};

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
    rbuf: Vec<u8>,
    batch_bytes: usize,
    batch_msgs: Option<usize>,
    recorder: Option<Recorder>,
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
        };
        // Old kernels lack these options; the socket still works without.
        let _ = sock.set_ext_ack(true);
        let _ = sock.set_cap_ack(true);
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
        fcntl(fd, FcntlArg::F_SETFL(flags))
            .map_err(|e| Error::from_errno(Op::Option, e))
            .map(drop)
    }

    /// Receive timeout: a receive that waits longer fails with
    /// [`ErrorKind::Timeout`], so a caller never hangs on a silent kernel.
    pub fn set_recv_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        match &mut self.io {
            Io::Sys(s) => s.set_timeout(timeout),
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
    fn stamp(&mut self, buf: &mut [u8], op: Op) -> Result<(u32, usize)> {
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

    fn send_datagram(&mut self, buf: &[u8]) -> Result<()> {
        self.io.transport().send(buf)?;
        if let Some(rec) = &self.recorder {
            rec.record(Direction::ToKernel, self.protocol, buf);
        }
        Ok(())
    }

    fn recv_datagram(&mut self) -> Result<usize> {
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

    fn is_ours(&self, msg: &Msg<'_>, seq: u32) -> bool {
        let pid = self.io.port_id();
        msg.seq() == seq && (pid == 0 || msg.pid() == pid || msg.pid() == 0)
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
        let n = self.recv_datagram()?;
        Ok(self.rbuf.get(..n).unwrap_or_default())
    }

    /// Receives one datagram and hands each message in it to `f`, without
    /// any matching: the lowest layer, for protocols the socket does not model.
    pub fn recv_with(&mut self, mut f: impl FnMut(Msg<'_>) -> Result<()>) -> Result<usize> {
        let n = self.recv_datagram()?;
        let mut count = 0;
        for msg in nl_wire::Msgs::new(self.rbuf.get(..n).unwrap_or_default()) {
            f(msg.map_err(|e| Error::malformed(Op::Recv, e))?)?;
            count += 1;
        }
        Ok(count)
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
        let (seq, count) = self.stamp(req, Op::Request)?;
        if count != 1 {
            return Err(Error::new(Op::Request, ErrorKind::Invalid));
        }
        set_flags(req, NLM_F_ACK);
        self.send_datagram(req)?;
        loop {
            let n = self.recv_datagram().map_err(|e| e.with_op(Op::Request))?;
            let mut outcome = None;
            for msg in nl_wire::Msgs::new(self.rbuf.get(..n).unwrap_or_default()) {
                let msg = msg.map_err(|e| Error::malformed(Op::Request, e))?;
                if !self.is_ours(&msg, seq) {
                    continue;
                }
                match msg
                    .control()
                    .map_err(|e| Error::malformed(Op::Request, e))?
                {
                    None => on_reply(msg)?,
                    Some(Control::Ack(a)) => {
                        outcome = Some(Ok(Ack {
                            warning: warning(&a, req),
                        }));
                        break;
                    }
                    Some(Control::Error(e)) => {
                        outcome = Some(Err(kernel_error(Op::Request, &e, Some(req))));
                        break;
                    }
                    Some(Control::Overrun) => {
                        return Err(Error::new(Op::Request, ErrorKind::Overrun));
                    }
                    Some(Control::Noop | Control::Done(_)) => {}
                }
            }
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
    }

    /// Sends a dump request (the caller sets `NLM_F_DUMP`) and returns a
    /// lending stream over the replies, one receive buffer at a time.
    pub fn dump(&mut self, req: &mut [u8]) -> Result<Dump<'_>> {
        let (seq, count) = self.stamp(req, Op::Dump)?;
        if count != 1 {
            return Err(Error::new(Op::Dump, ErrorKind::Invalid));
        }
        self.send_datagram(req)?;
        Ok(Dump {
            sock: self,
            seq,
            pos: 0,
            end: 0,
            finished: false,
            interrupted: false,
            reported: false,
        })
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
        let max_msgs = self.batch_capacity();
        let (first, count) = self.stamp(buf, Op::Batch)?;
        let mut offsets = Vec::with_capacity(count);
        let mut pos = 0usize;
        while pos < buf.len() && offsets.len() < count {
            offsets.push(pos);
            let len = msg_len_at(buf, pos);
            clear_flags(buf.get_mut(pos..).unwrap_or_default(), NLM_F_ACK);
            pos = pos.saturating_add(nl_wire::align::align(len));
        }
        let mut report = BatchReport {
            len: count,
            failures: Vec::new(),
        };
        let mut i = 0usize;
        while i < count {
            // A chunk: whole messages, at most batch_bytes and max_msgs.
            let start = offsets.get(i).copied().unwrap_or(buf.len());
            let mut j = i;
            let mut end = start;
            while j < count && j - i < max_msgs {
                let off = offsets.get(j).copied().unwrap_or(buf.len());
                let next = off
                    .saturating_add(nl_wire::align::align(msg_len_at(buf, off)))
                    .min(buf.len());
                if j > i && next - start > self.batch_bytes {
                    break;
                }
                end = next;
                j += 1;
            }
            let last = j - 1;
            let last_off = offsets.get(last).copied().unwrap_or(0);
            set_flags(buf.get_mut(last_off..).unwrap_or_default(), NLM_F_ACK);
            self.send_datagram(buf.get(start..end).unwrap_or_default())?;
            let last_seq = first.wrapping_add(u32::try_from(last).unwrap_or(u32::MAX));
            self.collect_batch_replies(buf, &offsets, first, count, last_seq, &mut report)?;
            i = j;
        }
        Ok(report)
    }

    fn collect_batch_replies(
        &mut self,
        buf: &[u8],
        offsets: &[usize],
        first: u32,
        count: usize,
        last_seq: u32,
        report: &mut BatchReport,
    ) -> Result<()> {
        let pid = self.io.port_id();
        loop {
            let n = self.recv_datagram().map_err(|e| e.with_op(Op::Batch))?;
            let mut done = false;
            for msg in nl_wire::Msgs::new(self.rbuf.get(..n).unwrap_or_default()) {
                let msg = msg.map_err(|e| Error::malformed(Op::Batch, e))?;
                let index = usize::try_from(msg.seq().wrapping_sub(first)).unwrap_or(usize::MAX);
                if index >= count || (pid != 0 && msg.pid() != pid && msg.pid() != 0) {
                    continue;
                }
                match msg.control().map_err(|e| Error::malformed(Op::Batch, e))? {
                    Some(Control::Error(e)) => {
                        let req = offsets
                            .get(index)
                            .and_then(|&o| buf.get(o..o.saturating_add(msg_len_at(buf, o))));
                        report
                            .failures
                            .push((index, kernel_error(Op::Batch, &e, req)));
                    }
                    Some(Control::Overrun) => {
                        return Err(Error::new(Op::Batch, ErrorKind::Overrun));
                    }
                    _ => {}
                }
                if msg.seq() == last_seq && msg.ty() == nl_wire::netlink::NLMSG_ERROR {
                    done = true;
                }
            }
            if done {
                return Ok(());
            }
        }
    }

    /// How many requests one batch datagram may carry so that every error
    /// reply fits our receive queue.
    fn batch_capacity(&mut self) -> usize {
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

    /// A lending stream of every message that arrives (notifications of
    /// joined groups), with no request matching.
    pub fn messages(&mut self) -> Messages<'_> {
        Messages {
            sock: self,
            pos: 0,
            end: 0,
        }
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

fn msg_len_at(buf: &[u8], pos: usize) -> usize {
    buf.get(pos..pos.saturating_add(4))
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, |b| usize::try_from(u32::from_ne_bytes(b)).unwrap_or(0))
}

fn set_flags(msg: &mut [u8], flags: u16) {
    if let Ok((hdr, _)) = NlMsgHdr::mut_from_prefix(msg) {
        hdr.nlmsg_flags.set(hdr.nlmsg_flags.get() | flags);
    }
}

fn clear_flags(msg: &mut [u8], flags: u16) {
    if let Ok((hdr, _)) = NlMsgHdr::mut_from_prefix(msg) {
        hdr.nlmsg_flags.set(hdr.nlmsg_flags.get() & !flags);
    }
}

fn detail(ext: &nl_wire::ExtAck<'_>, request: Option<&[u8]>) -> KernelDetail {
    KernelDetail {
        message: ext.message.filter(|m| !m.is_empty()).map(Into::into),
        offset: ext.offset,
        path: ext
            .offset
            .and_then(|o| request.and_then(|r| locate_any(r, o))),
        missing_type: ext.missing_type,
        missing_nest: ext
            .missing_nest
            .and_then(|o| request.and_then(|r| locate_any(r, o))),
    }
}

/// The typed error for a kernel error reply to `request`.
pub(crate) fn kernel_error(op: Op, e: &ErrorMsg<'_>, request: Option<&[u8]>) -> Error {
    let ext = e.ext_ack().unwrap_or_default();
    Error::kernel(
        op,
        e.errno(),
        e.request().nlmsg_seq.get(),
        detail(&ext, request),
    )
}

fn warning(a: &ErrorMsg<'_>, request: &[u8]) -> Option<KernelDetail> {
    let ext = a.ext_ack().ok()?;
    if ext.is_empty() {
        return None;
    }
    Some(detail(&ext, Some(request)))
}

/// Results of [`Socket::batch`]: one per request, by index.
#[derive(Debug, Clone, Default)]
pub struct BatchReport {
    len: usize,
    failures: Vec<(usize, Error)>,
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
/// kernel's error if the dump failed midway. Dropping an unfinished dump
/// reads and discards the rest, so the socket stays usable.
pub struct Dump<'s> {
    sock: &'s mut Socket,
    seq: u32,
    pos: usize,
    end: usize,
    finished: bool,
    interrupted: bool,
    reported: bool,
}

impl Dump<'_> {
    /// The next message of the dump.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Msg<'_>>> {
        match self.advance() {
            Ok(Some((start, end))) => {
                let bytes = self.sock.rbuf.get(start..end).unwrap_or_default();
                Some(
                    Msg::parse(bytes)
                        .map(|(m, _)| m)
                        .map_err(|e| Error::malformed(Op::Dump, e)),
                )
            }
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Whether any message so far carried `NLM_F_DUMP_INTR`.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// Hands every message to `f`; the dump's final status is the result.
    pub fn for_each(&mut self, mut f: impl FnMut(Msg<'_>) -> Result<()>) -> Result<()> {
        while let Some(msg) = self.next() {
            f(msg?)?;
        }
        Ok(())
    }

    /// Finds the next data message of this dump; returns its byte range in
    /// the receive buffer.
    fn advance(&mut self) -> Result<Option<(usize, usize)>> {
        loop {
            if self.finished {
                if self.interrupted && !self.reported {
                    self.reported = true;
                    return Err(Error::new(Op::Dump, ErrorKind::DumpInterrupted));
                }
                return Ok(None);
            }
            if self.pos >= self.end {
                match self.sock.recv_datagram() {
                    Ok(n) => {
                        self.pos = 0;
                        self.end = n;
                    }
                    Err(e) => {
                        self.finished = true;
                        self.reported = true;
                        return Err(e.with_op(Op::Dump));
                    }
                }
                continue;
            }
            let start = self.pos;
            let bytes = self.sock.rbuf.get(start..self.end).unwrap_or_default();
            let (msg, rest) = match Msg::parse(bytes) {
                Ok(x) => x,
                Err(e) => {
                    self.finished = true;
                    self.reported = true;
                    return Err(Error::malformed(Op::Dump, e.shifted(start)));
                }
            };
            let len = msg.len();
            self.pos = self.end - rest.len();
            if !self.sock.is_ours(&msg, self.seq) {
                continue;
            }
            if msg.is_dump_interrupted() {
                self.interrupted = true;
            }
            match msg.control() {
                Ok(None) => return Ok(Some((start, start + len))),
                Ok(Some(Control::Done(done))) => {
                    self.finished = true;
                    if done.error() < 0 {
                        self.reported = true;
                        let ext = done.ext_ack().unwrap_or_default();
                        let errno = done.error().checked_neg().unwrap_or(i32::MAX);
                        return Err(Error::kernel(Op::Dump, errno, self.seq, detail(&ext, None)));
                    }
                }
                Ok(Some(Control::Error(e))) => {
                    self.finished = true;
                    self.reported = true;
                    return Err(kernel_error(Op::Dump, &e, None));
                }
                Ok(Some(Control::Overrun)) => {
                    self.finished = true;
                    self.reported = true;
                    return Err(Error::new(Op::Dump, ErrorKind::Overrun));
                }
                Ok(Some(Control::Ack(_) | Control::Noop)) => {}
                Err(e) => {
                    self.finished = true;
                    self.reported = true;
                    return Err(Error::malformed(Op::Dump, e.shifted(start)));
                }
            }
        }
    }
}

impl Drop for Dump<'_> {
    fn drop(&mut self) {
        // Drain to NLMSG_DONE so the next request on this socket does not
        // meet EBUSY (a dump still running) or this dump's leftovers.
        while !self.finished {
            if self.advance().is_err() {
                break;
            }
        }
    }
}

/// A lending stream of incoming messages without request matching
/// (notifications). `next` blocks (or fails with the timeout, cancel or
/// non-blocking error); `ENOBUFS` and `NLMSG_OVERRUN` are
/// [`ErrorKind::Overrun`]: notifications were lost, the caller should
/// resync, and the stream goes on.
pub struct Messages<'s> {
    sock: &'s mut Socket,
    pos: usize,
    end: usize,
}

impl Messages<'_> {
    /// The next message.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Msg<'_>> {
        loop {
            if self.pos >= self.end {
                self.pos = 0;
                self.end = 0;
                self.end = self
                    .sock
                    .recv_datagram()
                    .map_err(|e| e.with_op(Op::Events))?;
                continue;
            }
            let start = self.pos;
            let bytes = self.sock.rbuf.get(start..self.end).unwrap_or_default();
            let (msg, rest) = match Msg::parse(bytes) {
                Ok(x) => x,
                Err(e) => {
                    self.pos = self.end;
                    return Err(Error::malformed(Op::Events, e.shifted(start)));
                }
            };
            let len = msg.len();
            self.pos = self.end - rest.len();
            if msg.ty() == nl_wire::netlink::NLMSG_OVERRUN {
                return Err(Error::new(Op::Events, ErrorKind::Overrun));
            }
            if msg.ty() == nl_wire::netlink::NLMSG_NOOP {
                continue;
            }
            let bytes = self.sock.rbuf.get(start..start + len).unwrap_or_default();
            return Msg::parse(bytes)
                .map(|(m, _)| m)
                .map_err(|e| Error::malformed(Op::Events, e));
        }
    }

    /// Whether messages of the last datagram are still waiting (so the
    /// next `next` will not block).
    pub fn has_buffered(&self) -> bool {
        self.pos < self.end
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
