//! ipset against the kernel, compared with the `ipset` tool both ways:
//! every set type created by the library and read by `ipset save`, and
//! created by `ipset restore` and read by the library; swap, rename,
//! membership tests, listings spanning many messages, errors in the
//! tool's words, and requests byte for byte as the tool sends them.

use std::collections::BTreeSet;
use std::process::Command;

use anyhow::{Context, Result, ensure};
use netlink::nl_netfilter::ipset::{self, Adt, CreateOptions, Entry, Family, IpSet};
use netlink::{AsyncHandle, ErrorKind, Handle};
use netlink_tests::{Netns, in_netns, need_feature};

/// One set: type, family, options (as the library takes them and as the
/// `ipset` tool's words), members in the tool's words.
struct Case {
    name: &'static str,
    ty: &'static str,
    family: Family,
    options: CreateOptions,
    tool_options: &'static str,
    members: &'static [&'static str],
}

fn v4(s: &str) -> std::net::IpAddr {
    s.parse().unwrap()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "t_ip",
            ty: "hash:ip",
            family: Family::Inet,
            options: CreateOptions {
                hashsize: Some(64),
                maxelem: Some(1000),
                timeout: Some(0),
                counters: true,
                comment: true,
                skbinfo: true,
                ..Default::default()
            },
            tool_options: "hashsize 64 maxelem 1000 timeout 0 counters comment skbinfo",
            members: &[
                "192.0.2.1 timeout 0 packets 3 bytes 300 comment \"x y\" skbmark 0x10/0xff skbprio 1:2 skbqueue 3",
                "192.0.2.2 timeout 0 packets 0 bytes 0",
            ],
        },
        Case {
            name: "t_ip6",
            ty: "hash:ip",
            family: Family::Inet6,
            options: CreateOptions {
                netmask: Some(64),
                ..Default::default()
            },
            tool_options: "family inet6 netmask 64",
            members: &["2001:db8::"],
        },
        Case {
            name: "t_net",
            ty: "hash:net",
            family: Family::Inet,
            options: CreateOptions {
                comment: true,
                ..Default::default()
            },
            tool_options: "comment",
            members: &[
                "192.0.2.0/24 comment \"doc\"",
                "192.0.2.0/28 nomatch",
                "198.51.100.7",
            ],
        },
        Case {
            name: "t_ipport",
            ty: "hash:ip,port",
            family: Family::Inet,
            options: CreateOptions::default(),
            tool_options: "",
            members: &[
                "192.0.2.1,tcp:80",
                "192.0.2.1,udp:53",
                "192.0.2.1,icmp:echo-request",
                "192.0.2.1,sctp:9",
            ],
        },
        Case {
            name: "t_netport",
            ty: "hash:net,port",
            family: Family::Inet6,
            options: CreateOptions {
                counters: true,
                ..Default::default()
            },
            tool_options: "family inet6 counters",
            members: &["2001:db8::/64,tcp:443 packets 0 bytes 0"],
        },
        Case {
            name: "t_ipportip",
            ty: "hash:ip,port,ip",
            family: Family::Inet,
            options: CreateOptions {
                timeout: Some(600),
                ..Default::default()
            },
            tool_options: "timeout 600",
            members: &["192.0.2.1,udp:53,198.51.100.2 timeout 0"],
        },
        Case {
            name: "t_netiface",
            ty: "hash:net,iface",
            family: Family::Inet,
            options: CreateOptions::default(),
            tool_options: "",
            members: &[
                "192.0.2.0/24,eth0",
                "198.51.100.0/25,physdev:veth+",
                "203.0.113.0/24,lo nomatch",
            ],
        },
        Case {
            name: "t_bmip",
            ty: "bitmap:ip",
            family: Family::Inet,
            options: CreateOptions {
                range: Some((v4("192.0.2.0"), v4("192.0.2.255"))),
                counters: true,
                ..Default::default()
            },
            tool_options: "range 192.0.2.0-192.0.2.255 counters",
            members: &[
                "192.0.2.9 packets 0 bytes 0",
                "192.0.2.200 packets 7 bytes 70",
            ],
        },
        Case {
            name: "t_bmport",
            ty: "bitmap:port",
            family: Family::Unspec,
            options: CreateOptions {
                port_range: Some((1, 1024)),
                comment: true,
                ..Default::default()
            },
            tool_options: "range 1-1024 comment",
            members: &["22 comment \"ssh\"", "80"],
        },
        Case {
            name: "t_list",
            ty: "list:set",
            family: Family::Unspec,
            options: CreateOptions {
                size: Some(4),
                ..Default::default()
            },
            tool_options: "size 4",
            members: &["t_net", "t_ipport"],
        },
    ]
}

/// Splits a member's text into the key and its extensions, as the
/// library takes them.
fn entry_of(ty: &str, text: &str) -> Result<Entry> {
    let mut words = split_words(text).into_iter();
    let key = words.next().context("member key")?;
    let mut e = Entry::parse(ty, &key)?;
    while let Some(w) = words.next() {
        let mut arg = || words.next().context("option argument");
        match w.as_str() {
            "timeout" => e.timeout = Some(arg()?.parse()?),
            "packets" => e.packets = Some(arg()?.parse()?),
            "bytes" => e.bytes = Some(arg()?.parse()?),
            "comment" => e.comment = Some(arg()?),
            "nomatch" => e.nomatch = true,
            "skbmark" => {
                let a = arg()?;
                let (m, k) = a.split_once('/').unwrap_or((&a, "0xffffffff"));
                e.skbmark = Some((
                    u32::from_str_radix(m.trim_start_matches("0x"), 16)?,
                    u32::from_str_radix(k.trim_start_matches("0x"), 16)?,
                ));
            }
            "skbprio" => {
                let a = arg()?;
                let (maj, min) = a.split_once(':').context("major:minor")?;
                e.skbprio =
                    Some((u32::from_str_radix(maj, 16)? << 16) | u32::from_str_radix(min, 16)?);
            }
            "skbqueue" => e.skbqueue = Some(arg()?.parse()?),
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    Ok(e)
}

/// Words, with a double-quoted word kept whole (without its quotes).
fn split_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `ipset save`, one set's lines: (create line, member lines as a set).
fn tool_save(ns: &Netns, name: &str) -> Result<(String, BTreeSet<String>)> {
    let out = ns.cmd("ipset", ["save", name])?;
    let mut lines = out.lines();
    let create = lines.next().context("create line")?.to_string();
    let prefix = format!("add {name} ");
    let members = lines
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect();
    Ok((create, members))
}

/// The library's save text of one set, split the same way.
fn our_save(set: &IpSet) -> (String, BTreeSet<String>) {
    let text = set.save().to_string();
    let mut lines = text.lines();
    let create = lines.next().unwrap_or_default().to_string();
    let prefix = format!("add {} ", set.name);
    let members = lines
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect();
    (create, members)
}

fn restore(ns: &Netns, script: &str) -> Result<()> {
    let path = std::env::temp_dir().join(format!("ipset-restore-{}", std::process::id()));
    std::fs::write(&path, script)?;
    let r = ns.cmd("ipset", ["restore", "-file", &path.to_string_lossy()]);
    let _ = std::fs::remove_file(&path);
    r.map(drop)
}

fn expected_members(c: &Case) -> BTreeSet<String> {
    c.members.iter().map(|m| m.to_string()).collect()
}

#[test]
fn every_type_created_by_the_library_reads_back_in_ipset_save() {
    in_netns("ipset_library_to_tool", |ns| {
        let h = Handle::new()?;
        for c in cases() {
            h.ipset_create(c.name, c.ty, c.family, &c.options)
                .with_context(|| c.name)?;
            let entries: Vec<Entry> = c
                .members
                .iter()
                .map(|m| entry_of(c.ty, m))
                .collect::<Result<_>>()?;
            for e in &entries {
                h.ipset_add(c.name, e).with_context(|| c.name)?;
            }
            let (create, members) = tool_save(ns, c.name)?;
            ensure!(
                members == expected_members(&c),
                "{}: ipset save lists {members:?}",
                c.name
            );
            let want = format!("create {} {} ", c.name, c.ty);
            ensure!(create.starts_with(&want), "{create}");
            for word in c.tool_options.split_whitespace() {
                ensure!(
                    create.split_whitespace().any(|w| w == word),
                    "{}: {word:?} not in {create:?}",
                    c.name
                );
            }
            // And the library reads what it made as the tool prints it.
            let ours = h.ipset_list(c.name)?;
            ensure!(our_save(&ours) == (create.clone(), members), "{ours:#?}");
            ensure!(ours.entries.len() == c.members.len());
        }
        Ok(())
    });
}

#[test]
fn every_type_created_by_ipset_reads_back_in_the_library() {
    in_netns("ipset_tool_to_library", |ns| {
        let mut script = String::new();
        for c in cases() {
            script += &format!("create {} {} {}\n", c.name, c.ty, c.tool_options);
            for m in c.members {
                script += &format!("add {} {m}\n", c.name);
            }
        }
        restore(ns, &script)?;
        let h = Handle::new()?;
        let all = h.ipset_list_all()?;
        ensure!(all.len() == cases().len(), "{} sets", all.len());
        for c in cases() {
            let set = all
                .iter()
                .find(|s| s.name == c.name)
                .with_context(|| c.name)?;
            ensure!(set.type_name == c.ty, "{}", set.type_name);
            let (create, members) = our_save(set);
            ensure!(members == expected_members(&c), "{}: {members:?}", c.name);
            ensure!(
                (create, members) == tool_save(ns, c.name)?,
                "{}: {}",
                c.name,
                set.save()
            );
            // What the tool wrote is what the library parses.
            for (text, entry) in c.members.iter().zip(expected_order(&c, set)?) {
                ensure!(
                    entry_of(c.ty, text)? == entry,
                    "{}: {text} read as {entry:?}",
                    c.name
                );
            }
        }
        // `ipset list` of everything, byte for byte.
        let listed = ns.cmd("ipset", ["list"])?;
        ensure!(
            listed == ipset::list_text(&h.ipset_list_all()?, false),
            "ipset list:\n{listed}"
        );
        let headers = ns.cmd("ipset", ["list", "-t"])?;
        ensure!(headers == ipset::list_text(&h.ipset_list_headers()?, true));
        let names: Vec<String> = ns
            .cmd("ipset", ["list", "-n"])?
            .lines()
            .map(String::from)
            .collect();
        ensure!(names == h.ipset_list_names()?);
        Ok(())
    });
}

/// The set's members in the order of the case's list.
fn expected_order(c: &Case, set: &IpSet) -> Result<Vec<Entry>> {
    c.members
        .iter()
        .map(|text| {
            let key = entry_of(c.ty, text)?.key_text(c.ty);
            set.entries
                .iter()
                .find(|e| e.key_text(c.ty) == key && (e.nomatch == text.contains("nomatch")))
                .cloned()
                .with_context(|| format!("{key} in {}", c.name))
        })
        .collect()
}

#[test]
fn swap_and_rename() {
    in_netns("ipset_swap_rename", |ns| {
        let h = Handle::new()?;
        let o = CreateOptions::default();
        h.ipset_create("a", "hash:ip", Family::Inet, &o)?;
        h.ipset_create("b", "hash:ip", Family::Inet, &o)?;
        h.ipset_add("a", &Entry::ip(v4("192.0.2.1")))?;
        h.ipset_add("b", &Entry::ip(v4("198.51.100.1")))?;
        h.ipset_swap("a", "b")?;
        ensure!(
            ns.cmd("ipset", ["save", "a"])?
                .contains("add a 198.51.100.1\n")
        );
        ensure!(
            ns.cmd("ipset", ["save", "b"])?
                .contains("add b 192.0.2.1\n")
        );
        h.ipset_rename("a", "c")?;
        ensure!(ns.cmd("ipset", ["list", "-n"])?.lines().collect::<Vec<_>>() == ["c", "b"]);
        let c = h.ipset_list("c")?;
        ensure!(c.entries == [Entry::ip(v4("198.51.100.1"))], "{c:?}");
        // The tool's rename and swap, read by the library.
        ns.cmd("ipset", ["rename", "c", "d"])?;
        ns.cmd("ipset", ["swap", "d", "b"])?;
        ensure!(h.ipset_list("d")?.entries == [Entry::ip(v4("192.0.2.1"))]);
        // Refusals in the tool's words.
        h.ipset_create("n", "hash:net", Family::Inet, &o)?;
        let e = h.ipset_swap("d", "n").unwrap_err();
        ensure!(
            e.to_string()
                == "ipset swap \"d\" \"n\": The sets cannot be swapped: their type does not match",
            "{e}"
        );
        let e = h.ipset_rename("d", "n").unwrap_err();
        ensure!(e.is_exists(), "{e:?}");
        ensure!(
            e.to_string()
                .ends_with("Set cannot be renamed: a set with the new name already exists"),
            "{e}"
        );
        let e = h.ipset_swap("d", "nope").unwrap_err();
        ensure!(
            e.is_not_found()
                && e.to_string()
                    .ends_with("Sets cannot be swapped: the second set does not exist"),
            "{e}"
        );
        h.ipset_flush("d")?;
        ensure!(h.ipset_list("d")?.entries.is_empty());
        h.ipset_destroy("d")?;
        let e = h.ipset_list("d").unwrap_err();
        ensure!(e.is_not_found(), "{e:?}");
        ensure!(
            e.to_string()
                .ends_with("The set with the given name does not exist"),
            "{e}"
        );
        h.ipset_destroy_all()?;
        ensure!(h.ipset_list_names()?.is_empty());
        Ok(())
    });
}

/// `ipset test`'s verdict (exit status 0: in the set).
fn tool_test(set: &str, member: &str) -> Result<bool> {
    Ok(Command::new("ipset")
        .args(["-q", "test", set, member])
        .status()
        .context("running ipset")?
        .success())
}

#[test]
fn membership_tests_agree_with_ipset_test() {
    in_netns("ipset_test_membership", |ns| {
        restore(
            ns,
            "create n hash:net\nadd n 192.0.2.0/24\nadd n 192.0.2.0/28 nomatch\n\
             create p hash:ip,port\nadd p 192.0.2.1,udp:53\n\
             create l list:set\nadd l p\n",
        )?;
        let h = Handle::new()?;
        let probes = [
            ("n", "hash:net", "192.0.2.100", true),
            ("n", "hash:net", "192.0.2.5", false),
            ("n", "hash:net", "198.51.100.1", false),
            ("p", "hash:ip,port", "192.0.2.1,udp:53", true),
            ("p", "hash:ip,port", "192.0.2.1,tcp:53", false),
            ("l", "list:set", "p", true),
            ("l", "list:set", "n", false),
        ];
        for (set, ty, member, want) in probes {
            let ours = h.ipset_test(set, &Entry::parse(ty, member)?)?;
            ensure!(ours == want, "{set} {member}: {ours}");
            ensure!(tool_test(set, member)? == want, "ipset test {set} {member}");
        }
        // Added and deleted by the library, seen by the tool.
        let e = Entry::parse("hash:ip,port", "192.0.2.2,tcp:22")?;
        h.ipset_add("p", &e)?;
        ensure!(tool_test("p", "192.0.2.2,tcp:22")?);
        let again = h.ipset_add("p", &e).unwrap_err();
        ensure!(again.is_exists(), "{again:?}");
        ensure!(
            again.to_string()
                == "ipset add \"p\" 192.0.2.2,tcp:22: Element cannot be added to the set: it's already added",
            "{again}"
        );
        h.ipset_del("p", &e)?;
        ensure!(!tool_test("p", "192.0.2.2,tcp:22")?);
        let gone = h.ipset_del("p", &e).unwrap_err();
        ensure!(gone.is_not_found(), "{gone:?}");
        Ok(())
    });
}

#[test]
fn bad_input_reads_like_ipset() {
    in_netns("ipset_bad_input", |ns| {
        let h = Handle::new()?;
        let o = CreateOptions::default();
        // A type no kernel has.
        let e = h
            .ipset_create("x", "hash:foo", Family::Inet, &o)
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::NotSupported, "{e:?}");
        ensure!(
            e.to_string()
                == "ipset create \"x\" hash:foo: ipset type hash:foo: Kernel error received: set type not supported"
                || e.to_string()
                    == "ipset create \"x\" hash:foo: Kernel error received: set type not supported",
            "{e}"
        );
        // A member of the other family.
        h.ipset_create("v4", "hash:ip", Family::Inet, &o)?;
        let e = h
            .ipset_add("v4", &Entry::ip("2001:db8::1".parse()?))
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e:?}");
        ensure!(
            e.to_string()
                == "ipset add \"v4\" 2001:db8::1: An IPv4 address is expected, but not received: 2001:db8::1 is not of the set's family inet",
            "{e}"
        );
        // An extension the set was created without.
        let e = h
            .ipset_add("v4", &Entry::ip(v4("192.0.2.1")).with_timeout(5))
            .unwrap_err();
        ensure!(
            e.to_string()
                .ends_with("Timeout cannot be used: set was created without timeout support"),
            "{e}"
        );
        // A type-specific code: out of a bitmap's range.
        h.ipset_create(
            "bm",
            "bitmap:ip",
            Family::Inet,
            &CreateOptions {
                range: Some((v4("192.0.2.0"), v4("192.0.2.15"))),
                ..o.clone()
            },
        )?;
        let e = h.ipset_add("bm", &Entry::ip(v4("192.0.2.99"))).unwrap_err();
        ensure!(
            e.to_string()
                .ends_with("Element is out of the range of the set"),
            "{e}"
        );
        // A protocol version the kernel does not speak.
        let p = h.ipset_protocol()?;
        ensure!((p.min, p.version) == (6, 7) && p.compatible(), "{p:?}");
        let tool = ns.cmd("ipset", ["--version"])?;
        ensure!(
            tool.contains(&format!("protocol version: {}", p.version)),
            "{tool}"
        );
        let mut req = Vec::new();
        use netlink::nl_netfilter::uapi::ip_set::{IPSET_ATTR_SETNAME, IPSET_CMD_DESTROY};
        let mut m = ipset::request_with_protocol(&mut req, IPSET_CMD_DESTROY, 5, 0);
        m.put_str(IPSET_ATTR_SETNAME, "v4");
        m.finish()?;
        let e = h.ipset_request(&mut req).unwrap_err();
        ensure!(
            e.to_string()
                == "ipset request: Cannot communicate with kernel: Kernel support protocol versions 6-7 while userspace supports protocol version 5",
            "{e}"
        );
        ensure!(e.kind() == ErrorKind::NotSupported, "{e:?}");
        ensure!(h.ipset_list_names()? == ["v4", "bm"]);
        Ok(())
    });
}

#[test]
fn hash_mac() {
    in_netns("ipset_hash_mac", |ns| {
        let h = Handle::new()?;
        need_feature(
            h.ipset_create("m", "hash:mac", Family::Unspec, &CreateOptions::default()),
            "ipset hash:mac (CONFIG_IP_SET_HASH_MAC)",
        )?;
        h.ipset_add("m", &Entry::parse("hash:mac", "02:aa:00:00:00:01")?)?;
        let (create, members) = tool_save(ns, "m")?;
        ensure!(
            members == BTreeSet::from(["02:AA:00:00:00:01".to_string()]),
            "{members:?}"
        );
        ensure!(our_save(&h.ipset_list("m")?) == (create, members));
        Ok(())
    });
}

#[test]
fn many_members_span_messages_and_merge() {
    in_netns("ipset_many_members", |ns| {
        let h = Handle::new()?;
        let o = CreateOptions {
            maxelem: Some(65536),
            comment: true,
            ..Default::default()
        };
        h.ipset_create("big", "hash:ip", Family::Inet6, &o)?;
        let entries: Vec<Entry> = (0..20_000u32)
            .map(|i| {
                Entry::ip(
                    std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, (i >> 16) as u16, i as u16)
                        .into(),
                )
                .with_comment(format!("member {i}"))
            })
            .collect();
        h.ipset_add_many("big", &entries)?;
        // Idempotent, as `ipset -exist`.
        h.ipset_add_many("big", &entries[..100])?;
        let set = h.ipset_list("big")?;
        ensure!(
            set.entries.len() == 20_000 && set.elements == Some(20_000),
            "{}",
            set.entries.len()
        );
        let ours: BTreeSet<String> = set.entries.iter().map(|e| e.to_text("hash:ip")).collect();
        let (_, theirs) = tool_save(ns, "big")?;
        ensure!(ours == theirs, "{} vs {}", ours.len(), theirs.len());
        let want: BTreeSet<String> = entries.iter().map(|e| e.to_text("hash:ip")).collect();
        ensure!(ours == want);
        // A failure names the member: one of the other family.
        let mut bad = entries[..3].to_vec();
        bad.push(Entry::ip(v4("192.0.2.1")));
        let e = h.ipset_add_many("big", &bad).unwrap_err();
        ensure!(
            e.to_string().starts_with(
                "ipset add \"big\" 192.0.2.1 (member 4 of 4): An IPv6 address is expected"
            ),
            "{e}"
        );
        h.ipset_del_many("big", &entries[..10_000])?;
        ensure!(h.ipset_list("big")?.entries.len() == 10_000);
        Ok(())
    });
}

/// The bytes of each message the `ipset` tool sent.
fn tool_requests(args: &[&str]) -> Result<Vec<Vec<u8>>> {
    netlink_tests::sent_messages("ipset", args)
}

#[test]
fn requests_match_the_ipset_tool_byte_for_byte() {
    in_netns("ipset_requests_bytes", |ns| {
        // Skips (naming the package) without strace.
        ns.cmd("strace", ["-V"])?;
        let tool = tool_requests(&[
            "create", "foo", "hash:ip", "timeout", "60", "counters", "comment",
        ])?;
        let mut ours = Vec::new();
        ipset::Protocol::write_get(&mut ours)?;
        ensure!(netlink_tests::same_request(
            &ours,
            tool.first().context("protocol")?
        ));
        let revision = Handle::new()?.ipset_type("hash:ip", Family::Inet)?.revision;
        ours.clear();
        let o = CreateOptions {
            timeout: Some(60),
            counters: true,
            comment: true,
            ..Default::default()
        };
        ipset::write_create(
            &mut ours,
            "foo",
            "hash:ip",
            revision,
            Family::Inet,
            &o,
            false,
        )?;
        ensure!(
            netlink_tests::same_request(&ours, tool.last().context("create")?),
            "{ours:02x?}\n{tool:02x?}"
        );

        let tool = tool_requests(&["add", "foo", "192.0.2.1", "timeout", "5", "comment", "hi"])?;
        ours.clear();
        let e = Entry::ip(v4("192.0.2.1"))
            .with_timeout(5)
            .with_comment("hi");
        ipset::write_entry(&mut ours, Adt::Add, "foo", &e, false)?;
        ensure!(
            netlink_tests::same_request(&ours, tool.last().context("add")?),
            "{ours:02x?}\n{tool:02x?}"
        );

        let tool = tool_requests(&["create", "bp", "bitmap:port", "range", "10-20"])?;
        ours.clear();
        let o = CreateOptions {
            port_range: Some((10, 20)),
            ..Default::default()
        };
        ipset::write_create(&mut ours, "bp", "bitmap:port", 3, Family::Unspec, &o, false)?;
        ensure!(
            netlink_tests::same_request(&ours, tool.last().context("create")?),
            "{ours:02x?}\n{tool:02x?}"
        );

        let tool = tool_requests(&["list", "-t", "foo"])?;
        ours.clear();
        ipset::write_list(&mut ours, Some("foo"), ipset::ListWhat::Headers)?;
        ensure!(
            netlink_tests::same_request(&ours, tool.last().context("list")?),
            "{ours:02x?}\n{tool:02x?}"
        );
        Ok(())
    });
}

#[test]
fn async_handle_runs_the_same_calls() {
    in_netns("ipset_async", |ns| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let p = h.ipset_protocol().await?;
            ensure!(p.version == 7);
            h.ipset_create(
                "a",
                "hash:net,port",
                Family::Inet,
                &CreateOptions::default(),
            )
            .await?;
            let e = Entry::parse("hash:net,port", "192.0.2.0/24,udp:53")?;
            h.ipset_add("a", &e).await?;
            ensure!(h.ipset_test("a", &e).await?);
            let set = h.ipset_list("a").await?;
            ensure!(
                set.entries.len() == 1
                    && set.entries[0].key_text(&set.type_name) == "192.0.2.0/24,udp:53"
            );
            ensure!(
                ns.cmd("ipset", ["save", "a"])?
                    .contains("add a 192.0.2.0/24,udp:53\n")
            );
            h.ipset_add_many("a", std::slice::from_ref(&e)).await?;
            h.ipset_del("a", &e).await?;
            ensure!(!h.ipset_test("a", &e).await?);
            h.ipset_destroy("a").await?;
            ensure!(h.ipset_list_all().await?.is_empty());
            Ok(())
        })
    });
}

/// `nl ipset ARGS` through the tools' library: what it printed.
fn nl_ipset(args: &[&str]) -> Result<String> {
    let words: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut out = Vec::new();
    nl_tools::Tool::Ipset.run(&words, &mut out)?;
    Ok(String::from_utf8(out)?)
}

#[test]
fn nl_ipset_prints_what_ipset_prints() {
    in_netns("ipset_nl_tool", |ns| {
        let mut script = String::new();
        for c in cases() {
            script += &format!("create {} {} {}\n", c.name, c.ty, c.tool_options);
            for m in c.members {
                script += &format!("add {} {m}\n", c.name);
            }
        }
        restore(ns, &script)?;
        for args in [
            &["list"][..],
            &["list", "-t"],
            &["list", "-n"],
            &["list", "t_netiface"],
            &["list", "-t", "t_bmport"],
            &["save"],
            &["save", "t_ip"],
        ] {
            let theirs = ns.cmd("ipset", args)?;
            let ours = nl_ipset(args)?;
            ensure!(
                theirs == ours,
                "ipset {args:?}\n--- ipset:\n{theirs}--- nl:\n{ours}---"
            );
        }
        // Members written by nl, read by the tool, and the other way.
        nl_ipset(&["add", "t_ipport", "198.51.100.9,udp:123"])?;
        ensure!(
            ns.cmd("ipset", ["save", "t_ipport"])?
                .contains("add t_ipport 198.51.100.9,udp:123\n")
        );
        nl_ipset(&["add", "t_net", "203.0.113.0/24", "comment", "two words"])?;
        ensure!(
            ns.cmd("ipset", ["save", "t_net"])?
                .contains("add t_net 203.0.113.0/24 comment \"two words\"\n")
        );
        ns.cmd("ipset", ["add", "t_bmport", "443", "comment", "https"])?;
        nl_ipset(&["test", "t_bmport", "443"])?;
        let e = nl_ipset(&["test", "t_bmport", "444"]).unwrap_err();
        ensure!(e.to_string() == "444 is NOT in set t_bmport.", "{e}");
        let e = nl_ipset(&["add", "t_ipport", "198.51.100.9,udp:123"]).unwrap_err();
        let ne = e
            .downcast_ref::<netlink::Error>()
            .context("a netlink error")?;
        ensure!(
            ne.message() == Some("Element cannot be added to the set: it's already added"),
            "{e:#}"
        );
        nl_ipset(&["-exist", "add", "t_ipport", "198.51.100.9,udp:123"])?;
        nl_ipset(&["del", "t_ipport", "198.51.100.9,udp:123"])?;
        ensure!(
            !ns.cmd("ipset", ["save", "t_ipport"])?
                .contains("198.51.100.9")
        );
        let e = nl_ipset(&["create", "x", "hash:ip"]).unwrap_err();
        ensure!(
            e.to_string().contains("\"create\" is not implemented"),
            "{e}"
        );
        Ok(())
    });
}
