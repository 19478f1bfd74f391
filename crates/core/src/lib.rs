//! The Ferrodesk domain: types and rules with no I/O.
//!
//! Everything here is parsed at the edge (API, CLI, channel adapters) and then trusted
//! by the store and the web layer.

pub mod agent;
pub mod calendar;
pub mod email;
pub mod kb;
pub mod permissions;
pub mod routing;
pub mod rules;
pub mod sla;
pub mod text;
pub mod ticket;

pub use agent::{Role, Tier};
pub use email::EmailAddress;
pub use permissions::{TicketScope, Viewer};
pub use ticket::{
    AuthorKind, Channel, Priority, Status, TransitionError, Visibility, status_after_agent_reply,
    status_after_customer_reply,
};

/// A value that did not parse, with a message that says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    pub field: &'static str,
    pub message: String,
}

impl ParseError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// Implements `as_str`, `FromStr`, `Display`, serde and `ALL` for a fieldless enum whose
/// wire names are given explicitly, so the database, the API and the CLI share one spelling.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                names.join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::ParseError::new(
                        $field,
                        format!("unknown value {other:?}; expected one of: {}", Self::expected()),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(|e: $crate::ParseError| serde::de::Error::custom(e.message))
            }
        }
    };
}
pub(crate) use wire_enum;
