//! Network namespaces: opening sockets in another one, and named
//! namespaces with iproute2's `/run/netns` convention ([`NetnsDir`]).
//!
//! A socket belongs to the namespace its creator was in at `socket()`
//! time. Rather than moving a caller's thread into another namespace and
//! back (which leaves it stranded if the way back fails), a fresh helper
//! thread enters the target, creates the socket, and exits. Creating a
//! named namespace works the same way: a helper thread unshares, its
//! namespace is bind-mounted on the name's file, and it exits.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, setns, unshare};
use nix::sys::stat::{fstat, stat};
use nix::sys::statvfs::{FsFlags, statvfs};

use crate::error::{Error, Op, Result};
use crate::sys;

fn io_errno(e: &std::io::Error) -> Errno {
    // std's own refusals carry no errno: call them EINVAL.
    Errno::from_raw(e.raw_os_error().unwrap_or(Errno::EINVAL as i32))
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

/// Where iproute2 keeps named network namespaces (`ip netns add NAME`
/// bind-mounts the namespace on `/run/netns/NAME`).
pub const NETNS_RUN_DIR: &str = "/run/netns";

/// A directory of named network namespaces with iproute2's convention:
/// each name is an empty file on which a network namespace is
/// bind-mounted, and the directory itself is a shared mount so that an
/// unmount in one mount namespace reaches the others (as `ip netns`
/// arranges it). [`NetnsDir::run`] is `/run/netns`, the one `ip netns`
/// and `ip -n NAME` use; another directory works the same, for callers
/// (and tests) that must not share names with the host's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NetnsDir {
    dir: PathBuf,
}

impl Default for NetnsDir {
    fn default() -> Self {
        NetnsDir::run()
    }
}

/// The failure of a step on a named namespace: the errno with what the
/// step was.
fn step(errno: Errno, what: &'static str) -> Error {
    Error::from_errno(Op::Netns, errno).with_note(what)
}

fn io_step(e: &std::io::Error, what: &'static str) -> Error {
    step(io_errno(e), what)
}

impl NetnsDir {
    /// `/run/netns`, iproute2's directory.
    pub fn run() -> Self {
        NetnsDir::new(NETNS_RUN_DIR)
    }

    /// Named namespaces under `dir` (created by [`NetnsDir::add`] when
    /// missing).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        NetnsDir { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of namespace `name` (whether it exists or not); a name
    /// iproute2 refuses (empty, `.`, `..`, with a `/`, longer than
    /// `NAME_MAX`) is an [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) error.
    pub fn path(&self, name: &str) -> Result<PathBuf> {
        let bad = name.is_empty()
            || name.len() > 255
            || name.contains('/')
            || name == "."
            || name == "..";
        if bad {
            return Err(step(Errno::EINVAL, "invalid network namespace name")
                .with_kind(crate::ErrorKind::Invalid));
        }
        Ok(self.dir.join(name))
    }

    /// The names in the directory, in directory order (as `ip netns list`
    /// prints them); no directory is no names.
    pub fn list(&self) -> Result<Vec<String>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_step(&e, "reading the netns directory")),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_step(&e, "reading the netns directory"))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        Ok(names)
    }

    /// Opens the namespace called `name`.
    pub fn open(&self, name: &str) -> Result<OwnedFd> {
        open_path(&self.path(name)?)
    }

    /// Creates a new network namespace called `name`, as `ip netns add`
    /// does: the directory becomes a shared mount (a bind mount of itself
    /// the first time), an empty file `NAME` is created, and a helper
    /// thread that unshared `CLONE_NEWNET` bind-mounts its namespace on
    /// it, then exits; no thread of the caller changes namespace. The
    /// namespace lives until [`NetnsDir::del`] (or an unmount), with no
    /// process in it. Returns the file's path; an existing name is an
    /// [`ErrorKind::Exists`](crate::ErrorKind::Exists) error.
    pub fn add(&self, name: &str) -> Result<PathBuf> {
        let path = self.path(name)?;
        self.make_shared()?;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o000)
            .open(&path)
            .map_err(|e| io_step(&e, "creating the namespace file"))?;
        let bound = std::thread::scope(|scope| {
            scope
                .spawn(|| -> Result<()> {
                    unshare(CloneFlags::CLONE_NEWNET)
                        .map_err(|e| step(e, "creating a network namespace"))?;
                    // This thread's namespace: /proc/self would be the
                    // process's first thread's.
                    let own = "/proc/thread-self/ns/net";
                    mount(
                        Some(own),
                        &path,
                        Some("none"),
                        MsFlags::MS_BIND,
                        None::<&str>,
                    )
                    .map_err(|e| step(e, "bind-mounting the namespace on its file"))
                })
                .join()
                .unwrap_or_else(|_| Err(step(Errno::ECHILD, "the namespace helper thread died")))
        });
        if let Err(e) = bound {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(path)
    }

    /// Names the namespace of process `pid` (as `ip netns attach NAME PID`
    /// does): a bind mount of `/proc/PID/ns/net` on a new file `NAME`.
    pub fn attach(&self, name: &str, pid: u32) -> Result<PathBuf> {
        self.attach_path(name, Path::new(&format!("/proc/{pid}/ns/net")))
    }

    /// Names the namespace of the namespace file `ns` (`/proc/PID/ns/net`,
    /// `/proc/PID/task/TID/ns/net`, another name's file).
    pub fn attach_path(&self, name: &str, ns: &Path) -> Result<PathBuf> {
        let path = self.path(name)?;
        // Refuse anything but a network namespace before touching the directory.
        drop(open_path(ns)?);
        self.make_shared()?;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o000)
            .open(&path)
            .map_err(|e| io_step(&e, "creating the namespace file"))?;
        if let Err(e) = mount(
            Some(ns),
            &path,
            Some("none"),
            MsFlags::MS_BIND,
            None::<&str>,
        ) {
            let _ = std::fs::remove_file(&path);
            return Err(step(e, "bind-mounting the namespace on its file"));
        }
        Ok(path)
    }

    /// Deletes the name `name`, as `ip netns delete` does: a lazy unmount
    /// (`MNT_DETACH`) and the file's removal. The namespace itself goes
    /// when nothing else holds it (a process, an open file, a mount).
    pub fn del(&self, name: &str) -> Result<()> {
        let path = self.path(name)?;
        // Not mounted (a half-made name) is fine: the file still goes.
        let _ = umount2(&path, MntFlags::MNT_DETACH);
        std::fs::remove_file(&path).map_err(|e| io_step(&e, "removing the namespace file"))
    }

    /// The names whose namespace is the one `ns` refers to (`ip netns
    /// identify`), in directory order: usually one, none for an unnamed
    /// namespace.
    pub fn names_of(&self, ns: BorrowedFd<'_>) -> Result<Vec<String>> {
        let want = fstat(ns).map_err(|e| step(e, "reading the namespace file"))?;
        let mut found = Vec::new();
        for name in self.list()? {
            let Ok(st) = stat(&self.dir.join(&name)) else {
                continue;
            };
            if st.st_dev == want.st_dev && st.st_ino == want.st_ino {
                found.push(name);
            }
        }
        Ok(found)
    }

    /// Starts `cmd` inside namespace `name` with the environment `ip netns
    /// exec` gives it (lib/namespace.c `netns_switch`): its own mount
    /// namespace (slave, so nothing propagates back), a `/sys` that
    /// describes the namespace's devices, and the files of
    /// `/etc/netns/NAME/` bind-mounted over those of `/etc`. A helper
    /// thread enters the namespaces and spawns the child, which keeps
    /// them; no thread of the caller changes namespace.
    pub fn spawn(
        &self,
        name: &str,
        cmd: &mut std::process::Command,
    ) -> Result<std::process::Child> {
        let ns = self.open(name)?;
        std::thread::scope(|scope| {
            scope
                .spawn(|| -> Result<std::process::Child> {
                    setns(&ns, CloneFlags::CLONE_NEWNET)
                        .map_err(|e| step(e, "entering the namespace"))?;
                    unshare(CloneFlags::CLONE_NEWNS)
                        .map_err(|e| step(e, "creating a mount namespace"))?;
                    let root = mount(
                        Some(""),
                        "/",
                        Some("none"),
                        MsFlags::MS_SLAVE | MsFlags::MS_REC,
                        None::<&str>,
                    );
                    root.map_err(|e| step(e, "mount --make-rslave /"))?;
                    let mut flags = MsFlags::empty();
                    if umount2("/sys", MntFlags::MNT_DETACH).is_err() {
                        // Not unmountable: overlay it, read-only if it is.
                        let ro =
                            statvfs("/sys").is_ok_and(|v| v.flags().contains(FsFlags::ST_RDONLY));
                        if ro {
                            flags = MsFlags::MS_RDONLY;
                        }
                    }
                    mount(Some(name), "/sys", Some("sysfs"), flags, None::<&str>)
                        .map_err(|e| step(e, "mounting /sys"))?;
                    bind_etc(name);
                    cmd.spawn().map_err(|e| io_step(&e, "starting the command"))
                })
                .join()
                .unwrap_or_else(|_| Err(step(Errno::ECHILD, "the namespace helper thread died")))
        })
    }

    /// Makes the directory exist and be a shared mount: `mount
    /// --make-rshared`, and when it is not a mount point yet, a recursive
    /// bind mount of itself first (ip/ipnetns.c, under an exclusive
    /// `flock` of the directory so parallel callers do not stack mounts).
    fn make_shared(&self) -> Result<()> {
        match std::fs::DirBuilder::new().mode(0o755).create(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_step(&e, "creating the netns directory")),
        }
        let dir = std::fs::File::open(&self.dir)
            .map_err(|e| io_step(&e, "opening the netns directory"))?;
        // As iproute2: go on without the lock if it cannot be had.
        let _lock = Flock::lock(dir, FlockArg::LockExclusive).ok();
        let mut bound = false;
        loop {
            let shared = mount(
                None::<&str>,
                &self.dir,
                Some("none"),
                MsFlags::MS_SHARED | MsFlags::MS_REC,
                None::<&str>,
            );
            match shared {
                Ok(()) => return Ok(()),
                // EINVAL: not a mount point; make it one, once.
                Err(Errno::EINVAL) if !bound => {
                    mount(
                        Some(&self.dir),
                        &self.dir,
                        Some("none"),
                        MsFlags::MS_BIND | MsFlags::MS_REC,
                        None::<&str>,
                    )
                    .map_err(|e| step(e, "bind-mounting the netns directory on itself"))?;
                    bound = true;
                }
                Err(e) => return Err(step(e, "making the netns directory a shared mount")),
            }
        }
    }
}

/// Bind-mounts each file of `/etc/netns/NAME/` over its namesake in
/// `/etc`, as iproute2's `bind_etc` does (missing or failing ones are
/// skipped, as there).
fn bind_etc(name: &str) {
    let Ok(entries) = std::fs::read_dir(Path::new("/etc/netns").join(name)) else {
        return;
    };
    for entry in entries.flatten() {
        let target = Path::new("/etc").join(entry.file_name());
        let _ = mount(
            Some(&entry.path()),
            &target,
            Some("none"),
            MsFlags::MS_BIND,
            None::<&str>,
        );
    }
}

/// `NetnsDir::run().add(name)`: a new namespace named `name` in
/// `/run/netns`, as `ip netns add NAME`.
pub fn add(name: &str) -> Result<PathBuf> {
    NetnsDir::run().add(name)
}

/// `NetnsDir::run().del(name)`, as `ip netns delete NAME`.
pub fn del(name: &str) -> Result<()> {
    NetnsDir::run().del(name)
}

/// `NetnsDir::run().list()`, as `ip netns list` (without the ids).
pub fn list() -> Result<Vec<String>> {
    NetnsDir::run().list()
}

/// `NetnsDir::run().path(name)`: `/run/netns/NAME`.
pub fn path(name: &str) -> Result<PathBuf> {
    NetnsDir::run().path(name)
}
