//! The page-session store for whichever backend is active. tower-sessions is generic over one
//! store type; this enum delegates to the sqlx store of the active backend, which reads and
//! writes the `sessions` table that our migrations create.

use std::time::Duration;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion};
use tower_sessions_sqlx_store::{MySqlStore, SqliteStore};

use super::{Pool, Store};

const TABLE: &str = "sessions";

#[derive(Clone, Debug)]
pub struct SessionStore {
    inner: Inner,
    /// The store's query timeout: the library's queries are bounded like ours.
    timeout: Duration,
}

#[derive(Clone, Debug)]
enum Inner {
    MySql(MySqlStore),
    Sqlite(SqliteStore),
}

/// Runs `$body` on the active backend's store within the query timeout.
macro_rules! delegate {
    ($self:expr, |$store:ident| $body:expr) => {{
        let call = async {
            match &$self.inner {
                Inner::MySql($store) => $body,
                Inner::Sqlite($store) => $body,
            }
        };
        tokio::time::timeout($self.timeout, call)
            .await
            .unwrap_or_else(|_| {
                Err(session_store::Error::Backend(
                    "the database did not answer in time".into(),
                ))
            })
    }};
}

impl SessionStore {
    /// `schema` is the MariaDB database the app uses: the store qualifies its table with it.
    pub async fn new(store: &Store) -> Result<Self, sqlx::Error> {
        let invalid = |e: String| sqlx::Error::Configuration(e.into());
        let inner = match store.pool() {
            Pool::MySql(pool) => {
                let (schema,): (String,) =
                    sqlx::query_as("SELECT DATABASE()").fetch_one(pool).await?;
                let inner = MySqlStore::new(pool.clone())
                    .with_schema_name(schema)
                    .map_err(invalid)?
                    .with_table_name(TABLE)
                    .map_err(invalid)?;
                Inner::MySql(inner)
            }
            Pool::Sqlite(pool) => {
                let inner = SqliteStore::new(pool.clone())
                    .with_table_name(TABLE)
                    .map_err(invalid)?;
                Inner::Sqlite(inner)
            }
        };
        Ok(SessionStore {
            inner,
            timeout: store.query_timeout(),
        })
    }
}

#[async_trait]
impl session_store::SessionStore for SessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        delegate!(self, |s| s.create(record).await)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        delegate!(self, |s| s.save(record).await)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        delegate!(self, |s| s.load(id).await)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        delegate!(self, |s| s.delete(id).await)
    }
}

#[async_trait]
impl ExpiredDeletion for SessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        delegate!(self, |s| s.delete_expired().await)
    }
}
