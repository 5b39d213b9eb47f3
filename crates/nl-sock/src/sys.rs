//! The syscall layer: the only module with `unsafe`, each block justified.
//!
//! nix covers most of what we need; the rest (a socket for any netlink
//! protocol number, `SOL_NETLINK` options, `recvfrom` with flags and the
//! sender's port id) goes through libc here.

use std::ffi::CStr;
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

/// Receives and drops one queued datagram without waiting: `Ok(true)` if
/// one was there, `Ok(false)` when the queue is empty. A lost-messages
/// report (`ENOBUFS`) counts as one.
pub(crate) fn discard_one(fd: BorrowedFd<'_>) -> Result<bool, Errno> {
    let mut scratch = [0u8; 16];
    loop {
        // SAFETY: `scratch` is valid for writes of its length; no address
        // is asked for.
        let rc = unsafe {
            libc::recv(
                fd.as_raw_fd(),
                scratch.as_mut_ptr().cast(),
                scratch.len(),
                libc::MSG_TRUNC | libc::MSG_DONTWAIT,
            )
        };
        return match Errno::result(rc) {
            Err(Errno::EINTR) => continue,
            Err(Errno::EAGAIN) => Ok(false),
            Err(Errno::ENOBUFS) | Ok(_) => Ok(true),
            Err(e) => Err(e),
        };
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

/// `bpf(2)` commands (`enum bpf_cmd` in `<linux/bpf.h>`).
const BPF_PROG_LOAD: libc::c_int = 5;
const BPF_OBJ_PIN: libc::c_int = 6;
const BPF_OBJ_GET: libc::c_int = 7;
const BPF_OBJ_GET_INFO_BY_FD: libc::c_int = 15;

/// `union bpf_attr` for `BPF_PROG_LOAD`, up to `expected_attach_type`.
/// The kernel zero-extends a shorter attr, so later fields stay unset.
#[derive(zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
#[repr(C, align(8))]
struct ProgLoadAttr {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
    prog_ifindex: u32,
    expected_attach_type: u32,
}
const _: () = assert!(size_of::<ProgLoadAttr>() == 72);

/// `union bpf_attr` for `BPF_OBJ_PIN` and `BPF_OBJ_GET`.
#[derive(zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
#[repr(C, align(8))]
struct ObjAttr {
    pathname: u64,
    bpf_fd: u32,
    file_flags: u32,
}
const _: () = assert!(size_of::<ObjAttr>() == 16);

/// `union bpf_attr` for `BPF_OBJ_GET_INFO_BY_FD`.
#[derive(zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
#[repr(C, align(8))]
struct InfoAttr {
    bpf_fd: u32,
    info_len: u32,
    info: u64,
}
const _: () = assert!(size_of::<InfoAttr>() == 16);

/// `struct bpf_prog_info` up to `name`; the kernel fills only the
/// `info_len` bytes we pass, so the rest of the struct need not exist here.
#[derive(zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
#[repr(C, align(8))]
pub(crate) struct BpfProgInfo {
    pub(crate) prog_type: u32,
    pub(crate) id: u32,
    pub(crate) tag: [u8; 8],
    jited_prog_len: u32,
    xlated_prog_len: u32,
    jited_prog_insns: u64,
    xlated_prog_insns: u64,
    load_time: u64,
    created_by_uid: u32,
    nr_map_ids: u32,
    map_ids: u64,
    pub(crate) name: [u8; 16],
}
const _: () = assert!(size_of::<BpfProgInfo>() == 80);

/// `bpf(cmd, attr, size_of::<A>())`, retried on `EINTR`; a non-negative
/// result is returned as is.
///
/// # Safety
///
/// Every pointer stored in `attr` must be valid for what `cmd` does with
/// it (reads or writes of the lengths `attr` gives) for the whole call.
unsafe fn bpf<A: zerocopy::IntoBytes + zerocopy::FromBytes>(
    cmd: libc::c_int,
    attr: &mut A,
) -> Result<i32, Errno> {
    loop {
        // SAFETY: `attr` is a live, writable `bpf_attr` prefix of exactly the
        // size passed (the kernel reads that many bytes and may write some
        // back); the pointers inside it are valid per this function's contract.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_bpf,
                cmd,
                (&raw mut *attr).cast::<u8>(),
                size_of::<A>(),
            )
        };
        match Errno::result(rc) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(n) => return i32::try_from(n).map_err(|_| Errno::EBADF),
        }
    }
}

/// Takes ownership of a descriptor a `bpf(2)` command returned.
fn bpf_fd(fd: i32) -> OwnedFd {
    // SAFETY: `fd` is a fresh descriptor the kernel just returned (bpf(2)
    // gives out close-on-exec descriptors) that nothing else owns.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// `BPF_PROG_LOAD` of `insns` (each a `struct bpf_insn`'s 8 bytes) with the
/// NUL-padded `name`. With `log`, the verifier writes its log there at
/// `log_level` 1. Retries `EAGAIN` (a signal interrupted the verifier) a
/// few times, as libbpf does.
pub(crate) fn bpf_prog_load(
    prog_type: u32,
    insns: &[[u8; 8]],
    license: &CStr,
    name: [u8; 16],
    log: Option<&mut [u8]>,
) -> Result<OwnedFd, Errno> {
    use zerocopy::FromZeros;
    let mut attr = ProgLoadAttr::new_zeroed();
    attr.prog_type = prog_type;
    attr.insn_cnt = u32::try_from(insns.len()).map_err(|_| Errno::E2BIG)?;
    attr.insns = insns.as_ptr() as u64;
    attr.license = license.as_ptr() as u64;
    attr.prog_name = name;
    if let Some(buf) = log {
        attr.log_level = 1;
        // The kernel refuses log_size above UINT_MAX >> 2.
        attr.log_size = u32::try_from(buf.len()).map_err(|_| Errno::EINVAL)?;
        attr.log_buf = buf.as_mut_ptr() as u64;
    }
    let mut attempts = 5;
    loop {
        // SAFETY: `insns` is a live slice of `insn_cnt` 8-byte instructions,
        // `license` a live NUL-terminated string, and `log` (if any) a live
        // buffer writable for `log_size` bytes; all are borrowed across the call.
        match unsafe { bpf(BPF_PROG_LOAD, &mut attr) } {
            Err(Errno::EAGAIN) if attempts > 1 => attempts -= 1,
            Err(e) => return Err(e),
            Ok(fd) => return Ok(bpf_fd(fd)),
        }
    }
}

/// `BPF_OBJ_PIN`: pins the object behind `fd` at `path` in a bpffs.
pub(crate) fn bpf_obj_pin(fd: BorrowedFd<'_>, path: &CStr) -> Result<(), Errno> {
    use zerocopy::FromZeros;
    let mut attr = ObjAttr::new_zeroed();
    attr.pathname = path.as_ptr() as u64;
    attr.bpf_fd = u32::try_from(fd.as_raw_fd()).map_err(|_| Errno::EBADF)?;
    // SAFETY: `pathname` points to the live NUL-terminated `path`, which
    // the kernel only reads.
    unsafe { bpf(BPF_OBJ_PIN, &mut attr) }.map(drop)
}

/// `BPF_OBJ_GET`: opens the object pinned at `path`, read-write.
pub(crate) fn bpf_obj_get(path: &CStr) -> Result<OwnedFd, Errno> {
    use zerocopy::FromZeros;
    let mut attr = ObjAttr::new_zeroed();
    attr.pathname = path.as_ptr() as u64;
    // SAFETY: `pathname` points to the live NUL-terminated `path`, which
    // the kernel only reads.
    unsafe { bpf(BPF_OBJ_GET, &mut attr) }.map(bpf_fd)
}

/// `BPF_OBJ_GET_INFO_BY_FD` on a program's descriptor.
pub(crate) fn bpf_prog_info(fd: BorrowedFd<'_>) -> Result<BpfProgInfo, Errno> {
    use zerocopy::FromZeros;
    let mut info = BpfProgInfo::new_zeroed();
    let mut attr = InfoAttr::new_zeroed();
    attr.bpf_fd = u32::try_from(fd.as_raw_fd()).map_err(|_| Errno::EBADF)?;
    attr.info_len = size_of::<BpfProgInfo>() as u32;
    attr.info = (&raw mut info) as u64;
    // SAFETY: `info` points to a live, writable `BpfProgInfo` of `info_len`
    // bytes; the kernel writes at most that many (its own struct may be
    // longer) and reads them first to check the pointer fields are zero.
    unsafe { bpf(BPF_OBJ_GET_INFO_BY_FD, &mut attr) }?;
    Ok(info)
}

/// `NS_GET_NSTYPE` (`_IO(0xb7, 0x3)`, linux/nsfs.h): the `CLONE_NEW*`
/// type of a namespace file.
const NS_GET_NSTYPE: libc::Ioctl = 0xb703;

/// The namespace type (`CLONE_NEWNET` ...) of a namespace file;
/// `ENOTTY` or `EINVAL` when `fd` is not one.
pub(crate) fn ns_type(fd: BorrowedFd<'_>) -> Result<i32, Errno> {
    // SAFETY: NS_GET_NSTYPE takes no argument and writes no memory of ours;
    // on any other file the kernel answers an error.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_NSTYPE) };
    Errno::result(rc)
}

/// `getauxval(AT_SECURE)`: whether this process runs with elevated
/// privileges it did not inherit (setuid, setgid, file capabilities).
pub(crate) fn at_secure() -> bool {
    // SAFETY: getauxval reads the process's auxiliary vector and takes
    // no pointers.
    unsafe { libc::getauxval(libc::AT_SECURE) != 0 }
}

/// Registers a socket with tokio's reactor.
#[cfg(feature = "tokio")]
pub(crate) fn register_with_tokio(
    sock: crate::Socket,
) -> std::io::Result<tokio::io::unix::AsyncFd<crate::Socket>> {
    // SAFETY: a `Socket` owns its descriptor (the netlink socket, or the
    // placeholder eventfd of a custom transport) for its whole life and
    // never closes or replaces it; `AsyncFd` owns the `Socket`, so the
    // descriptor outlives the registration.
    unsafe { tokio::io::unix::AsyncFd::register(sock) }.map_err(|e| e.into_parts().1)
}
