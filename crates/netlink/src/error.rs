//! The facade's error: whatever layer failed, one type with a matchable
//! [`ErrorKind`], the errno and the kernel's own words.

use std::fmt;

pub use nl_sock::ErrorKind;

/// An error from a [`Handle`](crate::Handle) call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The kernel refused, or the socket failed.
    Netlink(nl_sock::Error),
    /// A request was invalid before sending, or a reply did not parse.
    Route(nl_route::Error),
    /// An xfrm request was invalid before sending, or a reply did not parse.
    Xfrm(nl_xfrm::Error),
    /// The capture file named by `NETLINK_PCAP` could not be created:
    /// the path and the OS error's text.
    Capture(String),
    /// A lookup found nothing: `what` names it (`link "eth9"`).
    NotFound {
        /// What was looked for.
        what: String,
        /// The kernel's error, when it answered one.
        source: Option<nl_sock::Error>,
    },
}

impl Error {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Netlink(e) => e.kind(),
            Error::Route(nl_route::Error::Invalid { .. }) => ErrorKind::Invalid,
            Error::Route(_) => ErrorKind::Malformed,
            Error::Xfrm(nl_xfrm::Error::Wire { .. }) => ErrorKind::Malformed,
            Error::Xfrm(_) => ErrorKind::Invalid,
            Error::Capture(_) => ErrorKind::Other,
            Error::NotFound { .. } => ErrorKind::NotFound,
        }
    }

    /// Whether the object did not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// Whether the object already existed.
    pub fn is_exists(&self) -> bool {
        self.kind() == ErrorKind::Exists
    }

    /// The errno, if the kernel or a syscall gave one.
    pub fn errno(&self) -> Option<nl_sock::Errno> {
        match self {
            Error::Netlink(e) => e.errno(),
            Error::NotFound {
                source: Some(e), ..
            } => e.errno(),
            _ => None,
        }
    }

    /// The kernel's ext-ack text (what `ip` prints after "Error:").
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Netlink(e) => e.message(),
            Error::NotFound {
                source: Some(e), ..
            } => e.message(),
            _ => None,
        }
    }

    /// The nl-sock error underneath, if any.
    pub fn netlink(&self) -> Option<&nl_sock::Error> {
        match self {
            Error::Netlink(e) => Some(e),
            Error::NotFound { source, .. } => source.as_ref(),
            _ => None,
        }
    }

    pub(crate) fn not_found(what: String, source: Option<nl_sock::Error>) -> Self {
        Error::NotFound { what, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Netlink(e) => write!(f, "{e}"),
            Error::Route(e) => write!(f, "{e}"),
            Error::Xfrm(e) => write!(f, "{e}"),
            Error::Capture(e) => write!(f, "recording: {e}"),
            Error::NotFound { what, .. } => write!(f, "{what} not found"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Netlink(e) => Some(e),
            Error::Route(e) => Some(e),
            Error::Xfrm(e) => Some(e),
            Error::NotFound {
                source: Some(e), ..
            } => Some(e),
            _ => None,
        }
    }
}

impl From<nl_sock::Error> for Error {
    fn from(e: nl_sock::Error) -> Self {
        Error::Netlink(e)
    }
}

impl From<nl_xfrm::Error> for Error {
    fn from(e: nl_xfrm::Error) -> Self {
        Error::Xfrm(e)
    }
}

impl From<nl_route::Error> for Error {
    fn from(e: nl_route::Error) -> Self {
        Error::Route(e)
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Netlink(e) => e.into(),
            other => {
                let kind = match other.kind() {
                    ErrorKind::NotFound => std::io::ErrorKind::NotFound,
                    ErrorKind::Invalid => std::io::ErrorKind::InvalidInput,
                    _ => std::io::ErrorKind::InvalidData,
                };
                std::io::Error::new(kind, other)
            }
        }
    }
}

/// Result with the facade's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
