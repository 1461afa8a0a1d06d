//! Settings → "Équipe" without a window: signing in to a team's server keeps its URL (never the password) beside
//! the database and the password in the keyring; the next start opens the server as that login; a server that
//! does not answer leaves the app on this computer's file, saying why; coming back forgets both.

use encaisse_app::connection::{self, ConnectInput, Places};
use encaisse_app::mail::{Keyring, Secrets};
use encaisse_domain::FixedClock;
use encaisse_team::{Role, ServerUrl, TlsOptions};

fn clock() -> Box<dyn encaisse_domain::Clock> {
    Box::new(FixedClock(chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()))
}

#[test]
fn signing_in_to_the_team_server_keeps_the_password_in_the_keyring_and_the_url_beside_the_database() {
    let Some(cluster) = encaisse_team::testing::cluster("Settings → Équipe") else {
        return;
    };
    let (admin, database) = cluster.new_named_database("desk");
    let server = ServerUrl::parse(&admin).unwrap();
    let mut client = encaisse_team::connect(&server, &TlsOptions::default()).unwrap();
    encaisse_team::init(&mut client, &server).unwrap();
    let login = format!("claire_{database}");
    encaisse_team::add_user(&mut client, &server, &login, Role::Collector, Some("pw-claire")).unwrap();
    // The address as the manager hands it out: no login, no password.
    let address = cluster.url("nobody", "x", &database).replace("nobody:x@", "");

    let dir = tempfile::tempdir().unwrap();
    let places = Places {
        folder: dir.path().to_path_buf(),
        env: None,
    };
    let secrets: std::sync::Arc<dyn Secrets> = std::sync::Arc::new(Keyring::in_memory());
    let before = connection::generation();

    // A wrong password: refused by the server, nothing saved.
    let wrong = ConnectInput {
        server: address.clone(),
        user: login.clone(),
        password: "not-it".into(),
    };
    let e = connection::connect(&places, &wrong, clock(), &*secrets).unwrap_err();
    assert!(e.to_string().contains("password authentication failed"), "{e}");
    assert!(places.saved().unwrap().is_none());
    assert_eq!(connection::generation(), before);

    let right = ConnectInput {
        password: "pw-claire".into(),
        ..wrong
    };
    let saved = connection::connect(&places, &right, clock(), &*secrets).unwrap();
    assert!(saved.contains(&format!("{login}@")), "{saved}");
    assert!(connection::generation() > before);
    let file = std::fs::read_to_string(dir.path().join("connection.json")).unwrap();
    assert!(!file.contains("pw-claire"), "{file}");
    let key = format!("team:{login}@{}", ServerUrl::parse(&saved).unwrap().server_key());
    assert_eq!(secrets.get(&key).unwrap().as_deref(), Some("pw-claire"));

    // The next start: the saved server, signed in with the keyring's password, acting as the login.
    let app = connection::open(&places, &clock, secrets.clone()).unwrap();
    assert!(app.on_server());
    assert_eq!(app.actor().0, login);
    let shown = connection::current(&places, &app).unwrap();
    assert_eq!(shown.user.as_deref(), Some(login.as_str()));
    assert_eq!(shown.fallback, None);
    assert!(!shown.location.contains("pw-claire"));
    drop(app);

    // The server gone (here: the login disabled): the app opens this computer's file and says why.
    encaisse_team::remove_user(&mut client, &server, &login).unwrap();
    let app = connection::open(&places, &clock, secrets.clone()).unwrap();
    assert!(!app.on_server());
    let shown = connection::current(&places, &app).unwrap();
    assert!(
        shown
            .fallback
            .as_deref()
            .unwrap_or("")
            .contains("not permitted to log in"),
        "{shown:?}"
    );
    assert_eq!(shown.saved_server.as_deref(), Some(saved.as_str()));

    // Back to the file: the URL and the password forgotten.
    connection::disconnect(&places, &*secrets).unwrap();
    assert!(places.saved().unwrap().is_none());
    assert_eq!(secrets.get(&key).unwrap(), None);
    let app = connection::open(&places, &clock, secrets).unwrap();
    assert_eq!(connection::current(&places, &app).unwrap().fallback, None);
}

#[test]
fn encaisse_db_chooses_the_database_and_the_settings_cannot_change_it() {
    let dir = tempfile::tempdir().unwrap();
    let places = Places {
        folder: dir.path().to_path_buf(),
        env: Some(dir.path().join("other.db").display().to_string()),
    };
    let secrets = Keyring::in_memory();
    let input = ConnectInput {
        server: "postgres://db.invalid/compta".into(),
        user: "marie".into(),
        password: String::new(),
    };
    let e = connection::connect(&places, &input, clock(), &secrets).unwrap_err();
    assert!(e.to_string().contains("ENCAISSE_DB"), "{e}");
    let app = connection::open(&places, &clock, std::sync::Arc::new(Keyring::in_memory())).unwrap();
    let shown = connection::current(&places, &app).unwrap();
    assert!(shown.from_env);
    assert!(shown.location.ends_with("other.db"));
}
