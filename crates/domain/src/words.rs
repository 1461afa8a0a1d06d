//! The enums of fixed words a user sees as codes (stored, sent as JSON, translated by the screens).

/// An enum of fixed words: `as_str`, `ALL` in declaration order, `FromStr` that names every word when refusing one,
/// serde with the same words, and a TypeScript string union of them in the UI's bindings.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS,
        )]
        #[ts(export)]
        pub enum $name { $(#[serde(rename = $word)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s.trim()).ok_or_else(|| {
                    let all: Vec<_> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("'{}' is not one of {}", s, all.join(", "))
                })
            }
        }
    };
}
pub(crate) use word_enum;
