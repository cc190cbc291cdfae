//! Statements written by hand for PostgreSQL — where one statement does what
//! the query builder needs two for (a CTE) — that are still prepared once per
//! connection and cached by their text, as the builder's are (diesel never
//! caches `sql_query`).

/// Makes a type whose `QueryFragment<Pg>` writes a whole statement runnable
/// (`execute`, `get_result`), cached by its SQL text.
macro_rules! prepared_statement {
    ($name:ident) => {
        impl diesel::query_builder::QueryId for $name<'_> {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }

        impl<Conn> diesel::RunQueryDsl<Conn> for $name<'_> {}
    };
}

/// Pushes binds separated by commas: `binds!(out; BigInt => &a, Text => b)`.
macro_rules! binds {
    ($out:expr; $ty:ty => $value:expr $(, $tys:ty => $values:expr)* $(,)?) => {{
        $out.push_bind_param::<$ty, _>($value)?;
        $(
            $out.push_sql(", ");
            $out.push_bind_param::<$tys, _>($values)?;
        )*
    }};
}
