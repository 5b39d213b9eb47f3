//! `nft list ...` text, written from the JSON objects of [`mod@super::json`]
//! (one translation of the kernel's expressions, two spellings).

use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde_json::Value;

/// The text of `objects` (tables, sets, chains, rules in `nft -j`'s
/// order): each table a block, its sets then its chains, a blank line
/// between them. `only_chain`/`only_set` list the table's block around
/// one chain or set, as `nft list chain|set` does.
pub fn text(objects: &[Value], tables_only: bool) -> Result<String> {
    let mut out = String::new();
    let key = |o: &Value| -> (String, String) {
        (
            s(o.get("family")).to_string(),
            s(o.get("table").or_else(|| o.get("name"))).to_string(),
        )
    };
    // Tables in order, each with the objects that follow it; a listing
    // of one chain or set has no table object: its block is implied.
    let mut blocks: Vec<((String, String), Vec<&Value>)> = Vec::new();
    for o in objects {
        let Some((kind, body)) = o.as_object().and_then(|m| m.iter().next()) else {
            bail!("an empty object");
        };
        if kind == "table" {
            if tables_only {
                writeln!(
                    out,
                    "table {} {}",
                    s(body.get("family")),
                    s(body.get("name"))
                )?;
                continue;
            }
            blocks.push((key(body), Vec::new()));
            continue;
        }
        let k = key(body);
        match blocks.last_mut() {
            Some((tk, list)) if *tk == k => list.push(o),
            _ => blocks.push((k, vec![o])),
        }
    }
    for ((family, table), list) in blocks {
        writeln!(out, "table {family} {table} {{")?;
        let mut first = true;
        let mut i = 0;
        while let Some(o) = list.get(i) {
            i += 1;
            if o.get("rule").is_some() {
                continue;
            }
            if !first {
                out.push('\n');
            }
            first = false;
            if let Some(set) = o.get("set") {
                write_set(&mut out, set, false)?;
            } else if let Some(map) = o.get("map") {
                write_set(&mut out, map, true)?;
            } else if let Some((kind, body)) = o
                .as_object()
                .and_then(|m| m.iter().next())
                .filter(|(k, _)| OBJECTS.contains(&k.as_str()))
            {
                write_object(&mut out, kind, body)?;
            } else if let Some(ft) = o.get("flowtable") {
                write_flowtable(&mut out, ft)?;
            } else if let Some(chain) = o.get("chain") {
                let name = s(chain.get("name"));
                writeln!(out, "\tchain {name} {{")?;
                if let Some(hook) = chain.get("hook").and_then(Value::as_str) {
                    let prio = chain.get("prio").and_then(Value::as_i64).unwrap_or(0);
                    let dev = match chain.get("dev") {
                        Some(Value::String(d)) => format!(" device \"{d}\""),
                        Some(Value::Array(ds)) => {
                            let ds: Vec<&str> = ds.iter().filter_map(Value::as_str).collect();
                            format!(" devices = {{ {} }}", ds.join(", "))
                        }
                        _ => String::new(),
                    };
                    writeln!(
                        out,
                        "\t\ttype {} hook {hook}{dev} priority {}; policy {};",
                        s(chain.get("type")),
                        priority(&family, hook, prio),
                        s(chain.get("policy"))
                    )?;
                }
                // Its rules, listed after every chain.
                for r in list.iter().filter_map(|r| r.get("rule")) {
                    if s(r.get("chain")) == name {
                        writeln!(out, "\t\t{}", rule(r)?)?;
                    }
                }
                writeln!(out, "\t}}")?;
            } else {
                bail!("cannot print {o} as text");
            }
        }
        writeln!(out, "}}")?;
    }
    Ok(out)
}

/// `nft list flowtables`: every table, each with its flowtables (none
/// between blank lines), from [`super::json::objects`] of
/// `What::Flowtables`.
pub fn flowtables(objects: &[Value]) -> Result<String> {
    let mut out = String::new();
    let mut open = false;
    for o in objects {
        if let Some(t) = o.get("table") {
            if open {
                out.push_str("}\n");
            }
            writeln!(out, "table {} {} {{", s(t.get("family")), s(t.get("name")))?;
            open = true;
        } else if let Some(ft) = o.get("flowtable") {
            write_flowtable(&mut out, ft)?;
        } else {
            bail!("cannot print {o} in a list of flowtables");
        }
    }
    if open {
        out.push_str("}\n");
    }
    Ok(out)
}

/// A flowtable's block as nft 1.0.6 prints it (devices unquoted).
fn write_flowtable(out: &mut String, ft: &Value) -> Result<()> {
    writeln!(out, "\tflowtable {} {{", s(ft.get("name")))?;
    if let Some(hook) = ft.get("hook").and_then(Value::as_str) {
        let prio = ft.get("prio").and_then(Value::as_i64).unwrap_or(0);
        writeln!(
            out,
            "\t\thook {hook} priority {}",
            priority("netdev", hook, prio)
        )?;
    }
    let devs: Vec<&str> = match ft.get("dev") {
        Some(Value::String(d)) => vec![d.as_str()],
        Some(Value::Array(ds)) => ds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !devs.is_empty() {
        writeln!(out, "\t\tdevices = {{ {} }}", devs.join(", "))?;
    }
    let flags: Vec<&str> = match ft.get("flags") {
        Some(Value::Array(f)) => f.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if flags.contains(&"offload") {
        writeln!(out, "\t\tflags offload")?;
    }
    if flags.contains(&"counter") {
        writeln!(out, "\t\tcounter")?;
    }
    writeln!(out, "\t}}")?;
    Ok(())
}

/// The stateful objects [`write_object`] prints.
const OBJECTS: [&str; 7] = [
    "counter",
    "quota",
    "limit",
    "ct helper",
    "ct timeout",
    "ct expectation",
    "synproxy",
];

/// A stateful object's block, as nft prints it.
fn write_object(out: &mut String, kind: &str, o: &Value) -> Result<()> {
    let n = |k: &str| o.get(k).and_then(Value::as_u64).unwrap_or(0);
    writeln!(out, "\t{kind} {} {{", s(o.get("name")))?;
    match kind {
        "counter" => writeln!(out, "\t\tpackets {} bytes {}", n("packets"), n("bytes"))?,
        "quota" => {
            let over = if o.get("inv") == Some(&Value::Bool(true)) {
                "over "
            } else {
                ""
            };
            let used = match n("used") {
                0 => String::new(),
                u => format!(" used {}", bytes(u)),
            };
            writeln!(out, "\t\t{over}{}{used}", bytes(n("bytes")))?;
        }
        "limit" => {
            let over = if o.get("inv").is_some() { "over " } else { "" };
            let burst = match n("burst") {
                0 | 5 => String::new(),
                b => format!(" burst {b} packets"),
            };
            writeln!(
                out,
                "\t\trate {over}{}/{}{burst}",
                n("rate"),
                s(o.get("per"))
            )?;
        }
        "ct helper" => {
            writeln!(
                out,
                "\t\ttype \"{}\" protocol {}",
                s(o.get("type")),
                s(o.get("protocol"))
            )?;
            writeln!(out, "\t\tl3proto {}", s(o.get("l3proto")))?;
        }
        "ct timeout" => {
            writeln!(out, "\t\tprotocol {}", s(o.get("protocol")))?;
            writeln!(out, "\t\tl3proto {}", s(o.get("l3proto")))?;
            // `{  }` when every state has nft's default, as nft prints it.
            let states: Vec<String> = match o.get("policy") {
                Some(Value::Object(p)) => p.iter().map(|(k, v)| format!("{k} : {v}")).collect(),
                _ => Vec::new(),
            };
            writeln!(out, "\t\tpolicy = {{ {} }}", states.join(", "))?;
        }
        "ct expectation" => {
            writeln!(out, "\t\tprotocol {}", s(o.get("protocol")))?;
            writeln!(out, "\t\tdport {}", n("dport"))?;
            writeln!(out, "\t\ttimeout {}", duration(n("timeout")))?;
            writeln!(out, "\t\tsize {}", n("size"))?;
            writeln!(out, "\t\tl3proto {}", s(o.get("l3proto")))?;
        }
        _ => {
            writeln!(out, "\t\tmss {}", n("mss"))?;
            writeln!(out, "\t\twscale {}", n("wscale"))?;
            if let Some(Value::Array(flags)) = o.get("flags") {
                let f: Vec<&str> = flags.iter().filter_map(Value::as_str).collect();
                writeln!(out, "\t\t{}", f.join(" "))?;
            }
        }
    }
    writeln!(out, "\t}}")?;
    Ok(())
}

/// A byte count in the largest unit that divides it (`1 mbytes`); nft
/// has no larger unit than mbytes (`2048 mbytes`).
fn bytes(mut b: u64) -> String {
    let mut unit = 0;
    while b != 0 && b % 1024 == 0 && unit < 2 {
        b /= 1024;
        unit += 1;
    }
    let name = ["bytes", "kbytes", "mbytes"];
    format!("{b} {}", name.get(unit).copied().unwrap_or("bytes"))
}

/// Milliseconds as nft prints a time: `1h`, `2m30s`, `500ms`.
fn duration(ms: u64) -> String {
    let parts = [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "m"),
        (1000, "s"),
        (1, "ms"),
    ];
    let mut left = ms;
    let mut out = String::new();
    for (size, unit) in parts {
        let v = left / size;
        left %= size;
        if v > 0 {
            let _ = write!(out, "{v}{unit}");
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

fn s(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or_default()
}

/// nft's standard priority names (`filter - 5`) within 10 of one that
/// is valid for the hook; else the number.
fn priority(family: &str, hook: &str, prio: i64) -> String {
    if matches!(family, "ip" | "ip6" | "inet") {
        let std: [(&str, i64, Option<&str>); 6] = [
            ("raw", -300, None),
            ("mangle", -150, None),
            ("dstnat", -100, Some("prerouting")),
            ("filter", 0, None),
            ("security", 50, None),
            ("srcnat", 100, Some("postrouting")),
        ];
        for (name, base, only) in std {
            if only.is_some_and(|h| h != hook) {
                continue;
            }
            let off = prio - base;
            match off {
                0 => return name.to_string(),
                1..=10 => return format!("{name} + {off}"),
                -10..=-1 => return format!("{name} - {}", -off),
                _ => {}
            }
        }
    }
    // nft's one standard priority of the netdev family.
    if family == "netdev" {
        match prio {
            0 => return "filter".to_string(),
            1..=10 => return format!("filter + {prio}"),
            -10..=-1 => return format!("filter - {}", -prio),
            _ => {}
        }
    }
    prio.to_string()
}

/// A set, or a map (`type KEY : DATA`, elements `key : data`).
fn write_set(out: &mut String, set: &Value, map: bool) -> Result<()> {
    // A concatenation's type is a list: `ipv4_addr . inet_service`.
    let joined;
    let ty = match set.get("type") {
        Some(Value::Array(parts)) => {
            let names: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            joined = names.join(" . ");
            joined.as_str()
        }
        t => s(t),
    };
    let data = s(set.get("map"));
    if map {
        writeln!(out, "\tmap {} {{", s(set.get("name")))?;
        writeln!(out, "\t\ttype {ty} : {data}")?;
    } else if let Some(t) = set.get("typeof").and_then(Value::as_str) {
        writeln!(out, "\tset {} {{", s(set.get("name")))?;
        writeln!(out, "\t\ttypeof {t}")?;
    } else {
        writeln!(out, "\tset {} {{", s(set.get("name")))?;
        writeln!(out, "\t\ttype {ty}")?;
    }
    if let Some(flags) = set.get("flags").and_then(Value::as_array) {
        let f: Vec<&str> = flags.iter().filter_map(Value::as_str).collect();
        writeln!(out, "\t\tflags {}", f.join(","))?;
    }
    if let Some(elems) = set.get("elem").and_then(Value::as_array) {
        // As nft: five numbers or two IPv4 addresses a line, else one.
        // (A concatenation, like any other type, one a line.)
        let per_line = match ty {
            "inet_service" | "inet_proto" | "mark" => 5,
            "ipv4_addr" => 2,
            _ => 1,
        };
        out.push_str("\t\telements = { ");
        for (i, e) in elems.iter().enumerate() {
            if i > 0 {
                out.push_str(if i % per_line == 0 {
                    ",\n\t\t\t     "
                } else {
                    ", "
                });
            }
            if let (true, Some(Value::Array(types))) = (map, set.get("type")) {
                // `a . b : data`, each key field as its type prints.
                let (Some(k), Some(d)) = (e.get(0), e.get(1)) else {
                    bail!("a map element without key and data: {e}");
                };
                let key = concat_value(k, types)?;
                write!(out, "{key} : {}", self::data(d, data == "mark")?)?;
            } else if map {
                out.push_str(&map_elem(e, ty == "mark", data == "mark")?);
            } else if let Some(Value::Array(types)) = set.get("type") {
                out.push_str(&concat_value(e, types)?);
            } else {
                out.push_str(&value(e, ty == "mark")?);
            }
        }
        out.push_str(" }\n");
    }
    writeln!(out, "\t}}")?;
    Ok(())
}

/// A concatenation's element `{"concat": [...]}` as `a . b`, each
/// field as its type prints (marks in hex).
fn concat_value(e: &Value, types: &[Value]) -> Result<String> {
    let Some(Value::Array(parts)) = e.get("concat") else {
        bail!("an element of a concatenation that is not one: {e}");
    };
    let texts: Result<Vec<String>> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| value(p, types.get(i).and_then(Value::as_str) == Some("mark")))
        .collect();
    Ok(texts?.join(" . "))
}

/// A map element `[key, data]` as `key : data` (data a value or a
/// verdict).
fn map_elem(e: &Value, hex_key: bool, hex_data: bool) -> Result<String> {
    let (Some(k), Some(d)) = (e.get(0), e.get(1)) else {
        bail!("a map element without key and data: {e}");
    };
    Ok(format!("{} : {}", value(k, hex_key)?, data(d, hex_data)?))
}

/// A map's data: a verdict (`accept`, `jump c`) or a value.
fn data(d: &Value, hex: bool) -> Result<String> {
    if let Some((kind, body)) = d.as_object().and_then(|m| m.iter().next()) {
        return Ok(match kind.as_str() {
            "accept" | "drop" | "return" | "continue" => kind.clone(),
            "jump" | "goto" => format!("{kind} {}", s(body.get("target"))),
            _ => value(d, hex)?,
        });
    }
    value(d, hex)
}

/// A right-hand value: a number (a mark in hex), a name, an address, a
/// prefix, a range, a set.
fn value(v: &Value, hex: bool) -> Result<String> {
    Ok(match v {
        Value::Number(n) if hex => format!("0x{:08x}", n.as_u64().unwrap_or(0)),
        Value::Number(n) => n.to_string(),
        Value::String(t) => t.clone(),
        Value::Array(list) => {
            let parts: Result<Vec<String>> = list.iter().map(|x| value(x, hex)).collect();
            parts?.join(",")
        }
        Value::Object(m) => {
            if let Some(p) = m.get("prefix") {
                format!(
                    "{}/{}",
                    s(p.get("addr")),
                    p.get("len").map_or(0, |l| l.as_u64().unwrap_or(0))
                )
            } else if let Some(Value::Array(r)) = m.get("range") {
                let (Some(a), Some(b)) = (r.first(), r.get(1)) else {
                    bail!("a range without two ends");
                };
                format!("{}-{}", value(a, hex)?, value(b, hex)?)
            } else if let Some(Value::Array(parts)) = m.get("concat") {
                let parts: Result<Vec<String>> = parts.iter().map(|x| value(x, hex)).collect();
                parts?.join(" . ")
            } else if let Some(Value::Array(set)) = m.get("set") {
                let parts: Result<Vec<String>> = set.iter().map(|x| value(x, hex)).collect();
                format!("{{ {} }}", parts?.join(", "))
            } else {
                bail!("cannot print {v} as text");
            }
        }
        other => bail!("cannot print {other} as text"),
    })
}

/// A match's left side: its text, whether its values are marks (hex)
/// and whether they are interface names (quoted).
fn left_text(left: &Value) -> Result<(String, bool, bool)> {
    Ok(if let Some(Value::Array(parts)) = left.get("concat") {
        let texts: Result<Vec<String>> = parts.iter().map(|p| Ok(left_text(p)?.0)).collect();
        (texts?.join(" . "), false, false)
    } else if let Some(p) = left.get("payload") {
        (
            format!("{} {}", s(p.get("protocol")), s(p.get("field"))),
            false,
            false,
        )
    } else if let Some(m) = left.get("meta") {
        match s(m.get("key")) {
            k @ ("iifname" | "oifname") => (k.to_string(), false, true),
            k => (format!("meta {k}"), k == "mark", false),
        }
    } else if let Some(c) = left.get("ct") {
        let k = s(c.get("key"));
        (format!("ct {k}"), k == "mark", false)
    } else {
        bail!("cannot print {left} as text");
    })
}

/// One rule's text.
fn rule(r: &Value) -> Result<String> {
    let mut parts: Vec<String> = Vec::new();
    let empty = Vec::new();
    for st in r.get("expr").and_then(Value::as_array).unwrap_or(&empty) {
        let Some((kind, body)) = st.as_object().and_then(|m| m.iter().next()) else {
            bail!("an empty statement");
        };
        parts.push(match kind.as_str() {
            "vmap" => {
                let key = body.get("key").unwrap_or(&Value::Null);
                let (l, hex, _) = left_text(key)?;
                let rv = match body.get("data").unwrap_or(&Value::Null) {
                    Value::Object(m) => {
                        let Some(Value::Array(elems)) = m.get("set") else {
                            bail!("cannot print the verdict map {m:?} as text");
                        };
                        let parts: Result<Vec<String>> =
                            elems.iter().map(|e| map_elem(e, hex, false)).collect();
                        format!("{{ {} }}", parts?.join(", "))
                    }
                    d => value(d, hex)?,
                };
                format!("{l} vmap {rv}")
            }
            "match" => {
                let left = body.get("left").unwrap_or(&Value::Null);
                let (l, hex, quoted) = left_text(left)?;
                let op = match s(body.get("op")) {
                    "==" | "in" => String::new(),
                    op => format!("{op} "),
                };
                let right = body.get("right").unwrap_or(&Value::Null);
                let rv = match right {
                    Value::String(t) if quoted => format!("\"{t}\""),
                    r => value(r, hex)?,
                };
                format!("{l} {op}{rv}")
            }
            // A named object applied: `counter name "c"`.
            "counter" | "quota" | "limit" if body.is_string() => {
                format!("{kind} name \"{}\"", body.as_str().unwrap_or_default())
            }
            "ct helper" | "ct timeout" => {
                format!("{kind} set \"{}\"", body.as_str().unwrap_or_default())
            }
            "counter" => format!(
                "counter packets {} bytes {}",
                body.get("packets").unwrap_or(&Value::Null),
                body.get("bytes").unwrap_or(&Value::Null)
            ),
            "accept" | "drop" | "return" | "continue" => kind.clone(),
            "jump" | "goto" => format!("{kind} {}", s(body.get("target"))),
            "limit" => {
                let inv = if body.get("inv").is_some() {
                    "over "
                } else {
                    ""
                };
                let mut t = format!(
                    "limit rate {inv}{}/{}",
                    body.get("rate").unwrap_or(&Value::Null),
                    s(body.get("per"))
                );
                let burst = body.get("burst").and_then(Value::as_u64).unwrap_or(0);
                if burst != 5 && burst != 0 {
                    write!(t, " burst {burst} packets")?;
                }
                t
            }
            "log" => {
                let mut t = String::from("log");
                if let Some(p) = body.get("prefix").and_then(Value::as_str) {
                    write!(t, " prefix \"{p}\"")?;
                }
                if let Some(g) = body.get("group") {
                    write!(t, " group {g}")?;
                }
                if let Some(l) = body.get("level").and_then(Value::as_str) {
                    write!(t, " level {l}")?;
                }
                t
            }
            // The family's own default is plain `reject`.
            "reject" => match (s(r.get("family")), s(body.get("type")), s(body.get("expr"))) {
                (_, "tcp reset", _) => "reject with tcp reset".to_string(),
                ("ip", "icmp", "port-unreachable")
                | ("ip6", "icmpv6", "port-unreachable")
                | ("inet", "icmpx", "port-unreachable") => "reject".to_string(),
                (_, ty, code) => format!("reject with {ty} {code}"),
            },
            "masquerade" => kind.clone(),
            "flow" => format!("flow {} {}", s(body.get("op")), s(body.get("flowtable"))),
            // `dnat to 192.0.2.1:80`, `dnat to [2001:db8::1]:80`.
            "snat" | "dnat" => {
                let addr = s(body.get("addr"));
                match body.get("port") {
                    Some(p) if addr.contains(':') => format!("{kind} to [{addr}]:{p}"),
                    Some(p) => format!("{kind} to {addr}:{p}"),
                    None => format!("{kind} to {addr}"),
                }
            }
            other => bail!("cannot print the statement \"{other}\" as text"),
        });
    }
    if let Some(c) = r.get("comment").and_then(Value::as_str) {
        parts.push(format!("comment \"{c}\""));
    }
    Ok(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowtables_print_as_nft_1_0_6() {
        use netlink::nl_netfilter::nft::{Family, Flowtable};
        let mut f = Flowtable::new(Family::Ip, "t", "f", 5, &["veth1", "veth0"]);
        f.handle = Some(3);
        f.flags = Some(2);
        let v = super::super::json::flowtable(&f).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"flowtable": {"family": "ip", "name": "f", "table": "t",
                "handle": 3, "hook": "ingress", "prio": 5, "dev": ["veth0", "veth1"],
                "flags": ["counter"]}})
        );
        let table = serde_json::json!({"table": {"family": "ip", "name": "t", "handle": 1}});
        let text = text(&[table.clone(), v.clone()], false).unwrap();
        assert_eq!(
            text,
            "table ip t {\n\tflowtable f {\n\t\thook ingress priority filter + 5\n\t\tdevices = { veth0, veth1 }\n\t\tcounter\n\t}\n}\n"
        );
        let one = super::super::json::flowtable(&Flowtable::new(Family::Ip, "t", "g", 0, &["lo"]))
            .unwrap();
        assert_eq!(one["flowtable"]["dev"], "lo");
        let list = flowtables(&[table, v, one]).unwrap();
        assert!(list.contains("\t}\n\tflowtable g {\n\t\thook ingress priority filter\n\t\tdevices = { lo }\n\t}\n}\n"), "{list}");
    }

    #[test]
    fn flow_offload_prints_as_nft() {
        use netlink::nl_netfilter::nft::{Expr, Family, FlowOffload, Rule, Ruleset};
        let r = Rule::new(Family::Ip, "t", "c").with([Expr::FlowOffload(FlowOffload {
            table_name: Some("f".into()),
        })]);
        let v = super::super::json::rule(&Ruleset::default(), &r).unwrap();
        assert_eq!(
            v["rule"]["expr"],
            serde_json::json!([{"flow": {"op": "add", "flowtable": "@f"}}])
        );
        assert_eq!(rule(&v["rule"]).unwrap(), "flow add @f");
    }

    #[test]
    fn priorities_by_name() {
        assert_eq!(priority("inet", "input", 0), "filter");
        assert_eq!(priority("ip6", "output", -5), "filter - 5");
        assert_eq!(priority("ip", "input", 60), "security + 10");
        assert_eq!(priority("ip", "input", 12), "12");
        assert_eq!(priority("ip", "prerouting", -100), "dstnat");
        assert_eq!(priority("ip", "postrouting", 100), "srcnat");
        assert_eq!(priority("ip", "input", -310), "raw - 10");
    }
}
