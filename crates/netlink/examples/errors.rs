//! Errors: what a failed call tells, and how a program decides on it.
//! Every error of the facade is a `netlink::Error` with a matchable
//! `kind()`, the kernel's own words (`message()`, what `ip` prints after
//! "Error:"), the call and object it is about (`context()`), and one
//! `Display` line that says it all once. Text that does not parse (an
//! address, a prefix) converts with `?` too.
//!
//! ```text
//! cargo run -p netlink --example errors            # in a private network namespace
//! cargo run -p netlink --example errors -- --here  # in this one: changes this host
//! ```
//!
//! It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root), so it touches nothing on
//! the host; with `--here` it works in the current namespace instead.

use anyhow::{Context, Result, bail, ensure};
use netlink::{Addr, ErrorKind, Handle, Link, LinkKind};

const BRIDGE: &str = "ex-err0";

fn main() -> Result<()> {
    private_netns()?;
    let h = Handle::new()?;
    let outcome = show(&h);
    match h.link_del(BRIDGE) {
        Ok(()) => println!("deleted {BRIDGE}"),
        Err(e) if e.is_not_found() => {}
        Err(e) => eprintln!("cleanup: {e}"),
    }
    outcome
}

fn show(h: &Handle) -> Result<()> {
    // A lookup that finds nothing.
    match h.link_by_name("ex-nosuch0") {
        Err(e) if e.is_not_found() => println!("not found: {e}"),
        other => bail!("expected not found, got {other:?}"),
    }

    // Created twice: the second time is the kernel's EEXIST, with the call
    // and object in front.
    let bridge = Link::new(BRIDGE).kind(LinkKind::bridge());
    h.link_add(&bridge)?;
    let Err(e) = h.link_add(&bridge) else {
        bail!("a second {BRIDGE} was created");
    };
    describe(&e);
    ensure!(e.is_exists() && e.context() == Some("link add \"ex-err0\""));
    // ... which makes "create unless it exists" one match arm.
    let br = match h.link_add(&bridge) {
        Ok(link) => link,
        Err(e) if e.is_exists() => h.link_by_name(BRIDGE)?,
        Err(e) => return Err(e.into()),
    };

    // Refused by the kernel, which says why (extended ack).
    let Err(e) = h.link_set_mtu(br.index, 10) else {
        bail!("an MTU of 10 was accepted");
    };
    describe(&e);
    ensure!(e.kind() == ErrorKind::Invalid && e.message().is_some());

    // Deciding on the kind, whatever the layer that failed.
    for text in [
        "192.0.2.1/24",
        "192.0.2.1/24",
        "192.0.2.300/24",
        "192.0.2.1/33",
    ] {
        match add_address(h, br.index, text) {
            Ok(()) => println!("added {text}"),
            Err(e) => match e.kind() {
                ErrorKind::Exists => println!("there already: {e}"),
                ErrorKind::Invalid => println!("refused: {e}"),
                ErrorKind::Permission => bail!("not allowed (root needed): {e}"),
                ErrorKind::NotSupported => bail!("this kernel cannot: {e}"),
                _ => return Err(e.into()),
            },
        }
    }
    Ok(())
}

/// Parses and adds an address: `?` turns the parse error into a
/// `netlink::Error` of kind `Invalid`, like the kernel's refusals.
/// (`text.parse::<IpNet>()?` converts too, but std's error does not
/// quote the input; `parse_prefix` does, and says what is wrong.)
fn add_address(h: &Handle, index: u32, text: &str) -> netlink::Result<()> {
    let prefix = netlink::parse_prefix(text)?;
    h.addr_add(index, &Addr::new(index, prefix))
}

/// Everything an error says.
fn describe(e: &netlink::Error) {
    println!("error:   {e}");
    println!("  kind:    {:?}", e.kind());
    println!("  errno:   {:?}", e.errno());
    println!("  kernel:  {:?}", e.message());
    println!("  context: {:?}", e.context());
}

/// Moves this process into a fresh network namespace, unless `--here` is
/// given. Called first, while the main thread is the only one: threads
/// started later (a runtime's, a helper's) are created in it too.
fn private_netns() -> Result<()> {
    if std::env::args().any(|a| a == "--here") {
        return Ok(());
    }
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .context("unshare(CLONE_NEWNET) needs root; --here runs in this namespace instead")
}
