//! What several test files share: a new database on the test server.

/// With TAIZHANG_TEST_PG set (a PostgreSQL superuser's address,
/// `.ci/pg-start.sh`), a new, empty database on that server named
/// `{tag}{pid}_{n}`, as an address; `None` without a test server.
#[allow(dead_code)]
pub fn server_database(tag: &str) -> Option<String> {
    let admin = std::env::var("TAIZHANG_TEST_PG")
        .ok()
        .filter(|v| !v.is_empty())?;
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "{tag}{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(format!("{}/{name}", admin.rsplit_once('/').unwrap().0))
}
