//! A small builder for SQL with `$n` placeholders, which both SQLite and PostgreSQL accept.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

/// How many parameters one multi-row statement should carry at most. SQLite finds each `$n`
/// by walking the list of those before it, so a statement's binding time grows with the square
/// of its parameter count: 1,200 parameters took 20 ms where four statements of 300 take 2.
pub const MAX_BINDS: usize = 350;

/// Rows per multi-row statement for rows of `binds_per_row` parameters.
pub const fn rows_per_statement(binds_per_row: usize) -> usize {
    MAX_BINDS / binds_per_row
}

pub struct Sql {
    pub text: String,
    args: AnyArguments<'static>,
    count: usize,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            args: AnyArguments::default(),
            count: 0,
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'static + Send + Encode<'static, Any> + Type<Any>,
    {
        self.count += 1;
        self.text.push('$');
        self.text.push_str(&self.count.to_string());
        self.args
            .add(value)
            .expect("encoding a bind value for the Any driver");
        self
    }

    /// Appends `($a, $b, …)` bound to `values`.
    pub fn bind_list<T>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self
    where
        T: 'static + Send + Encode<'static, Any> + Type<Any>,
    {
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self.text.push(')');
        self
    }

    /// The text and its arguments, for `sqlx::query_with(&text, args)`.
    pub fn into_parts(self) -> (String, AnyArguments<'static>) {
        (self.text, self.args)
    }
}

/// Checks that `id`, when given, names a row of `table`; otherwise a 422 with `code` saying
/// "`field`: no `noun` has id N".
pub async fn require_row(
    tx: &mut crate::Tx,
    table: &str,
    id: Option<i64>,
    code: &'static str,
    field: &str,
    noun: &str,
) -> Result<(), crate::StoreError> {
    let Some(id) = id else { return Ok(()) };
    let found: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(crate::StoreError::unprocessable(
            code,
            format!("{field}: no {noun} has id {id}"),
        )),
    }
}

/// The tags of many owners (tickets, articles) with one query: owner id → tags, sorted.
pub async fn tags_by_owner<'e, E>(
    exec: E,
    table: &str,
    owner_column: &str,
    owners: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, Vec<String>>, crate::StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let owners: Vec<i64> = owners.into_iter().collect();
    let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    if owners.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new(format!(
        "SELECT {owner_column}, tag FROM {table} WHERE {owner_column} IN "
    ));
    sql.bind_list(owners);
    sql.push(" ORDER BY tag");
    let (text, args) = sql.into_parts();
    let rows: Vec<(i64, String)> = sqlx::query_as_with(&text, args).fetch_all(exec).await?;
    for (id, tag) in rows {
        out.entry(id).or_default().push(tag);
    }
    Ok(out)
}

/// Writes the tags of one owner (ticket, article) in one statement.
pub async fn insert_tags(
    tx: &mut crate::Tx,
    table: &str,
    owner_column: &str,
    owner: i64,
    tags: &[String],
) -> Result<(), crate::StoreError> {
    if tags.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(format!("INSERT INTO {table} ({owner_column}, tag) VALUES "));
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(owner)
            .push(", ")
            .bind(tag.clone())
            .push(")");
    }
    let (text, args) = sql.into_parts();
    sqlx::query_with(&text, args).execute(&mut **tx).await?;
    Ok(())
}
