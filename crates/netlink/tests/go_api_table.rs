//! The README's "Coming from the Go library" tables must name calls that
//! exist: every `h.method` and `Handle::method` in a row's second or third
//! column has to be a `fn method` somewhere under `crates/netlink/src`, so
//! renaming or removing a call without updating the table fails here. The
//! text is read as written (no feature is needed), and every row must map
//! its Go functions to a call or say why there is none.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const HEADING: &str = "## Coming from the Go library";

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The README text from the section's heading to the next `## ` heading.
fn section(readme: &str) -> Option<&str> {
    let start = readme.find(HEADING)?;
    let rest = &readme[start + HEADING.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The table rows of `text` as cells, header and separator rows left out.
fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|') && l.ends_with('|') && l.len() > 1)
        .map(|l| {
            l[1..l.len() - 1]
                .split('|')
                .map(str::trim)
                .collect::<Vec<_>>()
        })
        .filter(|cells| cells.first() != Some(&"Go") && !cells.iter().all(|c| c.starts_with("---")))
        .collect()
}

/// The method names a cell calls as `h.NAME` or `Handle::NAME` (a prefix
/// that is the end of a longer word, as in `ch.recv`, does not count).
fn called(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    for prefix in ["h.", "Handle::"] {
        let mut from = 0;
        while let Some(pos) = cell[from..].find(prefix) {
            let at = from + pos;
            from = at + prefix.len();
            if cell[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let name: String = cell[from..].chars().take_while(|c| is_ident(*c)).collect();
            if name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
                out.push(name);
            }
        }
    }
    out
}

/// Every `fn NAME` in the Rust files under `dir`.
fn defined(dir: &Path, out: &mut BTreeSet<String>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            defined(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("source file");
            let mut from = 0;
            while let Some(pos) = text[from..].find("fn ") {
                let at = from + pos;
                from = at + 3;
                if text[..at].chars().next_back().is_some_and(is_ident) {
                    continue;
                }
                let name: String = text[from..].chars().take_while(|c| is_ident(*c)).collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    let path = crate_dir().join("../../README.md");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_scanner_finds_calls_and_definitions() {
    let cell = "`h.link_set_up(l)`, `ch.recv()`, `Handle::in_netns(p)?.subscribe(&s)`, `h.Link`";
    assert_eq!(called(cell), ["link_set_up", "in_netns"]);
    let rows = rows("| Go | this library | notes |\n|---|---|---|\n| `A` | `h.a()` | x |\n");
    assert_eq!(rows, [vec!["`A`", "`h.a()`", "x"]]);
    let mut fns = BTreeSet::new();
    defined(&crate_dir().join("src"), &mut fns);
    assert!(
        fns.contains("link_add") && fns.contains("subscribe"),
        "{fns:?}"
    );
    assert!(!fns.contains("") && !fns.contains("link_ad"));
}

#[test]
fn every_call_the_go_table_names_exists() {
    let readme = readme();
    let text = section(&readme).expect("README has the section \"Coming from the Go library\"");
    let mut fns = BTreeSet::new();
    defined(&crate_dir().join("src"), &mut fns);
    // Missing name -> the Go functions of the rows that use it.
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut checked = BTreeSet::new();
    for row in rows(text) {
        let go = row.first().copied().unwrap_or_default().to_string();
        for cell in row.iter().skip(1) {
            for name in called(cell) {
                if !fns.contains(&name) {
                    missing.entry(name.clone()).or_default().push(go.clone());
                }
                checked.insert(name);
            }
        }
    }
    // The tables map some 270 Go functions: a parse that finds few calls
    // has lost them, not checked them.
    assert!(
        checked.len() > 150,
        "only {} calls found: {checked:?}",
        checked.len()
    );
    assert!(
        missing.is_empty(),
        "the Go table names calls that crates/netlink/src does not define: {missing:#?}"
    );
}

#[test]
fn every_go_function_has_one_row_with_a_call_or_a_reason() {
    let readme = readme();
    let text = section(&readme).expect("README has the section \"Coming from the Go library\"");
    let mut seen = BTreeSet::new();
    let rows = rows(text);
    assert!(rows.len() > 200, "only {} rows", rows.len());
    for row in &rows {
        assert_eq!(row.len(), 3, "a row of three columns: {row:?}");
        let go: Vec<&str> = row[0].split(", ").map(|n| n.trim_matches('`')).collect();
        for name in go {
            assert!(
                name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(is_ident),
                "not a Go function name: {name:?} in {row:?}"
            );
            assert!(seen.insert(name.to_string()), "{name} has two rows");
        }
        assert!(!row[1].is_empty(), "no call and no dash: {row:?}");
        if row[1] == "—" {
            assert!(!row[2].is_empty(), "no equivalent and no reason: {row:?}");
        }
    }
}
