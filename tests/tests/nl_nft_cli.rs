//! `nl nft` against nftables' own `nft` on the same namespace: rulesets
//! loaded by `nft -f` listed by `nl nft -j list ...` as `nft -j` lists
//! them (and as text as `nft list ...`), and files loaded by `nl nft -f` listed by `nft` as the same file
//! loaded by `nft -f`; words outside the subset refused by name.

use anyhow::{Context, Result, ensure};
use netlink_tests::{Netns, in_netns};
use nl_tools::Tool;
use serde_json::Value;

/// Rulesets of the subset (`dnat` is not in it; the kernel takes it in a
/// `nat` chain at prerouting or output, see nftables.rs).
const FILES: [&str; 4] = [
    r#"flush ruleset
table inet filter {
	set allowed {
		type ipv4_addr
		elements = { 192.0.2.1, 192.0.2.2 }
	}
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		iifname "lo" accept
		ip saddr 192.0.2.0/24 tcp dport 22 counter accept
		ip saddr @allowed drop
		tcp dport { 80, 443 } accept
		meta l4proto icmp limit rate 10/second accept
		ip daddr 198.51.100.1 log prefix "x " reject
		meta mark 0x1 jump other
		iifname "veth*" ct state != established drop
		oifname != "ve*" drop
	}
	chain other {
		return
	}
}
table ip nat {
	chain post {
		type nat hook postrouting priority 100; policy accept;
		oifname "veth0" masquerade
	}
}
"#,
    r#"flush ruleset
table ip t {
	set pfx {
		type ipv4_addr
		flags interval
		elements = { 192.0.2.0/24, 198.51.100.1, 203.0.113.10-203.0.113.20 }
	}
	set ports {
		type inet_service
		elements = { 443, 22, 80 }
	}
	chain c {
		type filter hook forward priority -10; policy accept;
		ct state new log reject
		tcp dport 22 reject with tcp reset
		ip protocol udp udp sport != 53 drop
		ip saddr != 192.0.2.0/24 ct mark 5 counter
		ip saddr @pfx tcp dport @ports accept
		iifname != "lo" continue
		meta l4proto tcp goto d
	}
	chain d {
	}
}
table ip6 t6 {
	chain c {
		type filter hook input priority 0; policy accept;
		ip6 saddr 2001:db8::/32 meta l4proto icmpv6 accept
		udp dport 53 reject
	}
}
"#,
    r#"flush ruleset
add table inet x
add chain inet x in { type filter hook input priority filter; policy accept; }
add chain inet x sub
add set inet x nets { type ipv6_addr; flags interval; }
add element inet x nets { 2001:db8::/48, 2001:db8:1::1 }
add rule inet x in ip saddr 192.0.2.128/25 counter drop comment "half"
add rule inet x in ip6 daddr != 2001:db8:2::/64 udp dport != 53 accept
add rule inet x in ip6 saddr @nets jump sub
add rule inet x in ip daddr { 192.0.2.0/24, 198.51.100.7 } log prefix "anon " level info
add rule inet x in meta l4proto { tcp, udp } limit rate 100/minute burst 20 packets accept
add rule inet x in ct state invalid,new ct mark != 0x10 reject
add rule inet x in tcp sport 1024 reject with tcp reset
add rule inet x in meta nfproto ipv6 reject with icmpx type admin-prohibited
add rule inet x sub mark 3 oifname != "lo" return
table ip6 y {
	chain c {
		type filter hook output priority -5;
		ip6 nexthdr udp reject with icmpv6 type admin-prohibited
		tcp dport >= 1000 drop
	}
}
"#,
    r#"flush ruleset
table ip z {
	set m {
		type mark
		elements = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 }
	}
	chain a {
		type filter hook prerouting priority -100;
		meta mark { 0x20, 0x21 } ct mark @m accept
	}
	chain b {
		type nat hook prerouting priority -100;
	}
	chain c {
		type filter hook input priority 12;
	}
	chain d {
		type filter hook input priority 60;
	}
	chain e {
		type filter hook input priority -310;
		ip protocol { tcp, udp } ip daddr 203.0.113.0/30 counter
	}
}
"#,
];

/// Runs `nl nft` with `words` in this thread's namespace.
fn nl(words: &[&str]) -> Result<String> {
    let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let mut out = Vec::new();
    Tool::Nft
        .run(&words, &mut out)
        .with_context(|| format!("nl nft {}", words.join(" ")))?;
    Ok(String::from_utf8(out)?)
}

/// The objects of a `-j` listing without the metainfo (versions differ);
/// with `tables_too`, table handles dropped (a global counter of the
/// kernel, different on every load).
fn objects(json: &str, tables_too: bool) -> Result<Vec<Value>> {
    let v: Value = serde_json::from_str(json).with_context(|| format!("JSON: {json}"))?;
    let all = v
        .get("nftables")
        .and_then(Value::as_array)
        .context("no nftables array")?;
    ensure!(
        all.first().is_some_and(|m| m.get("metainfo").is_some()),
        "metainfo is not first: {json}"
    );
    let mut out: Vec<Value> = all.iter().skip(1).cloned().collect();
    if tables_too {
        for o in &mut out {
            if let Some(t) = o.get_mut("table").and_then(Value::as_object_mut) {
                t.remove("handle");
            }
        }
    }
    Ok(out)
}

/// A file in the temporary directory, removed on drop.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(tag: &str, text: &str) -> Result<Self> {
        let p = std::env::temp_dir().join(format!("nl-nft-{}-{tag}.nft", std::process::id()));
        std::fs::write(&p, text)?;
        Ok(TempFile(p))
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `nl nft -j ARGS` and `nft -j ARGS`: the same objects.
fn same_json(ns: &Netns, args: &[&str]) -> Result<usize> {
    let mut words = vec!["-j"];
    words.extend_from_slice(args);
    let theirs = objects(&ns.cmd("nft", &words)?, false)?;
    let ours = objects(&nl(&words)?, false)?;
    ensure!(
        theirs == ours,
        "nft {}\n--- nft:\n{}\n--- nl:\n{}",
        words.join(" "),
        serde_json::to_string_pretty(&theirs)?,
        serde_json::to_string_pretty(&ours)?
    );
    Ok(theirs.len())
}

/// `nl nft ARGS` and `nft ARGS`: the same text.
fn same_text(ns: &Netns, args: &[&str]) -> Result<()> {
    let theirs = ns.cmd("nft", args)?;
    let ours = nl(args)?;
    ensure!(
        theirs == ours,
        "nft {}\n--- nft:\n{theirs}--- nl:\n{ours}---",
        args.join(" ")
    );
    Ok(())
}

#[test]
fn nft_json_lists_as_nft() {
    in_netns("nft_json_lists_as_nft", |ns| {
        ns.ip(["link", "add", "veth0", "type", "veth", "peer", "veth1"])?;
        for (i, text) in FILES.iter().enumerate() {
            let f = TempFile::new(&format!("list{i}"), text)?;
            ns.cmd("nft", ["-f", f.path()])?;
            let n = same_json(ns, &["list", "ruleset"])?;
            ensure!(n > 5, "file {i}: only {n} objects listed");
            same_json(ns, &["list", "tables"])?;
            same_text(ns, &["list", "ruleset"])?;
            same_text(ns, &["list", "tables"])?;
        }
        // The third file's tables, chains and sets one by one.
        let f = TempFile::new("list-again", FILES[2])?;
        ns.cmd("nft", ["-f", f.path()])?;
        same_json(ns, &["list", "table", "inet", "x"])?;
        same_json(ns, &["list", "table", "ip6", "y"])?;
        same_json(ns, &["list", "chain", "inet", "x", "in"])?;
        same_json(ns, &["list", "chain", "ip6", "y", "c"])?;
        same_json(ns, &["list", "set", "inet", "x", "nets"])?;
        same_json(ns, &["list", "ruleset", "inet"])?;
        for args in [
            &["list", "table", "inet", "x"][..],
            &["list", "chain", "inet", "x", "in"],
            &["list", "chain", "ip6", "y", "c"],
            &["list", "set", "inet", "x", "nets"],
            &["list", "ruleset", "ip6"],
        ] {
            same_text(ns, args)?;
        }
        Ok(())
    });
}

#[test]
fn nft_file_loads_as_nft() {
    in_netns("nft_file_loads_as_nft", |ns| {
        ns.ip(["link", "add", "veth0", "type", "veth", "peer", "veth1"])?;
        for (i, text) in FILES.iter().enumerate() {
            let f = TempFile::new(&format!("load{i}"), text)?;
            ns.cmd("nft", ["-f", f.path()])?;
            let theirs = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            let theirs_text = ns.cmd("nft", ["list", "ruleset"])?;
            ns.cmd("nft", ["flush", "ruleset"])?;
            ensure!(ns.cmd("nft", ["list", "ruleset"])?.is_empty());
            nl(&["-f", f.path()])?;
            let ours = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            ensure!(
                theirs == ours,
                "file {i}\n--- nft -f:\n{}\n--- nl nft -f:\n{}",
                serde_json::to_string_pretty(&theirs)?,
                serde_json::to_string_pretty(&ours)?
            );
            let ours_text = ns.cmd("nft", ["list", "ruleset"])?;
            ensure!(
                theirs_text == ours_text,
                "file {i}\n{theirs_text}---\n{ours_text}"
            );
            // Loading it again (it starts with `flush ruleset`) gives the
            // same ruleset: the flush and the adds are one transaction.
            nl(&["-f", f.path()])?;
            let again = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            ensure!(again == theirs, "file {i} loaded twice differs");
        }
        Ok(())
    });
}

#[test]
fn nft_refuses_what_it_does_not_know() {
    in_netns("nft_refuses_what_it_does_not_know", |ns| {
        let cases = [
            (
                "flush ruleset\ntable ip t {\n\tchain c {\n\t\ttcp dport 22 frobnicate\n\t}\n}\n",
                "line 4: the word \"frobnicate\" is not implemented",
            ),
            (
                "table ip t {\n\tchain c {\n\t\tip ttl 5 accept\n\t}\n}\n",
                "line 3: the word \"ttl\" is not implemented (a field of ip)",
            ),
            (
                "define x = 1\n",
                "line 1: the word \"define\" is not implemented (a command)",
            ),
            (
                "add table ip t\nadd set ip t s { type ether_addr; }\n",
                "line 2: the set type \"ether_addr\" is not implemented",
            ),
        ];
        for (i, (text, want)) in cases.iter().enumerate() {
            let f = TempFile::new(&format!("bad{i}"), text)?;
            let e = nl(&["-f", f.path()]).err().context("a bad file loaded")?;
            let msg = format!("{e:#}");
            ensure!(msg.contains(want), "case {i}: {msg}");
            // Refused before anything was sent.
            ensure!(
                ns.cmd("nft", ["list", "ruleset"])?.is_empty(),
                "case {i} applied"
            );
        }
        // The kernel's refusal of one command undoes the whole file.
        let f = TempFile::new(
            "atomic",
            "add table ip t\nadd chain ip t c\nadd rule ip t c jump nowhere\n",
        )?;
        ensure!(nl(&["-f", f.path()]).is_err(), "a jump to no chain loaded");
        ensure!(
            ns.cmd("nft", ["list", "ruleset"])?.is_empty(),
            "half a file applied"
        );
        // Listing a rule it cannot translate fails naming it, printing nothing.
        let f = TempFile::new(
            "ttl",
            "table ip t {\n\tchain c {\n\t\tip ttl 5 accept\n\t}\n}\n",
        )?;
        ns.cmd("nft", ["-f", f.path()])?;
        let e = nl(&["-j", "list", "ruleset"])
            .err()
            .context("ip ttl listed")?;
        let msg = format!("{e:#}");
        ensure!(
            msg.contains("rule 2 of chain ip t c: payload load 1b @ base 1 + 8 is not implemented"),
            "{msg}"
        );
        // A `typeof` of a field it does not know would list as `type`:
        // refused instead.
        ns.cmd("nft", ["flush", "ruleset"])?;
        let f = TempFile::new(
            "typeof",
            "table ip q {\n\tset s {\n\t\ttypeof sctp dport\n\t}\n}\n",
        )?;
        ns.cmd("nft", ["-f", f.path()])?;
        let e = nl(&["list", "ruleset"])
            .err()
            .context("a typeof set listed")?;
        ensure!(
            format!("{e:#}").contains(
                "userdata of type 3 (auto-merge, typeof, comment ...) is not implemented"
            ),
            "{e:#}"
        );
        let e = nl(&["-j", "list", "frobs"]).err().context("list frobs")?;
        ensure!(
            format!("{e:#}").contains("\"list frobs\" is not implemented"),
            "{e:#}"
        );
        Ok(())
    });
}

#[test]
fn nft_lists_chains_on_several_devices_as_nft() {
    in_netns("nft_lists_chains_on_several_devices_as_nft", |ns| {
        ns.ip(["link", "add", "nd0", "type", "veth", "peer", "nd1"])?;
        let f = TempFile::new(
            "devices",
            "table netdev n {\n\tchain many {\n\t\ttype filter hook ingress devices = { nd0, nd1 } priority 0; policy accept;\n\t}\n\tchain one {\n\t\ttype filter hook ingress device \"nd0\" priority 5; policy drop;\n\t}\n}\n",
        )?;
        ns.cmd("nft", ["-f", f.path()])?;
        same_text(ns, &["list", "ruleset"])?;
        // nft 1.0.6 leaves a netdev chain's devices out of its JSON (newer
        // nft prints "dev": a name, or a list): the same but for "dev".
        let theirs = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, false)?;
        let mut ours = objects(&nl(&["-j", "list", "ruleset"])?, false)?;
        let mut devs = Vec::new();
        for o in &mut ours {
            if let Some(c) = o.get_mut("chain").and_then(Value::as_object_mut) {
                devs.push(c.remove("dev").unwrap_or(Value::Null));
            }
        }
        ensure!(theirs == ours, "{theirs:?}\n{ours:?}");
        ensure!(
            devs == [serde_json::json!(["nd0", "nd1"]), serde_json::json!("nd0")],
            "{devs:?}"
        );
        Ok(())
    });
}

/// Maps and verdict maps: named and anonymous, of values and verdicts,
/// with intervals, in a table block and in command form.
const MAP_FILES: [&str; 2] = [
    r#"flush ruleset
table inet m {
	map ports {
		type inet_service : verdict
		elements = { 22 : accept, 80 : drop, 443 : jump other }
	}
	map addrs {
		type ipv4_addr : mark
		elements = { 192.0.2.1 : 0x00000001, 192.0.2.2 : 0x00000002 }
	}
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport vmap @ports
		udp dport vmap { 53 : accept, 123 : drop }
		ip saddr vmap { 192.0.2.0/24 : accept, 198.51.100.7 : drop }
	}
	chain other {
		return
	}
}
"#,
    r#"flush ruleset
add table ip t
add chain ip t c { type filter hook forward priority 0; policy accept; }
add chain ip t other
add map ip t nets { type ipv4_addr : verdict; flags interval; }
add element ip t nets { 192.0.2.0/24 : jump other, 198.51.100.0/25 : drop }
add map ip t marks { type inet_service : mark; }
add element ip t marks { 22 : 0x00000010, 443 : 0x00000020 }
add rule ip t c ip daddr vmap @nets
add rule ip t c tcp sport vmap { 1-1023 : accept, 8080 : drop }
add rule ip t c meta mark vmap { 0x00000001 : continue }
add rule ip t other counter return
"#,
];

#[test]
fn nft_maps_list_and_load_as_nft() {
    in_netns("nft_maps_list_and_load_as_nft", |ns| {
        for (i, text) in MAP_FILES.iter().enumerate() {
            let f = TempFile::new(&format!("maps{i}"), text)?;
            // nft loads, nl lists as nft lists.
            ns.cmd("nft", ["-f", f.path()])?;
            let n = same_json(ns, &["list", "ruleset"])?;
            ensure!(n >= 8, "file {i}: only {n} objects listed");
            same_text(ns, &["list", "ruleset"])?;
            let theirs = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            let theirs_text = ns.cmd("nft", ["list", "ruleset"])?;
            // nl loads, nft lists the same (handles included).
            ns.cmd("nft", ["flush", "ruleset"])?;
            nl(&["-f", f.path()])?;
            let ours = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            ensure!(
                theirs == ours,
                "file {i}\n--- nft -f:\n{}\n--- nl nft -f:\n{}",
                serde_json::to_string_pretty(&theirs)?,
                serde_json::to_string_pretty(&ours)?
            );
            ensure!(
                ns.cmd("nft", ["list", "ruleset"])? == theirs_text,
                "file {i}: text"
            );
            ns.cmd("nft", ["flush", "ruleset"])?;
        }
        Ok(())
    });
}

/// Concatenations (`ip saddr . tcp dport`): hash and interval sets, named
/// and anonymous, two and three fields, a mark among them.
const CONCAT_FILES: [&str; 3] = [
    r#"flush ruleset
table inet c {
	set pairs {
		type ipv4_addr . inet_service
		elements = { 192.0.2.1 . 22, 198.51.100.2 . 443 }
	}
	set ranges {
		type ipv4_addr . inet_service
		flags interval
		elements = { 192.0.2.0/24 . 1-1023, 198.51.100.7 . 8080 }
	}
	chain input {
		type filter hook input priority filter; policy accept;
		ip saddr . tcp dport @pairs accept
		ip saddr . tcp dport @ranges drop
		ip saddr . tcp dport { 203.0.113.1 . 80, 203.0.113.2 . 81 } counter
	}
}
"#,
    r#"flush ruleset
add table ip6 t
add chain ip6 t c { type filter hook input priority 0; policy accept; }
add set ip6 t s { type ipv6_addr . inet_service . mark; }
add element ip6 t s { 2001:db8::1 . 22 . 0x00000001, 2001:db8:1::1 . 80 . 0x00000002 }
add set ip6 t r { type ipv6_addr . inet_service; flags interval; }
add element ip6 t r { 2001:db8::/64 . 22, 2001:db8:1::1 . 80-90 }
add set ip6 t p { type inet_service . ipv6_addr; }
add element ip6 t p { 53 . 2001:db8::53 }
add rule ip6 t c ip6 saddr . udp dport . meta mark @s drop
add rule ip6 t c ip6 saddr . tcp dport @r drop
add rule ip6 t c udp sport . ip6 daddr @p accept
add rule ip6 t c ip6 saddr . ip6 daddr { 2001:db8::1 . 2001:db8::2, 2001:db8::/48 . 2001:db8:2::/48 } counter
"#,
    r#"flush ruleset
table ip t {
	set h { type ipv4_addr . inet_service; elements = { 198.51.100.9 . 443, 192.0.2.1 . 22, 192.0.2.1 . 21, 203.0.113.5 . 1 } }
	set i { type ipv4_addr . inet_service; flags interval; elements = { 198.51.100.0/24 . 443, 192.0.2.1 . 20-22, 192.0.2.0 . 21 } }
}
"#,
];

#[test]
fn nft_concatenations_list_and_load_as_nft() {
    in_netns("nft_concatenations_list_and_load_as_nft", |ns| {
        for (i, text) in CONCAT_FILES.iter().enumerate() {
            let f = TempFile::new(&format!("concat{i}"), text)?;
            // nft loads, nl lists as nft lists.
            ns.cmd("nft", ["-f", f.path()])?;
            let n = same_json(ns, &["list", "ruleset"])?;
            ensure!(n >= 3, "file {i}: only {n} objects listed");
            same_text(ns, &["list", "ruleset"])?;
            let theirs = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            let theirs_text = ns.cmd("nft", ["list", "ruleset"])?;
            // nl loads, nft lists the same (handles included).
            ns.cmd("nft", ["flush", "ruleset"])?;
            nl(&["-f", f.path()])?;
            let ours = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
            ensure!(
                theirs == ours,
                "file {i}\n--- nft -f:\n{}\n--- nl nft -f:\n{}",
                serde_json::to_string_pretty(&theirs)?,
                serde_json::to_string_pretty(&ours)?
            );
            ensure!(
                ns.cmd("nft", ["list", "ruleset"])? == theirs_text,
                "file {i}: text"
            );
            ns.cmd("nft", ["flush", "ruleset"])?;
        }
        // A mark in an interval concatenation needs nft's byte order
        // conversion: refused by name, nothing applied.
        let f = TempFile::new(
            "concat-mark",
            "table ip t {\n\tset s {\n\t\ttype ipv4_addr . mark\n\t\tflags interval\n\t}\n}\n",
        )?;
        let e = nl(&["-f", f.path()])
            .err()
            .context("a mark range concatenation loaded")?;
        ensure!(
            format!("{e:#}").contains("this concatenation is not implemented"),
            "{e:#}"
        );
        ensure!(ns.cmd("nft", ["list", "ruleset"])?.is_empty());
        Ok(())
    });
}

/// `FILES` loaded by nft listed by nl as nft lists them (JSON, at least
/// `min` objects, and text), and loaded by nl listed by nft as nft's own
/// load (handles included).
fn both_ways(ns: &Netns, tag: &str, files: &[&str], min: usize) -> Result<()> {
    for (i, text) in files.iter().enumerate() {
        let f = TempFile::new(&format!("{tag}{i}"), text)?;
        ns.cmd("nft", ["-f", f.path()])?;
        let n = same_json(ns, &["list", "ruleset"])?;
        ensure!(n >= min, "{tag} file {i}: only {n} objects listed");
        same_text(ns, &["list", "ruleset"])?;
        let theirs = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
        let theirs_text = ns.cmd("nft", ["list", "ruleset"])?;
        ns.cmd("nft", ["flush", "ruleset"])?;
        nl(&["-f", f.path()])?;
        let ours = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
        ensure!(
            theirs == ours,
            "{tag} file {i}\n--- nft -f:\n{}\n--- nl nft -f:\n{}",
            serde_json::to_string_pretty(&theirs)?,
            serde_json::to_string_pretty(&ours)?
        );
        ensure!(
            ns.cmd("nft", ["list", "ruleset"])? == theirs_text,
            "{tag} file {i}: text"
        );
        ns.cmd("nft", ["flush", "ruleset"])?;
    }
    Ok(())
}

/// `typeof` sets: one field, a concatenation, intervals, elements.
const TYPEOF_FILE: &str = r#"flush ruleset
table inet t {
	set a { typeof ip saddr; elements = { 192.0.2.1, 192.0.2.9 } }
	set b { typeof tcp dport; }
	set c { typeof meta mark; elements = { 0x00000005 } }
	set d { typeof ip6 daddr; flags interval; elements = { 2001:db8::/32 } }
	set e { typeof ip saddr . tcp dport; elements = { 192.0.2.1 . 22 } }
	set f { typeof udp sport; }
	set g { typeof ip daddr . ip saddr; flags interval; elements = { 192.0.2.0/24 . 198.51.100.1 } }
	chain c {
		ip saddr @a accept
		ip saddr . tcp dport @e drop
	}
}
"#;

#[test]
fn nft_typeof_sets_list_and_load_as_nft() {
    in_netns("nft_typeof_sets_list_and_load_as_nft", |ns| {
        both_ways(ns, "typeof", &[TYPEOF_FILE], 9)?;
        // nft's text says typeof; its JSON (1.0.6) only the type.
        let f = TempFile::new("typeof-text", TYPEOF_FILE)?;
        nl(&["-f", f.path()])?;
        let text = nl(&["list", "ruleset"])?;
        ensure!(text.contains("typeof ip saddr . tcp dport\n"), "{text}");
        ensure!(!nl(&["-j", "list", "ruleset"])?.contains("typeof"));
        Ok(())
    });
}

/// snat and dnat to an address and port, ip and ip6.
const NAT_FILE: &str = r#"flush ruleset
table ip n {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 dnat to 192.0.2.10:8080
		udp dport 53 dnat to 192.0.2.11
	}
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "x" snat to 198.51.100.1
		ip daddr 203.0.113.0/24 tcp dport 22 snat to 198.51.100.2:1000
	}
}
table ip6 n6 {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 dnat to [2001:db8::10]:8080
		udp dport 53 dnat to 2001:db8::11
	}
}
"#;

#[test]
fn nft_nat_statements_list_and_load_as_nft() {
    in_netns("nft_nat_statements_list_and_load_as_nft", |ns| {
        ns.ip(["link", "add", "x", "type", "veth", "peer", "y"])?;
        both_ways(ns, "nat", &[NAT_FILE], 7)?;
        // As nft: a port needs the transport protocol matched first.
        let f = TempFile::new(
            "nat-port",
            "table ip n {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tsnat to 198.51.100.2:1000\n\t}\n}\n",
        )?;
        let e = nl(&["-f", f.path()])
            .err()
            .context("a port without a protocol loaded")?;
        ensure!(
            format!("{e:#}").contains("only valid after transport protocol match"),
            "{e:#}"
        );
        Ok(())
    });
}

/// Stateful objects and the rules that name them (nft loads, nl lists).
const OBJECT_FILES: [&str; 2] = [
    r#"flush ruleset
table inet o {
	counter cnt { packets 5 bytes 100 }
	quota q { over 1 mbytes used 10 bytes }
	set s { type ipv4_addr; }
	ct helper ftp-standard { type "ftp" protocol tcp; l3proto inet; }
	ct expectation e1 { protocol tcp; dport 5432; timeout 1h; size 12; l3proto ip; }
	synproxy sp { mss 1460; wscale 7; timestamp sack-perm; }
	limit l { rate 10/second burst 5 packets; }
	chain c { counter name "cnt"; }
}
"#,
    r#"flush ruleset
table ip o2 {
	counter z { }
	quota q2 { 25 kbytes }
	quota q3 { over 3 mbytes used 1536 bytes }
	limit l2 { rate over 7/minute burst 10 packets; }
	ct helper sip1 { type "sip" protocol udp; l3proto ip; }
	ct expectation e2 { protocol udp; dport 5060; timeout 90s; size 3; l3proto ip; }
	synproxy s2 { mss 1400; wscale 3; }
	chain c { quota name "q2" limit name "l2" counter name "z" accept; }
}
"#,
];

#[test]
fn nft_lists_stateful_objects_as_nft() {
    in_netns("nft_lists_stateful_objects_as_nft", |ns| {
        for (i, text) in OBJECT_FILES.iter().enumerate() {
            let f = TempFile::new(&format!("objects{i}"), text)?;
            ns.cmd("nft", ["-f", f.path()])?;
            let n = same_json(ns, &["list", "ruleset"])?;
            ensure!(n >= 9, "file {i}: only {n} objects listed");
            same_text(ns, &["list", "ruleset"])?;
        }
        // A ct timeout prints the states whose timeout is not nft's
        // default, `{  }` (JSON: null) when none is.
        let f = TempFile::new(
            "ct-timeout",
            "flush ruleset\ntable ip t {\n\tct timeout ct1 {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { established: 100, close: 5 }\n\t}\n\tct timeout ct2 {\n\t\tprotocol udp\n\t\tl3proto ip\n\t\tpolicy = { unreplied: 30, replied: 120 }\n\t}\n}\n",
        )?;
        ns.cmd("nft", ["-f", f.path()])?;
        ensure!(same_json(ns, &["list", "ruleset"])? == 3);
        same_text(ns, &["list", "ruleset"])?;
        let text = nl(&["list", "ruleset"])?;
        ensure!(
            text.contains("policy = { established : 100, close : 5 }")
                && text.contains("policy = {  }"),
            "{text}"
        );
        Ok(())
    });
}

/// Stateful objects written by files (table blocks and `add` commands)
/// and the rules that name them.
const OBJECT_LOAD_FILES: [&str; 2] = [
    r#"flush ruleset
table inet o {
	set s { type ipv4_addr; }
	counter cnt { packets 5 bytes 100 }
	chain c { counter name "cnt"; }
	quota q { over 1 mbytes used 10 bytes }
	ct helper ftp-standard { type "ftp" protocol tcp; l3proto inet; }
	ct timeout t1 { protocol tcp; l3proto ip; policy = { established: 100, close: 5 }; }
	limit l { rate 10/second burst 5 packets; }
	chain d { type filter hook input priority 0; policy accept; }
}
"#,
    r#"flush ruleset
table ip o2 {
	counter z { }
	quota q2 { 25 kbytes }
	quota q3 { over 3 mbytes used 1536 bytes }
	limit l2 { rate over 7/minute burst 10 packets; }
	limit l3 { rate 400/hour }
	ct helper sip1 { type "sip" protocol udp; l3proto ip; }
	ct helper ftp2 { type "ftp" protocol tcp; }
	synproxy sp { mss 1460; wscale 7; timestamp sack-perm; }
	synproxy sp2 { mss 1400; wscale 5; }
	ct expectation ex { protocol tcp; dport 22; timeout 10m; size 8; l3proto ip; }
	ct timeout t2 { protocol udp; l3proto ip; policy = { unreplied: 30, replied: 120 }; }
	ct timeout t3 {
		protocol tcp
		l3proto ip
		policy = { syn_sent : 90, established : 7200, unack : 7 }
	}
	chain c {
		quota name "q2" limit name "l2" counter name "z" accept
		limit rate over 10/second drop
	}
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		ct helper set "sip1"
		ct timeout set "t3"
	}
}
add table inet o3
add counter inet o3 c1 { packets 1 bytes 2 }
add ct timeout inet o3 t { protocol tcp; l3proto ip6; policy = { close: 3 }; }
add quota inet o3 q { 2048 mbytes }
"#,
];

#[test]
fn nft_objects_load_as_nft() {
    in_netns("nft_objects_load_as_nft", |ns| {
        both_ways(ns, "objload", &OBJECT_LOAD_FILES, 9)?;
        // A state nft does not know for the protocol is refused by name.
        let f = TempFile::new(
            "ct-timeout-bad",
            "table ip t {\n\tct timeout x { protocol udp; l3proto ip; policy = { established: 5 }; }\n}\n",
        )?;
        let e = nl(&["-f", f.path()])
            .err()
            .context("a udp established loaded")?;
        ensure!(
            format!("{e:#}").contains("the state \"established\" is not implemented"),
            "{e:#}"
        );
        Ok(())
    });
}

/// netdev tables: chains on the ingress hook of one device or several.
const NETDEV_FILE: &str = r#"flush ruleset
table netdev n {
	chain in {
		type filter hook ingress devices = { nd0, nd1 } priority 0; policy accept;
		counter
		meta mark 0x5 drop
	}
	chain one {
		type filter hook ingress device "nd0" priority -5; policy drop;
	}
}
add table netdev m
add chain netdev m c { type filter hook ingress device nd1 priority filter; policy accept; }
add rule netdev m c iifname "nd1" counter accept
"#;

#[test]
fn nft_netdev_loads_as_nft() {
    in_netns("nft_netdev_loads_as_nft", |ns| {
        ns.ip(["link", "add", "nd0", "type", "veth", "peer", "nd1"])?;
        let f = TempFile::new("netdev", NETDEV_FILE)?;
        ns.cmd("nft", ["-f", f.path()])?;
        same_text(ns, &["list", "ruleset"])?;
        let theirs = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
        let theirs_text = ns.cmd("nft", ["list", "ruleset"])?;
        // nl lists the devices nft 1.0.6 leaves out of its JSON (see
        // nft_lists_chains_on_several_devices_as_nft): the rest is equal.
        let mut ours = objects(&nl(&["-j", "list", "ruleset"])?, true)?;
        let mut devs = Vec::new();
        for o in &mut ours {
            if let Some(c) = o.get_mut("chain").and_then(Value::as_object_mut) {
                devs.push(c.remove("dev").unwrap_or(Value::Null));
            }
        }
        ensure!(theirs == ours, "{theirs:?}\n{ours:?}");
        ensure!(
            devs == [
                serde_json::json!(["nd0", "nd1"]),
                serde_json::json!("nd0"),
                serde_json::json!("nd1")
            ],
            "{devs:?}"
        );
        ensure!(theirs.len() == 8, "{theirs:?}");
        // nl loads it: nft lists the same, handles included.
        ns.cmd("nft", ["flush", "ruleset"])?;
        nl(&["-f", f.path()])?;
        let ours = objects(&ns.cmd("nft", ["-j", "list", "ruleset"])?, true)?;
        ensure!(theirs == ours, "{theirs:?}\n{ours:?}");
        ensure!(ns.cmd("nft", ["list", "ruleset"])? == theirs_text);
        // A hook netdev does not have is refused by name.
        let bad = TempFile::new(
            "netdev-bad",
            "table netdev x {\n\tchain c {\n\t\ttype filter hook input device nd0 priority 0;\n\t}\n}\n",
        )?;
        let e = nl(&["-f", bad.path()])
            .err()
            .context("netdev input loaded")?;
        ensure!(
            format!("{e:#}").contains("the hook \"input\" is not implemented (netdev"),
            "{e:#}"
        );
        Ok(())
    });
}

/// Maps with concatenated keys: of verdicts and of values, hash and
/// interval, named and anonymous, in a table block and in command form.
const CONCAT_MAP_FILES: [&str; 2] = [
    r#"flush ruleset
table inet c {
	map cm {
		type ipv4_addr . inet_service : verdict
		elements = { 192.0.2.1 . 22 : accept, 192.0.2.2 . 80 : drop }
	}
	map mm {
		type ipv4_addr . inet_service : mark
		elements = { 192.0.2.1 . 22 : 0x00000001 }
	}
	map im {
		type ipv4_addr . inet_service : verdict
		flags interval
		elements = { 192.0.2.0/24 . 22 : accept, 198.51.100.1 . 1000-2000 : drop }
	}
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr . tcp dport vmap @cm
		ip daddr . tcp sport vmap @im
		ip saddr . udp dport vmap { 192.0.2.7 . 53 : accept }
	}
}
"#,
    r#"flush ruleset
add table ip t
add chain ip t c { type filter hook forward priority 0; policy accept; }
add chain ip t other
add map ip t pm { type ipv4_addr . inet_service : verdict; }
add element ip t pm { 192.0.2.1 . 22 : jump other, 192.0.2.9 . 443 : drop }
add map ip t nm { type ipv4_addr . ipv4_addr : mark; flags interval; }
add element ip t nm { 192.0.2.0/24 . 198.51.100.1 : 0x00000007, 203.0.113.1-203.0.113.9 . 198.51.100.2 : 0x00000008 }
add rule ip t c ip saddr . tcp dport vmap @pm
add rule ip t c ip daddr . udp dport vmap { 192.0.2.0/25 . 53 : accept, 198.51.100.0/24 . 1-1024 : drop }
add rule ip t other counter return
"#,
];

#[test]
fn nft_concatenated_maps_list_and_load_as_nft() {
    in_netns("nft_concatenated_maps_list_and_load_as_nft", |ns| {
        both_ways(ns, "concatmap", &CONCAT_MAP_FILES, 7)?;
        // The listing holds the elements and the verdict map lookups.
        let f = TempFile::new("concatmap-again", CONCAT_MAP_FILES[1])?;
        nl(&["-f", f.path()])?;
        let text = nl(&["list", "ruleset"])?;
        ensure!(
            text.contains("192.0.2.1 . 22 : jump other")
                && text.contains("ip saddr . tcp dport vmap @pm")
                && text.contains("203.0.113.1-203.0.113.9 . 198.51.100.2 : 0x00000008"),
            "{text}"
        );
        Ok(())
    });
}

/// Flowtables (the kernel needs nf_flow_table for them) and a rule that
/// offloads to one: listed by `list ruleset`, `list table` and `list
/// flowtables` as nft lists them.
const FLOWTABLE_FILE: &str = r#"flush ruleset
table ip t {
	set s { type ipv4_addr; }
	flowtable f {
		hook ingress priority 0
		devices = { ft1, ft0 }
	}
	flowtable g {
		hook ingress priority filter + 5
		devices = { ft2 }
		counter
	}
	chain c {
		type filter hook forward priority 0; policy accept;
		ip daddr 192.0.2.1 accept
		meta l4proto tcp flow add @f
	}
}
table inet u {
	flowtable h {
		hook ingress priority -10
		devices = { ft1 }
	}
}
table ip6 none {
}
"#;

#[test]
fn nft_lists_flowtables_as_nft() {
    in_netns("nft_lists_flowtables_as_nft", |ns| {
        ns.ip(["link", "add", "ft0", "type", "veth", "peer", "ft1"])?;
        // A table's flowtables may not share a device on one hook.
        ns.ip(["link", "add", "ft2", "type", "veth", "peer", "ft3"])?;
        let f = TempFile::new("flowtables", FLOWTABLE_FILE)?;
        if let Err(e) = ns.cmd("nft", ["-f", f.path()]) {
            // nf_flow_table registers the flowtable types; without it
            // the kernel finds none (ENOENT).
            if !std::path::Path::new("/sys/module/nf_flow_table").exists() {
                return Err(netlink_tests::skip(format!(
                    "no nf_flow_table in this kernel: {e:#}"
                )));
            }
            return Err(e);
        }
        let n = same_json(ns, &["list", "ruleset"])?;
        ensure!(n >= 9, "only {n} objects listed");
        same_text(ns, &["list", "ruleset"])?;
        same_json(ns, &["list", "table", "ip", "t"])?;
        same_text(ns, &["list", "table", "ip", "t"])?;
        ensure!(same_json(ns, &["list", "flowtables"])? == 3);
        same_text(ns, &["list", "flowtables"])?;
        same_json(ns, &["list", "flowtables", "inet"])?;
        same_text(ns, &["list", "flowtables", "ip"])?;
        // And `nl nft -f` of the same file leaves what `nft -f` leaves.
        ns.cmd("nft", ["flush", "ruleset"])?;
        both_ways(ns, "flowtables", &[FLOWTABLE_FILE], 9)?;
        Ok(())
    });
}
