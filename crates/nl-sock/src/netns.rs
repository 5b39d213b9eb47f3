//! Opening sockets in another network namespace.
//!
//! A socket belongs to the namespace its creator was in at `socket()`
//! time. Rather than moving a caller's thread into another namespace and
//! back (which leaves it stranded if the way back fails), a fresh helper
//! thread enters the target, creates the socket, and exits.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use nix::errno::Errno;
use nix::sched::{CloneFlags, setns};

use crate::error::{Error, Op, Result};
use crate::sys;

fn io_errno(e: &std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(0))
}

/// Opens a network namespace file (`/var/run/netns/NAME`,
/// `/proc/PID/ns/net`). Any other file is refused at once
/// ([`ErrorKind::Invalid`](crate::ErrorKind::Invalid), "not a network
/// namespace"), not at the first socket opened in it.
pub fn open_path(path: &Path) -> Result<OwnedFd> {
    let fd = std::fs::File::open(path)
        .map(OwnedFd::from)
        .map_err(|e| Error::from_errno(Op::Netns, io_errno(&e)))?;
    check(fd.as_fd())?;
    Ok(fd)
}

/// Checks that `fd` is a network namespace file.
pub fn check(fd: BorrowedFd<'_>) -> Result<()> {
    match sys::ns_type(fd) {
        Ok(t) if t == CloneFlags::CLONE_NEWNET.bits() => Ok(()),
        Ok(_) => Err(not_netns(
            Errno::EINVAL,
            "another kind of namespace, not a network namespace",
        )),
        Err(e) => Err(not_netns(e, "not a network namespace")),
    }
}

fn not_netns(errno: Errno, why: &'static str) -> Error {
    Error::from_errno(Op::Netns, errno)
        .with_kind(crate::ErrorKind::Invalid)
        .with_note(why)
}

/// Creates a netlink socket of `protocol` inside `netns`.
pub(crate) fn socket_in(protocol: i32, netns: BorrowedFd<'_>) -> Result<OwnedFd> {
    within(netns, || {
        sys::socket(protocol).map_err(|e| Error::from_errno(Op::Open, e))
    })
}

/// Runs `f` on a fresh helper thread that first enters `netns`: whatever
/// `f` creates that belongs to a namespace (sockets, tun devices) belongs
/// to `netns`, and no thread of the caller changes namespace.
pub(crate) fn within<T: Send>(
    netns: BorrowedFd<'_>,
    f: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    std::thread::scope(|scope| {
        let helper = scope.spawn(move || -> Result<T> {
            setns(netns, CloneFlags::CLONE_NEWNET).map_err(|e| Error::from_errno(Op::Netns, e))?;
            f()
        });
        helper
            .join()
            .unwrap_or_else(|_| Err(Error::from_errno(Op::Netns, Errno::ECHILD)))
    })
}
