//! A depth-first walk over an attribute tree, without recursion or
//! allocation, to a fixed maximum depth.

use crate::attr::{Attr, Attrs};
use crate::error::{Error, Result};

/// Deepest nesting a [`Walk`] follows. The kernel itself validates at most
/// 10 levels (`MAX_POLICY_RECURSION_DEPTH`).
pub const MAX_DEPTH: usize = 32;

/// Pre-order walk: yields `(depth, attr)` for every attribute, descending
/// into those the `descend` predicate picks. Ends after the first error;
/// nesting past [`MAX_DEPTH`] is [`Error::TooDeep`].
///
/// ```
/// use nl_wire::{Attrs, Walk};
/// // nest 1 (flagged) { 2: u8 }
/// let bytes = [12, 0, 1, 0x80, 5, 0, 2, 0, 7, 0, 0, 0];
/// let types: Vec<(usize, u16)> = Walk::new(Attrs::new(&bytes))
///     .map(|r| r.map(|(d, a)| (d, a.ty())))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(types, [(0, 1), (1, 2)]);
/// # Ok::<(), nl_wire::Error>(())
/// ```
pub struct Walk<'a, F = fn(&Attr<'a>, usize) -> bool> {
    stack: [Attrs<'a>; MAX_DEPTH],
    depth: usize,
    descend: F,
    done: bool,
}

impl<'a> Walk<'a> {
    /// Walks `attrs`, descending into attributes flagged `NLA_F_NESTED`.
    pub fn new(attrs: Attrs<'a>) -> Self {
        Walk::with(attrs, |a: &Attr<'a>, _| a.is_nested())
    }
}

impl<'a, F: FnMut(&Attr<'a>, usize) -> bool> Walk<'a, F> {
    /// Walks `attrs`, descending where `descend(attr, depth)` says so.
    pub fn with(attrs: Attrs<'a>, descend: F) -> Self {
        let mut stack: [Attrs<'a>; MAX_DEPTH] = core::array::from_fn(|_| Attrs::empty());
        stack[0] = attrs;
        Walk {
            stack,
            depth: 0,
            descend,
            done: false,
        }
    }
}

/// Whether an attribute's payload parses as a non-empty attribute stream:
/// a guess for nests sent without `NLA_F_NESTED`.
pub fn looks_nested(attr: &Attr<'_>) -> bool {
    attr.payload().len() >= 4 && attr.nested().validate().is_ok()
}

impl<'a, F: FnMut(&Attr<'a>, usize) -> bool> Iterator for Walk<'a, F> {
    type Item = Result<(usize, Attr<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let next = self.stack.get_mut(self.depth)?.next();
            match next {
                None if self.depth == 0 => {
                    self.done = true;
                    return None;
                }
                None => self.depth -= 1,
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(attr)) => {
                    let depth = self.depth;
                    if (self.descend)(&attr, depth) {
                        match self.stack.get_mut(depth + 1) {
                            Some(slot) => {
                                *slot = attr.nested();
                                self.depth += 1;
                            }
                            None => {
                                self.done = true;
                                return Some(Err(Error::TooDeep {
                                    max: MAX_DEPTH,
                                    offset: attr.offset(),
                                }));
                            }
                        }
                    }
                    return Some(Ok((depth, attr)));
                }
            }
        }
    }
}

impl<'a, F: FnMut(&Attr<'a>, usize) -> bool> core::iter::FusedIterator for Walk<'a, F> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// `depth` nests of type 1, flagged, around a u8.
    fn deep(depth: usize) -> Vec<u8> {
        let mut v = vec![5, 0, 2, 0, 7, 0, 0, 0];
        for _ in 0..depth {
            let len = (v.len() + 4) as u16;
            let mut outer = len.to_ne_bytes().to_vec();
            outer.extend_from_slice(&(1u16 | 0x8000).to_ne_bytes());
            outer.extend(v);
            v = outer;
        }
        v
    }

    #[test]
    fn walks_to_the_limit() {
        let bytes = deep(MAX_DEPTH - 1);
        let items: Vec<_> = Walk::new(Attrs::new(&bytes))
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(items.len(), MAX_DEPTH);
        assert_eq!(items.last().unwrap().0, MAX_DEPTH - 1);
        assert_eq!(items.last().unwrap().1.u8().unwrap(), 7);
    }

    #[test]
    fn too_deep_is_an_error() {
        let bytes = deep(MAX_DEPTH + 5);
        let last = Walk::new(Attrs::new(&bytes)).last().unwrap();
        assert!(matches!(last, Err(Error::TooDeep { max: MAX_DEPTH, .. })));
    }

    #[test]
    fn siblings_after_a_nest() {
        // nest 1 { 2 } then 3
        let bytes = [12, 0, 1, 0x80, 5, 0, 2, 0, 7, 0, 0, 0, 4, 0, 3, 0];
        let types: Vec<_> = Walk::new(Attrs::new(&bytes))
            .map(|r| r.map(|(d, a)| (d, a.ty())).unwrap())
            .collect();
        assert_eq!(types, [(0, 1), (1, 2), (0, 3)]);
        // a guessing walker descends without the flag
        let mut plain = bytes;
        plain[3] = 0;
        let n = Walk::with(Attrs::new(&plain), |a, _| looks_nested(a)).count();
        assert_eq!(n, 3);
    }

    #[test]
    fn bad_nested_payload_ends_the_walk() {
        // flagged nest whose payload is a bad attribute
        let bytes = [8, 0, 1, 0x80, 9, 0, 2, 0];
        let r: Vec<_> = Walk::new(Attrs::new(&bytes)).collect();
        assert_eq!(r.len(), 2);
        assert!(r[1].is_err());
    }
}
