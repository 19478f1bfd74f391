use jiff::Timestamp;

/// Stored times are microseconds since the Unix epoch, UTC.
pub fn to_micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn from_micros(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Now, truncated to the stored precision so that what is returned equals what is read back.
pub fn now() -> Timestamp {
    from_micros(Timestamp::now().as_microsecond())
}
