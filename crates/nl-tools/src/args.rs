//! A cursor over command-line words, with iproute2's habits (abbreviated
//! keywords, `dev` optional before a name).

use anyhow::{Context, Result, bail};

pub struct Args {
    words: Vec<String>,
    pos: usize,
}

impl Args {
    pub fn new(words: Vec<String>) -> Self {
        Args { words, pos: 0 }
    }

    pub fn peek(&self) -> Option<&str> {
        self.words.get(self.pos).map(String::as_str)
    }

    pub fn next(&mut self) -> Option<String> {
        let w = self.words.get(self.pos).cloned();
        if w.is_some() {
            self.pos += 1;
        }
        w
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
    }

    /// The value after keyword `key`.
    pub fn value(&mut self, key: &str) -> Result<String> {
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
        match self.value(key)?.as_str() {
            "on" => Ok(true),
            "off" => Ok(false),
            other => bail!("\"{key}\" takes on or off, not \"{other}\""),
        }
    }

    /// The rest of the words.
    pub fn rest(&mut self) -> Vec<String> {
        let rest = self.words.get(self.pos..).unwrap_or_default().to_vec();
        self.pos = self.words.len();
        rest
    }
}

/// Whether `word` is an abbreviation of `full` at least `min` letters long
/// (`ip` accepts `sh` for `show`, `a` for `address` ...).
pub fn matches(word: &str, full: &str, min: usize) -> bool {
    word.len() >= min.min(full.len()) && full.starts_with(word)
}

/// A lifetime: seconds or `forever`.
pub fn lifetime(s: &str) -> Result<u32> {
    if s == "forever" {
        return Ok(u32::MAX);
    }
    s.parse()
        .with_context(|| format!("invalid lifetime \"{s}\""))
}
