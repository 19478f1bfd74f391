//! Email addresses as customers' and agents' identities.

use crate::ParseError;

/// A syntactically plausible email address, normalised to lower case so that one person has
/// one identity however they capitalise it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

/// RFC 5321 caps a path at 254 characters.
pub const MAX_EMAIL_LEN: usize = 254;

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let trimmed = input.trim();
        let fail = |why: &str| {
            Err(ParseError::new(
                "email",
                format!("{trimmed:?} is not a valid email address: {why}"),
            ))
        };
        if trimmed.is_empty() {
            return fail("it is empty");
        }
        if trimmed.len() > MAX_EMAIL_LEN {
            return fail("it is longer than 254 characters");
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return fail("it has no @");
        };
        if local.is_empty() || local.len() > 64 {
            return fail("the part before @ must be 1 to 64 characters");
        }
        if domain.is_empty()
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return fail("the domain must look like example.com");
        }
        if trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        {
            return fail("it contains spaces, angle brackets or control characters");
        }
        if domain.contains("..") || domain.contains('@') {
            return fail("the domain is malformed");
        }
        Ok(EmailAddress(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }

    /// The part before @, a fallback display name.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map(|(l, _)| l).unwrap_or_default()
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for EmailAddress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        EmailAddress::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl utoipa::PartialSchema for EmailAddress {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(SchemaFormat::Custom("email".into())))
            .into()
    }
}

impl utoipa::ToSchema for EmailAddress {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let e = EmailAddress::parse("  Ivan.Petrov@Example.RU ").unwrap();
        assert_eq!(e.as_str(), "ivan.petrov@example.ru");
        assert_eq!(e.domain(), "example.ru");
        assert_eq!(e.local_part(), "ivan.petrov");
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@example",
            "a b@example.com",
            "a@.com",
            "a@example..com",
        ] {
            let err = EmailAddress::parse(bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let first = EmailAddress::parse(&format!("{local}@{domain}")).unwrap();
            let again = EmailAddress::parse(first.as_str()).unwrap();
            prop_assert_eq!(first, again);
        }
    }
}
