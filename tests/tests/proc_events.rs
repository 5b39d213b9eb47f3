//! Process events (cn_proc over NETLINK_CONNECTOR) against the kernel:
//! children this test spawns (a program that exits at once, a shell that
//! renames itself and exits with a code, one killed by a signal) and a
//! thread that renames itself with prctl, each followed by pid through
//! its exact fork, exec, comm and exit events; and id changes (nsenter
//! -S/-G), a session (setsid), a ptrace attach (strace) and a core dump.
//!
//! Proc events are the whole system's, not a namespace's: the kernel's
//! connector socket exists in the initial network namespace only, so the
//! subscription's handle is opened in the namespace the test process was
//! started in (its main thread's: `in_netns` moves only the test's own
//! thread; nothing of that namespace is changed), and every assertion
//! filters by the pids this test made, among whatever else the machine
//! runs. A test process started outside the initial namespace (in a
//! container) skips, saying so.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use netlink::{AsyncHandle, ErrorKind, Handle, ProcEvent, ProcEventKind, ProcExitStatus};
use netlink_tests::{in_netns, skip};

/// The namespace the test process started in (its main thread's), where
/// the kernel's connector is when that is the initial one.
const START_NETNS: &str = "/proc/self/ns/net";

/// A proc event subscription from the namespace the process started in;
/// skips when the connector refuses it there (not the initial namespace).
fn subscribe() -> Result<netlink::ProcSubscription> {
    let h = Handle::in_netns(START_NETNS)?;
    match h.proc_event_subscribe() {
        Err(e) if e.errno() == Some(netlink::Errno::ECONNREFUSED) => Err(skip(format!(
            "the test process is not in the initial network namespace: {e}"
        ))),
        other => Ok(other?),
    }
}

/// SIGCHLD: the signal a child's exit sends its parent.
const SIGCHLD: u32 = 17;

/// Reads events until `done` says the collected ones are enough (or 10 s
/// pass): every event whose process or thread is in `pids`.
fn collect(
    sub: &mut netlink::ProcSubscription,
    pids: &BTreeSet<u32>,
    done: impl Fn(&[ProcEvent]) -> bool,
) -> Result<Vec<ProcEvent>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut got = Vec::new();
    sub.set_timeout(Some(Duration::from_millis(500)))?;
    while !done(&got) {
        ensure!(
            Instant::now() < deadline,
            "events still missing after 10 s; got {got:#?}"
        );
        match sub.next() {
            Ok(ev) => {
                if concerns(&ev.kind, pids) {
                    got.push(ev);
                }
            }
            Err(e) if e.kind() == ErrorKind::Timeout => {}
            Err(e) if e.kind() == ErrorKind::Overrun => bail!("events lost: {e}"),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(got)
}

/// Whether an event is about one of `pids` (as a thread, a process, or
/// the child of a fork).
fn concerns(kind: &ProcEventKind, pids: &BTreeSet<u32>) -> bool {
    match kind {
        ProcEventKind::Fork { child_pid, .. } => pids.contains(child_pid),
        ProcEventKind::Exec { pid, .. }
        | ProcEventKind::Comm { pid, .. }
        | ProcEventKind::Exit { pid, .. }
        | ProcEventKind::Uid { pid, .. }
        | ProcEventKind::Gid { pid, .. }
        | ProcEventKind::Sid { pid, .. }
        | ProcEventKind::Ptrace { pid, .. }
        | ProcEventKind::Coredump { pid, .. } => pids.contains(pid),
        _ => false,
    }
}

/// The events of thread `pid`, in order.
fn of(events: &[ProcEvent], pid: u32) -> Vec<ProcEventKind> {
    let one: BTreeSet<u32> = [pid].into();
    events
        .iter()
        .filter(|e| concerns(&e.kind, &one))
        .map(|e| e.kind.clone())
        .collect()
}

fn exited(events: &[ProcEvent], pid: u32) -> bool {
    of(events, pid)
        .iter()
        .any(|k| matches!(k, ProcEventKind::Exit { .. }))
}

#[test]
fn fork_exec_comm_and_exit_of_spawned_children() {
    in_netns("proc_events_children", |_ns| {
        let mut sub = subscribe()?;
        sub.set_recv_buffer_size(4 << 20)?;
        let me = std::process::id();
        // Command::spawn forks from the calling thread: the children's parent.
        let tid = u32::try_from(nix::unistd::gettid().as_raw())?;

        let mut t = Command::new("/bin/true")
            .spawn()
            .context("spawning /bin/true")?;
        let t_pid = t.id();
        ensure!(t.wait()?.success());

        // The shell renames itself through /proc/self/comm (the kernel's
        // comm_write sends the same event as prctl(PR_SET_NAME)), then exits 3.
        let mut sh = Command::new("/bin/sh")
            .args(["-c", "printf nl-renamed > /proc/self/comm; exit 3"])
            .spawn()
            .context("spawning sh")?;
        let sh_pid = sh.id();
        ensure!(sh.wait()?.code() == Some(3));

        let mut sleeper = Command::new("sleep")
            .arg("30")
            .stdout(Stdio::null())
            .spawn()
            .context("spawning sleep")?;
        let sleep_pid = sleeper.id();
        // Killed only once it has exec'd `sleep`, so its exec is seen.
        let pids: BTreeSet<u32> = [t_pid, sh_pid, sleep_pid].into();
        let mut events = collect(&mut sub, &pids, |got| {
            of(got, sleep_pid)
                .iter()
                .any(|k| matches!(k, ProcEventKind::Exec { .. }))
        })?;
        sleeper.kill()?;
        sleeper.wait()?;
        events.extend(collect(&mut sub, &pids, |got| {
            [t_pid, sh_pid, sleep_pid]
                .iter()
                .all(|p| exited(got, *p) || exited(&events, *p))
        })?);

        // Each child: forked by this thread, exec'd, exited to this thread.
        let fork = |child: u32| ProcEventKind::Fork {
            parent_pid: tid,
            parent_tgid: me,
            child_pid: child,
            child_tgid: child,
        };
        let exit = |pid: u32, exit_code: u32| ProcEventKind::Exit {
            pid,
            tgid: pid,
            exit_code,
            exit_signal: SIGCHLD,
            parent_pid: tid,
            parent_tgid: me,
        };
        let seen = |pid| of(&events, pid);
        assert_eq!(
            seen(t_pid),
            [
                fork(t_pid),
                ProcEventKind::Exec {
                    pid: t_pid,
                    tgid: t_pid
                },
                exit(t_pid, 0),
            ]
        );
        assert_eq!(
            seen(sh_pid),
            [
                fork(sh_pid),
                ProcEventKind::Exec {
                    pid: sh_pid,
                    tgid: sh_pid
                },
                ProcEventKind::Comm {
                    pid: sh_pid,
                    tgid: sh_pid,
                    comm: "nl-renamed".into()
                },
                exit(sh_pid, 3 << 8),
            ]
        );
        assert_eq!(
            seen(sleep_pid),
            [
                fork(sleep_pid),
                ProcEventKind::Exec {
                    pid: sleep_pid,
                    tgid: sleep_pid
                },
                exit(sleep_pid, 9),
            ]
        );
        let status = |pid| of(&events, pid).last().and_then(ProcEventKind::exit_status);
        assert_eq!(status(sh_pid), Some(ProcExitStatus::Exited(3)));
        assert_eq!(
            status(sleep_pid),
            Some(ProcExitStatus::Signaled {
                signal: 9,
                core_dumped: false
            })
        );
        Ok(())
    });
}

#[test]
fn a_thread_renamed_with_prctl() {
    in_netns("proc_events_prctl", |_ns| {
        let mut sub = subscribe()?;
        sub.set_recv_buffer_size(4 << 20)?;
        let me = std::process::id();
        let ppid = u32::try_from(nix::unistd::getppid().as_raw())?;
        let tid = std::thread::spawn(|| -> Result<u32> {
            nix::sys::prctl::set_name(c"nl-prctl-test")?;
            Ok(u32::try_from(nix::unistd::gettid().as_raw())?)
        })
        .join()
        .map_err(|_| anyhow::anyhow!("the thread panicked"))??;
        let pids: BTreeSet<u32> = [tid].into();
        let events = collect(&mut sub, &pids, |got| exited(got, tid))?;
        // A thread's fork event names its process's parent (the kernel
        // reads task->real_parent, which CLONE_THREAD sets to the
        // process's); which of that process's threads is not known here.
        let kinds = of(&events, tid);
        let [fork, comm, exit] = kinds.as_slice() else {
            bail!("expected fork, comm, exit of thread {tid}: {kinds:?}");
        };
        let ProcEventKind::Fork {
            parent_tgid,
            child_pid,
            child_tgid,
            ..
        } = fork
        else {
            bail!("not a fork: {fork:?}");
        };
        assert_eq!((*parent_tgid, *child_pid, *child_tgid), (ppid, tid, me));
        assert_eq!(
            comm,
            &ProcEventKind::Comm {
                pid: tid,
                tgid: me,
                comm: "nl-prctl-test".into()
            }
        );
        // A thread's exit signals nobody (exit_signal -1); the parent
        // fields of a thread's exit are not compared (6.18 sends 0).
        let ProcEventKind::Exit {
            pid,
            tgid,
            exit_code,
            exit_signal,
            ..
        } = exit
        else {
            bail!("not an exit: {exit:?}");
        };
        assert_eq!(
            (*pid, *tgid, *exit_code, *exit_signal),
            (tid, me, 0, u32::MAX)
        );
        Ok(())
    });
}

/// Reads events until `done` says they are enough (or 10 s pass): every
/// event of the processes `roots` and of whatever they fork, followed
/// as the forks come.
fn collect_family(
    sub: &mut netlink::ProcSubscription,
    roots: &[u32],
    done: impl Fn(&[ProcEvent]) -> bool,
) -> Result<Vec<ProcEvent>> {
    let mut family: BTreeSet<u32> = roots.iter().copied().collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut got = Vec::new();
    sub.set_timeout(Some(Duration::from_millis(500)))?;
    while !done(&got) {
        ensure!(
            Instant::now() < deadline,
            "events still missing after 10 s; got {got:#?}"
        );
        let ev = match sub.next() {
            Ok(ev) => ev,
            Err(e) if e.kind() == ErrorKind::Timeout => continue,
            Err(e) => return Err(e.into()),
        };
        if let ProcEventKind::Fork {
            parent_tgid,
            child_tgid,
            ..
        } = ev.kind
        {
            if family.contains(&parent_tgid) {
                family.insert(child_tgid);
            }
        }
        if ev.kind.tgid().is_some_and(|t| family.contains(&t)) {
            got.push(ev);
        }
    }
    Ok(got)
}

/// The events of process `tgid`, in order.
fn of_process(events: &[ProcEvent], tgid: u32) -> Vec<ProcEventKind> {
    events
        .iter()
        .filter(|e| e.kind.tgid() == Some(tgid))
        .map(|e| e.kind.clone())
        .collect()
}

#[test]
fn ids_session_ptrace_and_coredump() {
    in_netns("proc_events_ids", |_ns| {
        let mut sub = subscribe()?;
        sub.set_recv_buffer_size(4 << 20)?;
        let me = std::process::id();
        let tid = u32::try_from(nix::unistd::gettid().as_raw())?;
        let run = |program: &str, args: &[&str]| -> Result<u32> {
            let mut child = Command::new(program)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .with_context(|| format!("spawning {program}"))?;
            let pid = child.id();
            child.wait()?;
            Ok(pid)
        };
        // util-linux nsenter without a namespace: setgroups, setgid, setuid, exec.
        let ids = run("nsenter", &["-S", "65534", "-G", "65534", "true"])?;
        // Not a process group leader: setsid() succeeds without a fork.
        let sid = run("setsid", &["true"])?;
        // strace forks its tracee and seizes it.
        let tracer = run("strace", &["-o", "/dev/null", "true"])?;
        // The default action of SIGABRT dumps core (ulimit 0: no file).
        let dumped = run("/bin/sh", &["-c", "ulimit -c 0; kill -ABRT $$"])?;
        let roots = [ids, sid, tracer, dumped];
        let events = collect_family(&mut sub, &roots, |got| {
            roots.iter().all(|r| {
                of_process(got, *r)
                    .iter()
                    .any(|k| matches!(k, ProcEventKind::Exit { .. }))
            })
        })?;

        let id_events: Vec<_> = of_process(&events, ids)
            .into_iter()
            .filter(|k| matches!(k, ProcEventKind::Uid { .. } | ProcEventKind::Gid { .. }))
            .collect();
        assert_eq!(
            id_events,
            [
                ProcEventKind::Gid {
                    pid: ids,
                    tgid: ids,
                    rgid: 65534,
                    egid: 65534
                },
                ProcEventKind::Uid {
                    pid: ids,
                    tgid: ids,
                    ruid: 65534,
                    euid: 65534
                },
            ]
        );

        let sids: Vec<_> = of_process(&events, sid)
            .into_iter()
            .filter(|k| matches!(k, ProcEventKind::Sid { .. }))
            .collect();
        assert_eq!(
            sids,
            [ProcEventKind::Sid {
                pid: sid,
                tgid: sid
            }]
        );

        // The tracee is the process strace forked; the tracer, strace.
        let tracee = events
            .iter()
            .find_map(|e| match e.kind {
                ProcEventKind::Fork {
                    parent_tgid,
                    child_tgid,
                    ..
                } if parent_tgid == tracer => Some(child_tgid),
                _ => None,
            })
            .context("strace forked nothing")?;
        let attach = of_process(&events, tracee)
            .into_iter()
            .find(|k| matches!(k, ProcEventKind::Ptrace { .. }))
            .context("no ptrace event for the tracee")?;
        let ProcEventKind::Ptrace {
            pid,
            tracer_pid,
            tracer_tgid,
            ..
        } = attach
        else {
            unreachable!()
        };
        assert_eq!((pid, tracer_pid, tracer_tgid), (tracee, tracer, tracer));

        let kinds = of_process(&events, dumped);
        assert!(
            kinds.contains(&ProcEventKind::Coredump {
                pid: dumped,
                tgid: dumped,
                parent_pid: tid,
                parent_tgid: me
            }),
            "{kinds:?}"
        );
        let status = kinds.iter().find_map(ProcEventKind::exit_status);
        assert!(
            matches!(status, Some(ProcExitStatus::Signaled { signal: 6, .. })),
            "{status:?}"
        );
        Ok(())
    });
}

#[test]
fn the_kernel_acks_the_listen() {
    in_netns("proc_events_ack", |_ns| {
        let mut sub = subscribe()?;
        sub.set_timeout(Some(Duration::from_secs(5)))?;
        // cn_proc answers every operation with a NONE event, err 0: other
        // listeners' acks may come too, and any event can come first.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            ensure!(Instant::now() < deadline, "no ack from cn_proc");
            if let ProcEventKind::Ack { err } = sub.next()?.kind {
                assert_eq!(err, 0);
                return Ok(());
            }
        }
    });
}

#[test]
fn outside_the_initial_namespace_the_connector_refuses() {
    in_netns("proc_events_netns", |_ns| {
        let h = Handle::new()?;
        let err = h
            .proc_event_subscribe()
            .err()
            .context("a proc event subscription in a new namespace")?;
        assert_eq!(err.errno(), Some(netlink::Errno::ECONNREFUSED));
        assert!(
            err.to_string().contains("initial network namespace"),
            "{err}"
        );
        Ok(())
    });
}

#[test]
fn async_subscription_sees_a_child_exit() {
    in_netns("proc_events_async", |_ns| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::in_netns(START_NETNS)?;
            let mut sub = h.proc_event_subscribe().await?;
            sub.set_recv_buffer_size(4 << 20)?;
            let mut child = Command::new("/bin/sh").args(["-c", "exit 5"]).spawn()?;
            let pid = child.id();
            child.wait()?;
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut kinds = Vec::new();
            while !kinds
                .iter()
                .any(|k| matches!(k, ProcEventKind::Exit { .. }))
            {
                let left = deadline.saturating_duration_since(Instant::now());
                let ev = tokio::time::timeout(left, sub.next())
                    .await
                    .with_context(|| format!("no exit of {pid}; got {kinds:?}"))?
                    .context("the stream ended")??;
                if concerns(&ev.kind, &[pid].into()) {
                    kinds.push(ev.kind);
                }
            }
            let status: Vec<_> = kinds.iter().filter_map(ProcEventKind::exit_status).collect();
            assert_eq!(status, [ProcExitStatus::Exited(5)]);
            assert!(matches!(kinds.first(), Some(ProcEventKind::Fork { child_pid, .. }) if *child_pid == pid));
            Ok(())
        })
    });
}
