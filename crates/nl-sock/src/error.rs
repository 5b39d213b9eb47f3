//! nl-sock's error: the operation, a matchable kind, the errno, and the
//! kernel's own words when it sent any (in the shape of mdlayher's `OpError`).

use std::fmt;

use nix::errno::Errno;
use nl_wire::AttrPath;

/// What nl-sock was doing when the error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// Creating the socket.
    Open,
    /// Binding it.
    Bind,
    /// Setting or reading a socket option.
    Option,
    /// Joining or leaving a multicast group.
    Membership,
    /// Entering another network namespace to open the socket there.
    Netns,
    /// Sending.
    Send,
    /// Receiving.
    Recv,
    /// A request answered by an ack or an error.
    Request,
    /// A dump.
    Dump,
    /// A batch of requests.
    Batch,
    /// Receiving multicast notifications.
    Events,
    /// Creating or configuring a tun/tap device through `/dev/net/tun`.
    Tun,
    /// A `bpf(2)` command: loading, pinning or inspecting an eBPF program.
    Bpf,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Open => "open",
            Op::Bind => "bind",
            Op::Option => "socket option",
            Op::Membership => "group membership",
            Op::Netns => "enter netns",
            Op::Send => "send",
            Op::Recv => "receive",
            Op::Request => "request",
            Op::Dump => "dump",
            Op::Batch => "batch",
            Op::Events => "events",
            Op::Tun => "tun/tap",
            Op::Bpf => "bpf",
        })
    }
}

/// A matchable class of error, so callers never compare strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The object does not exist (`ENOENT`, `ENODEV`, `ESRCH`, `ENXIO`).
    NotFound,
    /// The object already exists (`EEXIST`).
    Exists,
    /// Not allowed (`EPERM`, `EACCES`).
    Permission,
    /// The kernel refused the request's content (`EINVAL`, `ERANGE`, `E2BIG`, `EDOM`).
    Invalid,
    /// Not supported by this kernel (`EOPNOTSUPP`, `EAFNOSUPPORT`,
    /// `EPROTONOSUPPORT`, `ENOSYS`, `ENOPKG`).
    NotSupported,
    /// The object is in use (`EBUSY`).
    Busy,
    /// An address is not available (`EADDRNOTAVAIL`) or in use (`EADDRINUSE`).
    Address,
    /// Out of memory or space in a kernel table (`ENOMEM`, `ENOSPC`).
    NoSpace,
    /// A dump ended with `NLM_F_DUMP_INTR`: the tables changed during it,
    /// so the results already delivered may be inconsistent.
    DumpInterrupted,
    /// Messages were lost (`ENOBUFS` on receive, `NLMSG_OVERRUN`): resync.
    Overrun,
    /// A datagram was larger than the receive buffer.
    Truncated,
    /// A reply could not be parsed (see [`Error::wire`]).
    Malformed,
    /// A reply did not fit the protocol (for example a dump without an end).
    Protocol,
    /// The receive timeout expired.
    Timeout,
    /// Non-blocking socket and nothing to read now.
    WouldBlock,
    /// The operation was cancelled from another thread.
    Cancelled,
    /// The transport cannot do this (for example options on a fake transport).
    Unsupported,
    /// Any other errno from the kernel or a syscall.
    Other,
}

impl ErrorKind {
    /// The class of an errno.
    pub fn from_errno(errno: Errno) -> Self {
        match errno {
            Errno::ENOENT | Errno::ENODEV | Errno::ESRCH | Errno::ENXIO => ErrorKind::NotFound,
            Errno::EEXIST => ErrorKind::Exists,
            Errno::EPERM | Errno::EACCES => ErrorKind::Permission,
            Errno::EINVAL | Errno::ERANGE | Errno::E2BIG | Errno::EDOM => ErrorKind::Invalid,
            Errno::EOPNOTSUPP
            | Errno::EAFNOSUPPORT
            | Errno::EPROTONOSUPPORT
            | Errno::ENOSYS
            | Errno::ENOPKG => ErrorKind::NotSupported,
            Errno::EBUSY => ErrorKind::Busy,
            Errno::EADDRNOTAVAIL | Errno::EADDRINUSE => ErrorKind::Address,
            Errno::ENOMEM | Errno::ENOSPC => ErrorKind::NoSpace,
            Errno::ENOBUFS => ErrorKind::Overrun,
            Errno::EAGAIN => ErrorKind::WouldBlock,
            _ => ErrorKind::Other,
        }
    }
}

/// What the kernel said beyond the errno, and where it pointed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelDetail {
    /// The ext-ack message text, verbatim.
    pub message: Option<Box<str>>,
    /// Offset of the rejected attribute in the request.
    pub offset: Option<u32>,
    /// The rejected attribute's type path in the request, outermost first.
    pub path: Option<AttrPath>,
    /// A required attribute that was missing.
    pub missing_type: Option<u32>,
    /// Where it was missing (type path of the nest), if inside one.
    pub missing_nest: Option<AttrPath>,
    /// Offset in the request of the nest a missing attribute belongs in.
    pub missing_nest_offset: Option<u32>,
}

impl KernelDetail {
    /// Resolves the attribute offsets the kernel reported into type paths
    /// in `request` (the message the kernel answered).
    pub fn locate(&mut self, request: &[u8]) {
        if self.path.is_none() {
            self.path = self.offset.and_then(|o| nl_wire::locate_any(request, o));
        }
        if self.missing_nest.is_none() {
            self.missing_nest = self
                .missing_nest_offset
                .and_then(|o| nl_wire::locate_any(request, o));
        }
    }
}

/// An nl-sock error.
///
/// ```
/// use nl_sock::{Error, ErrorKind, Op};
/// let e = Error::from_errno(Op::Request, nix::errno::Errno::EEXIST);
/// assert_eq!(e.kind(), ErrorKind::Exists);
/// assert_eq!(e.errno(), Some(nix::errno::Errno::EEXIST));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    op: Op,
    errno: i32,
    seq: Option<u32>,
    detail: Option<Box<Detail>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Detail {
    kernel: KernelDetail,
    wire: Option<nl_wire::Error>,
    /// The library's own explanation ("not a network namespace").
    note: Option<&'static str>,
}

impl Error {
    /// An error of `kind` with no errno.
    pub fn new(op: Op, kind: ErrorKind) -> Self {
        Error {
            kind,
            op,
            errno: 0,
            seq: None,
            detail: None,
        }
    }

    /// An error from an errno, classified by [`ErrorKind::from_errno`].
    pub fn from_errno(op: Op, errno: Errno) -> Self {
        Error {
            kind: ErrorKind::from_errno(errno),
            op,
            errno: errno as i32,
            seq: None,
            detail: None,
        }
    }

    /// A reply that could not be parsed.
    pub fn malformed(op: Op, wire: nl_wire::Error) -> Self {
        let mut e = Error::new(op, ErrorKind::Malformed);
        e.detail_mut().wire = Some(wire);
        e
    }

    /// A kernel error reply: errno (positive) and what the kernel said.
    pub fn kernel(op: Op, errno: i32, seq: u32, kernel: KernelDetail) -> Self {
        let mut e = Error::from_errno(op, Errno::from_raw(errno));
        e.errno = errno;
        e.seq = Some(seq);
        if kernel != KernelDetail::default() {
            e.detail_mut().kernel = kernel;
        }
        e
    }

    /// The same error carrying `message` as the kernel's text, for
    /// syscalls that report it outside netlink (the eBPF verifier's log).
    pub(crate) fn with_message(mut self, message: Box<str>) -> Self {
        self.detail_mut().kernel.message = Some(message);
        self
    }

    /// The same error with the library's own explanation of it.
    pub(crate) fn with_note(mut self, note: &'static str) -> Self {
        self.detail_mut().note = Some(note);
        self
    }

    /// The library's own explanation, when it added one (the kernel's
    /// words are [`Error::message`]).
    pub fn note(&self) -> Option<&'static str> {
        self.detail.as_ref()?.note
    }

    fn detail_mut(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(|| {
            Box::new(Detail {
                kernel: KernelDetail::default(),
                wire: None,
                note: None,
            })
        })
    }

    /// The same error with the rejected attribute's type path resolved
    /// against `request`, the message the kernel answered (the receive
    /// engine knows offsets only).
    #[must_use]
    pub fn locate(mut self, request: &[u8]) -> Self {
        if let Some(d) = &mut self.detail {
            d.kernel.locate(request);
        }
        self
    }

    /// The same error with its kind replaced.
    #[must_use]
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// The same error attributed to another operation.
    #[must_use]
    pub fn with_op(mut self, op: Op) -> Self {
        self.op = op;
        self
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The operation that failed.
    pub fn op(&self) -> Op {
        self.op
    }

    /// The errno, if there was one.
    pub fn errno(&self) -> Option<Errno> {
        (self.errno != 0).then(|| Errno::from_raw(self.errno))
    }

    /// The raw positive errno value, 0 if none.
    pub fn raw_errno(&self) -> i32 {
        self.errno
    }

    /// Sequence number of the request the kernel answered with this error.
    pub fn seq(&self) -> Option<u32> {
        self.seq
    }

    /// The kernel's ext-ack text: what `ip` prints after "Error:".
    pub fn message(&self) -> Option<&str> {
        self.detail.as_ref()?.kernel.message.as_deref()
    }

    /// Everything the kernel said about the error.
    pub fn kernel_detail(&self) -> Option<&KernelDetail> {
        self.detail.as_ref().map(|d| &d.kernel)
    }

    /// The type path of the attribute the kernel rejected.
    pub fn attr_path(&self) -> Option<AttrPath> {
        self.detail.as_ref()?.kernel.path
    }

    /// The parse error behind [`ErrorKind::Malformed`].
    pub fn wire(&self) -> Option<nl_wire::Error> {
        self.detail.as_ref()?.wire
    }

    /// Whether this is a kernel error reply (as opposed to a local failure).
    pub fn is_kernel_reply(&self) -> bool {
        self.seq.is_some()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("op", &self.op).field("kind", &self.kind);
        if let Some(errno) = self.errno() {
            d.field("errno", &errno);
        }
        if let Some(seq) = self.seq {
            d.field("seq", &seq);
        }
        if let Some(detail) = &self.detail {
            if detail.kernel != KernelDetail::default() {
                d.field("kernel", &detail.kernel);
            }
            if let Some(w) = detail.wire {
                d.field("wire", &w);
            }
            if let Some(n) = detail.note {
                d.field("note", &n);
            }
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "netlink {}: ", self.op)?;
        match self.errno() {
            Some(errno) => write!(f, "{} ({errno:?})", errno.desc())?,
            None => f.write_str(match self.kind {
                ErrorKind::DumpInterrupted => {
                    "dump interrupted by a concurrent change, results may be inconsistent"
                }
                ErrorKind::Overrun => "messages lost, receive buffer overrun",
                ErrorKind::Truncated => "datagram larger than the receive buffer",
                ErrorKind::Malformed => "malformed reply",
                ErrorKind::Protocol => "unexpected reply",
                ErrorKind::Timeout => "timed out",
                ErrorKind::WouldBlock => "would block",
                ErrorKind::Cancelled => "cancelled",
                ErrorKind::Unsupported => "not supported by this transport",
                _ => "failed",
            })?,
        }
        if let Some(detail) = &self.detail {
            if let Some(msg) = &detail.kernel.message {
                write!(f, ": Error: {msg}")?;
            }
            if let Some(note) = detail.note {
                write!(f, ": {note}")?;
            }
            if let Some(path) = detail.kernel.path {
                write!(f, " (attribute {path})")?;
            }
            if let Some(t) = detail.kernel.missing_type {
                write!(f, " (missing attribute {t})")?;
            }
            if let Some(w) = detail.wire {
                write!(f, ": {w}")?;
            }
        }
        Ok(())
    }
}

/// The parse error behind [`ErrorKind::Malformed`] is part of the message
/// (and reachable through [`Error::wire`]), so `source()` is `None`: a
/// chain printer (`{:#}` in anyhow) shows every message once.
impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        let kind = match e.kind {
            ErrorKind::NotFound => std::io::ErrorKind::NotFound,
            ErrorKind::Exists => std::io::ErrorKind::AlreadyExists,
            ErrorKind::Permission => std::io::ErrorKind::PermissionDenied,
            ErrorKind::Invalid => std::io::ErrorKind::InvalidInput,
            ErrorKind::Timeout => std::io::ErrorKind::TimedOut,
            ErrorKind::WouldBlock => std::io::ErrorKind::WouldBlock,
            ErrorKind::Malformed | ErrorKind::Protocol | ErrorKind::Truncated => {
                std::io::ErrorKind::InvalidData
            }
            ErrorKind::NotSupported | ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    }
}

/// Result with nl-sock's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An ack, possibly carrying a warning the kernel attached to a success.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ack {
    pub(crate) warning: Option<KernelDetail>,
    pub(crate) value: u32,
}

impl Ack {
    /// The same ack with its warning's attribute path resolved against
    /// `request`.
    #[must_use]
    pub fn locate(mut self, request: &[u8]) -> Self {
        if let Some(w) = &mut self.warning {
            w.locate(request);
        }
        self
    }

    /// The kernel's warning text on a successful request, if any.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_ref()?.message.as_deref()
    }

    /// Everything the kernel said with the ack.
    pub fn detail(&self) -> Option<&KernelDetail> {
        self.warning.as_ref()
    }

    /// The positive value a request's handler returned in place of 0 (a
    /// few families answer so: mac80211_hwsim's `NEW_RADIO` returns the
    /// new radio's id); 0 for a plain ack.
    pub fn value(&self) -> u32 {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_errno() {
        assert_eq!(ErrorKind::from_errno(Errno::ENODEV), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_errno(Errno::EEXIST), ErrorKind::Exists);
        assert_eq!(ErrorKind::from_errno(Errno::EPERM), ErrorKind::Permission);
        assert_eq!(
            ErrorKind::from_errno(Errno::EOPNOTSUPP),
            ErrorKind::NotSupported
        );
        assert_eq!(ErrorKind::from_errno(Errno::ENOBUFS), ErrorKind::Overrun);
        assert_eq!(ErrorKind::from_errno(Errno::EIO), ErrorKind::Other);
    }

    #[test]
    fn display_reads_like_ip() {
        let e = Error::kernel(
            Op::Request,
            22,
            5,
            KernelDetail {
                message: Some("Invalid MTU".into()),
                ..Default::default()
            },
        );
        assert_eq!(
            e.to_string(),
            "netlink request: Invalid argument (EINVAL): Error: Invalid MTU"
        );
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert_eq!(e.seq(), Some(5));
        assert!(e.is_kernel_reply());
        assert_eq!(e.message(), Some("Invalid MTU"));
        let e = Error::new(Op::Dump, ErrorKind::DumpInterrupted);
        assert!(e.to_string().contains("interrupted"));
        assert_eq!(e.errno(), None);
        let io: std::io::Error = Error::from_errno(Op::Recv, Errno::EAGAIN)
            .with_kind(ErrorKind::Timeout)
            .into();
        assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
    }

    #[test]
    fn error_is_small() {
        assert!(std::mem::size_of::<Error>() <= 24);
    }
}
