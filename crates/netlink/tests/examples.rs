//! Runs the task examples (`examples/*.rs`) and checks what each says it
//! did, and checks that the README's excerpts of them are still theirs.
//!
//! `cargo test` builds every example whose features are on (the tokio one
//! needs `--features tokio`; `scripts/test` turns on all) into
//! `target/<profile>/examples/`, next to this test's `deps/`, and this
//! test runs those binaries. `cargo test --test examples` alone builds no
//! example: a binary that is missing skips its test, saying so. Each
//! example moves itself into a private network namespace first, which
//! needs root: without root every test prints `SKIP` and passes (with
//! `NETLINK_TESTS_STRICT=1`, a skip fails instead).

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use netlink::Handle;

/// Longest an example may run: each stops by itself within seconds.
const LIMIT: Duration = Duration::from_secs(60);

fn skip(test: &str, reason: &str) {
    let strict =
        std::env::var_os("NETLINK_TESTS_STRICT").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(!strict, "{test}: skipped in strict mode: {reason}");
    // Straight to stderr: libtest hides the output of passing tests.
    let _ = writeln!(std::io::stderr(), "SKIP {test}: {reason}");
}

/// The binary cargo built for example `name`, if any.
fn binary(name: &str) -> Option<PathBuf> {
    // target/<profile>/deps/examples-HASH -> target/<profile>/examples/NAME
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.parent()?.join("examples").join(name);
    path.is_file().then_some(path)
}

/// Runs example `name` with `args` and returns its standard output, or
/// `None` when it cannot run here (and the test is skipped).
fn run(name: &str, args: &[&str]) -> Option<String> {
    let test = format!("example_{name}");
    if !nix::unistd::geteuid().is_root() {
        skip(
            &test,
            "needs root (the example creates a network namespace)",
        );
        return None;
    }
    let Some(path) = binary(name) else {
        skip(
            &test,
            &format!(
                "examples/{name} is not built: run `cargo test -p netlink` (with --all-features for every example), which builds the examples"
            ),
        );
        return None;
    };
    let mut child = Command::new(&path)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("stdout");
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert!(
        status.success(),
        "{name} {args:?} failed ({status}):\n--- stdout\n{out}--- stderr\n{err}"
    );
    assert!(err.is_empty(), "{name} complained:\n{err}");
    Some(out)
}

/// Asserts that `out` has a line starting with each of `lines`.
fn has_lines(name: &str, out: &str, lines: &[&str]) {
    for want in lines {
        assert!(
            out.lines().any(|l| l.starts_with(want)),
            "{name}: no line starting with {want:?} in:\n{out}"
        );
    }
}

#[test]
fn example_bridge_veth() {
    let Some(out) = run("bridge_veth", &[]) else {
        return;
    };
    has_lines(
        "bridge_veth",
        &out,
        &[
            "created ",
            "port of ex-br0: ",
            "deleted ex-veth0",
            "deleted ex-br0",
        ],
    );
    let ports: Vec<&str> = out.lines().filter(|l| l.starts_with("port of")).collect();
    assert!(
        ports.len() == 1 && ports[0].contains(": ex-veth0: <") && ports[0].contains(",UP,"),
        "{out}"
    );
}

#[test]
fn example_addr_route() {
    let Some(out) = run("addr_route", &[]) else {
        return;
    };
    has_lines(
        "addr_route",
        &out,
        &[
            "address on ex-addr0: inet 192.0.2.1/24 ",
            "address on ex-addr0: inet6 2001:db8::1/64 ",
            "route: 198.51.100.0/24 via 192.0.2.254 ",
            "route: 2001:db8:1::/48 via 2001:db8::ff ",
            "route: 203.0.113.0/24 dev ",
            "route get 198.51.100.7: 198.51.100.7 via 192.0.2.254 ",
            "removed route 198.51.100.0/24 and address 2001:db8::1/64",
            "deleted ex-addr0",
        ],
    );
}

#[test]
fn example_netns_creates_a_namespace() {
    let Some(out) = run("netns", &[]) else {
        return;
    };
    has_lines(
        "netns",
        &out,
        &[
            "moved ex-guest0 into the other namespace",
            "there: route default via 192.0.2.1 ",
            "there: route get 198.51.100.1: 198.51.100.1 via 192.0.2.1 ",
            "deleted ex-host0",
        ],
    );
    let there: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("there: ") && l.contains(": <"))
        .collect();
    assert!(
        there.len() == 2 && there[0].contains(": lo: <") && there[1].contains(": ex-guest0: <"),
        "only lo and the moved link in the new namespace: {out}"
    );
}

#[test]
fn example_netns_configures_a_given_namespace() {
    if !nix::unistd::geteuid().is_root() {
        skip(
            "example_netns_given",
            "needs root (to create the namespace)",
        );
        return;
    }
    // The namespace to hand the example, as a path any process can open.
    let ns: OwnedFd = std::thread::spawn(|| {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("unshare");
        std::fs::File::open("/proc/thread-self/ns/net")
            .expect("open namespace")
            .into()
    })
    .join()
    .expect("namespace thread");
    let path = format!("/proc/{}/fd/{}", std::process::id(), ns.as_raw_fd());
    let Some(out) = run("netns", &[&path]) else {
        return;
    };
    has_lines(
        "netns",
        &out,
        &["there: route default via 192.0.2.1 ", "deleted ex-host0"],
    );
    // What the example left there: lo, up; its link went with its peer.
    let there = Handle::in_netns(&path).expect("handle");
    let links = there.link_list().expect("links");
    let names: Vec<&str> = links.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["lo"]);
    assert!(links[0].is_up());
}

#[test]
fn example_events() {
    let Some(out) = run("events", &[]) else {
        return;
    };
    has_lines(
        "events",
        &out,
        &[
            "link    1: lo: <",
            "-- in step: 1 links, 0 addresses, 0 routes --",
            "link    2: ex-ev0: <",
            "address inet 192.0.2.1/24 ",
            "route   198.51.100.0/24 via 192.0.2.254 ",
            "address 192.0.2.1/24 deleted",
            "link    ex-ev0 deleted",
        ],
    );
    assert!(out.ends_with(" events; mirror: 1 links\n"), "{out}");
    // The listing comes before the changes.
    let synced = out.find("-- in step").expect("synced");
    assert!(synced < out.find("ex-ev0").expect("bridge"), "{out}");
    // --count stops early.
    let Some(out) = run("events", &["--count", "3"]) else {
        return;
    };
    assert!(out.ends_with("3 events; mirror: 2 links\n"), "{out}");
}

#[test]
fn example_errors() {
    let Some(out) = run("errors", &[]) else {
        return;
    };
    has_lines(
        "errors",
        &out,
        &[
            "not found: link \"ex-nosuch0\" not found",
            "error:   link add \"ex-err0\": netlink request: File exists (EEXIST)",
            "  kind:    Exists",
            "  context: Some(\"link add \\\"ex-err0\\\"\")",
            "  kernel:  Some(\"",
            "added 192.0.2.1/24",
            "there already: addr add 192.0.2.1/24 ",
            "refused: invalid prefix \"192.0.2.300/24\"",
            "refused: invalid prefix \"192.0.2.1/33\": length 33",
            "deleted ex-err0",
        ],
    );
}

#[test]
fn example_tokio() {
    if !cfg!(feature = "tokio") {
        skip(
            "example_tokio",
            "needs the tokio feature (--features tokio)",
        );
        return;
    }
    let Some(out) = run("tokio", &[]) else {
        return;
    };
    has_lines(
        "tokio",
        &out,
        &[
            "created ex-tbr0 and ex-tveth0 (peer ex-tveth1)",
            "route 192.0.2.0/24 dev ",
            "route 198.51.100.0/24 via 192.0.2.254 ",
            "deleted ex-tbr0",
            "event: link lo",
            "event: in step, 1 links",
            "event: address 192.0.2.1/24",
            "event: link ex-tbr0 deleted",
        ],
    );
    assert!(out.ends_with("event: link ex-tbr0 deleted\n"), "{out}");
}

#[test]
fn example_sockets() {
    if !cfg!(feature = "diag") {
        skip(
            "example_sockets",
            "needs --features diag (scripts/test turns on all)",
        );
        return;
    }
    let Some(out) = run("sockets", &[]) else {
        return;
    };
    has_lines(
        "sockets",
        &out,
        &[
            "LISTEN 192.0.2.1:8080 -> 0.0.0.0:0 ",
            "ESTAB 192.0.2.1:8080 -> 192.0.2.1:",
            "connections served on 8080: 1",
            "unix sockets: 2",
            "destroyed 192.0.2.1:8080 -> 192.0.2.1:",
        ],
    );
}

#[test]
fn example_smol() {
    let Some(out) = run("smol", &[]) else {
        return;
    };
    has_lines(
        "smol",
        &out,
        &[
            "listed: 1 links, 0 addresses",
            "link    2: ex-sbr0: <",
            "address inet 192.0.2.1/24 ",
            "address 192.0.2.1/24 deleted",
            "link    ex-sbr0 deleted",
            "mirror: 1 links, 0 addresses",
        ],
    );
}

/// The README quotes the examples: each `rust` block right after a line
/// naming `crates/netlink/examples/NAME.rs` must consist of that file's
/// lines (indentation aside; `// ...` marks a gap), so the README shows
/// code that compiles.
#[test]
fn readme_excerpts_are_the_examples() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let Ok(readme) = std::fs::read_to_string(format!("{root}/README.md")) else {
        skip(
            "readme_excerpts",
            "no workspace README.md (a packaged crate)",
        );
        return;
    };
    let mut checked = 0;
    let mut lines = readme.lines().peekable();
    let mut source: Option<String> = None;
    while let Some(line) = lines.next() {
        if line == "```rust" {
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            let Some(file) = source.take() else {
                continue;
            };
            let text = std::fs::read_to_string(format!("{root}/{file}"))
                .unwrap_or_else(|e| panic!("README quotes {file}: {e}"));
            let have: Vec<&str> = text.lines().map(str::trim).collect();
            for l in block
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty() && *l != "// ...")
            {
                assert!(
                    have.contains(&l),
                    "README quotes {file}, which has no line {l:?}"
                );
            }
            checked += 1;
        } else if !line.trim().is_empty() {
            source = line
                .split(|c: char| c == '(' || c == ')' || c == '`' || c.is_whitespace())
                .find(|w| w.starts_with("crates/netlink/examples/") && w.ends_with(".rs"))
                .map(str::to_string);
        }
    }
    assert!(
        checked >= 7,
        "the README quotes {checked} examples, expected one per task"
    );
}
