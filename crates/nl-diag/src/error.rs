//! nl-diag's error: a received message that does not parse, or a request
//! that cannot be built as asked (checked before anything is sent).

use core::fmt;

use nl_wire::{DecodeError, Msg};

/// An nl-diag error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A received message or attribute did not parse.
    Wire {
        /// `nlmsg_type` of the message.
        msg_type: u16,
        /// The attribute type being read, when known.
        attr: Option<u16>,
        /// What nl-wire found wrong, and where.
        source: nl_wire::Error,
    },
    /// A reply shorter than its fixed header (`struct inet_diag_msg` ...).
    Truncated {
        /// The header that did not fit.
        what: &'static str,
        /// Bytes it needs.
        need: usize,
        /// Bytes the message had.
        have: usize,
    },
    /// A request cannot be built as asked; nothing was sent.
    Invalid {
        /// The field at fault (`"filter"`, `"family"` ...).
        field: &'static str,
        /// Why, in words a user can act on.
        reason: String,
    },
    /// The builder refused the request (a length overflow).
    Build(nl_wire::Error),
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Wire {
                msg_type,
                attr: Some(a),
                source,
            } => write!(
                f,
                "malformed sock_diag message type {msg_type}, attribute {a}: {source}"
            ),
            Error::Wire {
                msg_type,
                attr: None,
                source,
            } => write!(f, "malformed sock_diag message type {msg_type}: {source}"),
            Error::Truncated { what, need, have } => write!(
                f,
                "truncated sock_diag reply: {what} needs {need} bytes, the message has {have}"
            ),
            Error::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::Build(e) => write!(f, "cannot build the request: {e}"),
        }
    }
}

/// The nl-wire error is part of the message, so `source()` is `None`: a
/// chain printer (`{:#}` in anyhow) shows every message once.
impl std::error::Error for Error {}

impl From<nl_wire::UnknownWord> for Error {
    fn from(e: nl_wire::UnknownWord) -> Self {
        Error::invalid(e.what, e.expected)
    }
}

impl From<nl_wire::Error> for Error {
    fn from(e: nl_wire::Error) -> Self {
        Error::Build(e)
    }
}

/// `Result` with [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Runs the attribute parser of `msg`, the one place where a parse error
/// gets its context: the message type, and the attribute it was read in.
pub(crate) fn parse_msg<T>(
    msg: &Msg<'_>,
    f: impl FnOnce() -> core::result::Result<T, DecodeError>,
) -> Result<T> {
    f().map_err(|e| Error::Wire {
        msg_type: msg.ty(),
        attr: e.attr,
        source: e.error,
    })
}

/// The fixed header `T` at the start of `msg`'s payload, or
/// [`Error::Truncated`] naming it: a reply without its header is
/// malformed (the kernel always sends it whole).
pub(crate) fn header<'a, T>(msg: &Msg<'a>, what: &'static str) -> Result<&'a T>
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    msg.family_header_ref::<T>().ok_or(Error::Truncated {
        what,
        need: core::mem::size_of::<T>(),
        have: msg.payload().len(),
    })
}
