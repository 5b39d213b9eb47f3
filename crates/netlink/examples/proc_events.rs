//! Process events (the Go library's `ProcEventMonitor`): subscribe, start
//! `/bin/sh -c 'exit 3'`, and print that child's fork, exec and exit as
//! the kernel reports them.
//!
//! ```text
//! cargo run -p netlink --features connector --example proc_events
//! ```
//!
//! Needs root (`CAP_NET_ADMIN`) in the initial network, user and PID
//! namespaces: the kernel's process connector lives there only. It
//! changes nothing; it stops at the child's exit, or after 5 seconds.

use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};
use netlink::{ErrorKind, Handle, ProcEventKind};

fn main() -> Result<()> {
    let h = Handle::new()?;
    let mut sub = h.proc_event_subscribe()?;
    sub.set_timeout(Some(Duration::from_secs(5)))?;
    let mut child = Command::new("/bin/sh").args(["-c", "exit 3"]).spawn()?;
    let pid = child.id();
    child.wait()?;
    loop {
        let event = match sub.next() {
            Ok(event) => event,
            Err(e) if e.kind() == ErrorKind::Overrun => continue,
            Err(e) => return Err(e.into()),
        };
        match event.kind {
            ProcEventKind::Fork {
                parent_tgid,
                child_tgid,
                ..
            } if child_tgid == pid => {
                println!("fork {parent_tgid} -> {child_tgid}");
            }
            ProcEventKind::Exec { tgid, .. } if tgid == pid => println!("exec {tgid}"),
            ref kind @ ProcEventKind::Exit { tgid, .. } if tgid == pid => {
                let Some(status) = kind.exit_status() else {
                    bail!("an exit without a status");
                };
                println!("exit {tgid}: {status:?}");
                return Ok(());
            }
            _ => {}
        }
    }
}
