//! A throwaway PostgreSQL cluster for tests: one per test binary, started on first use, stopped and removed when
//! the binary exits. `initdb` of the machine's PostgreSQL (on PATH, else the newest /usr/lib/postgresql/*/bin)
//! in a temporary folder, run as the `postgres` user when the tests run as root (initdb refuses root); the
//! server listens on 127.0.0.1 on a free port, its Unix socket in that folder, SCRAM-SHA-256 for every
//! connection, TLS on with a certificate signed by an authority made here (`Cluster::root_cert`).
//!
//! No PostgreSQL on the machine: `cluster()` returns None and the test says SKIPPED; with
//! `ENCAISSE_REQUIRE_POSTGRES=1` (.ci/run) it fails instead.
//!
//! Cleanup: a watchdog shell started with the server waits for the end of its standard input, a pipe this
//! process holds open until it exits (however it exits), then stops the server and removes the folder.

use crate::{as_owner, is_root};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

pub const SUPERUSER: &str = "postgres";
pub const SUPERUSER_PASSWORD: &str = "encaisse-test-superuser";

pub struct Cluster {
    pub port: u16,
    dir: PathBuf,
    /// How long initdb and the start took.
    pub started_in: std::time::Duration,
    _watchdog: Mutex<Child>,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The binary's cluster, started on the first call; None (after printing SKIPPED) when the machine has no
/// PostgreSQL.
pub fn cluster(test: &str) -> Option<&'static Cluster> {
    let cluster = CLUSTER
        .get_or_init(|| {
            let Some(bin) = crate::server_binaries() else {
                if std::env::var_os("ENCAISSE_REQUIRE_POSTGRES").is_some_and(|v| v == "1") {
                    panic!("ENCAISSE_REQUIRE_POSTGRES=1 but no PostgreSQL binaries (initdb, pg_ctl): install the Debian package postgresql");
                }
                return None;
            };
            Some(Cluster::start(&bin).unwrap_or_else(|e| panic!("the test PostgreSQL cluster: {e}")))
        })
        .as_ref();
    if cluster.is_none() {
        eprintln!(
            "SKIPPED {test}: PostgreSQL is not installed (no initdb/pg_ctl; Debian package postgresql)"
        );
    }
    cluster
}

fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl Cluster {
    fn start(bin: &Path) -> Result<Cluster, String> {
        let began = std::time::Instant::now();
        let root = is_root();
        // The folder belongs to the cluster's owner, who alone may read the data directory.
        let dir = PathBuf::from(run(
            as_owner(Path::new("mktemp"), root).args(["-d", "-t", "encaisse-pg-XXXXXX"]),
            "mktemp",
        )?);
        let data = dir.join("data");
        let pwfile = dir.join("pw");
        // Root writes into the owner's folder; the owner reads it (and initdb deletes nothing: we do).
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).map_err(|e| e.to_string())?;
        run(
            as_owner(&bin.join("initdb"), root)
                .arg("-D")
                .arg(&data)
                .args(["-U", SUPERUSER, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"])
                .arg("--locale=C")
                .arg(format!("--pwfile={}", pwfile.display())),
            "initdb",
        )?;
        std::fs::remove_file(&pwfile).map_err(|e| e.to_string())?;

        // TLS: an authority and a certificate for 127.0.0.1/localhost signed by it.
        let (ca_pem, cert_pem, key_pem, other_pem) = certificates()?;
        let write_owned = |name: &str, text: &str| -> Result<(), String> {
            let path = data.join(name);
            // The owner writes it (the key must be its own, mode 0600).
            let mut child = as_owner(Path::new("sh"), root)
                .args(["-c", "umask 077 && cat > \"$1\"", "sh"])
                .arg(&path)
                .stdin(Stdio::piped())
                .spawn()
                .map_err(|e| e.to_string())?;
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string())?;
            let status = child.wait().map_err(|e| e.to_string())?;
            status
                .success()
                .then_some(())
                .ok_or(format!("writing {name}: {status}"))
        };
        write_owned("server.crt", &cert_pem)?;
        write_owned("server.key", &key_pem)?;
        std::fs::write(dir.join("root.crt"), &ca_pem).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("other.crt"), &other_pem).map_err(|e| e.to_string())?;

        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let settings = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c ssl=on \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60",
            dir.display()
        );
        run(
            as_owner(&bin.join("pg_ctl"), root)
                .arg("-D")
                .arg(&data)
                .args(["-w", "-s", "-o", &settings, "-l"])
                .arg(dir.join("server.log"))
                .arg("start"),
            "pg_ctl start",
        )?;
        // Stops the server and removes the folder once this process's end closes the pipe.
        let watchdog = as_owner(Path::new("sh"), root)
            .args([
                "-c",
                "cat >/dev/null; \"$1\" -D \"$2\" -s -m immediate stop; rm -rf \"$3\"",
                "sh",
            ])
            .arg(bin.join("pg_ctl"))
            .arg(&data)
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("the cluster's watchdog: {e}"))?;
        let cluster = Cluster {
            port,
            dir,
            started_in: began.elapsed(),
            _watchdog: Mutex::new(watchdog),
        };
        eprintln!(
            "test PostgreSQL cluster ({}) on 127.0.0.1:{port}, started in {} ms",
            bin.display(),
            cluster.started_in.as_millis()
        );
        Ok(cluster)
    }

    /// The authority that signed the server's certificate (PEM).
    pub fn root_cert(&self) -> PathBuf {
        self.dir.join("root.crt")
    }

    /// An authority that signed nothing the server has (PEM): a client trusting only it must refuse the server.
    pub fn other_authority(&self) -> PathBuf {
        self.dir.join("other.crt")
    }

    /// A URL to a database of the cluster (no TLS unless `sslmode` says otherwise).
    pub fn url(&self, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    /// Creates a new empty database for one test, with its name (for other users' URLs, [`Cluster::url`]).
    pub fn new_named_database(&self, name: &str) -> (String, String) {
        let url = self.new_database(name);
        let database = url
            .rsplit('/')
            .next()
            .and_then(|tail| tail.split('?').next())
            .unwrap_or_default()
            .to_string();
        (url, database)
    }

    /// Creates a new empty database for one test (tests run in parallel on the one cluster); its URL for the
    /// superuser.
    pub fn new_database(&self, name: &str) -> String {
        let database = format!("{name}_{}", DATABASES.fetch_add(1, Ordering::Relaxed));
        let mut admin = postgres::Client::connect(
            &self.url(SUPERUSER, SUPERUSER_PASSWORD, "postgres"),
            postgres::NoTls,
        )
        .expect("the test cluster's superuser connects");
        admin
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .expect("create the test's database");
        self.url(SUPERUSER, SUPERUSER_PASSWORD, &database)
    }
}

/// (the authority, the server's certificate, its key, another authority).
fn certificates() -> Result<(String, String, String, String), String> {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let e = |e: rcgen::Error| e.to_string();
    let authority = |name: &str| -> Result<(CertificateParams, KeyPair, String), String> {
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(e)?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        let key = KeyPair::generate().map_err(e)?;
        let pem = params.self_signed(&key).map_err(e)?.pem();
        Ok((params, key, pem))
    };
    let (ca_params, ca_key, ca_pem) = authority("Encaisse test authority")?;
    let (_, _, other_pem) = authority("Another authority")?;
    let issuer = Issuer::new(ca_params, ca_key);
    let server_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).map_err(e)?;
    let server_key = KeyPair::generate().map_err(e)?;
    let server = server_params.signed_by(&server_key, &issuer).map_err(e)?;
    Ok((ca_pem, server.pem(), server_key.serialize_pem(), other_pem))
}
