//! A small builder for SQL with `$n` placeholders, which both SQLite and PostgreSQL accept.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

pub(crate) struct Sql {
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
