//! A cursor over command-line words, with iproute2's habits (abbreviated
//! keywords, `dev` optional before a name). Words are borrowed: a batch
//! file's lines are parsed without copying them.

use anyhow::{Context, Result, bail};

/// The words of a command, read front to back.
#[derive(Debug, Clone, Default)]
pub struct Args<'a> {
    words: Vec<&'a str>,
    pos: usize,
}

impl<'a> Args<'a> {
    /// A cursor at the first of `words`.
    pub fn new(words: impl IntoIterator<Item = &'a str>) -> Self {
        Args {
            words: words.into_iter().collect(),
            pos: 0,
        }
    }

    /// The words of `line`, split at white space.
    pub fn split(line: &'a str) -> Self {
        Args::new(line.split_whitespace())
    }

    /// The next word, without taking it.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).copied()
    }

    /// Takes the next word.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a str> {
        let w = self.peek();
        if w.is_some() {
            self.pos += 1;
        }
        w
    }

    /// Takes the next word if it is `word`.
    pub fn eat(&mut self, word: &str) -> bool {
        let found = self.peek() == Some(word);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Whether every word has been taken.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
    }

    /// The value after keyword `key`.
    pub fn value(&mut self, key: &str) -> Result<&'a str> {
        self.next()
            .with_context(|| format!("\"{key}\" needs a value"))
    }

    /// The value after `key`, parsed.
    pub fn parse<T: std::str::FromStr>(&mut self, key: &str) -> Result<T>
    where
        T::Err: std::fmt::Display,
    {
        let v = self.value(key)?;
        v.parse::<T>()
            .map_err(|e| anyhow::anyhow!("invalid \"{key}\" value \"{v}\": {e}"))
    }

    /// `on` / `off` after `key`.
    pub fn on_off(&mut self, key: &str) -> Result<bool> {
        match self.value(key)? {
            "on" => Ok(true),
            "off" => Ok(false),
            other => bail!("\"{key}\" takes on or off, not \"{other}\""),
        }
    }

    /// The words not taken yet, as a cursor of their own; this one ends.
    pub fn rest(&mut self) -> Args<'a> {
        let rest = self.words.get(self.pos..).unwrap_or_default().to_vec();
        self.pos = self.words.len();
        Args::new(rest)
    }

    /// Fails naming the first word not taken, if any: whatever a tool does
    /// not implement is an error, never silently ignored.
    pub fn done(&mut self) -> Result<()> {
        match self.next() {
            Some(w) => Err(garbage(w)),
            None => Ok(()),
        }
    }
}

/// How the tools print: the global options every command sees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Opts {
    /// `-j`: JSON.
    pub json: bool,
    /// `-p`: indented JSON.
    pub pretty: bool,
    /// `-d`: details.
    pub details: bool,
    /// `-s`: statistics.
    pub stats: bool,
    /// How many times `-s` was given (`-s -s`: error counters too).
    pub stats_level: u8,
    /// `-br`: one short line per object.
    pub brief: bool,
    /// `-o`: each object on one line, its line breaks written `\`.
    pub oneline: bool,
    /// `-4` / `-6`: `AF_INET` / `AF_INET6`, 0 for both.
    pub family: u8,
}

/// The global options of the tools (`ip -j -d ...`), as far as each takes
/// them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Globals<'a> {
    /// `-j`: JSON.
    pub json: bool,
    /// `-p`: indented JSON.
    pub pretty: bool,
    /// `-d`: details.
    pub details: bool,
    /// `-s`: statistics, once per `-s`.
    pub stats: u8,
    /// `-br` (`ip` only): brief output.
    pub brief: bool,
    /// `-o` (`ip` only): one line per object.
    pub oneline: bool,
    /// `-4` / `-6` (`ip` only): the address family, 0 for both.
    pub family: u8,
    /// `-n NETNS`: a namespace name under /var/run/netns, or a path.
    pub netns: Option<&'a str>,
    /// `-batch FILE` (`ip` only).
    pub batch: Option<&'a str>,
    /// `-force` (`ip` only): go on after a failing batch line.
    pub force: bool,
    /// `-help`.
    pub help: bool,
}

impl<'a> Globals<'a> {
    /// Reads the options in front of the command in `args`; `tool` names
    /// the tool in errors, and only `ip` takes `-4`, `-6`, `-batch` and
    /// `-force`.
    pub fn read(args: &mut Args<'a>, tool: &str) -> Result<Self> {
        let mut g = Globals::default();
        let ip = tool == "ip";
        while let Some(w) = args.peek().filter(|w| w.starts_with('-')) {
            args.next();
            match w {
                "-j" | "-json" => g.json = true,
                "-p" | "-pretty" => g.pretty = true,
                "-d" | "-details" => g.details = true,
                "-s" | "-stats" | "-statistics" => g.stats = g.stats.saturating_add(1),
                "-br" | "-brief" if ip => g.brief = true,
                "-o" | "-oneline" if ip => g.oneline = true,
                "-n" | "-netns" => g.netns = Some(args.value(w)?),
                "-h" | "-help" => g.help = true,
                "-4" if ip => g.family = netlink::AF_INET,
                "-6" if ip => g.family = netlink::AF_INET6,
                "-b" | "-batch" if ip => g.batch = Some(args.value(w)?),
                "-force" if ip => g.force = true,
                other => bail!("Option \"{other}\" is unknown, try \"{tool} -help\"."),
            }
        }
        Ok(g)
    }

    /// The options commands print with.
    pub fn opts(&self) -> Opts {
        Opts {
            json: self.json,
            pretty: self.pretty,
            details: self.details,
            stats: self.stats > 0,
            stats_level: self.stats,
            brief: self.brief,
            oneline: self.oneline,
            family: self.family,
        }
    }
}

/// `[dev] NAME`, the only words of `ip addr show|flush`, `tc qdisc show`
/// and the like; anything else is an error naming it.
pub fn dev_only<'a>(args: &mut Args<'a>) -> Result<Option<&'a str>> {
    let mut dev = None;
    while let Some(w) = args.next() {
        match w {
            "dev" if dev.is_none() => dev = Some(args.value("dev")?),
            other if dev.is_none() => dev = Some(other),
            other => return Err(garbage(other)),
        }
    }
    Ok(dev)
}

/// The error for a word a command does not understand, in `ip`'s words.
pub fn garbage(word: &str) -> anyhow::Error {
    anyhow::anyhow!("either \"{word}\" is duplicate, or \"{word}\" is a garbage.")
}

/// Whether `word` is an abbreviation of `full` at least `min` letters long
/// (`ip` accepts `sh` for `show`, `a` for `address` ...).
pub fn matches(word: &str, full: &str, min: usize) -> bool {
    word.len() >= min.min(full.len()) && full.starts_with(word)
}

/// Whether `word` asks for a listing: `show`, `list`, `lst` or an
/// abbreviation of them.
pub fn is_list(word: &str) -> bool {
    matches(word, "show", 1) || matches(word, "list", 1) || word == "lst"
}

/// A lifetime: seconds or `forever`.
pub fn lifetime(s: &str) -> Result<u32> {
    if s == "forever" {
        return Ok(u32::MAX);
    }
    s.parse()
        .with_context(|| format!("invalid lifetime \"{s}\""))
}

/// A number as C's `strtoul(s, NULL, 0)` reads it: `0x` hex, else decimal.
pub fn number(s: &str) -> Result<u32> {
    let v = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => s.parse(),
    };
    v.with_context(|| format!("invalid number \"{s}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_taken_in_order_and_leftovers_are_named() {
        let mut a = Args::split("dev eth0  mtu 1400 extra");
        assert_eq!(a.value("x").unwrap(), "dev");
        assert!(a.eat("eth0"));
        assert_eq!(a.parse::<u32>("mtu").ok(), None); // "mtu" is not a number
        assert_eq!(a.parse::<u32>("mtu").unwrap(), 1400);
        let e = a.done().unwrap_err().to_string();
        assert!(e.contains("\"extra\" is a garbage"), "{e}");
        assert!(a.done().is_ok());
        assert!(a.value("x").is_err());
    }

    #[test]
    fn global_options_by_tool() {
        let mut a = Args::split("-j -p -n blue -4 route show");
        let g = Globals::read(&mut a, "ip").unwrap();
        assert!(g.json && g.pretty && g.family == netlink::AF_INET);
        assert_eq!(g.netns, Some("blue"));
        assert_eq!(a.peek(), Some("route"));
        let e = Globals::read(&mut Args::split("-4 qdisc"), "tc").unwrap_err();
        assert!(
            e.to_string()
                .contains("\"-4\" is unknown, try \"tc -help\""),
            "{e}"
        );
        assert_eq!(
            dev_only(&mut Args::split("dev eth0")).unwrap(),
            Some("eth0")
        );
        assert_eq!(dev_only(&mut Args::split("eth0")).unwrap(), Some("eth0"));
        assert!(dev_only(&mut Args::split("eth0 eth1")).is_err());
    }

    #[test]
    fn abbreviations_and_numbers() {
        assert!(matches("sh", "show", 1));
        assert!(!matches("shoe", "show", 1));
        assert!(!matches("n", "nexthop", 2));
        assert_eq!(number("0x10").unwrap(), 16);
        assert_eq!(number("10").unwrap(), 10);
        assert!(number("ten").is_err());
        assert_eq!(lifetime("forever").unwrap(), u32::MAX);
    }
}
