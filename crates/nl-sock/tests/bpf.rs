//! eBPF programs against the running kernel. Loading needs root
//! (`CAP_BPF`); without it each test prints `SKIP` and passes.

use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use nix::mount::{MsFlags, mount};
use nix::sched::{CloneFlags, unshare};
use nl_sock::bpf::{Insn, ProgType, Program};
use nl_sock::{Errno, ErrorKind, Op};

/// Returns TC_ACT_UNSPEC (-1): the filter's default action.
const PASS: [Insn; 2] = [Insn::mov64_imm(0, -1), Insn::exit()];

fn skip_unless_root(name: &str) -> bool {
    if nix::unistd::geteuid().is_root() {
        return false;
    }
    // Straight to stderr: libtest hides a passing test's eprintln!.
    let _ = writeln!(std::io::stderr(), "SKIP {name}: needs root to load eBPF");
    true
}

#[test]
fn load_sched_cls_and_read_info() {
    if skip_unless_root("load_sched_cls_and_read_info") {
        return;
    }
    let prog = Program::load(ProgType::SchedCls, "nl_sock.pass", &PASS, "GPL").unwrap();
    let info = prog.info().unwrap();
    assert_eq!(info.ty, 3);
    assert_eq!(info.prog_type(), ProgType::SchedCls);
    assert_ne!(info.id, 0);
    assert_eq!(info.name, "nl_sock.pass");
    assert_ne!(info.tag, [0; 8]);
    // The same instructions hash to the same tag; the id is new.
    let again = Program::load(ProgType::SchedCls, "", &PASS, "GPL").unwrap();
    let info2 = again.info().unwrap();
    assert_eq!((info2.tag, info2.name.as_str()), (info.tag, ""));
    assert_ne!(info2.id, info.id);
    let fd = OwnedFd::from(again);
    drop(fd);
}

#[test]
fn verifier_refusal_carries_its_log() {
    if skip_unless_root("verifier_refusal_carries_its_log") {
        return;
    }
    // r0 is never set before exit.
    let e = Program::load(ProgType::SchedCls, "bad", &[Insn::exit()], "GPL").unwrap_err();
    assert_eq!(e.op(), Op::Bpf);
    assert_eq!(e.errno(), Some(Errno::EACCES));
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(
        e.message().is_some_and(|m| m.contains("R0 !read_ok")),
        "{e}"
    );
    let text = e.to_string();
    assert!(
        text.starts_with("netlink bpf: Permission denied (EACCES): Error: "),
        "{text}"
    );
    assert!(text.contains("R0 !read_ok"), "{text}");
}

#[test]
fn refusal_without_a_log_keeps_the_errno() {
    if skip_unless_root("refusal_without_a_log_keeps_the_errno") {
        return;
    }
    // An unknown program type is refused before the verifier runs.
    let e = Program::load(ProgType::Other(0x7fff), "odd", &PASS, "GPL").unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EINVAL));
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.message(), None);
    // So is an empty one (no retry for E2BIG).
    let e = Program::load(ProgType::Xdp, "empty", &[], "GPL").unwrap_err();
    assert_eq!(e.errno(), Some(Errno::E2BIG));
    assert_eq!(e.message(), None);
}

/// Pins into a bpffs mounted on a temporary directory inside a private
/// mount namespace of one thread, so the host's mounts never change.
#[test]
fn pin_and_open_pinned() {
    if skip_unless_root("pin_and_open_pinned") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("nl-sock-bpffs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let outcome = std::thread::scope(|s| s.spawn(|| pin_in_private_bpffs(&dir)).join());
    let _ = std::fs::remove_dir(&dir);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => match e.downcast_ref::<Skipped>() {
            Some(Skipped(why)) => {
                let _ = writeln!(std::io::stderr(), "SKIP pin_and_open_pinned: {why}");
            }
            None => panic!("pin_and_open_pinned: {e:?}"),
        },
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[derive(Debug)]
struct Skipped(String);

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Skipped {}

fn pin_in_private_bpffs(dir: &Path) -> Result<()> {
    let skip = |what: &str, e: Errno| Skipped(format!("{what}: {e}"));
    // This thread only: unshare(CLONE_NEWNS) gives it its own fs_struct too.
    unshare(CloneFlags::CLONE_NEWNS).map_err(|e| skip("unshare(CLONE_NEWNS)", e))?;
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .map_err(|e| skip("making / private", e))?;
    mount(
        Some("bpf"),
        dir,
        Some("bpf"),
        MsFlags::empty(),
        None::<&str>,
    )
    .map_err(|e| skip("mount -t bpf", e))?;

    let prog = Program::load(ProgType::SchedAct, "nl_sock_pin", &PASS, "GPL")?;
    let id = prog.info()?.id;
    let path: PathBuf = dir.join("pass");
    prog.pin(&path)?;
    drop(prog);
    // The pin keeps the program loaded after its last descriptor closed.
    let opened = Program::from_pinned(&path)?;
    let info = opened.info()?;
    ensure!(info.id == id, "pinned id {} != loaded id {id}", info.id);
    ensure!(info.prog_type() == ProgType::SchedAct);

    let again = opened.pin(&path).expect_err("pinning twice at one path");
    ensure!(again.kind() == ErrorKind::Exists, "{again}");
    let missing = Program::from_pinned(&dir.join("missing")).expect_err("nothing pinned there");
    ensure!(missing.kind() == ErrorKind::NotFound, "{missing}");
    std::fs::remove_file(&path).context("unpinning")?;
    Ok(())
}
