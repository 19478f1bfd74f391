//! Agents and teams: roles and support tiers (lines 1–3).

use crate::{ParseError, wire_enum};

wire_enum!(
    /// What an agent may do. Admins manage the instance; supervisors see every ticket.
    Role, "role" {
        Admin => "admin",
        Supervisor => "supervisor",
        Agent => "agent",
    }
);

/// The support line a team works on: 1 (first contact), 2, 3 (specialists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Tier(u8);

impl Tier {
    pub const FIRST: Tier = Tier(1);
    pub const SECOND: Tier = Tier(2);
    pub const THIRD: Tier = Tier(3);

    pub fn new(value: i64) -> Result<Self, ParseError> {
        match value {
            1..=3 => Ok(Tier(value as u8)),
            _ => Err(ParseError::new(
                "tier",
                format!("tier must be 1, 2 or 3 (the support line); got {value}"),
            )),
        }
    }

    pub fn get(self) -> i64 {
        i64::from(self.0)
    }

    /// The line a ticket escalates to from this one, if any.
    pub fn next(self) -> Option<Tier> {
        (self.0 < 3).then(|| Tier(self.0 + 1))
    }
}

impl<'de> serde::Deserialize<'de> for Tier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        Tier::new(v).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl Role {
    /// Supervisors and admins see every ticket; agents see their teams' tickets.
    pub fn sees_all_tickets(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Only admins create, change or remove agents and teams.
    pub fn manages_instance(self) -> bool {
        self == Role::Admin
    }
}

impl utoipa::PartialSchema for Tier {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .minimum(Some(1))
            .maximum(Some(3))
            .description(Some("support line: 1, 2 or 3"))
            .into()
    }
}

impl utoipa::ToSchema for Tier {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_lines_one_to_three() {
        assert!(Tier::new(0).is_err());
        assert!(Tier::new(4).is_err());
        assert_eq!(Tier::new(2).unwrap().get(), 2);
        assert_eq!(Tier::FIRST.next(), Some(Tier::SECOND));
        assert_eq!(Tier::THIRD.next(), None);
    }

    #[test]
    fn tier_deserialises_with_a_clear_error() {
        let err = serde_json::from_str::<Tier>("7").unwrap_err().to_string();
        assert!(err.contains("tier must be 1, 2 or 3"), "{err}");
    }
}
