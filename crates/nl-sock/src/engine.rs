//! The receive engine: one I/O-free state machine for every kind of
//! exchange with the kernel (libmnl's `mnl_cb_run` idea).
//!
//! A [`Receiver`] is told what it waits for ([`Expect`]: the reply to a
//! request, a dump, a batch's acks, or notifications) and the socket's port
//! id. The driver hands it each received datagram ([`Receiver::feed`]) and
//! then asks for [`Step`]s until it answers [`Step::NeedData`]:
//!
//! ```text
//!          feed(datagram)                next(datagram)
//!  driver ───────────────► Receiver ─────────────────────► Step
//!    ▲                                                      │
//!    └──── recv (blocking, tokio, any event loop) ◄─ NeedData
//! ```
//!
//! The engine alone reads `nlmsghdr` flags and control messages: it skips
//! messages of other requests (wrong sequence number or port id), turns
//! `NLMSG_ERROR` into an ack or a typed error with the kernel's ext-ack
//! text, ends a dump at `NLMSG_DONE` (reporting `NLM_F_DUMP_INTR` after the
//! last message, never instead of it), matches each batch error to its
//! request by sequence number, and turns `NLMSG_OVERRUN` and `ENOBUFS` into
//! [`Step::Overrun`]. It never allocates, never panics, and every
//! malformed datagram is an error that says where.
//!
//! ```
//! use nl_sock::engine::{Expect, Receiver, Step};
//! use nl_sock::fake;
//! use nl_wire::{Msgs, MsgBuilder};
//!
//! // A dump request with sequence number 7 on port 4242...
//! let mut req = Vec::new();
//! let mut m = MsgBuilder::new(&mut req, 18, nl_wire::netlink::NLM_F_DUMP);
//! m.seq(7).pid(4242);
//! m.finish()?;
//! let (req, _) = nl_wire::Msg::parse(&req)?;
//! // ...answered by two messages and NLMSG_DONE in one datagram.
//! let two = vec![fake::reply(&req, 16, 0, |_| {}); 2];
//! let datagram: Vec<u8> = fake::multipart(&req, &two, 2, false).concat();
//! let mut rx = Receiver::new(Expect::Dump { seq: 7 }, 4242);
//! rx.feed(datagram.len());
//! let mut messages = 0;
//! loop {
//!     match rx.next(&datagram) {
//!         Step::Message(span) => {
//!             assert_eq!(span.msg(&datagram)?.ty(), 16);
//!             messages += 1;
//!         }
//!         Step::Done { interrupted } => { assert!(!interrupted); break }
//!         other => panic!("{other:?}"),
//!     }
//! }
//! assert_eq!(messages, 2);
//! assert!(rx.is_finished());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::ops::Range;

use nix::errno::Errno;
use nl_wire::align::{NLMSG_HDRLEN, align};
use nl_wire::netlink::{NLM_F_DUMP_INTR, NLMSG_MIN_TYPE, NlMsgHdr};
use nl_wire::{Control, ErrorMsg, Msg};
use zerocopy::FromBytes;

use crate::error::{Ack, Error, ErrorKind, KernelDetail, Op};

/// What a [`Receiver`] waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The answer to one request: any replies, then an ack or an error.
    Reply {
        /// The request's sequence number.
        seq: u32,
    },
    /// A dump: messages until `NLMSG_DONE` (or an error).
    Dump {
        /// The request's sequence number.
        seq: u32,
    },
    /// The errors and acks of a batch of `count` requests numbered from
    /// `first`; the current datagram's part ends with the ack of `last`
    /// (set again with [`Receiver::expect_batch_last`] for each datagram).
    Batch {
        /// Sequence number of the batch's first request.
        first: u32,
        /// Number of requests in the batch.
        count: u32,
        /// Sequence number of the request whose ack ends this part.
        last: u32,
    },
    /// Notifications of joined groups: every message, no end.
    Events,
}

/// Where a message is in the datagram the engine read: steps own no
/// borrow, so a driver can receive into the same buffer right after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span(Range<usize>);

impl Span {
    /// The message's bytes' position in the datagram.
    pub fn range(&self) -> Range<usize> {
        self.0.clone()
    }

    /// The message, read from `datagram` (the one the engine was reading).
    /// Fails only if `datagram` is another buffer.
    #[inline]
    pub fn msg<'b>(&self, datagram: &'b [u8]) -> Result<Msg<'b>, Error> {
        let bytes = datagram.get(self.0.clone()).unwrap_or_default();
        Msg::parse(bytes)
            .map(|(m, _)| m)
            .map_err(|e| Error::malformed(Op::Recv, e.shifted(self.0.start)))
    }
}

/// What the engine found next.
#[derive(Debug)]
pub enum Step {
    /// A message for the caller: a reply, an object of the dump, a
    /// notification.
    Message(Span),
    /// The request succeeded (the kernel may have attached a warning).
    /// Ends [`Expect::Reply`].
    Ack(Ack),
    /// The kernel refused: ends [`Expect::Reply`] and [`Expect::Dump`];
    /// in a batch, `index` is the failed request's position and the batch
    /// goes on. The error's attribute path is not known yet: resolve it
    /// against the request with [`Error::locate`].
    Failed {
        /// Position of the failed request in a batch (0 otherwise).
        index: usize,
        /// The kernel's error, with its ext-ack text and offset.
        error: Error,
    },
    /// A dump ended; `interrupted` when any of its messages carried
    /// `NLM_F_DUMP_INTR` (the results may be inconsistent). Also the end
    /// of one datagram's part of a batch.
    Done {
        /// Whether the kernel flagged the dump as interrupted.
        interrupted: bool,
    },
    /// Messages were lost (`NLMSG_OVERRUN`, or `ENOBUFS` on receive).
    /// Ends everything but [`Expect::Events`], where it is an item.
    Overrun,
    /// The rest of the datagram could not be parsed (the error says
    /// where); it is skipped. Ends everything but [`Expect::Events`].
    Malformed(Error),
    /// Nothing more in this datagram: receive the next one and
    /// [`Receiver::feed`] it (never returned once finished).
    NeedData,
    /// The exchange is over; nothing more will come.
    Finished,
}

/// The receive state machine (see the module docs).
#[derive(Debug, Clone)]
pub struct Receiver {
    expect: Expect,
    port: u32,
    pos: usize,
    end: usize,
    interrupted: bool,
    finished: bool,
    /// A batch error for the part's last request was reported; its end
    /// comes next.
    part_done: bool,
    /// `NLMSG_DONE` carries notifications (the connector's).
    done_is_message: bool,
}

impl Receiver {
    /// A receiver for `expect` on a socket with port id `port` (0 while
    /// unknown: then any port id is accepted).
    pub fn new(expect: Expect, port: u32) -> Self {
        Receiver {
            expect,
            port,
            pos: 0,
            end: 0,
            interrupted: false,
            finished: false,
            part_done: false,
            done_is_message: false,
        }
    }

    /// Notifications come as `NLMSG_DONE` messages: yield them instead of
    /// skipping them (`NETLINK_CONNECTOR`'s `cn_netlink_send` uses that
    /// type for every message).
    #[must_use]
    pub fn done_is_message(mut self) -> Self {
        self.done_is_message = true;
        self
    }

    /// What it waits for.
    pub fn expect(&self) -> Expect {
        self.expect
    }

    /// Starts the next datagram's part of a batch: its end is the ack of
    /// `last`.
    pub fn expect_batch_last(&mut self, last: u32) {
        if let Expect::Batch { first, count, .. } = self.expect {
            self.expect = Expect::Batch { first, count, last };
            self.finished = false;
            self.part_done = false;
        }
    }

    /// Whether the exchange is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Whether a dump has seen `NLM_F_DUMP_INTR` so far.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// Whether messages of the last datagram are still waiting.
    pub fn has_buffered(&self) -> bool {
        self.pos < self.end
    }

    /// A new datagram of `len` bytes is in the buffer that the following
    /// [`Receiver::next`] calls read.
    pub fn feed(&mut self, len: usize) {
        self.pos = 0;
        self.end = len;
    }

    /// Drops what is left of the current datagram.
    pub fn discard(&mut self) {
        self.pos = self.end;
    }

    /// A receive failed with `err`: `ENOBUFS` is an [`Step::Overrun`]
    /// (and ends all but notifications); anything else ends the exchange
    /// and is returned as it is.
    pub fn recv_error(&mut self, err: Error) -> Result<Step, Error> {
        if err.errno() == Some(Errno::ENOBUFS) || err.kind() == ErrorKind::Overrun {
            self.pos = self.end;
            if self.expect != Expect::Events {
                self.finished = true;
            }
            return Ok(Step::Overrun);
        }
        if !matches!(err.kind(), ErrorKind::WouldBlock) {
            self.finished = true;
        }
        Err(err)
    }

    fn op(&self) -> Op {
        match self.expect {
            Expect::Reply { .. } => Op::Request,
            Expect::Dump { .. } => Op::Dump,
            Expect::Batch { .. } => Op::Batch,
            Expect::Events => Op::Events,
        }
    }

    fn finish(&mut self) {
        if self.expect != Expect::Events {
            self.finished = true;
        }
    }

    /// The next step, reading the datagram `buf` (the one last fed; the
    /// same bytes on every call until [`Step::NeedData`]).
    #[inline]
    pub fn next(&mut self, buf: &[u8]) -> Step {
        match self.next_object(buf) {
            Some(span) => Step::Message(span),
            None => self.next_step(buf),
        }
    }

    /// The common case of a dump, small enough to inline into a caller's
    /// loop: the next message (its header read in place, without building
    /// a `Msg`) is a well-formed object of our dump. `None`
    /// leaves everything else (and every doubt) to [`Receiver::next_step`].
    #[inline(always)]
    fn next_object(&mut self, buf: &[u8]) -> Option<Span> {
        let Expect::Dump { seq } = self.expect else {
            return None;
        };
        if self.finished || self.part_done {
            return None;
        }
        let start = self.pos;
        let rest = buf.get(start..self.end.min(buf.len()))?;
        let (hdr, _) = NlMsgHdr::ref_from_prefix(rest).ok()?;
        let len = usize::try_from(hdr.nlmsg_len.get()).ok()?;
        let flags = hdr.nlmsg_flags.get();
        if hdr.nlmsg_type.get() < NLMSG_MIN_TYPE || len < NLMSG_HDRLEN || len > rest.len() {
            return None;
        }
        if !self.answers(hdr.nlmsg_seq.get(), hdr.nlmsg_pid.get(), seq) {
            return None;
        }
        self.interrupted |= flags & NLM_F_DUMP_INTR != 0;
        self.pos = start + align(len).min(rest.len());
        Some(Span(start..start + len))
    }

    /// [`Receiver::next`] for everything but the common case.
    fn next_step(&mut self, buf: &[u8]) -> Step {
        loop {
            if self.finished {
                return Step::Finished;
            }
            if self.part_done {
                self.part_done = false;
                self.finished = true;
                return Step::Done { interrupted: false };
            }
            let end = self.end.min(buf.len());
            if self.pos >= end {
                return Step::NeedData;
            }
            let start = self.pos;
            let bytes = buf.get(start..end).unwrap_or_default();
            let msg = match Msg::parse(bytes) {
                Ok((msg, rest)) => {
                    self.pos = end - rest.len();
                    msg
                }
                Err(e) => {
                    self.pos = end;
                    self.finish();
                    return Step::Malformed(Error::malformed(self.op(), e.shifted(start)));
                }
            };
            // The common case first: an object of a dump or a notification
            // (no control message to read).
            if msg.ty() >= NLMSG_MIN_TYPE {
                match self.expect {
                    Expect::Dump { seq } => {
                        if self.ours(&msg, seq) {
                            self.interrupted |= msg.is_dump_interrupted();
                            return Step::Message(Span(start..start + msg.len()));
                        }
                        continue;
                    }
                    Expect::Events => return Step::Message(Span(start..start + msg.len())),
                    Expect::Reply { .. } | Expect::Batch { .. } => {}
                }
            }
            if let Some(step) = self.classify(&msg, start) {
                return step;
            }
        }
    }

    /// Whether `msg` answers our request `seq` (and comes to our port).
    #[inline]
    fn ours(&self, msg: &Msg<'_>, seq: u32) -> bool {
        self.answers(msg.seq(), msg.pid(), seq)
    }

    /// Whether a message with `msg_seq` from `msg_pid` answers request
    /// `seq` on our port (the kernel's own messages come from port 0).
    #[inline]
    fn answers(&self, msg_seq: u32, msg_pid: u32, seq: u32) -> bool {
        msg_seq == seq && (self.port == 0 || msg_pid == self.port || msg_pid == 0)
    }

    /// The step for one message, or `None` to skip it.
    fn classify(&mut self, msg: &Msg<'_>, start: usize) -> Option<Step> {
        let span = Step::Message(Span(start..start + msg.len()));
        let control = match msg.control() {
            Ok(c) => c,
            Err(e) => {
                // A control message too short to read: skip it where it
                // is not ours; fail the exchange where it is.
                if !self.wants(msg) {
                    return None;
                }
                self.finish();
                return Some(Step::Malformed(Error::malformed(
                    self.op(),
                    e.shifted(start),
                )));
            }
        };
        match self.expect {
            Expect::Events => match control {
                None => Some(span),
                Some(Control::Done(_)) if self.done_is_message => Some(span),
                Some(Control::Overrun) => Some(Step::Overrun),
                // Acks and errors of requests sent on a notification
                // socket, NLMSG_DONE of a dump: not notifications.
                Some(_) => None,
            },
            Expect::Reply { seq } => {
                if !self.ours(msg, seq) {
                    return None;
                }
                match control {
                    None => Some(span),
                    Some(Control::Ack(a)) => {
                        self.finished = true;
                        Some(Step::Ack(Ack {
                            warning: detail(&a),
                            value: u32::try_from(a.error()).unwrap_or(0),
                        }))
                    }
                    Some(Control::Error(e)) => {
                        self.finished = true;
                        Some(Step::Failed {
                            index: 0,
                            error: kernel_error(Op::Request, &e),
                        })
                    }
                    Some(Control::Overrun) => {
                        self.finished = true;
                        Some(Step::Overrun)
                    }
                    Some(Control::Noop | Control::Done(_)) => None,
                }
            }
            Expect::Dump { seq } => {
                if !self.ours(msg, seq) {
                    return None;
                }
                if msg.is_dump_interrupted() {
                    self.interrupted = true;
                }
                match control {
                    None => Some(span),
                    Some(Control::Done(done)) => {
                        self.finished = true;
                        if done.error() < 0 {
                            let ext = done.ext_ack().unwrap_or_default();
                            let errno = done.error().checked_neg().unwrap_or(i32::MAX);
                            return Some(Step::Failed {
                                index: 0,
                                error: Error::kernel(Op::Dump, errno, seq, ext_detail(&ext)),
                            });
                        }
                        Some(Step::Done {
                            interrupted: self.interrupted,
                        })
                    }
                    Some(Control::Error(e)) => {
                        self.finished = true;
                        Some(Step::Failed {
                            index: 0,
                            error: kernel_error(Op::Dump, &e),
                        })
                    }
                    Some(Control::Overrun) => {
                        self.finished = true;
                        Some(Step::Overrun)
                    }
                    // An ack of a dump request (NLM_F_ACK was set): the
                    // dump itself still ends with NLMSG_DONE.
                    Some(Control::Ack(_) | Control::Noop) => None,
                }
            }
            Expect::Batch { first, count, last } => {
                let index = msg.seq().wrapping_sub(first);
                if index >= count || (self.port != 0 && msg.pid() != self.port && msg.pid() != 0) {
                    return None;
                }
                let is_last = msg.seq() == last;
                match control {
                    Some(Control::Error(e)) => {
                        // The failure of the part's last request also ends
                        // the part: report it, then the end.
                        self.part_done = is_last;
                        Some(Step::Failed {
                            index: usize::try_from(index).unwrap_or(usize::MAX),
                            error: kernel_error(Op::Batch, &e),
                        })
                    }
                    Some(Control::Ack(_)) if is_last => {
                        self.finished = true;
                        Some(Step::Done { interrupted: false })
                    }
                    Some(Control::Overrun) => {
                        self.finished = true;
                        Some(Step::Overrun)
                    }
                    _ => None,
                }
            }
        }
    }

    /// Whether a message belongs to this exchange (by sequence number).
    fn wants(&self, msg: &Msg<'_>) -> bool {
        match self.expect {
            Expect::Reply { seq } | Expect::Dump { seq } => self.ours(msg, seq),
            Expect::Batch { first, count, .. } => msg.seq().wrapping_sub(first) < count,
            Expect::Events => true,
        }
    }
}

fn ext_detail(ext: &nl_wire::ExtAck<'_>) -> KernelDetail {
    KernelDetail {
        message: ext.message.filter(|m| !m.is_empty()).map(Into::into),
        offset: ext.offset,
        path: None,
        missing_type: ext.missing_type,
        missing_nest: None,
        missing_nest_offset: ext.missing_nest,
    }
}

fn detail(ack: &ErrorMsg<'_>) -> Option<KernelDetail> {
    let ext = ack.ext_ack().ok()?;
    if ext.is_empty() {
        return None;
    }
    Some(ext_detail(&ext))
}

/// The typed error for a kernel error reply (attribute paths unresolved).
pub(crate) fn kernel_error(op: Op, e: &ErrorMsg<'_>) -> Error {
    let ext = e.ext_ack().unwrap_or_default();
    Error::kernel(op, e.errno(), e.request().nlmsg_seq.get(), ext_detail(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::MsgBuilder;
    use nl_wire::netlink::{NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, NLMSG_OVERRUN};

    const PORT: u32 = 4242;

    fn msg(ty: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut m = MsgBuilder::new(&mut out, ty, flags);
        m.seq(seq).pid(pid).header(payload);
        m.finish().unwrap();
        out
    }

    /// `NLMSG_ERROR` for request `seq` with `errno` (0: an ack), capped.
    fn error(seq: u32, errno: i32) -> Vec<u8> {
        let mut p = (-errno).to_ne_bytes().to_vec();
        p.extend_from_slice(&msg(16, 0, seq, PORT, &[]));
        msg(NLMSG_ERROR, nl_wire::netlink::NLM_F_CAPPED, seq, PORT, &p)
    }

    fn done(seq: u32, flags: u16) -> Vec<u8> {
        msg(
            NLMSG_DONE,
            NLM_F_MULTI | flags,
            seq,
            PORT,
            &0i32.to_ne_bytes(),
        )
    }

    fn data(seq: u32, flags: u16, tag: u8) -> Vec<u8> {
        msg(16, NLM_F_MULTI | flags, seq, PORT, &[tag; 4])
    }

    /// Runs `rx` over `datagrams`; every step as text, message tags inline.
    fn run(rx: &mut Receiver, datagrams: &[Vec<u8>]) -> Vec<String> {
        let mut out = Vec::new();
        for d in datagrams {
            rx.feed(d.len());
            loop {
                match rx.next(d) {
                    Step::NeedData | Step::Finished => break,
                    Step::Message(span) => {
                        let m = span.msg(d).unwrap();
                        out.push(format!("msg {}", m.payload()[0]));
                    }
                    Step::Ack(_) => out.push("ack".into()),
                    Step::Failed { index, error } => {
                        out.push(format!("failed {index} {:?}", error.errno().unwrap()));
                    }
                    Step::Done { interrupted } => out.push(format!("done {interrupted}")),
                    Step::Overrun => out.push("overrun".into()),
                    Step::Malformed(e) => out.push(format!("malformed {e}")),
                }
            }
        }
        out
    }

    /// The inlined common case of a dump decides exactly as the general
    /// path: same steps, same positions, for ours, others', odd and
    /// truncated messages alike.
    #[test]
    fn dump_fast_path_agrees_with_the_general_one() {
        let mut buf = Vec::new();
        for (ty, flags, seq, pid) in [
            (24, NLM_F_MULTI, 7, PORT),
            (24, NLM_F_MULTI | NLM_F_DUMP_INTR, 7, 0),
            (24, NLM_F_MULTI, 8, PORT),
            (24, NLM_F_MULTI, 7, PORT + 1),
            (5, NLM_F_MULTI, 7, PORT),
            (24, NLM_F_MULTI, 7, PORT),
            (NLMSG_DONE, NLM_F_MULTI, 7, PORT),
        ] {
            buf.extend(msg(ty, flags, seq, pid, &[1, 2, 3, 4, 5]));
        }
        for cut in [buf.len(), buf.len() - 3, 40, 17, 3] {
            let data = &buf[..cut];
            let mut fast = Receiver::new(Expect::Dump { seq: 7 }, PORT);
            let mut slow = fast.clone();
            fast.feed(data.len());
            slow.feed(data.len());
            for _ in 0..12 {
                let a = format!("{:?}", fast.next(data));
                let b = format!("{:?}", slow.next_step(data));
                assert_eq!(a, b, "cut at {cut}");
                assert_eq!((fast.pos, fast.interrupted), (slow.pos, slow.interrupted));
            }
        }
    }

    #[test]
    fn a_dump_split_at_every_boundary_reads_the_same() {
        let seq = 9;
        let msgs: Vec<Vec<u8>> = (0..5)
            .map(|i| data(seq, 0, i))
            .chain([done(seq, 0)])
            .collect();
        let n = msgs.len();
        // Every way to cut the stream into datagrams at message boundaries.
        for cuts in 0u32..(1 << (n - 1)) {
            let mut datagrams = vec![Vec::new()];
            for (i, m) in msgs.iter().enumerate() {
                datagrams.last_mut().unwrap().extend_from_slice(m);
                if i + 1 < n && cuts & (1 << i) != 0 {
                    datagrams.push(Vec::new());
                }
            }
            let mut rx = Receiver::new(Expect::Dump { seq }, PORT);
            let steps = run(&mut rx, &datagrams);
            assert_eq!(
                steps,
                ["msg 0", "msg 1", "msg 2", "msg 3", "msg 4", "done false"],
                "cuts {cuts:b}"
            );
            assert!(rx.is_finished());
        }
    }

    #[test]
    fn dump_intr_is_reported_after_every_message() {
        let seq = 3;
        let d = [
            data(seq, 0, 1),
            data(seq, NLM_F_DUMP_INTR, 2),
            data(seq, 0, 3),
        ]
        .concat();
        let mut rx = Receiver::new(Expect::Dump { seq }, PORT);
        let steps = run(&mut rx, &[d, done(seq, NLM_F_DUMP_INTR)]);
        assert_eq!(steps, ["msg 1", "msg 2", "msg 3", "done true"]);
    }

    #[test]
    fn a_dump_that_fails_midway_says_so() {
        let seq = 3;
        let mut failing = done(seq, 0);
        failing[16..20].copy_from_slice(&(-16i32).to_ne_bytes());
        let mut rx = Receiver::new(Expect::Dump { seq }, PORT);
        let steps = run(&mut rx, &[[data(seq, 0, 1), failing].concat()]);
        assert_eq!(steps, ["msg 1", "failed 0 EBUSY"]);
        let mut rx = Receiver::new(Expect::Dump { seq }, PORT);
        assert_eq!(run(&mut rx, &[error(seq, 1)]), ["failed 0 EPERM"]);
    }

    #[test]
    fn a_positive_error_is_an_ack_with_a_value() {
        // mac80211_hwsim's NEW_RADIO answers with the radio's id.
        let seq = 9;
        let mut rx = Receiver::new(Expect::Reply { seq }, PORT);
        let d = error(seq, -7);
        rx.feed(d.len());
        let Step::Ack(a) = rx.next(&d) else {
            panic!("not an ack")
        };
        assert_eq!(a.value(), 7);
        assert!(matches!(rx.next(&d), Step::Finished));
    }

    #[test]
    fn notifications_interleaved_with_a_request_are_skipped() {
        let seq = 77;
        let note = |tag| msg(16, 0, 0, 0, &[tag; 4]);
        let reply = msg(16, 0, seq, PORT, &[5; 4]);
        let d1 = [note(1), reply, note(2)].concat();
        let d2 = [note(3), error(seq, 0), note(4)].concat();
        let mut rx = Receiver::new(Expect::Reply { seq }, PORT);
        assert_eq!(run(&mut rx, &[d1, d2]), ["msg 5", "ack"]);
        assert!(rx.is_finished());
        // A notification socket sees exactly the notifications.
        let mut rx = Receiver::new(Expect::Events, PORT);
        let d = [note(1), error(seq, 0), note(2), done(seq, 0)].concat();
        assert_eq!(run(&mut rx, &[d]), ["msg 1", "msg 2"]);
        assert!(!rx.is_finished());
        // The connector's notifications are NLMSG_DONE messages.
        let mut rx = Receiver::new(Expect::Events, PORT).done_is_message();
        let d = [note(1), error(seq, 0), done(seq, 0)].concat();
        assert_eq!(run(&mut rx, &[d]), ["msg 1", "msg 0"]);
        assert!(!rx.is_finished());
    }

    #[test]
    fn replies_to_other_ports_or_requests_are_not_believed() {
        let seq = 12;
        let spoofed = msg(16, 0, seq, PORT + 1, &[9; 4]);
        let stale = msg(16, 0, seq - 1, PORT, &[8; 4]);
        let stale_error = error(seq - 1, 1);
        let mut spoofed_ack = error(seq, 0);
        spoofed_ack[12..16].copy_from_slice(&(PORT + 1).to_ne_bytes());
        let real = msg(16, 0, seq, PORT, &[7; 4]);
        let d = [
            spoofed,
            stale,
            stale_error,
            spoofed_ack,
            real,
            error(seq, 13),
        ]
        .concat();
        let mut rx = Receiver::new(Expect::Reply { seq }, PORT);
        assert_eq!(run(&mut rx, &[d]), ["msg 7", "failed 0 EACCES"]);
    }

    #[test]
    fn batch_errors_are_matched_to_their_requests() {
        let first = 100;
        let mut rx = Receiver::new(
            Expect::Batch {
                first,
                count: 6,
                last: first,
            },
            PORT,
        );
        // First datagram: requests 0..=2, request 1 fails; ack on 2.
        rx.expect_batch_last(first + 2);
        let steps = run(
            &mut rx,
            &[[error(first + 1, 17), error(first + 2, 0)].concat()],
        );
        assert_eq!(steps, ["failed 1 EEXIST", "done false"]);
        // Second: requests 3..=5; 3 and the last one fail, out-of-range
        // sequence numbers are not ours.
        rx.expect_batch_last(first + 5);
        let d = [
            error(first + 3, 22),
            error(first + 6, 1),
            error(first - 1, 1),
            error(first + 5, 19),
        ]
        .concat();
        assert_eq!(
            run(&mut rx, &[d]),
            ["failed 3 EINVAL", "failed 5 ENODEV", "done false"]
        );
        assert!(rx.is_finished());
    }

    #[test]
    fn overruns_end_requests_but_not_notifications() {
        let enobufs = || Error::from_errno(Op::Recv, Errno::ENOBUFS);
        let mut rx = Receiver::new(Expect::Events, PORT);
        assert!(matches!(rx.recv_error(enobufs()), Ok(Step::Overrun)));
        assert!(!rx.is_finished());
        let d = [msg(NLMSG_OVERRUN, 0, 0, 0, &[]), msg(16, 0, 0, 0, &[1; 4])].concat();
        assert_eq!(run(&mut rx, &[d]), ["overrun", "msg 1"]);
        let mut rx = Receiver::new(Expect::Dump { seq: 1 }, PORT);
        assert!(matches!(rx.recv_error(enobufs()), Ok(Step::Overrun)));
        assert!(rx.is_finished());
        // Other receive errors end the exchange and come back as they are;
        // "would block" is a state, not an end.
        let mut rx = Receiver::new(Expect::Dump { seq: 1 }, PORT);
        let e = rx.recv_error(Error::from_errno(Op::Recv, Errno::EAGAIN));
        assert_eq!(e.unwrap_err().kind(), ErrorKind::WouldBlock);
        assert!(!rx.is_finished());
    }

    #[test]
    fn malformed_datagrams_say_where_and_never_loop() {
        let seq = 5;
        let mut bad = data(seq, 0, 1);
        bad.extend_from_slice(&[200, 0, 0, 0, 16, 0]); // a header claiming 200 bytes
        let mut rx = Receiver::new(Expect::Dump { seq }, PORT);
        let steps = run(&mut rx, &[bad.clone()]);
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert!(
            steps[1].starts_with("malformed") && steps[1].contains("20"),
            "{steps:?}"
        );
        assert!(rx.is_finished());
        // Notifications: the rest of the datagram is dropped, the stream goes on.
        let mut rx = Receiver::new(Expect::Events, PORT);
        let steps = run(&mut rx, &[bad, data(0, 0, 2)]);
        assert_eq!(steps.len(), 3, "{steps:?}");
        assert_eq!(steps[2], "msg 2");
    }
}
