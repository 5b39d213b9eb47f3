//! eBPF programs through `bpf(2)`: load, pin, open a pinned one, read its
//! id and tag. Enough to hand a program's descriptor to a tc filter or
//! action (`TCA_BPF_FD`, `TCA_ACT_BPF_FD`) or to XDP (`IFLA_XDP_FD`).
//!
//! Loading runs without a verifier log first, as libbpf does: a log costs
//! the kernel time even when the program passes. Only when the kernel
//! refuses the program (`EACCES` or `EINVAL`) is it loaded again with a
//! 64 KiB log at `log_level` 1, and the log travels in the [`Error`]
//! ([`Error::message`], and its `Display`).
//!
//! Program names follow the kernel's rule (`bpf_obj_name_cpy`): at most 15
//! bytes of ASCII letters, digits, `_` and `.`; anything else fails with
//! `EINVAL` before any syscall.

use std::ffi::CString;
use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::errno::Errno;

use crate::error::{Error, ErrorKind, Op, Result};
use crate::sys;

/// The longest program name (`BPF_OBJ_NAME_LEN - 1`).
const MAX_NAME_LEN: usize = 15;

/// Size of the verifier log buffer on the retry after a refusal.
const LOG_SIZE: usize = 64 * 1024;

/// eBPF program types this wrapper loads (values of `enum bpf_prog_type`
/// in `<linux/bpf.h>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgType {
    /// `BPF_PROG_TYPE_SOCKET_FILTER` (1): `SO_ATTACH_BPF`.
    SocketFilter,
    /// `BPF_PROG_TYPE_SCHED_CLS` (3): tc classifier (`cls_bpf`).
    SchedCls,
    /// `BPF_PROG_TYPE_SCHED_ACT` (4): tc action (`act_bpf`).
    SchedAct,
    /// `BPF_PROG_TYPE_XDP` (6).
    Xdp,
    /// Any other `BPF_PROG_TYPE_*` value.
    Other(u32),
}

impl From<u32> for ProgType {
    fn from(n: u32) -> Self {
        match n {
            1 => ProgType::SocketFilter,
            3 => ProgType::SchedCls,
            4 => ProgType::SchedAct,
            6 => ProgType::Xdp,
            o => ProgType::Other(o),
        }
    }
}

impl From<ProgType> for u32 {
    fn from(t: ProgType) -> u32 {
        match t {
            ProgType::SocketFilter => 1,
            ProgType::SchedCls => 3,
            ProgType::SchedAct => 4,
            ProgType::Xdp => 6,
            ProgType::Other(o) => o,
        }
    }
}

impl fmt::Display for ProgType {
    /// bpftool's names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProgType::SocketFilter => f.write_str("socket_filter"),
            ProgType::SchedCls => f.write_str("sched_cls"),
            ProgType::SchedAct => f.write_str("sched_act"),
            ProgType::Xdp => f.write_str("xdp"),
            ProgType::Other(o) => write!(f, "{o}"),
        }
    }
}

/// One eBPF instruction (`struct bpf_insn`, 8 bytes).
///
/// ```text
///  0        1        2        4                 8
/// +--------+--------+--------+-----------------+
/// |  code  |src|dst |  off   |       imm       |   (little endian)
/// +--------+--------+--------+-----------------+
/// ```
///
/// `dst_reg` and `src_reg` are 4-bit fields sharing byte 1: `dst` is the
/// low nibble on little endian and the high one on big endian (C bit-field
/// order). `off` and `imm` are in host byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    /// Opcode: class, size or source, operation (`BPF_ALU64 | BPF_MOV | BPF_K`).
    pub code: u8,
    /// Destination register, 0 to 10 (only the low 4 bits are encoded).
    pub dst: u8,
    /// Source register, 0 to 10 (only the low 4 bits are encoded).
    pub src: u8,
    /// Signed offset (jumps, memory accesses).
    pub off: i16,
    /// Signed immediate.
    pub imm: i32,
}

/// `BPF_ALU64 | BPF_MOV | BPF_K`.
const MOV64_IMM: u8 = 0x07 | 0xb0;
/// `BPF_JMP | BPF_EXIT`.
const EXIT: u8 = 0x05 | 0x90;

impl Insn {
    /// `dst = imm` (64-bit move of the sign-extended immediate).
    pub const fn mov64_imm(dst: u8, imm: i32) -> Insn {
        Insn {
            code: MOV64_IMM,
            dst,
            src: 0,
            off: 0,
            imm,
        }
    }

    /// Return `r0` to the caller.
    pub const fn exit() -> Insn {
        Insn {
            code: EXIT,
            dst: 0,
            src: 0,
            off: 0,
            imm: 0,
        }
    }

    /// The instruction as the kernel reads it.
    pub const fn to_bytes(self) -> [u8; 8] {
        let regs = if cfg!(target_endian = "little") {
            (self.src << 4) | (self.dst & 0x0f)
        } else {
            (self.dst << 4) | (self.src & 0x0f)
        };
        let off = self.off.to_ne_bytes();
        let imm = self.imm.to_ne_bytes();
        [
            self.code, regs, off[0], off[1], imm[0], imm[1], imm[2], imm[3],
        ]
    }
}

/// A loaded eBPF program. It owns the descriptor: the kernel unloads the
/// program when the last descriptor closes, unless it is pinned or
/// attached somewhere.
#[derive(Debug)]
pub struct Program {
    fd: OwnedFd,
}

/// What the kernel reports about a loaded program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgInfo {
    /// The program type (`BPF_PROG_TYPE_*`, see [`ProgType`]).
    pub ty: u32,
    /// The program's id, unique while it is loaded (`bpftool prog show id N`).
    pub id: u32,
    /// The tag: a hash of the instructions, as `tc filter show` prints it.
    pub tag: [u8; 8],
    /// The name given at load.
    pub name: String,
}

impl ProgInfo {
    /// The type as a [`ProgType`].
    pub fn prog_type(&self) -> ProgType {
        ProgType::from(self.ty)
    }
}

fn fail(e: Errno) -> Error {
    Error::from_errno(Op::Bpf, e)
}

/// `name` NUL-padded to `BPF_OBJ_NAME_LEN`, if the kernel accepts it.
fn obj_name(name: &str) -> Result<[u8; 16]> {
    let ok = name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    if !ok {
        return Err(fail(Errno::EINVAL));
    }
    let mut out = [0u8; 16];
    for (dst, src) in out.iter_mut().zip(name.bytes()) {
        *dst = src;
    }
    Ok(out)
}

fn c_path(path: &Path) -> Result<CString> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| fail(Errno::EINVAL))
}

/// The text the verifier wrote into `log`: up to the first NUL, trailing
/// whitespace dropped; None if it wrote nothing.
fn log_text(log: &[u8]) -> Option<Box<str>> {
    let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
    let text = String::from_utf8_lossy(log.get(..end).unwrap_or_default());
    let text = text.trim_end();
    (!text.is_empty()).then(|| text.into())
}

impl Program {
    /// `BPF_PROG_LOAD`: loads `insns` as a program of type `ty` named
    /// `name` (at most 15 bytes of ASCII letters, digits, `_`, `.`; may be
    /// empty) under `license` (`"GPL"` for programs that call GPL-only helpers).
    ///
    /// When the verifier refuses the program, the error keeps the errno of
    /// the first attempt, has kind [`ErrorKind::Invalid`] (the verifier's
    /// `EACCES` is no permission problem) and carries the verifier's log,
    /// taken on a second attempt with a 64 KiB log buffer. Without root
    /// (`CAP_BPF`) the error is `EPERM`, [`ErrorKind::Permission`].
    ///
    /// ```no_run
    /// use nl_sock::bpf::{Insn, ProgType, Program};
    /// // A tc classifier that returns TC_ACT_UNSPEC (-1): the filter's default action.
    /// let insns = [Insn::mov64_imm(0, -1), Insn::exit()];
    /// let prog = Program::load(ProgType::SchedCls, "pass", &insns, "GPL")?;
    /// let info = prog.info()?;
    /// assert_eq!(info.prog_type(), ProgType::SchedCls);
    /// println!("loaded as id {}", info.id);
    /// # Ok::<(), nl_sock::Error>(())
    /// ```
    pub fn load(ty: ProgType, name: &str, insns: &[Insn], license: &str) -> Result<Program> {
        let name = obj_name(name)?;
        let license = CString::new(license).map_err(|_| fail(Errno::EINVAL))?;
        let code: Vec<[u8; 8]> = insns.iter().map(|i| i.to_bytes()).collect();
        let ty = u32::from(ty);
        let first = match sys::bpf_prog_load(ty, &code, &license, name, None) {
            Ok(fd) => return Ok(Program { fd }),
            Err(e) => e,
        };
        if !matches!(first, Errno::EACCES | Errno::EINVAL) {
            return Err(fail(first));
        }
        let mut log = vec![0u8; LOG_SIZE];
        // The retry reports ENOSPC instead when the log overflowed (its
        // tail, with the reason, is still there), so keep the first errno.
        if let Ok(fd) = sys::bpf_prog_load(ty, &code, &license, name, Some(&mut log)) {
            return Ok(Program { fd });
        }
        Err(match log_text(&log) {
            Some(text) => fail(first).with_kind(ErrorKind::Invalid).with_message(text),
            None => fail(first),
        })
    }

    /// `BPF_OBJ_GET`: opens the program pinned in a bpffs at `path`.
    /// Fails with `EINVAL` if the object there is not a program (a map, a link).
    pub fn from_pinned(path: &Path) -> Result<Program> {
        let fd = sys::bpf_obj_get(&c_path(path)?).map_err(fail)?;
        // bpf(2) descriptors are anonymous inodes named after their kind.
        let link = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()));
        match link {
            Ok(target) if target.as_os_str() != "anon_inode:bpf-prog" => Err(fail(Errno::EINVAL)),
            // Without /proc there is nothing to check against.
            _ => Ok(Program { fd }),
        }
    }

    /// `BPF_OBJ_PIN`: pins the program at `path`, which must be a new name
    /// inside a mounted bpffs (usually `/sys/fs/bpf`); it stays loaded
    /// until that file is removed.
    pub fn pin(&self, path: &Path) -> Result<()> {
        sys::bpf_obj_pin(self.fd.as_fd(), &c_path(path)?).map_err(fail)
    }

    /// `BPF_OBJ_GET_INFO_BY_FD`: the program's type, id, tag and name.
    pub fn info(&self) -> Result<ProgInfo> {
        let raw = sys::bpf_prog_info(self.fd.as_fd()).map_err(fail)?;
        let end = raw
            .name
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(raw.name.len());
        let name = String::from_utf8_lossy(raw.name.get(..end).unwrap_or_default()).into_owned();
        Ok(ProgInfo {
            ty: raw.prog_type,
            id: raw.id,
            tag: raw.tag,
            name,
        })
    }

    /// The program's descriptor.
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsFd for Program {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Program {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl From<Program> for OwnedFd {
    fn from(p: Program) -> OwnedFd {
        p.fd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_emit_insns() {
        // Bytes as gcc lays out `struct bpf_insn` on this host.
        let mov = Insn {
            code: MOV64_IMM,
            dst: 1,
            src: 2,
            off: -1,
            imm: -1,
        };
        if cfg!(target_endian = "little") {
            assert_eq!(
                mov.to_bytes(),
                [0xb7, 0x21, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
            );
            assert_eq!(
                Insn::mov64_imm(0, 7).to_bytes(),
                [0xb7, 0x00, 0, 0, 7, 0, 0, 0]
            );
        }
        assert_eq!(Insn::exit().to_bytes(), [0x95, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn prog_types_round_trip() {
        for n in 0..40 {
            assert_eq!(u32::from(ProgType::from(n)), n);
        }
        assert_eq!(ProgType::from(3), ProgType::SchedCls);
        assert_eq!(ProgType::from(6).to_string(), "xdp");
    }

    #[test]
    fn names_follow_the_kernel() {
        assert_eq!(&obj_name("tc_pass.v1").unwrap()[..11], b"tc_pass.v1\0");
        assert!(obj_name("").is_ok());
        assert!(obj_name("fifteen_chars_x").is_ok());
        for bad in ["sixteen_chars_xx", "with space", "dash-ed", "é"] {
            assert_eq!(obj_name(bad).unwrap_err().errno(), Some(Errno::EINVAL));
        }
    }

    #[test]
    fn bad_requests_fail_before_any_syscall() {
        let insns = [Insn::mov64_imm(0, 0), Insn::exit()];
        let e = Program::load(ProgType::SchedCls, "a-b", &insns, "GPL").unwrap_err();
        assert_eq!((e.op(), e.errno()), (Op::Bpf, Some(Errno::EINVAL)));
        let e = Program::load(ProgType::SchedCls, "ok", &insns, "G\0PL").unwrap_err();
        assert_eq!(e.errno(), Some(Errno::EINVAL));
        let e = Program::from_pinned(Path::new("/sys/fs/bpf/a\0b")).unwrap_err();
        assert_eq!(e.errno(), Some(Errno::EINVAL));
    }

    #[test]
    fn log_text_stops_at_nul() {
        assert_eq!(
            log_text(b"R0 !read_ok\n\0junk").as_deref(),
            Some("R0 !read_ok")
        );
        assert_eq!(log_text(&[0u8; 8]), None);
        assert_eq!(log_text(b"no nul"), Some("no nul".into()));
    }
}
