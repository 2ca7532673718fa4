//! One connection to the ledger, on SQLite or on a PostgreSQL server, with
//! the handful of calls the store makes: `execute`, `query_row`, `prepare`
//! and `query_map`, `execute_batch`, transactions and `last_insert_rowid`.
//!
//! The store's SQL is written once, in SQLite's dialect; on PostgreSQL each
//! statement is translated once ([`for_postgres`]) and kept prepared. The
//! translation covers only what the store writes: `?N` parameters,
//! `INSERT OR IGNORE`, `group_concat`, `char()`, the UTC time stamp,
//! `INDEXED BY`, and, for the migrations, the column types, `GLOB` checks
//! and `INTEGER PRIMARY KEY`. Values cross as [`Value`]s, so a figure reads
//! back the same from either engine.
//!
//! On PostgreSQL every transaction first takes one advisory lock: writers
//! go one at a time, as they do on SQLite, so two coordinators importing at
//! once never interleave half-batches; readers are never held up.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// The advisory lock every writing transaction takes on PostgreSQL ("TZHG").
pub const WRITE_LOCK: i64 = 0x545A_4847;

/// A connection to either engine.
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

/// A PostgreSQL connection and its prepared statements.
pub struct Pg {
    client: RefCell<postgres::Client>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// Inside a transaction (BEGIN sent, no COMMIT or ROLLBACK yet).
    in_transaction: std::cell::Cell<bool>,
    /// Cursors opened so far (each gets a name of its own).
    cursors: std::cell::Cell<u64>,
}

/// Rows a cursor brings per round trip: large reads (every figure of a
/// city) stream instead of being held whole.
const CURSOR_ROWS: i64 = 5000;

/// A value going to or coming from either engine.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What went wrong, on either engine.
#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    /// A column held something the caller did not expect.
    Column {
        index: usize,
        detail: String,
    },
    /// `query_row` found no row.
    NoRow,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sqlite(e) => e.fmt(f),
            Error::Postgres(e) => match e.as_db_error() {
                Some(d) => write!(f, "{}: {}", d.severity(), d.message()),
                // "error connecting to server: Connection refused"
                None => match std::error::Error::source(e) {
                    Some(cause) => write!(f, "{e}: {cause}"),
                    None => e.fmt(f),
                },
            },
            Error::Column { index, detail } => write!(f, "column {index}: {detail}"),
            Error::NoRow => f.write_str("no row"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite(e) => Some(e),
            Error::Postgres(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRow,
            e => Error::Sqlite(e),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Postgres(e)
    }
}

impl Error {
    /// SQLite's error code, when SQLite said it.
    pub fn sqlite_error_code(&self) -> Option<rusqlite::ErrorCode> {
        match self {
            Error::Sqlite(e) => e.sqlite_error_code(),
            _ => None,
        }
    }

    /// The SQLite error itself.
    pub fn as_sqlite(&self) -> Option<&rusqlite::Error> {
        match self {
            Error::Sqlite(e) => Some(e),
            _ => None,
        }
    }

    /// PostgreSQL's SQLSTATE, when the server said it.
    pub fn sql_state(&self) -> Option<&postgres::error::SqlState> {
        match self {
            Error::Postgres(e) => e.code(),
            _ => None,
        }
    }

    /// The server's connection broke (or never came up).
    pub fn is_closed(&self) -> bool {
        matches!(self, Error::Postgres(e) if e.is_closed() || e.as_db_error().is_none() && e.code().is_none())
    }
}

/// A column whose text does not parse as what it stands for.
pub fn bad_column(index: usize, detail: impl fmt::Display) -> Error {
    Error::Column {
        index,
        detail: detail.to_string(),
    }
}

/// `query_row`'s "no row" as `None`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------
// Values in

/// A parameter as it is bound: borrowed, so binding copies no text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    pub fn into_value(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Int(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(t.to_string()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

impl Value {
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Int(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// Something that can be a statement's parameter.
pub trait ToValue {
    fn to_value_ref(&self) -> ValueRef<'_>;

    fn to_value(&self) -> Value {
        self.to_value_ref().into_value()
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value_ref(&self) -> ValueRef<'_> {
                ValueRef::Int(*self as i64)
            }
        }
    )*};
}
int_to_value!(i64, i32, i16, i8, u32, u16, u8, usize, u64);

impl ToValue for bool {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Int(*self as i64)
    }
}
impl ToValue for f64 {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}
impl ToValue for f32 {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Real(*self as f64)
    }
}
impl ToValue for str {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}
impl ToValue for String {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}
impl ToValue for [u8] {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl ToValue for Vec<u8> {
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl ToValue for Value {
    fn to_value_ref(&self) -> ValueRef<'_> {
        self.as_ref()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value_ref(&self) -> ValueRef<'_> {
        (**self).to_value_ref()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value_ref(&self) -> ValueRef<'_> {
        self.as_ref().map_or(ValueRef::Null, |v| v.to_value_ref())
    }
}
impl<T: ToValue + ?Sized> ToValue for Box<T> {
    fn to_value_ref(&self) -> ValueRef<'_> {
        (**self).to_value_ref()
    }
}
impl<T: ToValue + ?Sized> ToValue for std::rc::Rc<T> {
    fn to_value_ref(&self) -> ValueRef<'_> {
        (**self).to_value_ref()
    }
}

/// A statement's parameters: `params![a, b]`, `[x]`, `[]`, a slice of
/// `&dyn ToValue`, or values already made. They are bound borrowed.
pub trait Params: Sized {
    /// Calls `f` with the parameters as they are bound.
    fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R;

    /// The parameters, owned.
    fn values(self) -> Vec<Value> {
        self.with_refs(|v| v.iter().map(|r| r.into_value()).collect())
    }
}

impl Params for [&dyn ToValue; 0] {
    fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        f(&[])
    }
}
impl Params for &[&dyn ToValue] {
    fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        let refs: Vec<ValueRef<'_>> = self.iter().map(|v| v.to_value_ref()).collect();
        f(&refs)
    }
}
impl Params for Vec<Value> {
    fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        (&self[..]).with_refs(f)
    }
}
impl Params for &Vec<Value> {
    fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        (&self[..]).with_refs(f)
    }
}
impl Params for &[Value] {
    fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
        let refs: Vec<ValueRef<'_>> = self.iter().map(Value::as_ref).collect();
        f(&refs)
    }
}
macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToValue> Params for [T; $n] {
            fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
                let refs: [ValueRef<'_>; $n] = std::array::from_fn(|i| self[i].to_value_ref());
                f(&refs)
            }
        }
        impl<T: ToValue> Params for &[T; $n] {
            fn with_refs<R>(self, f: impl FnOnce(&[ValueRef<'_>]) -> R) -> R {
                let refs: [ValueRef<'_>; $n] = std::array::from_fn(|i| self[i].to_value_ref());
                f(&refs)
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

/// Parameters of different types: `params![id, name, None::<i64>]`.
#[macro_export]
macro_rules! db_params {
    () => { [] as [&dyn $crate::store::db::ToValue; 0] };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::store::db::ToValue),+] as &[&dyn $crate::store::db::ToValue]
    };
}
pub use crate::db_params as params;

impl rusqlite::ToSql for ValueRef<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as Lite};
        Ok(ToSqlOutput::Borrowed(match *self {
            ValueRef::Null => Lite::Null,
            ValueRef::Int(i) => Lite::Integer(i),
            ValueRef::Real(f) => Lite::Real(f),
            ValueRef::Text(s) => Lite::Text(s.as_bytes()),
            ValueRef::Blob(b) => Lite::Blob(b),
        }))
    }
}

impl postgres::types::ToSql for ValueRef<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        // The server says what each parameter is; a value is written as
        // that type (as SQLite would take it), or refused.
        match (*self, ty) {
            (ValueRef::Null, _) => Ok(postgres::types::IsNull::Yes),
            (ValueRef::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (ValueRef::Int(i), &Type::INT4) => i32::try_from(i)?.to_sql(ty, out),
            (ValueRef::Int(i), &Type::INT2) => i16::try_from(i)?.to_sql(ty, out),
            (ValueRef::Int(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (ValueRef::Int(i), &Type::FLOAT4) => (i as f32).to_sql(ty, out),
            (ValueRef::Int(i), &Type::BOOL) => (i != 0).to_sql(ty, out),
            (ValueRef::Int(i), _) => i.to_string().to_sql(&Type::TEXT, out),
            (ValueRef::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (ValueRef::Real(f), &Type::FLOAT4) => (f as f32).to_sql(ty, out),
            (ValueRef::Real(f), &Type::INT8) if f.fract() == 0.0 => (f as i64).to_sql(ty, out),
            (ValueRef::Real(f), &Type::INT4) if f.fract() == 0.0 => (f as i32).to_sql(ty, out),
            (ValueRef::Real(f), _) if is_text(ty) => f.to_string().to_sql(&Type::TEXT, out),
            (ValueRef::Text(s), _) if is_text(ty) => s.to_sql(&Type::TEXT, out),
            (ValueRef::Text(s), &Type::INT8) => s.trim().parse::<i64>()?.to_sql(ty, out),
            (ValueRef::Text(s), &Type::FLOAT8) => s.trim().parse::<f64>()?.to_sql(ty, out),
            (ValueRef::Blob(b), &Type::BYTEA) => b.to_sql(ty, out),
            (v, ty) => Err(format!("{v:?} cannot be a {ty}").into()),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn is_text(ty: &postgres::types::Type) -> bool {
    use postgres::types::Type;
    [
        Type::TEXT,
        Type::VARCHAR,
        Type::BPCHAR,
        Type::NAME,
        Type::UNKNOWN,
    ]
    .contains(ty)
}

// ---------------------------------------------------------------------------
// Values out

/// Something a column can be read as.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> Result<Self, String>;
}

impl FromValue for Value {
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(v)
    }
}
impl FromValue for i64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            Value::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            v => Err(format!("{v:?} is not an integer")),
        }
    }
}
macro_rules! narrow_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range"))
            }
        }
    )*};
}
narrow_from_value!(i32, u32, usize, u64, i16, u16, u8);

impl FromValue for bool {
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            v => Err(format!("{v:?} is not a number")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            v => Err(format!("{v:?} is not text")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            v => Err(format!("{v:?} is not bytes")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A PostgreSQL `numeric` (what `sum` over integers gives) as a number.
struct Numeric(Value);

impl<'a> postgres::types::FromSql<'a> for Numeric {
    fn from_sql(
        _: &postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        // ndigits, weight, sign, dscale, then base-10000 digits.
        let word = |i: usize| -> Result<u16, String> {
            raw.get(i * 2..i * 2 + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| "a short numeric".to_string())
        };
        let (n, weight, sign, scale) = (word(0)?, word(1)? as i16, word(2)?, word(3)?);
        if sign == 0xC000 {
            return Ok(Numeric(Value::Real(f64::NAN)));
        }
        let mut v = 0f64;
        for k in 0..n as usize {
            let exp = weight as i32 - k as i32;
            v += word(4 + k)? as f64 * 10000f64.powi(exp);
        }
        if sign == 0x4000 {
            v = -v;
        }
        Ok(Numeric(if scale == 0 && v.abs() < 9.0e15 {
            Value::Int(v as i64)
        } else {
            Value::Real(v)
        }))
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        *ty == postgres::types::Type::NUMERIC
    }
}

fn pg_value(row: &postgres::Row, i: usize) -> Result<Value, String> {
    use postgres::types::Type;
    let ty = row
        .columns()
        .get(i)
        .ok_or("no such column")?
        .type_()
        .clone();
    let e = |e: postgres::Error| e.to_string();
    Ok(match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(e)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(e)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(e)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(e)?
            .map(|v| Value::Int(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .map_err(e)?
            .map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map_err(e)?
            .map(|v| Value::Real(v.into())),
        Type::NUMERIC => row
            .try_get::<_, Option<Numeric>>(i)
            .map_err(e)?
            .map(|n| n.0),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .map_err(e)?
            .map(Value::Blob),
        _ => row
            .try_get::<_, Option<String>>(i)
            .map_err(e)?
            .map(Value::Text),
    }
    .unwrap_or(Value::Null))
}

/// A column's position (as rusqlite's `RowIndex`, so `r.get(0)` infers).
pub trait RowIndex {
    fn index(&self) -> usize;
}
impl RowIndex for usize {
    fn index(&self) -> usize {
        *self
    }
}

/// One row of a result, from either engine.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `i` as a `T`.
    pub fn get<I: RowIndex, T: FromValue>(&self, i: I) -> Result<T> {
        let i = i.index();
        let v = self.value(i)?;
        T::from_value(v).map_err(|detail| Error::Column { index: i, detail })
    }

    /// Column `i` as text, without copying it.
    pub fn get_str(&self, i: usize) -> Result<&str> {
        match self {
            Row::Sqlite(r) => Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?),
            Row::Postgres(r) => r.try_get::<_, &str>(i).map_err(Error::from),
        }
    }

    /// Column `i` as it is.
    pub fn value(&self, i: usize) -> Result<Value> {
        match self {
            Row::Sqlite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                })
            }
            Row::Postgres(r) => pg_value(r, i).map_err(|detail| Error::Column { index: i, detail }),
        }
    }
}

// ---------------------------------------------------------------------------
// The connection

impl Db {
    /// A PostgreSQL connection (from `postgres::Config`).
    pub fn postgres(client: postgres::Client) -> Db {
        Db::Postgres(Box::new(Pg {
            client: RefCell::new(client),
            prepared: RefCell::new(HashMap::new()),
            in_transaction: std::cell::Cell::new(false),
            cursors: std::cell::Cell::new(0),
        }))
    }

    /// The SQLite connection, when this is one.
    pub fn lite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(c) => Some(c),
            Db::Postgres(_) => None,
        }
    }

    /// Whether this is a PostgreSQL server.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                params.with_refs(|v| Ok(st.execute(rusqlite::params_from_iter(v.iter()))?))
            }
            Db::Postgres(pg) => params.with_refs(|v| pg.execute(sql, v)),
        }
    }

    /// The first row of a query, through `f`; [`Error::NoRow`] when none.
    pub fn query_row<P: Params, T, F: FnOnce(&Row) -> Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> Result<T> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let mut rows =
                    params.with_refs(|v| st.query(rusqlite::params_from_iter(v.iter())))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)),
                    None => Err(Error::NoRow),
                }
            }
            Db::Postgres(pg) => {
                let rows = params.with_refs(|v| pg.query(sql, v))?;
                match rows.first() {
                    Some(r) => f(&Row::Postgres(r)),
                    None => Err(Error::NoRow),
                }
            }
        }
    }

    /// A statement to run with parameters (kept prepared on both engines).
    pub fn prepare<'a>(&'a self, sql: &str) -> Result<Stmt<'a>> {
        Ok(match self {
            Db::Sqlite(c) => Stmt::Sqlite(c.prepare_cached(sql)?),
            Db::Postgres(pg) => Stmt::Postgres {
                pg,
                sql: sql.to_string(),
            },
        })
    }

    /// The same as [`Db::prepare`] (SQLite's statement cache either way).
    pub fn prepare_cached<'a>(&'a self, sql: &str) -> Result<Stmt<'a>> {
        self.prepare(sql)
    }

    /// Several statements with no parameters. On PostgreSQL, `PRAGMA`s are
    /// left out and `BEGIN IMMEDIATE` takes the write lock.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(pg) => {
                let mut out = String::new();
                for st in statements(sql) {
                    let head = strip_comments(st).trim_start().to_ascii_uppercase();
                    if head.starts_with("BEGIN") {
                        pg.in_transaction.set(true);
                    } else if head.starts_with("COMMIT") || head.starts_with("ROLLBACK") {
                        pg.in_transaction.set(false);
                    }
                    if head.starts_with("PRAGMA") {
                        continue;
                    }
                    if head.starts_with("BEGIN IMMEDIATE") {
                        out.push_str(&format!(
                            "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK});\n"
                        ));
                        continue;
                    }
                    out.push_str(&for_postgres(st));
                    out.push_str(";\n");
                }
                if out.trim().is_empty() {
                    return Ok(());
                }
                Ok(pg.client.borrow_mut().batch_execute(&out)?)
            }
        }
    }

    /// The id of the row the last INSERT made (PostgreSQL: `lastval()`).
    pub fn last_insert_rowid(&self) -> i64 {
        match self {
            Db::Sqlite(c) => c.last_insert_rowid(),
            Db::Postgres(pg) => pg
                .query("SELECT lastval()", &[])
                .ok()
                .and_then(|rows| rows.first().and_then(|r| r.try_get::<_, i64>(0).ok()))
                .unwrap_or(0),
        }
    }

    /// Starts a transaction: it rolls back when dropped without
    /// [`Transaction::commit`]. On PostgreSQL it waits for the write lock.
    pub fn transaction(&self) -> Result<Transaction<'_>> {
        match self {
            Db::Sqlite(c) => c.execute_batch("BEGIN DEFERRED")?,
            Db::Postgres(_) => self.execute_batch("BEGIN IMMEDIATE")?,
        }
        Ok(Transaction {
            db: self,
            done: false,
        })
    }
}

impl Pg {
    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(st) = self.prepared.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.borrow_mut().prepare(&for_postgres(sql))?;
        self.prepared
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }

    fn args<'a>(values: &'a [ValueRef<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
        values
            .iter()
            .map(|v| v as &(dyn postgres::types::ToSql + Sync))
            .collect()
    }

    fn execute(&self, sql: &str, values: &[ValueRef<'_>]) -> Result<usize> {
        let st = self.statement(sql)?;
        let n = self.client.borrow_mut().execute(&st, &Self::args(values))?;
        Ok(n as usize)
    }

    fn query(&self, sql: &str, values: &[ValueRef<'_>]) -> Result<Vec<postgres::Row>> {
        let st = self.statement(sql)?;
        Ok(self.client.borrow_mut().query(&st, &Self::args(values))?)
    }
}

/// A prepared statement.
pub enum Stmt<'a> {
    Sqlite(rusqlite::CachedStatement<'a>),
    Postgres { pg: &'a Pg, sql: String },
}

impl Stmt<'_> {
    /// Runs it; the number of rows changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self {
            Stmt::Sqlite(st) => {
                params.with_refs(|v| Ok(st.execute(rusqlite::params_from_iter(v.iter()))?))
            }
            Stmt::Postgres { pg, sql } => params.with_refs(|v| pg.execute(sql, v)),
        }
    }

    /// The rows, one at a time (SQLite reads as they are asked for).
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        match self {
            Stmt::Sqlite(st) => {
                Ok(Rows::Sqlite(params.with_refs(|v| {
                    st.query(rusqlite::params_from_iter(v.iter()))
                })?))
            }
            Stmt::Postgres { pg, sql } => {
                let pg: &Pg = pg;
                params.with_refs(|v| {
                    if v.is_empty() {
                        // No parameters: a cursor, read in parts.
                        return Cursor::open(pg, sql).map(Rows::Cursor);
                    }
                    Ok(Rows::Postgres(pg.query(sql, v)?.into_iter(), None))
                })
            }
        }
    }

    /// Every row through `f`, collected.
    pub fn query_map<P: Params, T, F: FnMut(&Row) -> Result<T>>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.each(params, |r| {
            out.push(f(r));
            Ok(())
        })?;
        Ok(out.into_iter())
    }

    /// Every row through `f`, one at a time; stops at `f`'s first error.
    pub fn each<P: Params, F: FnMut(&Row) -> Result<()>>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<()> {
        match self {
            Stmt::Sqlite(st) => {
                let mut rows =
                    params.with_refs(|v| st.query(rusqlite::params_from_iter(v.iter())))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Sqlite(r))?;
                }
                Ok(())
            }
            Stmt::Postgres { pg, sql } => {
                for r in params.with_refs(|v| pg.query(sql, v))? {
                    f(&Row::Postgres(&r))?;
                }
                Ok(())
            }
        }
    }

    /// The first row through `f`.
    pub fn query_row<P: Params, T, F: FnOnce(&Row) -> Result<T>>(
        &mut self,
        params: P,
        f: F,
    ) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.each(params, |r| {
            if let Some(f) = f.take() {
                out = Some(f(r));
            }
            Ok(())
        })?;
        out.unwrap_or(Err(Error::NoRow))
    }

    /// Whether the query gives any row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        let mut any = false;
        self.each(params, |_| {
            any = true;
            Ok(())
        })?;
        Ok(any)
    }
}

/// The rows of [`Stmt::query`].
pub enum Rows<'a> {
    Sqlite(rusqlite::Rows<'a>),
    Postgres(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
    Cursor(Cursor<'a>),
}

/// A server-side cursor over a query's rows, fetched [`CURSOR_ROWS`] at a
/// time; inside a transaction of its own when there is none (read only).
pub struct Cursor<'a> {
    pg: &'a Pg,
    name: String,
    began: bool,
    rows: std::vec::IntoIter<postgres::Row>,
    current: Option<postgres::Row>,
    exhausted: bool,
}

impl<'a> Cursor<'a> {
    fn open(pg: &'a Pg, sql: &str) -> Result<Cursor<'a>> {
        let n = pg.cursors.get() + 1;
        pg.cursors.set(n);
        let name = format!("taizhang_rows_{n}");
        let began = !pg.in_transaction.get();
        let mut client = pg.client.borrow_mut();
        if began {
            client.batch_execute("BEGIN READ ONLY")?;
        }
        let declared = client.batch_execute(&format!(
            "DECLARE {name} NO SCROLL CURSOR FOR {}",
            for_postgres(sql)
        ));
        if let Err(e) = declared {
            if began {
                let _ = client.batch_execute("ROLLBACK");
            }
            return Err(e.into());
        }
        drop(client);
        Ok(Cursor {
            pg,
            name,
            began,
            rows: Vec::new().into_iter(),
            current: None,
            exhausted: false,
        })
    }

    fn next(&mut self) -> Result<Option<&postgres::Row>> {
        if self.rows.len() == 0 && !self.exhausted {
            let part = self
                .pg
                .client
                .borrow_mut()
                .query(&format!("FETCH {CURSOR_ROWS} FROM {}", self.name), &[])?;
            self.exhausted = (part.len() as i64) < CURSOR_ROWS;
            self.rows = part.into_iter();
        }
        self.current = self.rows.next();
        Ok(self.current.as_ref())
    }
}

impl Drop for Cursor<'_> {
    fn drop(&mut self) {
        let mut client = self.pg.client.borrow_mut();
        let end = if self.began {
            format!("CLOSE {}; COMMIT", self.name)
        } else {
            format!("CLOSE {}", self.name)
        };
        if client.batch_execute(&end).is_err() && self.began {
            let _ = client.batch_execute("ROLLBACK");
        }
    }
}

impl Rows<'_> {
    /// The next row, or `None` after the last.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
            Rows::Cursor(c) => Ok(c.next()?.map(Row::Postgres)),
        }
    }
}

/// A transaction; rolled back when dropped uncommitted.
pub struct Transaction<'a> {
    db: &'a Db,
    done: bool,
}

impl Transaction<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        let r = self.db.execute_batch("COMMIT");
        if r.is_err() {
            let _ = self.db.execute_batch("ROLLBACK");
        }
        r
    }

    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.db.execute_batch("ROLLBACK")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }
}

// ---------------------------------------------------------------------------
// SQLite's dialect, for PostgreSQL

/// The statements of a batch, split at `;` outside quotes and comments.
pub fn statements(sql: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = sql.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                out.push(&sql[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&sql[start.min(sql.len())..]);
    out.retain(|s| !strip_comments(s).trim().is_empty());
    out
}

fn strip_comments(s: &str) -> String {
    s.lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One statement (or a migration's statements) of SQLite's dialect in
/// PostgreSQL's, for what the store writes.
pub fn for_postgres(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 32);
    let mut i = 0;
    let mut next_param = 1;
    let mut or_ignore = false;
    while i < b.len() {
        let c = b[i];
        // Quoted text and identifiers, and comments, as they are; a GLOB
        // pattern becomes a regular expression.
        if c == b'\'' || c == b'"' {
            let end = sql[i + 1..]
                .find(c as char)
                .map_or(sql.len(), |k| i + 1 + k);
            out.push_str(&sql[i..(end + 1).min(sql.len())]);
            i = end + 1;
            continue;
        }
        if c == b'-' && b.get(i + 1) == Some(&b'-') {
            let end = sql[i..].find('\n').map_or(sql.len(), |k| i + k);
            i = end;
            continue;
        }
        if c == b'?' {
            let digits = sql[i + 1..]
                .bytes()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if digits > 0 {
                out.push('$');
                out.push_str(&sql[i + 1..i + 1 + digits]);
            } else {
                out.push_str(&format!("${next_param}"));
                next_param += 1;
            }
            i += 1 + digits;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let len = sql[i..]
                .bytes()
                .take_while(|d| d.is_ascii_alphanumeric() || *d == b'_')
                .count();
            let word = &sql[i..i + len];
            let rest = &sql[i + len..];
            let upper = word.to_ascii_uppercase();
            let after_ws = rest.trim_start();
            match upper.as_str() {
                "INSERT" if after_ws.to_ascii_uppercase().starts_with("OR IGNORE") => {
                    out.push_str("INSERT");
                    let skip = rest.len() - after_ws.len() + "OR IGNORE".len();
                    i += len + skip;
                    or_ignore = true;
                    continue;
                }
                "GROUP_CONCAT" => out.push_str("string_agg"),
                "CHAR" if rest.starts_with('(') => out.push_str("chr"),
                "INDEXED" if after_ws.to_ascii_uppercase().starts_with("BY") => {
                    // INDEXED BY name: the planner chooses on PostgreSQL.
                    let by = &after_ws[2..];
                    let name = by.trim_start();
                    let nlen = name
                        .bytes()
                        .take_while(|d| d.is_ascii_alphanumeric() || *d == b'_')
                        .count();
                    i = sql.len() - name.len() + nlen;
                    continue;
                }
                "STRFTIME" => {
                    // strftime('%Y-%m-%dT%H:%M:%SZ', 'now'): the UTC stamp.
                    if let Some(close) = rest.find(')')
                        && rest[..close].contains("'now'")
                    {
                        out.push_str(
                            "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                        );
                        i += len + close + 1;
                        continue;
                    }
                    out.push_str(word);
                }
                "GLOB" => {
                    // x GLOB '[0-9]…*' → x ~ '^[0-9]….*$'
                    let pat = after_ws;
                    if let Some(body) = pat.strip_prefix('\'')
                        && let Some(end) = body.find('\'')
                    {
                        let glob = &body[..end];
                        let mut re = String::from("^");
                        for ch in glob.chars() {
                            match ch {
                                '*' => re.push_str(".*"),
                                '?' => re.push('.'),
                                '.' | '+' | '(' | ')' | '^' | '$' | '|' | '{' | '}' | '\\' => {
                                    re.push('\\');
                                    re.push(ch);
                                }
                                c => re.push(c),
                            }
                        }
                        re.push('$');
                        out.push_str(&format!("~ '{re}'"));
                        i = sql.len() - body.len() + end + 1;
                        continue;
                    }
                    out.push_str(word);
                }
                "INTEGER" if after_ws.to_ascii_uppercase().starts_with("PRIMARY KEY") => {
                    out.push_str("BIGINT GENERATED BY DEFAULT AS IDENTITY");
                }
                "INTEGER" => out.push_str("BIGINT"),
                "REAL" => out.push_str("DOUBLE PRECISION"),
                "BLOB" => out.push_str("BYTEA"),
                _ => out.push_str(word),
            }
            i += len;
            continue;
        }
        out.push(c as char);
        // Multi-byte characters are copied whole.
        if c >= 0x80 {
            let ch_len = sql[i..].chars().next().map_or(1, char::len_utf8);
            out.pop();
            out.push_str(&sql[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        i += 1;
    }
    if or_ignore {
        let trimmed = out.trim_end().trim_end_matches(';').trim_end().len();
        let upper = out[..trimmed].to_ascii_uppercase();
        match upper.rfind(" RETURNING ") {
            Some(k) => out.insert_str(k, " ON CONFLICT DO NOTHING"),
            None => {
                out.truncate(trimmed);
                out.push_str(" ON CONFLICT DO NOTHING");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_what_the_store_writes() {
        assert_eq!(
            for_postgres("SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = '?3'"),
            "SELECT a FROM t WHERE b = $2 AND c = $1 AND d = '?3'"
        );
        assert_eq!(
            for_postgres("INSERT OR IGNORE INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            for_postgres("SELECT group_concat(name, char(31)) FROM t INDEXED BY t_name WHERE x"),
            "SELECT string_agg(name, chr(31)) FROM t  WHERE x"
        );
        assert_eq!(
            for_postgres("id INTEGER PRIMARY KEY, n INTEGER, v REAL, b BLOB"),
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT, v DOUBLE PRECISION, b BYTEA"
        );
        assert_eq!(
            for_postgres("CHECK (p GLOB '[0-9][0-9]-*')"),
            "CHECK (p ~ '^[0-9][0-9]-.*$')"
        );
        assert_eq!(
            for_postgres("DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), x"),
            "DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')), x"
        );
        // Text outside quotes that is not ASCII passes whole; comments go.
        assert_eq!(
            for_postgres("SELECT '台账' -- 注释\n, 1"),
            "SELECT '台账' \n, 1"
        );
    }

    #[test]
    fn splits_a_batch_outside_quotes() {
        assert_eq!(
            statements("A ';'; -- c; d\nB;  \n"),
            vec!["A ';'", " -- c; d\nB"]
        );
    }

    #[test]
    fn params_of_each_shape() {
        let name = String::from("张店区");
        assert_eq!(
            params![1i64, name, None::<f64>, 2.5].values(),
            vec![
                Value::Int(1),
                Value::Text("张店区".into()),
                Value::Null,
                Value::Real(2.5)
            ]
        );
        assert_eq!([3i64, 4].values(), vec![Value::Int(3), Value::Int(4)]);
        assert!(params![].values().is_empty());
    }

    #[test]
    fn sqlite_round_trip() -> Result<()> {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory()?);
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v REAL, s TEXT, b BLOB)")?;
        let tx = db.transaction()?;
        tx.execute(
            "INSERT INTO t (v, s, b) VALUES (?1, ?2, ?3)",
            params![1.5, "台账", vec![0u8, 1]],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        let (v, s, b): (f64, String, Vec<u8>) =
            db.query_row("SELECT v, s, b FROM t WHERE id = ?1", [id], |r| {
                Ok((r.get(0usize)?, r.get(1usize)?, r.get(2usize)?))
            })?;
        assert_eq!((v, s.as_str(), b), (1.5, "台账", vec![0, 1]));
        // Dropped uncommitted: nothing stays.
        {
            let tx = db.transaction()?;
            tx.execute("DELETE FROM t", [])?;
        }
        let n: i64 = db.query_row("SELECT count(*) FROM t", [], |r| r.get(0usize))?;
        assert_eq!(n, 1);
        assert!(
            db.query_row("SELECT 1 FROM t WHERE id = 99", [], |r| r
                .get::<_, i64>(0usize))
                .optional()?
                .is_none()
        );
        Ok(())
    }
}
