//! Dates that depart from the weekly hours: holidays (whole day off) and moved working days
//! (a date that works with its own hours, such as a Saturday in the Russian production calendar).

use std::fmt;

use jiff::civil::Date;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::hours::DayHours;

/// A whole day off. Written as `"2025-01-01"` or `{"date": "2025-01-01", "summary": "New Year"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Holiday {
    pub date: Date,
    pub summary: Option<String>,
}

impl Holiday {
    pub fn new(date: Date) -> Self {
        Holiday {
            date,
            summary: None,
        }
    }

    pub fn named(date: Date, summary: impl Into<String>) -> Self {
        Holiday {
            date,
            summary: Some(summary.into()),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFields {
    date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
}

impl Serialize for Holiday {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.summary {
            None => self.date.serialize(s),
            Some(summary) => HolidayFields {
                date: self.date,
                summary: Some(summary.clone()),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Holiday {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct HolidayVisitor;

        impl<'de> Visitor<'de> for HolidayVisitor {
            type Value = Holiday;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a date "YYYY-MM-DD" or {"date": "YYYY-MM-DD", "summary": "…"}"#)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Holiday, E> {
                let date = text
                    .parse::<Date>()
                    .map_err(|e| E::custom(format_args!("holiday {text:?}: {e}")))?;
                Ok(Holiday::new(date))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Holiday, A::Error> {
                let fields =
                    HolidayFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Holiday {
                    date: fields.date,
                    summary: fields.summary,
                })
            }
        }

        d.deserialize_any(HolidayVisitor)
    }
}

/// A date that works with its own hours whatever its weekday: a moved working day (a Saturday
/// worked in exchange for a bridge day) or a shortened day before a holiday.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDay {
    pub date: Date,
    pub hours: DayHours,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl WorkingDay {
    pub fn new(date: Date, hours: DayHours) -> Self {
        WorkingDay {
            date,
            hours,
            summary: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn holidays_are_dates_or_objects() {
        let list: Vec<Holiday> = serde_json::from_str(
            r#"["2025-01-01", {"date": "2025-01-07", "summary": "Christmas"}]"#,
        )
        .unwrap();
        assert_eq!(
            list,
            vec![
                Holiday::new(date(2025, 1, 1)),
                Holiday::named(date(2025, 1, 7), "Christmas")
            ]
        );
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"["2025-01-01",{"date":"2025-01-07","summary":"Christmas"}]"#
        );
        assert!(serde_json::from_str::<Holiday>(r#""2025-02-30""#).is_err());
        assert!(serde_json::from_str::<Holiday>(r#"{"day": "2025-01-01"}"#).is_err());
    }
}
