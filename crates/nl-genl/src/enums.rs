//! `kernel_enum!`: a kernel enum with the reference tool's words and an
//! `Other(..)` variant, so values this library does not know never fail a
//! parse (smoltcp's `enum_with_unknown!` idea).

/// Declares a kernel enum: each variant with its value and the word the
/// reference tool prints, plus `Other(repr)`. Generates `From` both ways,
/// `word()` (the tool's word, `None` for `Other`) and `from_word()` (a
/// word, any case, or a number).
macro_rules! kernel_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr => $word:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this library does not know.
            Other($repr),
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                match v {
                    $( x if x == $value => $name::$variant, )*
                    other => $name::Other(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$variant => $value, )*
                    $name::Other(other) => other,
                }
            }
        }

        impl $name {
            /// The reference tool's word for it (`None` for a value this
            /// library does not know).
            pub fn word(self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($word), )*
                    $name::Other(_) => None,
                }
            }

            /// The value named by the reference tool's `word` (any case),
            /// or given as a number.
            pub fn from_word(word: &str) -> Option<Self> {
                $( if word.eq_ignore_ascii_case($word) {
                    return Some($name::$variant);
                } )*
                word.parse::<$repr>().ok().map($name::from)
            }
        }
    };
}

pub(crate) use kernel_enum;
