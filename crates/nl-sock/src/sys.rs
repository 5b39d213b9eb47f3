//! The syscall layer: the only module with `unsafe`, each block justified.
//!
//! nix covers most of what we need; the rest (a socket for any netlink
//! protocol number, `SOL_NETLINK` options, `recvfrom` with flags and the
//! sender's port id) goes through libc here.

use std::mem::{size_of, zeroed};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use nix::errno::Errno;
use nix::libc;
use nix::sys::socket::{NetlinkAddr, bind as nix_bind, getsockname};

/// `socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)`.
pub(crate) fn socket(protocol: i32) -> Result<OwnedFd, Errno> {
    // SAFETY: plain syscall with integer arguments; the returned descriptor
    // is checked before ownership is taken.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            protocol,
        )
    };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: `fd` is a fresh descriptor returned by socket() that nothing
    // else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Sets an `int` socket option.
pub(crate) fn set_int(fd: BorrowedFd<'_>, level: i32, name: i32, value: i32) -> Result<(), Errno> {
    // SAFETY: `value` is a live i32 and the length passed is its size; the
    // kernel only reads that many bytes.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw const value).cast(),
            size_of::<i32>() as libc::socklen_t,
        )
    };
    Errno::result(rc).map(drop)
}

/// Reads an `int` socket option.
pub(crate) fn get_int(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<i32, Errno> {
    let mut value: i32 = 0;
    let mut len = size_of::<i32>() as libc::socklen_t;
    // SAFETY: `value` and `len` are live locals; the kernel writes at most
    // `len` bytes into `value` and updates `len`.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw mut value).cast(),
            &raw mut len,
        )
    };
    Errno::result(rc).map(|_| value)
}

/// Sets `SO_RCVTIMEO` (None = block forever).
pub(crate) fn set_recv_timeout(fd: BorrowedFd<'_>, timeout: Option<Duration>) -> Result<(), Errno> {
    let tv = match timeout {
        // A zero timeval means "forever" to the kernel; round a zero
        // duration up to the smallest real timeout instead.
        Some(d) => libc::timeval {
            tv_sec: libc::time_t::try_from(d.as_secs()).unwrap_or(libc::time_t::MAX),
            tv_usec: libc::suseconds_t::from(d.subsec_micros().max(u32::from(d.is_zero()))),
        },
        None => libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        },
    };
    // SAFETY: `tv` is a live timeval and the length passed is its size.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&raw const tv).cast(),
            size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    Errno::result(rc).map(drop)
}

/// Binds to port id `pid` (0: the kernel picks) with legacy `groups` mask.
pub(crate) fn bind(fd: BorrowedFd<'_>, pid: u32, groups: u32) -> Result<(), Errno> {
    nix_bind(fd.as_raw_fd(), &NetlinkAddr::new(pid, groups))
}

/// The socket's port id (0 if not yet bound).
pub(crate) fn port_id(fd: BorrowedFd<'_>) -> Result<u32, Errno> {
    getsockname::<NetlinkAddr>(fd.as_raw_fd()).map(|a| a.pid())
}

/// Sends one datagram to the kernel.
pub(crate) fn send(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno> {
    loop {
        match nix::sys::socket::send(fd.as_raw_fd(), buf, nix::sys::socket::MsgFlags::empty()) {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

/// Length of the next datagram without dequeuing it (`MSG_PEEK | MSG_TRUNC`
/// into an empty buffer: nothing is copied).
pub(crate) fn peek_len(fd: BorrowedFd<'_>) -> Result<usize, Errno> {
    let mut byte = [0u8; 1];
    loop {
        // SAFETY: the buffer pointer is valid for 0 bytes (we pass length 0);
        // address arguments are null, which recvfrom allows.
        let rc = unsafe {
            libc::recvfrom(
                fd.as_raw_fd(),
                byte.as_mut_ptr().cast(),
                0,
                libc::MSG_PEEK | libc::MSG_TRUNC,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        match Errno::result(rc) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(n) => return Ok(usize::try_from(n).unwrap_or(0)),
        }
    }
}

/// Receives one datagram into `buf` with `MSG_TRUNC`, returning the real
/// datagram length (which exceeds `buf.len()` if it did not fit) and the
/// sender's port id (0 for the kernel).
pub(crate) fn recv_from(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<(usize, u32), Errno> {
    loop {
        // SAFETY: all-zero bytes are a valid sockaddr_nl.
        let mut addr: libc::sockaddr_nl = unsafe { zeroed() };
        let mut addr_len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `buf` is valid for writes of `buf.len()` bytes; `addr` and
        // `addr_len` are live locals sized for a sockaddr_nl, which is what a
        // netlink socket writes.
        let rc = unsafe {
            libc::recvfrom(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_TRUNC,
                (&raw mut addr).cast(),
                &raw mut addr_len,
            )
        };
        match Errno::result(rc) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(n) => return Ok((usize::try_from(n).unwrap_or(0), addr.nl_pid)),
        }
    }
}

/// Waits until `fd` is readable or `cancel` is; true if `cancel` fired.
pub(crate) fn wait_readable(
    fd: BorrowedFd<'_>,
    cancel: BorrowedFd<'_>,
    timeout: Option<Duration>,
) -> Result<Option<bool>, Errno> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    let timeout = match timeout {
        None => PollTimeout::NONE,
        Some(d) => PollTimeout::try_from(d).unwrap_or(PollTimeout::MAX),
    };
    loop {
        let mut fds = [
            PollFd::new(fd, PollFlags::POLLIN),
            PollFd::new(cancel, PollFlags::POLLIN),
        ];
        match poll(&mut fds, timeout) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(0) => return Ok(None),
            Ok(_) => {
                let fired = fds
                    .get(1)
                    .and_then(PollFd::revents)
                    .is_some_and(|r| r.intersects(PollFlags::POLLIN));
                return Ok(Some(fired));
            }
        }
    }
}

/// `TUNSETIFF` on an open `/dev/net/tun`: attaches `fd` to the tun/tap
/// device `name` (creating it if missing; an empty name or a `%d` pattern
/// lets the kernel pick) with `IFF_*` `flags`. Returns the device's name as
/// the kernel filled it in. `name` must be shorter than `IFNAMSIZ`.
pub(crate) fn tun_set_iff(fd: BorrowedFd<'_>, name: &str, flags: u16) -> Result<String, Errno> {
    // SAFETY: `struct ifreq` is plain data (a name array and a union of
    // integers, addresses and raw pointers); all-zero bytes are a valid value.
    let mut ifr: libc::ifreq = unsafe { zeroed() };
    if name.len() >= ifr.ifr_name.len() {
        return Err(Errno::EINVAL);
    }
    for (dst, src) in ifr.ifr_name.iter_mut().zip(name.bytes()) {
        *dst = libc::c_char::from_ne_bytes([src]);
    }
    // `ifr_flags` is a C short holding the IFF_* bits; IFF_TUN_EXCL is its sign bit.
    ifr.ifr_ifru.ifru_flags = libc::c_short::from_ne_bytes(flags.to_ne_bytes());
    // SAFETY: TUNSETIFF reads and writes one `struct ifreq` through the
    // pointer, which points to a live, writable local of that type.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNSETIFF, &raw mut ifr) };
    Errno::result(rc)?;
    let bytes: Vec<u8> = ifr
        .ifr_name
        .iter()
        .map(|c| c.to_ne_bytes()[0])
        .take_while(|&b| b != 0)
        .collect();
    String::from_utf8(bytes).map_err(|_| Errno::EINVAL)
}

/// A tun ioctl whose argument is an integer passed by value
/// (`TUNSETPERSIST`, `TUNSETOWNER`, `TUNSETGROUP`).
fn tun_set_value(fd: BorrowedFd<'_>, request: libc::Ioctl, value: u32) -> Result<(), Errno> {
    // SAFETY: these ioctls take their argument as an unsigned long value,
    // not a pointer: the kernel reads nothing from our memory.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), request, libc::c_ulong::from(value)) };
    Errno::result(rc).map(drop)
}

/// `TUNSETPERSIST`: whether the device outlives its descriptors.
pub(crate) fn tun_set_persist(fd: BorrowedFd<'_>, on: bool) -> Result<(), Errno> {
    tun_set_value(fd, libc::TUNSETPERSIST, u32::from(on))
}

/// `TUNSETOWNER`: the user allowed to attach to the device.
pub(crate) fn tun_set_owner(fd: BorrowedFd<'_>, uid: u32) -> Result<(), Errno> {
    tun_set_value(fd, libc::TUNSETOWNER, uid)
}

/// `TUNSETGROUP`: the group allowed to attach to the device.
pub(crate) fn tun_set_group(fd: BorrowedFd<'_>, gid: u32) -> Result<(), Errno> {
    tun_set_value(fd, libc::TUNSETGROUP, gid)
}
