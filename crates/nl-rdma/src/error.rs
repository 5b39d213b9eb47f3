//! nl-rdma's error: a received message that does not parse, or a request
//! that cannot be built as asked (checked before anything is sent).

use core::fmt;

use nl_wire::{DecodeError, Msg};

/// An nl-rdma error.
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
    /// A reply lacks an attribute the kernel always sends.
    Missing {
        /// `nlmsg_type` of the message.
        msg_type: u16,
        /// The attribute (`"RDMA_NLDEV_ATTR_DEV_INDEX"` ...).
        attr: &'static str,
    },
    /// A request cannot be built as asked; nothing was sent.
    Invalid {
        /// The field at fault (`"name"`, `"link type"` ...).
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
                "malformed rdma message type {msg_type:#x}, attribute {a}: {source}"
            ),
            Error::Wire {
                msg_type,
                attr: None,
                source,
            } => write!(f, "malformed rdma message type {msg_type:#x}: {source}"),
            Error::Missing { msg_type, attr } => {
                write!(f, "rdma message type {msg_type:#x} without {attr}")
            }
            Error::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::Build(e) => write!(f, "cannot build the request: {e}"),
        }
    }
}

/// The nl-wire error is part of the message, so `source()` is `None`.
impl std::error::Error for Error {}

/// `Result` with [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Reads the attributes of `msg` (no family header) with `f`, the one
/// place where a parse error gets its context.
pub(crate) fn parse_attrs(
    msg: &Msg<'_>,
    mut f: impl FnMut(u16, &nl_wire::Attr<'_>) -> nl_wire::Result<()>,
) -> Result<()> {
    msg.attrs_after(0)
        .decode(|a| f(crate::attr_type(&a), &a))
        .map_err(|e: DecodeError| Error::Wire {
            msg_type: msg.ty(),
            attr: e.attr,
            source: e.error,
        })
}

/// The error for a reply without `attr`.
pub(crate) fn missing(msg: &Msg<'_>, attr: &'static str) -> Error {
    Error::Missing {
        msg_type: msg.ty(),
        attr,
    }
}
